// name: ego_homophily
// question: Do participants name members like themselves (ego-alter EI index), and do members who know each other share a value (Krackhardt-Stern EI index of member ties)?
// concept: Homophily per ego (not a proxy). Ego-alter EI index as egor comp_ei(): (E - I) / (E + I), E = members whose value differs from the participant's, I = members with the same value, compared as text (as egor does); members with a missing value (NA) are in neither, and a participant with NA has E = I = 0. Krackhardt & Stern (1988) EI index of the member-member ties, as egor EI(): (EL - IL) / (EL + IL) over pairs of members joined by a selected tie, EL = pairs with different values, IL = pairs with the same value; pairs with an NA end are left out. Participants, waves and member ties (undirected, a pair once) as in ego_measures; tie columns are null when the study records no member ties (of tieType) at the wave
// answers: 26
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave
// param: egoAttribute (string, default null) - participant attribute: a core field (sex, ageBand, country, ...) or one the study declares
// param: memberAttribute (string, default null) - member attribute compared with it, read as coalesce(h[memberAttribute], m[memberAttribute])
// param: tieType (string, default null) - member-member tie type for the tie EI; null = all types
// param: minWeight (float, default null) - keep only member ties with weight >= minWeight (a missing weight counts 1); null = no filter
// known: wave (wave)
// known: egoAttribute (participant attribute)
// known: memberAttribute (member attribute)
// known: tieType (tie type)
// returns: studyId (string) - study
// returns: participantId (string) - participant
// returns: wave (integer) - wave
// returns: size (integer) - members named at the wave
// returns: egoValue (any) - the participant's value of egoAttribute (null = NA)
// returns: external (integer) - E, members with a value different from egoValue
// returns: internal (integer) - I, members with the same value
// returns: egoAlterEI (float) - (E - I) / (E + I), from -1 (all alike) to 1 (all different); null when E + I = 0
// returns: tieExternal (integer) - EL, tied member pairs whose values differ; null when no member ties are recorded
// returns: tieInternal (integer) - IL, tied member pairs with the same value; null when no member ties are recorded
// returns: tieEI (float) - (EL - IL) / (EL + IL); null when EL + IL = 0
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param egoAttribute => 'hasPartner';
// :param memberAttribute => 'tieClass';
// :param tieType => null;
// :param minWeight => null;
MATCH (s:Study)
WHERE $study IS NULL OR s.studyId = $study
UNWIND [w IN s.waves WHERE $wave IS NULL OR w = $wave] AS wave
WITH s, wave, EXISTS {
  MATCH (s)<-[:IN_STUDY]-(:Participant)-[:HAS_MEMBER {wave: wave}]->(:NetworkMember)-[k:KNOWS]-(:NetworkMember)
  WHERE k.wave = wave AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
} AS tiesRecorded
MATCH (s)<-[:IN_STUDY]-(p:Participant)
WHERE wave = s.waves[0] OR EXISTS { (p)-[r:HAS_MEMBER]->() WHERE r.wave = wave }
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = wave }
WITH s, p, wave, tiesRecorded, toString(p[$egoAttribute]) AS egoValue, p[$egoAttribute] AS egoRaw
// valueOf: elementId of each member named at the wave -> [its value] (a list, so that NA is told from not named)
CALL (p, wave, egoValue) {
  MATCH (p)-[h:HAS_MEMBER {wave: wave}]->(m:NetworkMember)
  WITH m, toString(coalesce(h[$memberAttribute], m[$memberAttribute])) AS value
  RETURN count(*) AS size, count(CASE WHEN value <> egoValue THEN 1 END) AS external,
         count(CASE WHEN value = egoValue THEN 1 END) AS internal, collect(m) AS members,
         apoc.map.fromPairs(collect([elementId(m), [value]])) AS valueOf
}
// each tie once, from its start; a pair once (from either end, whether its values differ is the same)
CALL (members, valueOf, wave) {
  UNWIND members AS a
  MATCH (a)-[k:KNOWS]->(b:NetworkMember)
  WHERE k.wave = wave AND a <> b AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
    AND ($minWeight IS NULL OR coalesce(k.weight, 1.0) >= $minWeight)
  WITH a, b, valueOf[elementId(b)] AS vb
  WHERE vb IS NOT NULL
  WITH DISTINCT CASE WHEN elementId(a) < elementId(b) THEN [a, b] ELSE [b, a] END AS pair,
       valueOf[elementId(a)][0] <> vb[0] AS differ
  RETURN count(CASE WHEN differ THEN 1 END) AS el, count(CASE WHEN NOT differ THEN 1 END) AS il
}
RETURN s.studyId AS studyId, p.participantId AS participantId, wave, size, egoRaw AS egoValue, external, internal,
       CASE WHEN external + internal > 0 THEN toFloat(external - internal) / (external + internal) END AS egoAlterEI,
       CASE WHEN tiesRecorded THEN el END AS tieExternal, CASE WHEN tiesRecorded THEN il END AS tieInternal,
       CASE WHEN tiesRecorded AND el + il > 0 THEN toFloat(el - il) / (el + il) END AS tieEI
ORDER BY studyId, participantId, wave
