// name: shared_resources
// question: Which groups and services are shared by several personal communities, and which participants do they join?
// concept: Bridging across participants (not a proxy): a resource reaches a participant who takes part in it or has a member linking to it
// answers: 23
// needs: resources
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave (0 = baseline)
// param: minParticipants (integer, default 2) - fewest participants a resource must reach to be listed
// returns: resourceId (string) - resource
// returns: resourceType (string) - kind of resource
// returns: name (string) - its name
// returns: participants (integer) - distinct participants it reaches
// returns: participantsDirect (integer) - participants taking part in it
// returns: participantsViaMembers (integer) - participants with a member linking to it
// returns: participantIds (list) - the participants it joins, sorted
// returns: countries (list) - their countries, sorted
// example:
// :param study => 'nwe';
// :param wave => 0;
// :param minParticipants => 2;
MATCH (r:Resource)
WHERE $study IS NULL OR r.studyId = $study
CALL (r) {
  OPTIONAL MATCH (p:Participant)-[:PARTICIPATES_IN {wave: $wave}]->(r)
  RETURN collect(DISTINCT p) AS direct
}
CALL (r) {
  OPTIONAL MATCH (p:Participant)-[:HAS_MEMBER {wave: $wave}]->(:NetworkMember)-[:LINKS_TO {wave: $wave}]->(r)
  RETURN collect(DISTINCT p) AS viaMembers
}
WITH r, direct, viaMembers, direct + [p IN viaMembers WHERE NOT p IN direct] AS reached
WHERE size(reached) >= $minParticipants
CALL (reached) {
  UNWIND reached AS p
  WITH p ORDER BY p.participantId
  RETURN collect(p.participantId) AS participantIds
}
CALL (reached) {
  UNWIND reached AS p
  WITH DISTINCT p.country AS country ORDER BY country
  RETURN collect(country) AS countries
}
RETURN r.resourceId AS resourceId, r.resourceType AS resourceType, r.name AS name, size(reached) AS participants,
       size(direct) AS participantsDirect, size(viaMembers) AS participantsViaMembers, participantIds, countries
ORDER BY participants DESC, resourceId
