// name: structural_bridges
// question: Which members hold a personal network together (member-member ties, the participant left out)?
// concept: Bridging, structural (not a proxy): degree, Burt's effective size and constraint, brokered pairs, betweenness and articulation points in each participant's network without the participant
// answers: 16
// needs: member_ties
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: memberId (string) - member with at least one tie to another member
// returns: relationshipType (string) - its relationship to the participant
// returns: degree (integer) - members it knows
// returns: effectiveSize (float) - Burt's effective size: degree - 2 * (ties among its contacts) / degree
// returns: constraint (float) - Burt's constraint (unweighted ties)
// returns: brokeredPairs (integer) - pairs of its contacts who do not know each other
// returns: betweenness (float) - shortest paths between other members that pass through it (unnormalised, each pair counted once)
// returns: articulationPoint (boolean) - without it, two of its contacts would no longer be connected
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study)
  AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->(:NetworkMember)-[:KNOWS {wave: $wave}]-() }
CALL (p) {
  MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(a:NetworkMember), (p)-[:HAS_MEMBER {wave: $wave}]->(b:NetworkMember)
  WHERE elementId(a) < elementId(b)
  MATCH path = allShortestPaths((a)-[:KNOWS*]-(b))
  WHERE all(k IN relationships(path) WHERE k.wave = $wave)
  WITH a, b, count(path) AS paths, collect(nodes(path)[1..-1]) AS inners
  UNWIND inners AS inner
  UNWIND inner AS x
  WITH x, a, b, paths, count(*) AS through
  WITH x, sum(toFloat(through) / paths) AS score
  RETURN collect({node: x, score: score}) AS scores
}
MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE EXISTS { (m)-[:KNOWS {wave: $wave}]-() }
CALL (m) {
  MATCH (m)-[:KNOWS {wave: $wave}]-(n:NetworkMember)
  WITH DISTINCT n
  RETURN collect({node: n, degree: COUNT { (n)-[:KNOWS {wave: $wave}]-() }}) AS contacts
}
WITH p, m, scores, contacts, size(contacts) AS degree
CALL (contacts, degree) {
  UNWIND contacts AS j
  UNWIND contacts AS q
  WITH j, q, j.node AS jn, q.node AS qn
  WITH j, collect(CASE WHEN EXISTS { (jn)-[:KNOWS {wave: $wave}]-(qn) } THEN q.degree END) AS shared
  RETURN sum(size(shared)) / 2 AS contactTies,
         sum((1.0 / degree + reduce(s = 0.0, d IN shared | s + 1.0 / degree / d)) ^ 2) AS constraint
}
CALL (m, contacts) {
  UNWIND contacts AS a
  UNWIND contacts AS b
  WITH m, a.node AS an, b.node AS bn
  WHERE elementId(an) < elementId(bn)
  OPTIONAL MATCH path = shortestPath((an)-[:KNOWS*]-(bn))
  WHERE all(k IN relationships(path) WHERE k.wave = $wave) AND none(x IN nodes(path) WHERE x = m)
  RETURN count(CASE WHEN path IS NULL THEN 1 END) > 0 AS articulationPoint
}
WITH p, m, degree, contactTies, constraint, articulationPoint,
     coalesce(head([s IN scores WHERE s.node = m | s.score]), 0.0) AS betweenness
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipType AS relationshipType,
       degree, degree - 2.0 * contactTies / degree AS effectiveSize, constraint,
       degree * (degree - 1) / 2 - contactTies AS brokeredPairs, toFloat(betweenness) AS betweenness,
       articulationPoint
ORDER BY participantId, memberId
