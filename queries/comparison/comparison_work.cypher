// name: comparison_work
// question: How does the mix of illness, everyday and emotional work received differ between countries or area types?
// concept: Division of illness work (not a proxy), compared across strata
// answers: 22
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: groupBy (string, default 'country', choices country|areaType) - participant attribute to compare
// returns: stratum (string) - country or area type
// returns: workType (string) - illness, everyday or emotional (every work type listed, also with no flows)
// returns: flows (integer) - support flows from members to participants of the stratum
// returns: share (float) - share of the stratum's flows
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param groupBy => 'country';
MATCH (p:Participant)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)-[w:PROVIDES {wave: $wave}]->(p)
WHERE $study IS NULL OR p.studyId = $study
WITH CASE $groupBy WHEN 'areaType' THEN p.areaType ELSE p.country END AS stratum, collect(w.workType) AS workTypes
UNWIND ['illness', 'everyday', 'emotional'] AS workType
WITH stratum, workType, size([t IN workTypes WHERE t = workType]) AS flows, size(workTypes) AS total
RETURN stratum, workType, flows, toFloat(flows) / total AS share
ORDER BY stratum, workType
