// name: network_type_profiles
// question: How many participants have restricted, minimal-family, family, weak-tie and diverse networks, overall or by country or area type?
// concept: Network types (PROXY: transparent rules instead of the published k-means clusters: restricted = at most restrictedMaxSize members; else weak_ties = weak-tie share >= weakTieMinShare; else family-based = family share >= familyMinShare, split into minimal_family (at most minimalFamilyMaxSize members) and family; else diverse)
// answers: 21, 22
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: groupBy (string, default 'all', choices all|country|areaType) - compare profiles across countries or area types
// param: restrictedMaxSize (integer, default 2) - largest network still called restricted
// param: weakTieMinShare (float, default 0.4) - smallest weak-tie share of a weak-tie network
// param: familyMinShare (float, default 0.6) - smallest family share of a family-based network
// param: minimalFamilyMaxSize (integer, default 4) - largest family-based network called minimal_family
// returns: stratum (string) - 'all', a country or an area type
// returns: networkType (string) - restricted, weak_ties, minimal_family, family or diverse
// returns: participants (integer) - participants with that network type
// returns: share (float) - share of the stratum's participants
// returns: meanSize (float) - mean network size of those participants
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param groupBy => 'all';
// :param restrictedMaxSize => 2;
// :param weakTieMinShare => 0.4;
// :param familyMinShare => 0.6;
// :param minimalFamilyMaxSize => 4;
MATCH (p:Participant)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE $study IS NULL OR p.studyId = $study
WITH p, count(m) AS size,
     count(CASE WHEN m.relationshipType IN ['partner', 'child', 'parent', 'sibling', 'grandchild', 'other_family'] THEN 1 END) AS family,
     count(CASE WHEN m.tieClass = 'weak' THEN 1 END) AS weak
WITH p, size,
     CASE
       WHEN size <= $restrictedMaxSize THEN 'restricted'
       WHEN toFloat(weak) / size >= $weakTieMinShare THEN 'weak_ties'
       WHEN toFloat(family) / size >= $familyMinShare
         THEN CASE WHEN size <= $minimalFamilyMaxSize THEN 'minimal_family' ELSE 'family' END
       ELSE 'diverse'
     END AS networkType
WITH CASE $groupBy WHEN 'country' THEN p.country WHEN 'areaType' THEN p.areaType ELSE 'all' END AS stratum,
     networkType, size
WITH stratum, networkType, count(*) AS participants, avg(size) AS meanSize
WITH stratum, collect({networkType: networkType, participants: participants, meanSize: meanSize}) AS rows,
     sum(participants) AS inStratum
UNWIND rows AS row
RETURN stratum, row.networkType AS networkType, row.participants AS participants,
       toFloat(row.participants) / inStratum AS share, row.meanSize AS meanSize
ORDER BY stratum, participants DESC, networkType
