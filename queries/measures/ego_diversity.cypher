// name: ego_diversity
// question: How diverse is each participant's network by a member attribute: how many different values, and how evenly spread (Shannon entropy)?
// concept: Network diversity per ego (not a proxy), as egor alts_diversity_count() and alts_diversity_entropy(): members' values coalesce(h[attribute], m[attribute]); missing values (NA) are left out of both, as egor does. Participants and waves as in ego_measures (a participant with no members: size 0, distinctValues 0, entropy null)
// answers: 25
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave
// param: attribute (string, default null) - member attribute: a core field (relationshipType, tieClass, circle, ...) or one the study declares
// param: base (float, default 2.0) - base of the logarithm, above 0 and not 1 (2 as egor; 2.718281828459045 for nats)
// known: wave (wave)
// known: attribute (member attribute)
// returns: studyId (string) - study
// returns: participantId (string) - participant
// returns: wave (integer) - wave
// returns: size (integer) - members named at the wave
// returns: known (integer) - members with a value (NA left out)
// returns: distinctValues (integer) - different values among them (egor alts_diversity_count)
// returns: entropy (float) - Shannon entropy -sum p log_base p over the values, p = count / known (egor alts_diversity_entropy); 0 when all share one value; null when known = 0 (egor gives 0 there)
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param attribute => 'relationshipType';
// :param base => 2.0;
MATCH (s:Study)<-[:IN_STUDY]-(p:Participant)
WHERE $study IS NULL OR s.studyId = $study
UNWIND [w IN s.waves WHERE ($wave IS NULL OR w = $wave)
        AND (w = s.waves[0] OR EXISTS { (p)-[r:HAS_MEMBER]->() WHERE r.wave = w }
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = w })] AS wave
CALL (p, wave) {
  MATCH (p)-[h:HAS_MEMBER {wave: wave}]->(m:NetworkMember)
  RETURN count(m) AS size, collect(coalesce(h[$attribute], m[$attribute])) AS values
}
CALL (values) {
  UNWIND values AS value
  WITH value, count(*) AS count
  RETURN collect(count) AS counts
}
WITH s, p, wave, size, size(values) AS known, counts
RETURN s.studyId AS studyId, p.participantId AS participantId, wave, size, known, size(counts) AS distinctValues,
       CASE WHEN known > 0 THEN reduce(h = 0.0, c IN counts | h - (toFloat(c) / known) * log(toFloat(c) / known) / log($base)) END AS entropy
ORDER BY studyId, participantId, wave
