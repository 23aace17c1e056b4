// name: unmet_work
// question: Which participants have no member covering a kind of work?
// concept: Negotiation: work nobody covers (not a proxy)
// answers: 10
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: participantId (string) - participant
// returns: workType (string) - the kind of work no member provides
// example:
// :param study => 'nwe';
// :param wave => 0;
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(p:Participant)
WHERE EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(:NetworkMember)
  RETURN reduce(given = [], types IN collect(h.memberWorkTypes) | given + [t IN types WHERE NOT t IN given]) AS given
}
UNWIND [t IN ['illness', 'everyday', 'emotional'] WHERE NOT t IN given] AS workType
RETURN p.participantId AS participantId, workType
ORDER BY participantId, workType
