// name: contributor_cohesion
// question: How cohesive are the members who do the work (do contributors know each other)?
// concept: Collective efficacy (PROXY: density of member-member ties among the members who do at least one task; only studies that recorded member-member ties, of tieType when given, at the wave; each stored tie counts, so two ties of different types between a pair count twice unless tieType picks one)
// answers: 17
// needs: member_ties, support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: tieType (string, default null) - member-member tie type (KNOWS.type, 'knows' when a study records one kind); null = all types
// param: minWeight (float, default null) - keep only member ties with weight >= minWeight (a missing weight counts 1); null = no filter
// known: tieType (tie type)
// returns: participantId (string) - participant
// returns: contributors (integer) - members doing at least one task
// returns: tiesAmongContributors (integer) - member-member ties between two contributors
// returns: density (float) - ties / possible pairs (null with fewer than two contributors)
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param tieType => null;
// :param minWeight => null;
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { MATCH (:NetworkMember {studyId: s.studyId})-[k:KNOWS {wave: $wave}]->(:NetworkMember)
               WHERE ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType) }
MATCH (s)<-[:IN_STUDY]-(p:Participant)
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  WHERE size(h.memberTasks) > 0
  RETURN collect(m) AS contributors
}
WITH p, contributors, size(contributors) AS n
WHERE n > 0
CALL (contributors) {
  UNWIND contributors AS a
  MATCH (a)-[k:KNOWS {wave: $wave}]->(b:NetworkMember)
  WHERE b IN contributors AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
    AND ($minWeight IS NULL OR coalesce(k.weight, 1.0) >= $minWeight)
  RETURN count(k) AS ties
}
RETURN p.participantId AS participantId, n AS contributors, ties AS tiesAmongContributors,
       CASE WHEN n > 1 THEN toFloat(ties) / (n * (n - 1) / 2) END AS density
ORDER BY participantId
