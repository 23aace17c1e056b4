// name: ego_measures
// question: What is the structure of each participant's personal network (size, member ties, density, components, degree, and the participant's own constraint, effective size and efficiency), as egor and ideanet report it per ego?
// concept: Personal-network structure per ego (not a proxy), as egor (ego_density, ego_constraint) and ideanet (ego_netwrite) define it. Member ties are undirected: a pair joined by several ties (types, or both directions) counts once, except in weightedDensity. A participant appears at the study's first wave always (size 0 when naming nobody) and at a later wave only when something is recorded for them there (a member, support or participation), so a panel drop-out is no empty network. Structural columns are null when the study records no member ties (of tieType) at that wave, never 0. With tieType and minWeight null and weightAttribute 'weight' they add up the structure the load stored on each HAS_MEMBER (illnet/model/structure.py); otherwise they are computed here, to the same definitions
// answers: 24
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default null) - wave (0 = baseline); null = every wave, one row each
// param: tieType (string, default null) - member-member tie type (KNOWS.type, 'knows' when a study records one kind); null = all types
// param: minWeight (float, default null) - keep only member ties with weight >= minWeight (a missing weight counts 1); null = no filter
// param: weightAttribute (string, default 'weight') - numeric tie attribute summed by weightedDensity (a missing value counts 1)
// known: wave (wave)
// known: tieType (tie type)
// known: weightAttribute (numeric tie attribute)
// returns: studyId (string) - study
// returns: participantId (string) - participant
// returns: wave (integer) - wave
// returns: size (integer) - members named at the wave (n); 0 when none
// returns: tiesRecorded (boolean) - the study records member ties (of tieType) at this wave; false makes every structural column null
// returns: ties (integer) - t, pairs of members joined by at least one selected tie
// returns: density (float) - t / (n(n-1)/2) (egor ego_density); null when n < 2
// returns: weightedDensity (float) - sum of weightAttribute over the selected ties / (n(n-1)/2) (egor ego_density with weight); with tieType null a pair with two tie types adds both; null when n < 2
// returns: components (integer) - connected components among the members, an isolate counting as one (igraph count_components); 0 when n = 0
// returns: isolates (integer) - members with no selected tie to another member
// returns: meanDegree (float) - 2t / n, ties per member; null when n = 0
// returns: maxDegree (integer) - most ties of one member; null when n = 0
// returns: constraint (float) - the participant's Burt (1992) constraint in the network with the participant tied to every member, as egor ego_constraint (igraph constraint, unweighted): sum over members j of (1/n + sum over j's contacts q of (1/n) / (degree(q) + 1))^2; 1 for n = 1; null when n = 0
// returns: effectiveSize (float) - the participant's Burt (1992) effective size, n - 2t / n (Borgatti's form, networkx effective_size with the participant included); null when n = 0
// returns: efficiency (float) - effectiveSize / n (Burt 1992; networkx); null when n = 0
// returns: strongMembers (integer) - members of tie class strong (coalesce(h.tieClass, m.tieClass))
// returns: weakMembers (integer) - members of tie class weak
// returns: professionalMembers (integer) - members of tie class professional
// returns: nonHumanMembers (integer) - members of tie class non_human
// returns: unclassifiedMembers (integer) - members with no tie class recorded (the five counts add up to size)
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param tieType => null;
// :param minWeight => null;
// :param weightAttribute => 'weight';
MATCH (s:Study)
WHERE $study IS NULL OR s.studyId = $study
WITH s, [w IN s.waves WHERE $wave IS NULL OR w = $wave] AS waves
CALL (s, waves) {
  UNWIND waves AS wave
  RETURN apoc.map.fromPairs(collect([toString(wave), EXISTS {
    MATCH (s)<-[:IN_STUDY]-(:Participant)-[:HAS_MEMBER {wave: wave}]->(:NetworkMember)-[k:KNOWS]-(:NetworkMember)
    WHERE k.wave = wave AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
  }])) AS recorded
}
MATCH (s)<-[:IN_STUDY]-(p:Participant)
// the members of every wave asked, in one pass over the participant's HAS_MEMBER, with the sums of
// the structure the load stored on each of them (illnet/model/structure.py), where it is stored
CALL (p, waves) {
  MATCH (p)-[h:HAS_MEMBER]->(m:NetworkMember)
  WHERE h.wave IN waves
  WITH h.wave AS wave, collect(m) AS members, collect(coalesce(h.tieClass, m.tieClass)) AS classes,
       count(h.networkDegree) AS storedMembers,
       // t, weightSum, components (numbered 0, 1, ... within the network), isolates, maxDegree, constraint
       [sum(h.networkDegree) / 2, sum(h.networkStrength) / 2.0, coalesce(max(h.networkComponent), -1) + 1,
        count(CASE WHEN h.networkDegree = 0 THEN 1 END), coalesce(max(h.networkDegree), 0),
        sum(h.networkDyadicConstraint)] AS sums
  RETURN apoc.map.fromPairs(collect([toString(wave), [members, classes, storedMembers, sums]])) AS atWave
}
UNWIND waves AS wave
WITH s, p, wave, recorded[toString(wave)] AS tiesRecorded,
     coalesce(atWave[toString(wave)], [[], [], 0, [0, 0.0, 0, 0, 0, 0.0]]) AS network
