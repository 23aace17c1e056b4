// name: circle_profile
// question: Who sits in the inner, middle and outer circle, and who is left unplaced?
// concept: Circle profile (not a proxy)
// answers: 3
// needs: circles
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: circle (string) - inner, middle, outer or unplaced
// returns: tieClass (string) - stored tie class
// returns: members (integer) - members of that tie class placed in that circle
// returns: shareOfCircle (float) - share of the circle's members
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
WHERE ($study IS NULL OR p.studyId = $study) AND h.circle IS NOT NULL
WITH h.circle AS circle, m.tieClass AS tieClass, count(*) AS members
WITH circle, collect({tieClass: tieClass, members: members}) AS rows, sum(members) AS inCircle
UNWIND rows AS row
RETURN circle, row.tieClass AS tieClass, row.members AS members,
       toFloat(row.members) / inCircle AS shareOfCircle
ORDER BY circle, members DESC, tieClass
