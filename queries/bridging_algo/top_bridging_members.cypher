// name: top_bridging_members
// question: Which members bridge most within each personal network, as computed by the bridging_members job?
// concept: Bridging, structural (not a proxy): properties written by `illnet algo run bridging_members --mode write` (normalised betweenness, articulation point, Burt's constraint and effective size); run that job first
// answers: 16
// needs: member_ties, job:bridging_members
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave the bridging job was run for
// param: participant (string, default null) - participantId; null = every participant
// param: top (integer, default 3) - members listed per participant, highest betweenness first
// returns: participantId (string) - participant
// returns: memberId (string) - member
// returns: relationshipType (string) - its relationship to the participant
// returns: tieClass (string) - its tie class
// returns: bridgingBetweenness (float) - betweenness within the personal network, normalised to 0..1
// returns: isArticulationPoint (boolean) - removing it disconnects two other members
// returns: constraint (float) - Burt's constraint (low = brokerage opportunities)
// returns: effectiveSize (float) - Burt's effective size
// example:
// :param study => null;
// :param wave => 0;
// :param participant => null;
// :param top => 3;
MATCH (p:Participant)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE ($study IS NULL OR p.studyId = $study) AND ($participant IS NULL OR p.participantId = $participant)
  AND m.bridgingWave = $wave AND m.bridgingBetweenness > 0
WITH p, m ORDER BY m.bridgingBetweenness DESC, m.memberId
WITH p, collect(m)[..$top] AS members
UNWIND members AS m
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipType AS relationshipType,
       m.tieClass AS tieClass, m.bridgingBetweenness AS bridgingBetweenness,
       m.isArticulationPoint AS isArticulationPoint, m.constraint AS constraint, m.effectiveSize AS effectiveSize
ORDER BY participantId, bridgingBetweenness DESC, memberId
