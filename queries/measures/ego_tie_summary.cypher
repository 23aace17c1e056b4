// name: ego_tie_summary
// question: What are the mean, standard deviation and range of a numeric attribute of the ties among each participant's members (a tie weight or strength)?
// concept: Member-tie attributes per ego (not a proxy), as egor summaries of the alter-alter tie table: every selected member-member tie of the participant's network counts (a pair joined by two tie types twice); missing values (NA, e.g. a study that records no weight) are left out, not read as 1. Participants and waves as in ego_measures, and only waves at which the study records member ties (of tieType)
// answers: 27
// needs: member_ties
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave
// param: attribute (string, default 'weight') - numeric member-tie attribute: weight or one the study declares on KNOWS
// param: tieType (string, default null) - member-member tie type (KNOWS.type); null = all types
// known: wave (wave)
// known: attribute (numeric tie attribute)
// known: tieType (tie type)
// returns: studyId (string) - study
// returns: participantId (string) - participant
// returns: wave (integer) - wave
// returns: ties (integer) - selected member-member ties in the participant's network at the wave
// returns: known (integer) - ties with a value (NA left out)
// returns: mean (float) - mean of the known values; null when known = 0
// returns: sd (float) - sample standard deviation (n - 1 denominator, as R's sd); null when known < 2
// returns: min (float) - smallest known value
// returns: max (float) - largest known value
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param attribute => 'weight';
// :param tieType => null;
MATCH (s:Study)
WHERE $study IS NULL OR s.studyId = $study
WITH s, [w IN s.waves WHERE ($wave IS NULL OR w = $wave) AND EXISTS {
  MATCH (s)<-[:IN_STUDY]-(:Participant)-[:HAS_MEMBER {wave: w}]->(:NetworkMember)-[k:KNOWS]-(:NetworkMember)
  WHERE k.wave = w AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
}] AS waves
WHERE size(waves) > 0
MATCH (s)<-[:IN_STUDY]-(p:Participant)
// the members of every wave asked, in one pass over the HAS_MEMBER of the participant
CALL (p, waves) {
  MATCH (p)-[h:HAS_MEMBER]->(m:NetworkMember)
  WHERE h.wave IN waves
  WITH h.wave AS wave, collect(m) AS members
  RETURN apoc.map.fromPairs(collect([toString(wave), members])) AS atWave
}
UNWIND waves AS wave
WITH s, p, wave, coalesce(atWave[toString(wave)], []) AS members
WHERE wave = s.waves[0] OR size(members) > 0
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = wave }
// named: elementId of each member named at the wave -> true; a tie counts when both ends are named then
CALL (members, wave) {
  WITH members, apoc.map.fromPairs([m IN members | [elementId(m), true]]) AS named
  UNWIND members AS a
  MATCH (a)-[k:KNOWS]->(b:NetworkMember)
  WHERE k.wave = wave AND a <> b AND named[elementId(b)] AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
  WITH toFloat(k[$attribute]) AS value
  RETURN count(*) AS ties, count(value) AS known, avg(value) AS mean, stDev(value) AS sd, min(value) AS min, max(value) AS max
}
RETURN s.studyId AS studyId, p.participantId AS participantId, wave, ties, known, mean,
       CASE WHEN known > 1 THEN sd END AS sd, min, max
ORDER BY studyId, participantId, wave
