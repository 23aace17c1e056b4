// name: coverage_and_redundancy
// question: How well is each kind of work covered, and how often by more than one member?
// concept: Collective efficacy (PROXY: coverage = share of participants with at least one member doing the work; redundancy = mean number of distinct members doing it per participant, and participants with two or more)
// answers: 11
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: workType (string) - illness, everyday or emotional
// returns: participants (integer) - participants who named at least one member in the wave
// returns: participantsCovered (integer) - with at least one member doing this work
// returns: coverage (float) - participantsCovered / participants
// returns: meanProviders (float) - distinct members doing this work per participant (all participants)
// returns: participantsWithRedundancy (integer) - with two or more members doing this work
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (:NetworkMember)-[:PROVIDES {wave: $wave}]->(x:Participant)
WHERE $study IS NULL OR x.studyId = $study
WITH DISTINCT x.studyId AS studyWithFlows
MATCH (p:Participant {studyId: studyWithFlows})
WHERE EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
UNWIND ['illness', 'everyday', 'emotional'] AS workType
WITH p, workType,
     COUNT { MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
             WHERE EXISTS { (m)-[:PROVIDES {wave: $wave, workType: workType}]->(p) } } AS providers
RETURN workType, count(p) AS participants, count(CASE WHEN providers > 0 THEN 1 END) AS participantsCovered,
       toFloat(count(CASE WHEN providers > 0 THEN 1 END)) / count(p) AS coverage,
       avg(toFloat(providers)) AS meanProviders,
       count(CASE WHEN providers >= 2 THEN 1 END) AS participantsWithRedundancy
ORDER BY workType
