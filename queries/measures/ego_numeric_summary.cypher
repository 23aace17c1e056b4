// name: ego_numeric_summary
// question: What are the mean, standard deviation and range of a numeric member attribute (age, closeness, ...) in each participant's network?
// concept: Numeric composition per ego (not a proxy), as egor comp_ply(object, attribute, mean / sd, na.rm = TRUE): members' values coalesce(h[attribute], m[attribute]); missing values (NA) are left out. Participants and waves as in ego_measures (a participant with no members: size 0, known 0, the rest null)
// answers: 27
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave
// param: attribute (string, default null) - numeric member attribute (integer or float): a core field or one the study declares
// known: wave (wave)
// known: attribute (numeric member attribute)
// returns: studyId (string) - study
// returns: participantId (string) - participant
// returns: wave (integer) - wave
// returns: size (integer) - members named at the wave
// returns: known (integer) - members with a value (NA left out)
// returns: mean (float) - mean of the known values; null when known = 0
// returns: sd (float) - sample standard deviation (n - 1 denominator, as R's sd); null when known < 2
// returns: min (float) - smallest known value
// returns: max (float) - largest known value
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param attribute => 'closeness';
MATCH (s:Study)<-[:IN_STUDY]-(p:Participant)
WHERE $study IS NULL OR s.studyId = $study
UNWIND [w IN s.waves WHERE ($wave IS NULL OR w = $wave)
        AND (w = s.waves[0] OR EXISTS { (p)-[r:HAS_MEMBER]->() WHERE r.wave = w }
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = w })] AS wave
CALL (p, wave) {
  MATCH (p)-[h:HAS_MEMBER {wave: wave}]->(m:NetworkMember)
  WITH toFloat(coalesce(h[$attribute], m[$attribute])) AS value
  RETURN count(*) AS size, count(value) AS known, avg(value) AS mean, stDev(value) AS sd, min(value) AS min, max(value) AS max
}
RETURN s.studyId AS studyId, p.participantId AS participantId, wave, size, known, mean,
       CASE WHEN known > 1 THEN sd END AS sd, min, max
ORDER BY studyId, participantId, wave
