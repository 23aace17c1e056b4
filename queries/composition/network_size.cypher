// name: network_size
// question: How large are personal networks (mean, median, range of members named per participant) by study, wave and country or area type?
// concept: Network size (not a proxy)
// answers: 1, 22
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave, one row each
// param: groupBy (string, default 'country', choices country|areaType) - participant attribute to compare
// returns: studyId (string) - study
// returns: wave (integer) - wave
// returns: stratum (string) - country or area type (see groupBy)
// returns: participants (integer) - participants at that wave, those who named nobody included (size 0): every participant at the study's first wave, and at a later wave those with something recorded there (a member, support or participation), as ego_measures counts them
// returns: meanSize (float) - mean number of members named
// returns: medianSize (float) - median number of members named
// returns: minSize (integer) - smallest network
// returns: maxSize (integer) - largest network
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param groupBy => 'country';
MATCH (s:Study)<-[:IN_STUDY]-(p:Participant)
WHERE $study IS NULL OR s.studyId = $study
UNWIND [w IN s.waves WHERE ($wave IS NULL OR w = $wave)
        AND (w = s.waves[0] OR EXISTS { (p)-[r:HAS_MEMBER]->() WHERE r.wave = w }
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = w })] AS wave
WITH s.studyId AS studyId, wave, CASE $groupBy WHEN 'areaType' THEN p.areaType ELSE p.country END AS stratum,
     COUNT { (p)-[:HAS_MEMBER {wave: wave}]->(:NetworkMember) } AS size
RETURN studyId, wave, stratum, count(*) AS participants, avg(size) AS meanSize,
       percentileCont(size, 0.5) AS medianSize, min(size) AS minSize, max(size) AS maxSize
ORDER BY studyId, wave, stratum
