// name: navigation_reach
// question: Which groups, organisations and services can each participant reach, directly or through members, and how wide is the range of relationship types?
// concept: Navigation (not a proxy): resources reachable in two hops (participant - member - resource) and by own participation
// answers: 13
// needs: resources
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: groupOrOrgMembers (integer) - members who are themselves a group or organisation
// returns: membersLinking (integer) - members who link the participant to a resource
// returns: resourcesViaMembers (integer) - distinct resources reached through members
// returns: resourcesDirect (integer) - distinct resources the participant takes part in
// returns: resourcesReachable (integer) - distinct resources reached either way
// returns: relationshipTypes (integer) - distinct relationship types in the network (range)
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (r:Resource)<-[:PARTICIPATES_IN|LINKS_TO]-()
WHERE $study IS NULL OR r.studyId = $study
WITH DISTINCT r.studyId AS studyWithResources
MATCH (p:Participant {studyId: studyWithResources})
WHERE EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
CALL (p) {
  MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  OPTIONAL MATCH (m)-[:LINKS_TO {wave: $wave}]->(r:Resource)
  RETURN count(DISTINCT CASE WHEN m.relationshipType IN ['group', 'organisation'] THEN m END) AS groupOrOrgMembers,
         count(DISTINCT CASE WHEN r IS NOT NULL THEN m END) AS membersLinking,
         collect(DISTINCT r) AS viaMembers, count(DISTINCT m.relationshipType) AS relationshipTypes
}
CALL (p) {
  OPTIONAL MATCH (p)-[:PARTICIPATES_IN {wave: $wave}]->(r:Resource)
  RETURN collect(DISTINCT r) AS direct
}
RETURN p.participantId AS participantId, groupOrOrgMembers, membersLinking,
       size(viaMembers) AS resourcesViaMembers, size(direct) AS resourcesDirect,
       size(viaMembers) + size([r IN direct WHERE NOT r IN viaMembers]) AS resourcesReachable,
       relationshipTypes
ORDER BY participantId
