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
MATCH (:NetworkMember)-[:PROVIDES {wave: $wave}]->(x:Participant)
WHERE $study IS NULL OR x.studyId = $study
WITH DISTINCT x.studyId AS studyWithFlows
MATCH (p:Participant {studyId: studyWithFlows})
WHERE EXISTS { (p)-[:HAS_MEMBER {wave: $wave}]->() }
WITH p,
     COUNT { (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember {relationshipType: 'partner'})-[:PROVIDES {wave: $wave, workType: $workType}]->(p) } AS fromPartner,
     COUNT { (p)-[:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)-[:PROVIDES {wave: $wave, workType: $workType}]->(p)
             WHERE m.relationshipType <> 'partner' } AS fromOthers
WITH p.hasPartner AS hasPartner, count(*) AS participants, sum(fromPartner) AS fromPartner, sum(fromOthers) AS fromOthers
RETURN hasPartner, participants, fromPartner, fromOthers, toFloat(fromOthers) / participants AS othersPerParticipant,
       CASE WHEN fromPartner + fromOthers > 0 THEN toFloat(fromOthers) / (fromPartner + fromOthers) END AS shareFromOthers
ORDER BY hasPartner DESC
