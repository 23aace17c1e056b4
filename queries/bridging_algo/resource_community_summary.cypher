// name: resource_community_summary
// question: Which clusters of personal communities do shared resources join, and through which resources?
// concept: Bridging across participants (not a proxy): Louvain communities written by `illnet algo run resource_communities --mode write`; run that job first
// answers: 23
// needs: resources, job:resource_communities
// param: study (string, default null) - study id; null = all studies
// param: wave (integer, default 0) - wave the resource_communities job was run for
// param: minParticipants (integer, default 2) - smallest community listed
// returns: resourceCommunity (integer) - Louvain community id (arbitrary)
// returns: participants (integer) - participants in the community
// returns: resources (integer) - resources in the community
// returns: resourceIds (list) - its resources, most participants reached first (participantsReached, written by the bridging_resources job; by resourceId when that job has not run)
// returns: countries (list) - countries of its participants, sorted
// example:
// :param study => null;
// :param wave => 0;
// :param minParticipants => 2;
MATCH (p:Participant)
WHERE ($study IS NULL OR p.studyId = $study) AND p.resourceWave = $wave AND p.resourceCommunity IS NOT NULL
WITH p.resourceCommunity AS resourceCommunity, count(p) AS participants, apoc.coll.sort(collect(DISTINCT p.country)) AS countries,
     head(collect(p.studyId)) AS studyId
WHERE participants >= $minParticipants
CALL (resourceCommunity, studyId) {
  OPTIONAL MATCH (r:Resource {studyId: studyId, resourceCommunity: resourceCommunity})
  WHERE r.resourceWave = $wave
  WITH r ORDER BY r.participantsReached DESC, r.resourceId
  RETURN count(r) AS resources, collect(r.resourceId) AS resourceIds
}
RETURN resourceCommunity, participants, resources, resourceIds,
       [c IN countries WHERE c IS NOT NULL] AS countries
ORDER BY participants DESC, resourceCommunity
