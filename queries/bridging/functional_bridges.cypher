// name: functional_bridges
// question: Which non-strong members supply a task or access to a resource that no strong tie of the same participant supplies?
// concept: Bridging, functional (not a proxy): unique contribution of weak, professional and non-human members, at task level
// answers: 15
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: memberId (string) - the bridging member
// returns: relationshipType (string) - its relationship to the participant
// returns: tieClass (string) - its stored tie class (never strong)
// returns: uniqueTasks (list) - tasks it does that no strong tie does, sorted
// returns: uniqueResources (list) - resourceIds it links to that no strong tie links to, sorted
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study) AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  RETURN collect(CASE WHEN m.tieClass = 'strong' THEN h.memberTasks END) AS strongGiven,
         collect(CASE WHEN m.tieClass <> 'strong' THEN [m, h.memberTasks] END) AS others
}
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(s:NetworkMember {tieClass: 'strong'})-[:LINKS_TO {wave: $wave}]->(r:Resource)
  RETURN collect(DISTINCT r.resourceId) AS strongResources
}
WITH p, reduce(all = [], tasks IN strongGiven | all + tasks) AS strongTasks, strongResources, others
UNWIND others AS other
WITH p, other[0] AS m, strongResources, [task IN other[1] WHERE NOT task IN strongTasks] AS uniqueTasks
CALL (m, strongResources) {
  OPTIONAL MATCH (m)-[:LINKS_TO {wave: $wave}]->(r:Resource)
  WITH r.resourceId AS resourceId WHERE NOT resourceId IN strongResources
  WITH DISTINCT resourceId ORDER BY resourceId
  RETURN collect(resourceId) AS uniqueResources
}
WITH p, m, uniqueTasks, uniqueResources
WHERE size(uniqueTasks) > 0 OR size(uniqueResources) > 0
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipType AS relationshipType,
       m.tieClass AS tieClass, uniqueTasks, uniqueResources
ORDER BY participantId, memberId
