// name: contributor_cohesion
// question: How cohesive are the members who do the work (do contributors know each other)?
// concept: Collective efficacy (PROXY: density of member-member ties among the members who do at least one task; only studies that recorded member-member ties)
// answers: 17
// needs: member_ties, support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: contributors (integer) - members doing at least one task
// returns: tiesAmongContributors (integer) - member-member ties between two contributors
// returns: density (float) - ties / possible pairs (null with fewer than two contributors)
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (:NetworkMember)-[:KNOWS {wave: $wave}]->(x:NetworkMember)
WHERE $study IS NULL OR x.studyId = $study
WITH DISTINCT x.studyId AS studyWithTies
MATCH (p:Participant {studyId: studyWithTies})
CALL (p) {
  MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  WHERE EXISTS { (m)-[:PROVIDES {wave: $wave}]->(p) }
  RETURN collect(m) AS contributors
}
WITH p, contributors, size(contributors) AS n
WHERE n > 0
CALL (contributors) {
  UNWIND contributors AS a
  OPTIONAL MATCH (a)-[k:KNOWS {wave: $wave}]->(b:NetworkMember)
  WHERE b IN contributors
  RETURN count(k) AS ties
}
RETURN p.participantId AS participantId, n AS contributors, ties AS tiesAmongContributors,
       CASE WHEN n > 1 THEN toFloat(ties) / (n * (n - 1) / 2) END AS density
ORDER BY participantId
