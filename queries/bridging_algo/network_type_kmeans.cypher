// name: network_type_kmeans
// question: How many participants have each k-means network type (restricted, minimal family, family, weak ties, diverse), overall or by country?
// concept: Network types (PROXY: k-means clusters written by `illnet algo run network_types --mode write`, named by a rule from their centroids; run that job first)
// answers: 21, 22
// needs: job:network_types
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave the network_types job was run for
// param: groupBy (string, default 'all', choices all|country|areaType) - compare across countries or area types
// returns: stratum (string) - 'all', a country or an area type
// returns: networkType (string) - restricted, minimal_family, family, weak_ties or diverse
// returns: participants (integer) - participants with that type
// returns: share (float) - share of the stratum's typed participants
// example:
// :param study => null;
// :param wave => 0;
// :param groupBy => 'all';
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study) AND p.networkTypeWave = $wave AND p.networkType IS NOT NULL
WITH CASE $groupBy WHEN 'country' THEN p.country WHEN 'areaType' THEN p.areaType ELSE 'all' END AS stratum,
     p.networkType AS networkType
WITH stratum, networkType, count(*) AS participants
WITH stratum, collect({networkType: networkType, participants: participants}) AS rows, sum(participants) AS inStratum
UNWIND rows AS row
RETURN stratum, row.networkType AS networkType, row.participants AS participants,
       toFloat(row.participants) / inStratum AS share
ORDER BY stratum, participants DESC, networkType
