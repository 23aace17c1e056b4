// name: tie_durability
// question: Which ties last from one wave to the next, by tie class and circle, and which are lost or gained?
// concept: Durability (not a proxy): a tie is retained when the member is named again at wave + 1 (HAS_MEMBER.nextWaveStatus, and status = new for a gained one, set at load); only participants seen at both waves count
// answers: 19
// needs: next_wave
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - the earlier wave; compared with wave + 1
// returns: tieClass (string) - stored tie class
// returns: circle (string) - circle at the earlier wave (for gained ties: at wave + 1)
// returns: atWave (integer) - ties named at the earlier wave
// returns: retained (integer) - of which named again at wave + 1
// returns: lost (integer) - of which not named again
// returns: gained (integer) - ties first named at wave + 1
// returns: retainedShare (float) - retained / atWave (null if atWave = 0)
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study)
  AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
  AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave + 1}]->() }
MATCH (p)-[h:HAS_MEMBER]->(m:NetworkMember)
WHERE h.wave = $wave OR (h.wave = $wave + 1 AND h.status = 'new')
WITH m.tieClass AS tieClass, h.circle AS circle, CASE WHEN h.wave = $wave THEN h.nextWaveStatus ELSE 'gained' END AS change
WITH tieClass, circle,
     count(CASE WHEN change = 'retained' THEN 1 END) AS retained,
     count(CASE WHEN change = 'lost' THEN 1 END) AS lost,
     count(CASE WHEN change = 'gained' THEN 1 END) AS gained
RETURN tieClass, circle, retained + lost AS atWave, retained, lost, gained,
       CASE WHEN retained + lost > 0 THEN toFloat(retained) / (retained + lost) END AS retainedShare
ORDER BY tieClass, circle
