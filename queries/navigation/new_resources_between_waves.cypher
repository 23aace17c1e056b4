// name: new_resources_between_waves
// question: Which groups and services did participants take up between one wave and the next?
// concept: Navigation (not a proxy): resources taken part in at wave + 1 but not at wave
// answers: 13
// needs: resources, next_wave
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - the earlier wave; compared with wave + 1
// returns: participantId (string) - participant
// returns: resourceId (string) - resource taken up
// returns: resourceType (string) - kind of resource
// returns: name (string) - its name
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)-[:PARTICIPATES_IN {wave: $wave + 1}]->(r:Resource)
WHERE ($study IS NULL OR p.studyId = $study)
  AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
  AND NOT EXISTS { (p)-[:PARTICIPATES_IN {wave: $wave}]->(r) }
RETURN p.participantId AS participantId, r.resourceId AS resourceId, r.resourceType AS resourceType, r.name AS name
ORDER BY participantId, resourceId
