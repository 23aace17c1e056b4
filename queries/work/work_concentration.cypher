// name: work_concentration
// question: Which participants rely on one member for most of their work?
// concept: Negotiation: concentration of work (not a proxy)
// answers: 9
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: minShare (float, default 0.5) - smallest share of all flows from the top member to list a participant
// returns: participantId (string) - participant
// returns: topMemberId (string) - the member giving most flows (smallest memberId on a tie)
// returns: topRelationship (string) - that member's relationship type
// returns: topFlows (integer) - flows from the top member
// returns: totalFlows (integer) - flows from all members
// returns: topShare (float) - topFlows / totalFlows
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param minShare => 0.5;
MATCH (p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE ($study IS NULL OR p.studyId = $study) AND size(h.memberTasks) > 0
WITH p, m, size(h.memberTasks) AS flows
ORDER BY flows DESC, m.memberId
WITH p, collect({member: m, flows: flows}) AS givers, sum(flows) AS totalFlows
WITH p, givers[0] AS top, totalFlows
WHERE toFloat(top.flows) / totalFlows >= $minShare
RETURN p.participantId AS participantId, top.member.memberId AS topMemberId,
       top.member.relationshipType AS topRelationship, top.flows AS topFlows, totalFlows,
       toFloat(top.flows) / totalFlows AS topShare
ORDER BY topShare DESC, participantId
