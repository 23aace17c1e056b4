// name: structural_bridges
// question: Which members hold a personal network together (member-member ties, the participant left out)?
// concept: Bridging, structural (not a proxy): degree, Burt's effective size and constraint, brokered pairs, betweenness and articulation points in each participant's network without the participant, over the member ties of tieType and at least minWeight (all when null); a pair joined by several ties counts once, as in ego_measures. With tieType and minWeight null the measures are those the load stored on HAS_MEMBER (computed with python-igraph, illnet/model/structure.py); with a selection they are computed here, to the same definitions
// answers: 16
// needs: member_ties
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: tieType (string, default null) - member-member tie type (KNOWS.type, 'knows' when a study records one kind); null = all types
// param: minWeight (float, default null) - keep only member ties with weight >= minWeight (a missing weight counts 1); null = no filter
// known: tieType (tie type)
// returns: participantId (string) - participant
// returns: memberId (string) - member with at least one tie to another member
// returns: relationshipType (string) - its relationship to the participant
// returns: degree (integer) - members it knows
// returns: effectiveSize (float) - Burt's effective size: degree - 2 * (ties among its contacts) / degree
// returns: constraint (float) - Burt's constraint (unweighted ties)
// returns: brokeredPairs (integer) - pairs of its contacts who do not know each other
// returns: betweenness (float) - over the pairs of other members (each once), the share of their shortest paths that pass through it, added up (unnormalised)
// returns: articulationPoint (boolean) - without it, two of its contacts would no longer be connected
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param tieType => null;
// :param minWeight => null;
MATCH (p:Participant)
WHERE $study IS NULL OR p.studyId = $study
// every member tie (tieType and minWeight null): the measures the load stored on HAS_MEMBER
// (illnet/model/structure.py; the same definitions as below), where they are stored
WITH p, $tieType IS NULL AND $minWeight IS NULL
        AND EXISTS { (p)-[h:HAS_MEMBER {wave: $wave}]->() WHERE h.networkDegree IS NOT NULL } AS stored
