// name: work_reallocation
// question: Which tasks changed hands between one wave and the next (taken up, dropped or reallocated)?
// concept: Negotiation: work reallocated between waves (not a proxy); only participants seen at both waves count
// answers: 20
// needs: next_wave, support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - the earlier wave; compared with wave + 1
// returns: participantId (string) - participant
// returns: task (string) - task
// returns: workType (string) - kind of work of the task
// returns: giversBefore (list) - memberIds doing the task at the earlier wave, sorted
// returns: giversAfter (list) - memberIds doing the task at wave + 1, sorted
// returns: change (string) - taken_up (nobody before), dropped (nobody after) or reallocated (other givers)
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study)
  AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
  AND EXISTS { (p)-[:HAS_MEMBER {wave: $wave + 1}]->() }
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER]->(m:NetworkMember)
  WHERE h.wave IN [$wave, $wave + 1]
  UNWIND range(0, size(h.memberTasks) - 1) AS i
  WITH h.wave AS wave, m.memberId AS memberId, h.memberTasks[i] AS task, h.memberWorkTypes[i] AS workType
  ORDER BY memberId
  WITH task, workType,
       collect(CASE WHEN wave = $wave THEN memberId END) AS giversBefore,
       collect(CASE WHEN wave = $wave + 1 THEN memberId END) AS giversAfter
  WHERE giversBefore <> giversAfter
  RETURN task, workType, giversBefore, giversAfter
}
RETURN p.participantId AS participantId, task, workType, giversBefore, giversAfter,
       CASE WHEN size(giversBefore) = 0 THEN 'taken_up'
            WHEN size(giversAfter) = 0 THEN 'dropped'
            ELSE 'reallocated' END AS change
ORDER BY participantId, task
