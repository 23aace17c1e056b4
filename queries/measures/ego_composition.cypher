// name: ego_composition
// question: How is each participant's network made up by a member attribute: how many members have each value, and what share?
// concept: Network composition per ego (not a proxy), as egor composition(): one row per participant, wave and value of coalesce(h[attribute], m[attribute]) (a HAS_MEMBER value at the wave first, then the member's). Missing values (NA) are one row with value null: share leaves them out (the share among members with a value, as egor's entropy and EI do), shareOfAll keeps them (of all members, as egor's composition() does). A participant with no members is one row with value null, count 0 and size 0. Participants and waves as in ego_measures
// answers: 25
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave
// param: attribute (string, default null) - member attribute: a core field (relationshipType, tieClass, circle, ...) or one the study declares
// known: wave (wave)
// known: attribute (member attribute)
// returns: studyId (string) - study
// returns: participantId (string) - participant
// returns: wave (integer) - wave
// returns: size (integer) - members named at the wave
// returns: value (any) - a value of the attribute; null for members without one (NA), or for a participant with no members
// returns: count (integer) - members with this value
// returns: share (float) - count / members with a value (NA left out); null for the NA row
// returns: shareOfAll (float) - count / size (NA counted as its own value, as egor composition); null when size = 0
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param attribute => 'relationshipType';
MATCH (s:Study)<-[:IN_STUDY]-(p:Participant)
WHERE $study IS NULL OR s.studyId = $study
UNWIND [w IN s.waves WHERE ($wave IS NULL OR w = $wave)
        AND (w = s.waves[0] OR EXISTS { (p)-[r:HAS_MEMBER]->() WHERE r.wave = w }
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = w })] AS wave
// the members of each value counted within the network, then one row per value (one row, null, for nobody)
CALL (p, wave) {
  MATCH (p)-[h:HAS_MEMBER {wave: wave}]->(m:NetworkMember)
  WITH coalesce(h[$attribute], m[$attribute]) AS value, count(*) AS count
  WITH collect([value, count]) AS counts
  WITH counts, reduce(total = 0, c IN counts | total + c[1]) AS size,
       reduce(total = 0, c IN counts | total + CASE WHEN c[0] IS NULL THEN 0 ELSE c[1] END) AS known
  UNWIND CASE size WHEN 0 THEN [[null, 0]] ELSE counts END AS entry
  RETURN size, known, entry[0] AS value, entry[1] AS count
}
RETURN s.studyId AS studyId, p.participantId AS participantId, wave, size, value, count,
       CASE WHEN value IS NOT NULL THEN toFloat(count) / known END AS share,
       CASE WHEN size > 0 THEN toFloat(count) / size END AS shareOfAll
ORDER BY studyId, participantId, wave, value
