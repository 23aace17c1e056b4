// name: professional_niche
// question: How does the work mix of GPs, nurses and other professionals compare with that of family members?
// concept: The professional niche (not a proxy)
// answers: 6
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: grp (string) - professional (tie class) or family (partner, child, parent, sibling, grandchild, other family)
// returns: members (integer) - members of the group named in the wave
// returns: workType (string) - illness, everyday or emotional (every work type listed, also with no flows)
// returns: flows (integer) - support flows of this work type from the group
// returns: share (float) - share of the group's flows (null if the group does no work)
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE (m.tieClass = 'professional'
       OR m.relationshipType IN ['partner', 'child', 'parent', 'sibling', 'grandchild', 'other_family'])
WITH CASE WHEN m.tieClass = 'professional' THEN 'professional' ELSE 'family' END AS grp, h.memberWorkTypes AS given
WITH grp, count(*) AS members, sum(size(given)) AS total,
     sum(size([t IN given WHERE t = 'illness'])) AS illness, sum(size([t IN given WHERE t = 'everyday'])) AS everyday,
     sum(size([t IN given WHERE t = 'emotional'])) AS emotional
UNWIND [['illness', illness], ['everyday', everyday], ['emotional', emotional]] AS flow
WITH grp, members, flow[0] AS workType, flow[1] AS flows, total
RETURN grp, members, workType, flows, CASE WHEN total > 0 THEN toFloat(flows) / total END AS share
ORDER BY grp, workType
