// name: composition_by_tie_class
// question: What share of network members are strong, weak, professional and non-human ties?
// concept: Network composition (not a proxy); weak ties by the chosen tie-class definition
// answers: 2
// needs: circles when tieDefinition = circle, contact_frequency when tieDefinition = contact
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: tieDefinition (string, default 'tieClass', choices tieClass|circle|contact) - how people are split into strong and weak ties: the stored tieClass (by relationship type), the circle (inner/middle = strong, outer/unplaced = weak) or contact frequency (daily/weekly = strong, less often = weak); professionals and non-human members keep their class
// returns: tieClass (string) - tie class under the chosen definition ('unknown' if circle or contact frequency is missing)
// returns: members (integer) - members named in the wave
// returns: share (float) - share of all members named in the wave
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param tieDefinition => 'tieClass';
MATCH (p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE $study IS NULL OR p.studyId = $study
WITH CASE
       WHEN $tieDefinition = 'tieClass' OR m.tieClass IN ['professional', 'non_human'] THEN m.tieClass
       WHEN $tieDefinition = 'circle' AND h.circle IS NOT NULL
         THEN CASE WHEN h.circle IN ['inner', 'middle'] THEN 'strong' ELSE 'weak' END
       WHEN $tieDefinition = 'contact' AND h.contactFrequency IS NOT NULL
         THEN CASE WHEN h.contactFrequency IN ['daily', 'weekly'] THEN 'strong' ELSE 'weak' END
       ELSE 'unknown'
     END AS tieClass
WITH tieClass, count(*) AS members
WITH collect({tieClass: tieClass, members: members}) AS rows, sum(members) AS total
UNWIND rows AS row
RETURN row.tieClass AS tieClass, row.members AS members, toFloat(row.members) / total AS share
ORDER BY members DESC, tieClass
