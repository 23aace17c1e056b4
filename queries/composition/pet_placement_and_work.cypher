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
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember {relationshipType: 'pet'})
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipRaw AS relationshipRaw,
       h.circle AS circle, h.contactFrequency AS contactFrequency,
       [t IN ['emotional', 'everyday', 'illness'] WHERE t IN h.memberWorkTypes] AS workTypes, size(h.memberTasks) AS flows
ORDER BY participantId, memberId
