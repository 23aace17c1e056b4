// name: partner_substitution
// question: Do other members do more illness work for participants without a partner than for those with one?
// concept: Negotiation: substitution (not a proxy)
// answers: 8
// needs: support_flows
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: workType (string, default 'illness', choices illness|everyday|emotional) - the kind of work compared
// returns: hasPartner (boolean) - participant has a partner (null = not recorded)
// returns: participants (integer) - participants who named at least one member in the wave
// returns: fromPartner (integer) - flows of this work type from partners
// returns: fromOthers (integer) - flows of this work type from all other members
// returns: othersPerParticipant (float) - fromOthers / participants
// returns: shareFromOthers (float) - fromOthers / (fromPartner + fromOthers)
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param workType => 'illness';
MATCH (s:Study)
WHERE ($study IS NULL OR s.studyId = $study)
  AND EXISTS { (:NetworkMember)-[:PROVIDES {wave: $wave}]->(:Participant {studyId: s.studyId}) }
MATCH (s)<-[:IN_STUDY]-(p:Participant)
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)
  WITH m, size([t IN h.memberWorkTypes WHERE t = $workType]) AS flows
  RETURN count(*) AS members, sum(CASE WHEN m.relationshipType = 'partner' THEN flows ELSE 0 END) AS fromPartner,
         sum(CASE WHEN m.relationshipType <> 'partner' THEN flows ELSE 0 END) AS fromOthers
}
WITH p, fromPartner, fromOthers
WHERE members > 0
WITH p.hasPartner AS hasPartner, count(*) AS participants, sum(fromPartner) AS fromPartner, sum(fromOthers) AS fromOthers
RETURN hasPartner, participants, fromPartner, fromOthers, toFloat(fromOthers) / participants AS othersPerParticipant,
       CASE WHEN fromPartner + fromOthers > 0 THEN toFloat(fromOthers) / (fromPartner + fromOthers) END AS shareFromOthers
ORDER BY hasPartner DESC
