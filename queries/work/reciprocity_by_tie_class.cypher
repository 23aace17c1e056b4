// name: reciprocity_by_tie_class
// question: How often does support flow both ways (member helps participant and participant helps member), by tie class?
// concept: Reciprocity (not a proxy)
// answers: 18
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: tieClass (string) - stored tie class
// returns: members (integer) - members named in the wave
// returns: membersGiving (integer) - members who help the participant
// returns: membersReceiving (integer) - members the participant helps
// returns: reciprocal (integer) - members who both give and receive
// returns: reciprocalShare (float) - reciprocal / members
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WITH m.tieClass AS tieClass, size(h.memberTasks) > 0 AS gives, h.participantTasks > 0 AS receives
RETURN tieClass, count(*) AS members, count(CASE WHEN gives THEN 1 END) AS membersGiving,
       count(CASE WHEN receives THEN 1 END) AS membersReceiving,
       count(CASE WHEN gives AND receives THEN 1 END) AS reciprocal,
       toFloat(count(CASE WHEN gives AND receives THEN 1 END)) / count(*) AS reciprocalShare
ORDER BY tieClass
