// name: work_share_by_tie_class
// question: Who does which work: what share of each kind of work comes from each tie class (or relationship type)?
// concept: Division of illness work (not a proxy); weak ties by the chosen tie-class definition
// answers: 4
// needs: support_flows, circles when tieDefinition = circle, contact_frequency when tieDefinition = contact
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: by (string, default 'tieClass', choices tieClass|relationshipType) - group members by tie class or by relationship type
// param: tieDefinition (string, default 'tieClass', choices tieClass|circle|contact) - with by = tieClass: the stored tieClass, circle (inner/middle = strong) or contact frequency (daily/weekly = strong); professionals and non-human members keep their class
// returns: grp (string) - tie class or relationship type
// returns: workType (string) - illness, everyday or emotional
// returns: flows (integer) - support flows (member to participant, one per task)
// returns: shareOfWorkType (float) - share of all flows of this work type
// returns: shareOfGroup (float) - share of this group's flows
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param by => 'tieClass';
// :param tieDefinition => 'tieClass';
MATCH (p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE ($study IS NULL OR p.studyId = $study) AND size(h.memberWorkTypes) > 0
WITH h.memberWorkTypes AS given, CASE
       WHEN $by = 'relationshipType' THEN m.relationshipType
       WHEN $tieDefinition = 'tieClass' OR m.tieClass IN ['professional', 'non_human'] THEN m.tieClass
       WHEN $tieDefinition = 'circle' AND h.circle IS NOT NULL
         THEN CASE WHEN h.circle IN ['inner', 'middle'] THEN 'strong' ELSE 'weak' END
       WHEN $tieDefinition = 'contact' AND h.contactFrequency IS NOT NULL
         THEN CASE WHEN h.contactFrequency IN ['daily', 'weekly'] THEN 'strong' ELSE 'weak' END
       ELSE 'unknown'
     END AS grp
UNWIND given AS workType
WITH grp, workType, count(*) AS flows
WITH collect({grp: grp, workType: workType, flows: flows}) AS rows
UNWIND rows AS row
WITH row,
     reduce(n = 0, r IN rows | n + CASE WHEN r.workType = row.workType THEN r.flows ELSE 0 END) AS ofWorkType,
     reduce(n = 0, r IN rows | n + CASE WHEN r.grp = row.grp THEN r.flows ELSE 0 END) AS ofGroup
RETURN row.grp AS grp, row.workType AS workType, row.flows AS flows,
       toFloat(row.flows) / ofWorkType AS shareOfWorkType, toFloat(row.flows) / ofGroup AS shareOfGroup
ORDER BY grp, workType
