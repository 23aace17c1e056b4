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
MATCH (:NetworkMember)-[:PROVIDES {wave: $wave}]->(x:Participant)
WHERE $study IS NULL OR x.studyId = $study
WITH DISTINCT x.studyId AS studyWithFlows
MATCH (p:Participant {studyId: studyWithFlows})-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE (m.tieClass = 'professional'
       OR m.relationshipType IN ['partner', 'child', 'parent', 'sibling', 'grandchild', 'other_family'])
WITH p, m, CASE WHEN m.tieClass = 'professional' THEN 'professional' ELSE 'family' END AS grp
OPTIONAL MATCH (m)-[w:PROVIDES {wave: $wave}]->(p)
WITH grp, count(DISTINCT m) AS members, collect(w.workType) AS workTypes
UNWIND ['illness', 'everyday', 'emotional'] AS workType
WITH grp, members, workType, size([t IN workTypes WHERE t = workType]) AS flows, size(workTypes) AS total
RETURN grp, members, workType, flows, CASE WHEN total > 0 THEN toFloat(flows) / total END AS share
ORDER BY grp, workType
