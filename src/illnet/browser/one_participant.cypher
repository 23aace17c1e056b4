MATCH (p:Participant {studyId: $study, participantId: $participant})-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WITH p, collect({named: h, member: m}) AS network
WITH network, apoc.create.vNode(labels(p), properties(p)) AS ego,
     apoc.map.fromPairs([x IN network | [elementId(x.member), apoc.create.vNode(labels(x.member), properties(x.member))]]) AS copy
UNWIND network AS x
WITH ego, copy, x.named AS h, x.member AS m
OPTIONAL MATCH (m)-[k:KNOWS {wave: $wave}]->(other:NetworkMember)
WHERE copy[elementId(other)] IS NOT NULL
WITH ego, copy, h, m, collect(k) AS ties
RETURN ego, apoc.create.vRelationship(ego, 'HAS_MEMBER', properties(h), copy[elementId(m)]) AS named,
       copy[elementId(m)] AS member,
       [k IN ties | apoc.create.vRelationship(copy[elementId(startNode(k))], 'KNOWS', properties(k),
                                              copy[elementId(endNode(k))])] AS knows
