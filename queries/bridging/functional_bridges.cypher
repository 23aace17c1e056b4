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
WHERE $study IS NULL OR p.studyId = $study
// the members named at the wave, read once (a participant who names nobody then has no row)
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  RETURN collect(m) AS members,
         collect(CASE WHEN m.tieClass = 'strong' THEN h.memberTasks END) AS strongGiven,
         collect(CASE WHEN m.tieClass <> 'strong' THEN [m, h.memberTasks] END) AS others
}
// every resource link of those members at once, not one look-up per member
CALL (members) {
  UNWIND members AS m
  MATCH (m)-[:LINKS_TO {wave: $wave}]->(r:Resource)
  RETURN collect(DISTINCT CASE WHEN m.tieClass = 'strong' THEN r.resourceId END) AS strongResources,
         collect(CASE WHEN m.tieClass <> 'strong' THEN [m, r.resourceId] END) AS links
}
WITH p, reduce(all = [], tasks IN strongGiven | all + tasks) AS strongTasks, strongResources, others, links
UNWIND others AS other
WITH p, other[0] AS m, [task IN other[1] WHERE NOT task IN strongTasks] AS uniqueTasks,
     apoc.coll.sort([link IN links WHERE link[0] = other[0] AND NOT link[1] IN strongResources | link[1]]) AS linked
WITH p, m, uniqueTasks, [i IN range(0, size(linked) - 1) WHERE i = 0 OR linked[i] <> linked[i - 1] | linked[i]] AS uniqueResources
WHERE size(uniqueTasks) > 0 OR size(uniqueResources) > 0
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipType AS relationshipType,
       m.tieClass AS tieClass, uniqueTasks, uniqueResources
ORDER BY participantId, memberId
