// name: community_involvement
// question: Do participants who take part in community organisations receive more or less work than those who do not?
// concept: Navigation (not a proxy): involvement = taking part in at least one resource of the listed community types
// answers: 14
// needs: resources, support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: communityTypes (list, default ['community_group', 'faith_group', 'voluntary_organisation', 'leisure_centre'], vocabulary resource_type) - resource types that count as community organisations
// returns: involved (boolean) - takes part in a community organisation
// returns: participants (integer) - participants who named at least one member in the wave
// returns: share (float) - share of all these participants
// returns: meanMembers (float) - mean network size
// returns: meanFlowsReceived (float) - mean support flows received from members
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param communityTypes => ['community_group', 'faith_group', 'voluntary_organisation', 'leisure_centre'];
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:Resource {studyId: s.studyId})<-[:PARTICIPATES_IN|LINKS_TO]-() }
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(p:Participant)
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->()
  RETURN count(h) AS members, sum(size(h.memberTasks)) AS flows
}
WITH p, members, flows
WHERE members > 0
WITH p, members, flows,
     EXISTS { MATCH (p)-[:PARTICIPATES_IN {wave: $wave}]->(r:Resource) WHERE r.resourceType IN $communityTypes } AS involved
WITH involved, count(*) AS participants, avg(toFloat(members)) AS meanMembers, avg(toFloat(flows)) AS meanFlowsReceived
WITH collect({involved: involved, participants: participants, meanMembers: meanMembers,
              meanFlowsReceived: meanFlowsReceived}) AS rows, sum(participants) AS total
UNWIND rows AS row
RETURN row.involved AS involved, row.participants AS participants, toFloat(row.participants) / total AS share,
       row.meanMembers AS meanMembers, row.meanFlowsReceived AS meanFlowsReceived
ORDER BY involved DESC
