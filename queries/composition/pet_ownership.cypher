// name: pet_ownership
// question: How many participants name at least one pet in their network?
// concept: Non-human members (not a proxy)
// answers: 7
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participants (integer) - participants who named at least one member in the wave
// returns: participantsWithPet (integer) - of whom naming a pet
// returns: share (float) - participantsWithPet / participants
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study) AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
WITH count(p) AS participants,
     count(CASE WHEN EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->(:NetworkMember {relationshipType: 'pet'}) } THEN 1 END) AS participantsWithPet
WHERE participants > 0
RETURN participants, participantsWithPet, toFloat(participantsWithPet) / participants AS share
