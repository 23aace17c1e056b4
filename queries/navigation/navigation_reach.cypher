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
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:Resource {studyId: s.studyId})<-[:PARTICIPATES_IN|LINKS_TO]-() }
MATCH (s)<-[:IN_STUDY]-(p:Participant)
WHERE EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
CALL (p) {
  MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  WITH m, COLLECT { MATCH (m)-[:LINKS_TO {wave: $wave}]->(r:Resource) RETURN DISTINCT r.key } AS links
  RETURN count(CASE WHEN m.relationshipType IN ['group', 'organisation'] THEN 1 END) AS groupOrOrgMembers,
         count(CASE WHEN size(links) > 0 THEN 1 END) AS membersLinking,
         reduce(found = [], each IN collect(links) | found + [r IN each WHERE NOT r IN found]) AS viaMembers,
         count(DISTINCT m.relationshipType) AS relationshipTypes
}
WITH p, groupOrOrgMembers, membersLinking, viaMembers, relationshipTypes,
     COLLECT { MATCH (p)-[:PARTICIPATES_IN {wave: $wave}]->(r:Resource) RETURN DISTINCT r.key } AS direct
RETURN p.participantId AS participantId, groupOrOrgMembers, membersLinking,
       size(viaMembers) AS resourcesViaMembers, size(direct) AS resourcesDirect,
       size(viaMembers) + size([r IN direct WHERE NOT r IN viaMembers]) AS resourcesReachable,
       relationshipTypes
ORDER BY participantId
