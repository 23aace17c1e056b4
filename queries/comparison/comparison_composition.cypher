// name: comparison_composition
// question: How does network composition by tie class differ between countries or area types?
// concept: Network composition (not a proxy), compared across strata
// answers: 22
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: groupBy (string, default 'country', choices country|areaType) - participant attribute to compare
// returns: stratum (string) - country or area type
// returns: tieClass (string) - stored tie class
// returns: members (integer) - members named in the wave
// returns: share (float) - share of the stratum's members
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param groupBy => 'country';
MATCH (p:Participant)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE $study IS NULL OR p.studyId = $study
WITH CASE $groupBy WHEN 'areaType' THEN p.areaType ELSE p.country END AS stratum, m.tieClass AS tieClass,
     count(*) AS members
WITH stratum, collect({tieClass: tieClass, members: members}) AS rows, sum(members) AS inStratum
UNWIND rows AS row
RETURN stratum, row.tieClass AS tieClass, row.members AS members, toFloat(row.members) / inStratum AS share
ORDER BY stratum, tieClass
