// name: work_per_member_by_tie_class
// question: How much work does a member of each tie class do (do weak ties do similar but less work)?
// concept: Work per member (not a proxy); weak ties by the chosen tie-class definition
// answers: 5
// needs: support_flows, circles when tieDefinition = circle, contact_frequency when tieDefinition = contact
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: tieDefinition (string, default 'tieClass', choices tieClass|circle|contact) - the stored tieClass, circle (inner/middle = strong) or contact frequency (daily/weekly = strong); professionals and non-human members keep their class
// returns: tieClass (string) - tie class under the chosen definition
// returns: members (integer) - members named in the wave
// returns: membersWorking (integer) - members doing at least one task
// returns: flows (integer) - support flows from these members to their participant
// returns: flowsPerMember (float) - flows / members
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param tieDefinition => 'tieClass';
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WITH CASE
       WHEN $tieDefinition = 'tieClass' OR m.tieClass IN ['professional', 'non_human'] THEN m.tieClass
       WHEN $tieDefinition = 'circle' AND h.circle IS NOT NULL
         THEN CASE WHEN h.circle IN ['inner', 'middle'] THEN 'strong' ELSE 'weak' END
       WHEN $tieDefinition = 'contact' AND h.contactFrequency IS NOT NULL
         THEN CASE WHEN h.contactFrequency IN ['daily', 'weekly'] THEN 'strong' ELSE 'weak' END
       ELSE 'unknown'
     END AS tieClass,
     size(h.memberTasks) AS flows
RETURN tieClass, count(*) AS members, count(CASE WHEN flows > 0 THEN 1 END) AS membersWorking,
       sum(flows) AS flows, toFloat(sum(flows)) / count(*) AS flowsPerMember
ORDER BY tieClass
