// name: composition_by_relationship
// question: Which relationship types make up the networks, within each tie class?
// concept: Network composition (not a proxy)
// answers: 2
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: tieClass (string) - stored tie class of the relationship type
// returns: relationshipType (string) - relationship to the participant
// returns: members (integer) - members named in the wave
// returns: share (float) - share of all members named in the wave
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE $study IS NULL OR p.studyId = $study
WITH m.tieClass AS tieClass, m.relationshipType AS relationshipType, count(*) AS members
WITH collect({tieClass: tieClass, relationshipType: relationshipType, members: members}) AS rows,
     sum(members) AS total
UNWIND rows AS row
RETURN row.tieClass AS tieClass, row.relationshipType AS relationshipType, row.members AS members,
       toFloat(row.members) / total AS share
ORDER BY tieClass, members DESC, relationshipType
