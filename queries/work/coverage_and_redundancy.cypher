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
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(p:Participant)
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(:NetworkMember)
  RETURN collect(h.memberWorkTypes) AS given
}
WITH given
WHERE size(given) > 0
UNWIND ['illness', 'everyday', 'emotional'] AS workType
WITH workType, size([types IN given WHERE workType IN types]) AS providers
RETURN workType, count(*) AS participants, count(CASE WHEN providers > 0 THEN 1 END) AS participantsCovered,
       toFloat(count(CASE WHEN providers > 0 THEN 1 END)) / count(*) AS coverage,
       avg(toFloat(providers)) AS meanProviders,
       count(CASE WHEN providers >= 2 THEN 1 END) AS participantsWithRedundancy
ORDER BY workType
