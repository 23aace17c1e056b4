// name: multiplex_members
// question: Which members do several kinds of work?
// concept: Collective efficacy (PROXY: multiplex members = members doing at least minWorkTypes of the three kinds of work)
// answers: 12
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: minWorkTypes (integer, default 2) - fewest kinds of work for a member to be listed
// returns: participantId (string) - participant
// returns: memberId (string) - member
// returns: relationshipType (string) - relationship to the participant
// returns: tieClass (string) - stored tie class
// returns: workTypeCount (integer) - kinds of work the member does
// returns: workTypes (list) - those kinds of work, sorted
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param minWorkTypes => 2;
MATCH (p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE ($study IS NULL OR p.studyId = $study) AND size(h.memberWorkTypes) > 0
WITH p, m, [t IN ['emotional', 'everyday', 'illness'] WHERE t IN h.memberWorkTypes] AS workTypes
WHERE size(workTypes) >= $minWorkTypes
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipType AS relationshipType,
       m.tieClass AS tieClass, size(workTypes) AS workTypeCount, workTypes
ORDER BY participantId, memberId
