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
MATCH (p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(:NetworkMember)
WHERE ($study IS NULL OR p.studyId = $study) AND size(h.memberWorkTypes) > 0
WITH CASE $groupBy WHEN 'areaType' THEN p.areaType ELSE p.country END AS stratum, h.memberWorkTypes AS given
WITH stratum, sum(size(given)) AS total,
     sum(size([t IN given WHERE t = 'illness'])) AS illness, sum(size([t IN given WHERE t = 'everyday'])) AS everyday,
     sum(size([t IN given WHERE t = 'emotional'])) AS emotional
UNWIND [['illness', illness], ['everyday', everyday], ['emotional', emotional]] AS flow
WITH stratum, flow[0] AS workType, flow[1] AS flows, total
RETURN stratum, workType, flows, toFloat(flows) / total AS share
ORDER BY stratum, workType