CALL (p, stored) {
  WITH p WHERE stored
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  WHERE h.networkDegree > 0
  RETURN m, h.networkDegree AS degree, h.networkEffectiveSize AS effectiveSize, h.networkConstraint AS constraint,
         h.networkBrokeredPairs AS brokeredPairs, h.networkBetweenness AS betweenness, h.networkArticulationPoint AS articulationPoint
  UNION ALL
  // a selection of the member ties, or a study loaded without them: computed here
  WITH p WHERE NOT stored
  CALL (p) {
    MATCH (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
    WHERE EXISTS { MATCH (m)-[k:KNOWS {wave: $wave}]-(:NetworkMember)
                   WHERE ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
                     AND ($minWeight IS NULL OR coalesce(k.weight, 1.0) >= $minWeight) }
    RETURN collect(m) AS members
  }
  WITH p, members, size(members) AS n
  WHERE n > 0
  // each tie once, from its start (index: the position of each member in members), as both ordered pairs
  CALL (members, n) {
    WITH members, n, apoc.map.fromPairs([i IN range(0, n - 1) | [elementId(members[i]), i]]) AS index
    UNWIND range(0, n - 1) AS i
    WITH index, i, members[i] AS a
    MATCH (a)-[k:KNOWS {wave: $wave}]->(b:NetworkMember)
    WHERE ($tieType IS NULL OR coalesce(k.type, 'knows') = $tieType)
      AND ($minWeight IS NULL OR coalesce(k.weight, 1.0) >= $minWeight)
    WITH i, index[elementId(b)] AS j
    WHERE j <> i
    UNWIND [[i, j], [j, i]] AS pair
    RETURN collect(DISTINCT pair) AS pairs
  }
  // contacts[i]: the indexes of the members member i knows (a pair joined by several ties counts once)
  WITH p, members, n, pairs, [i IN range(0, n - 1) | [pair IN pairs WHERE pair[0] = i | pair[1]]] AS contacts
  WITH p, members, n, pairs, contacts, [c IN contacts | size(c)] AS degrees
  // betweenness (Brandes): a breadth-first search from every member (distances, numbers of shortest
  // paths), then the dependencies added up from the farthest members back; each pair counted from both ends
  CALL (n, contacts) {
    UNWIND range(0, n - 1) AS source
    WITH n, contacts, source,
         reduce(search = {dist: [x IN range(0, n - 1) | CASE WHEN x = source THEN 0 ELSE -1 END],
                          paths: [x IN range(0, n - 1) | CASE WHEN x = source THEN 1 ELSE 0 END], more: true},
                level IN range(1, n - 1) |
                CASE WHEN NOT search.more THEN search ELSE
                  [dist IN [[x IN range(0, n - 1) | CASE WHEN search.dist[x] = -1
                            AND any(v IN contacts[x] WHERE search.dist[v] = level - 1) THEN level ELSE search.dist[x] END]] |
                   {dist: dist, more: level IN dist,
                    paths: [x IN range(0, n - 1) | CASE WHEN dist[x] = level
                            THEN reduce(total = 0, v IN contacts[x] | total + CASE WHEN dist[v] = level - 1 THEN search.paths[v] ELSE 0 END)
                            ELSE search.paths[x] END]}][0]
                END) AS search
    WITH n, contacts, source, search.dist AS dist, search.paths AS paths
    WITH n, source, reduce(delta = [x IN range(0, n - 1) | 0.0], level IN range(reduce(most = 0, d IN dist | CASE WHEN d > most THEN d ELSE most END), 1, -1) |
           [v IN range(0, n - 1) | CASE WHEN dist[v] = level - 1
             THEN reduce(total = 0.0, w IN contacts[v] | total + CASE WHEN dist[w] = level
                         THEN toFloat(paths[v]) / paths[w] * (1 + delta[w]) ELSE 0.0 END)
             ELSE delta[v] END]) AS delta
    WITH n, [v IN range(0, n - 1) | CASE WHEN v = source THEN 0.0 ELSE delta[v] END] AS delta
    WITH n, collect(delta) AS deltas
    RETURN [v IN range(0, n - 1) | reduce(total = 0.0, delta IN deltas | total + delta[v]) / 2] AS betweenness
  }
  UNWIND range(0, n - 1) AS v
  WITH p, members[v] AS m, v, pairs, contacts, degrees, degrees[v] AS degree, contacts[v] AS around, betweenness[v] AS betweenness
  WHERE degree > 0
  WITH p, m, degree, betweenness, around,
       reduce(ties = 0, j IN around | ties + size([q IN around WHERE q IN contacts[j]])) / 2 AS contactTies,
       reduce(total = 0.0, j IN around | total + (1.0 / degree + reduce(indirect = 0.0, q IN around |
         indirect + CASE WHEN q IN contacts[j] THEN 1.0 / degree / degrees[q] ELSE 0.0 END)) ^ 2) AS constraint,
       // the components without m (merging the classes of the two ends of every pair m is not in)
       reduce(label = range(0, size(contacts) - 1), pair IN [pair IN pairs WHERE pair[0] < pair[1] AND NOT v IN pair] |
              [x IN label | CASE WHEN x = label[pair[1]] THEN label[pair[0]] ELSE x END]) AS component
  RETURN m, degree, degree - 2.0 * contactTies / degree AS effectiveSize, constraint,
         degree * (degree - 1) / 2 - contactTies AS brokeredPairs, betweenness,
         any(c IN around WHERE component[c] <> component[around[0]]) AS articulationPoint
}
RETURN p.participantId AS participantId, m.memberId AS memberId, m.relationshipType AS relationshipType,
       degree, effectiveSize, constraint, brokeredPairs, betweenness, articulationPoint
ORDER BY participantId, memberId
