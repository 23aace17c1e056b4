// name: pet_placement_and_work
// question: Where do participants place their pets, and what work do pets do?
// concept: Non-human members (not a proxy)
// answers: 7
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: memberId (string) - the pet
// returns: relationshipRaw (string) - the pet as written in the source (e.g. dog)
// returns: circle (string) - where the pet was placed
// returns: contactFrequency (string) - contact frequency
// returns: workTypes (list) - kinds of work the pet does, sorted
// returns: flows (integer) - support flows from the pet to the participant
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (:NetworkMember)-[:PROVIDES {wave: $wave}]->(x:Participant)
WHERE $study IS NULL OR x.studyId = $study
WITH DISTINCT x.studyId AS studyWithFlows
MATCH (p:Participant {studyId: studyWithFlows})-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember {relationshipType: 'pet'})
OPTIONAL MATCH (m)-[w:PROVIDES {wave: $wave}]->(p)
WITH p, m, h, w ORDER BY w.workType
WITH p, m, h, collect(DISTINCT w.workType) AS workTypes, count(w) AS flows
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipRaw AS relationshipRaw,
       h.circle AS circle, h.contactFrequency AS contactFrequency, workTypes, flows
ORDER BY participantId, memberId
