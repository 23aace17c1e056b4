// name: unmet_work
// question: Which participants have no member covering a kind of work?
// concept: Negotiation: work nobody covers (not a proxy)
// answers: 10
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: workType (string) - the kind of work no member provides
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (:NetworkMember)-[:PROVIDES {wave: $wave}]->(x:Participant)
WHERE $study IS NULL OR x.studyId = $study
WITH DISTINCT x.studyId AS studyWithFlows
MATCH (p:Participant {studyId: studyWithFlows})
WHERE EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
UNWIND ['illness', 'everyday', 'emotional'] AS workType
WITH p, workType
WHERE NOT EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->(:NetworkMember)-[:PROVIDES {wave: $wave, workType: workType}]->(p) }
RETURN p.participantId AS participantId, workType
ORDER BY participantId, workType