WHERE wave = s.waves[0] OR size(network[0]) > 0
        OR EXISTS { (p)-[r:PROVIDES|PARTICIPATES_IN]-() WHERE r.wave = wave }
WITH s, p, wave, tiesRecorded, network[0] AS members, network[1] AS classes, network[2] AS storedMembers,
     network[3] AS sums
// every member tie, weightAttribute weight: the stored structure, summed above, when every member
// has it (at a wave without member ties there is nothing to compute: the structural columns are null)
WITH s, p, wave, tiesRecorded, members, classes, sums,
     $tieType IS NULL AND $minWeight IS NULL AND coalesce($weightAttribute = 'weight', false)
       AND (NOT tiesRecorded OR storedMembers = size(members)) AS stored
CALL (members, sums, wave, stored) {
  WITH sums WHERE stored
  RETURN sums[0] AS t, sums[1] AS weightSum, sums[2] AS components, sums[3] AS isolates, sums[4] AS maxDegree,
         sums[5] AS egoConstraint
  UNION ALL
  // a selection of the member ties, another weight, or a study loaded without the structure: computed
  // here, each tie once, from its start (index: the position of each member among those named at the wave)
  WITH members, wave WHERE NOT stored
  CALL (members, wave) {
    WITH members, apoc.map.fromPairs([i IN range(0, size(members) - 1) | [elementId(members[i]), i]]) AS index
    UNWIND range(0, size(members) - 1) AS i
    WITH index, i, members[i] AS a
    MATCH (a)-[k:KNOWS]->(b:NetworkMember)
    WHERE k.wave = wave AND ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
      AND ($minWeight IS NULL OR coalesce(k.weight, 1.0) >= $minWeight)
    WITH i, index[elementId(b)] AS j, k
    WHERE j <> i
    RETURN collect(DISTINCT CASE WHEN i < j THEN [i, j] ELSE [j, i] END) AS pairs,
           sum(coalesce(k[$weightAttribute], 1.0)) AS weightSum
  }
  WITH size(members) AS n, pairs, weightSum
  WITH n, pairs, weightSum, [i IN range(0, n - 1) | [pair IN pairs WHERE i IN pair | pair[0] + pair[1] - i]] AS contacts
  WITH n, pairs, weightSum, contacts, [c IN contacts | size(c)] AS degrees,
       reduce(label = range(0, n - 1), pair IN pairs |
              [x IN label | CASE WHEN x = label[pair[1]] THEN label[pair[0]] ELSE x END]) AS component
  RETURN size(pairs) AS t, weightSum,
         size([i IN range(0, n - 1) WHERE component[i] = i]) AS components,
         size([d IN degrees WHERE d = 0]) AS isolates,
         reduce(most = 0, d IN degrees | CASE WHEN d > most THEN d ELSE most END) AS maxDegree,
         reduce(total = 0.0, j IN range(0, n - 1) |
           total + (1.0 / n + reduce(indirect = 0.0, q IN contacts[j] | indirect + 1.0 / n / (degrees[q] + 1))) ^ 2) AS egoConstraint
}
WITH s, p, wave, tiesRecorded, classes, size(members) AS n, t, weightSum, components, isolates, maxDegree, egoConstraint,
     CASE WHEN size(members) > 1 THEN size(members) * (size(members) - 1) / 2.0 END AS pairsPossible
RETURN s.studyId AS studyId, p.participantId AS participantId, wave, n AS size, tiesRecorded,
       CASE WHEN tiesRecorded THEN t END AS ties,
       CASE WHEN tiesRecorded THEN t / pairsPossible END AS density,
       CASE WHEN tiesRecorded THEN weightSum / pairsPossible END AS weightedDensity,
       CASE WHEN tiesRecorded THEN components END AS components,
       CASE WHEN tiesRecorded THEN isolates END AS isolates,
       CASE WHEN tiesRecorded AND n > 0 THEN 2.0 * t / n END AS meanDegree,
       CASE WHEN tiesRecorded AND n > 0 THEN maxDegree END AS maxDegree,
       CASE WHEN tiesRecorded AND n > 0 THEN egoConstraint END AS constraint,
       CASE WHEN tiesRecorded AND n > 0 THEN n - 2.0 * t / n END AS effectiveSize,
       CASE WHEN tiesRecorded AND n > 0 THEN (n - 2.0 * t / n) / n END AS efficiency,
       size([c IN classes WHERE c = 'strong']) AS strongMembers,
       size([c IN classes WHERE c = 'weak']) AS weakMembers,
       size([c IN classes WHERE c = 'professional']) AS professionalMembers,
       size([c IN classes WHERE c = 'non_human']) AS nonHumanMembers,
       n - size(classes) AS unclassifiedMembers
ORDER BY studyId, participantId, wave
