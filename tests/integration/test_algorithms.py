"""Every algorithm job on a generated study, checked against networkx on the same data pulled
independently out of Neo4j (plain Cypher here, never the job's projection), and a check that
no projection outlives a job, also one that fails."""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from illnet.db import erase_all
from illnet.errors import QueryError
from illnet.query import measures as algo_measures, algorithms
from illnet.cli.algo import algo
from illnet.query.algorithms import run_job
from illnet.synth.graph import build

pytestmark = pytest.mark.neo4j

STUDY, OTHER = "algo", "other"
TOLERANCE = 1e-6
LOUVAIN_MODULARITY_TOLERANCE = 0.02  # GDS Louvain may land on another local optimum than networkx's


@pytest.fixture(scope="module")
def study(driver, settings):
    """Two generated studies: the one under test (40 participants) and a small distractor."""
    erase_all(driver, settings.database)
    build(driver, 40, seed=7, database=settings.database, study_id=STUDY)
    build(driver, 5, seed=8, database=settings.database, study_id=OTHER, resources=3)
    return STUDY


@pytest.fixture(autouse=True)
def no_projection_left(driver, settings):
    """After every test, whatever it did, GDS holds no graph."""
    yield
    names = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN graphName",
                                 database_=settings.database).records
    assert names == []


def job(name, settings, driver, **params):
    return run_job(name, settings, driver=driver, **params)


def cypher(driver, settings, statement, **params) -> pd.DataFrame:
    records, _, keys = driver.execute_query(statement, params, database_=settings.database)
    return pd.DataFrame([r.values() for r in records], columns=keys)


def member_networks(driver, settings, wave) -> dict[str, nx.Graph]:
    """participantId -> networkx graph of its members at the wave and their KNOWS ties at the wave."""
    members = cypher(driver, settings, "MATCH (p:Participant {studyId: $study})-[:HAS_MEMBER {wave: $wave}]->(m) "
                     "RETURN p.participantId AS pid, m.key AS key", study=STUDY, wave=wave)
    ties = cypher(driver, settings, "MATCH (a:NetworkMember {studyId: $study})-[:KNOWS {wave: $wave}]->(b) "
                  "RETURN a.participantId AS pid, a.key AS a, b.key AS b", study=STUDY, wave=wave)
    graphs = {pid: nx.Graph() for pid in members["pid"].unique()}
    for pid, key in members.itertuples(index=False):
        graphs[pid].add_node(key)
    for pid, a, b in ties.itertuples(index=False):
        graphs[pid].add_edge(a, b)
    return graphs


def resource_graph(driver, settings, wave) -> nx.Graph:
    """The participant-resource graph: participants, and a tie to every resource reached directly or via a member."""
    participants = cypher(driver, settings, "MATCH (p:Participant {studyId: $study}) RETURN p.key AS key", study=STUDY)
    reached = cypher(driver, settings, """
        MATCH (p:Participant {studyId: $study})-[:PARTICIPATES_IN {wave: $wave}]->(r:Resource) RETURN p.key AS p, r.key AS r
        UNION
        MATCH (p:Participant {studyId: $study})-[:HAS_MEMBER {wave: $wave}]->()-[:LINKS_TO {wave: $wave}]->(r:Resource)
        RETURN p.key AS p, r.key AS r""", study=STUDY, wave=wave)
    graph = nx.Graph()
    graph.add_nodes_from(participants["key"])
    graph.add_edges_from(reached.itertuples(index=False))
    return graph


def assert_close(actual, expected):
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert actual is None or math.isnan(actual)
    else:
        assert actual == pytest.approx(expected, abs=TOLERANCE)


@pytest.mark.parametrize("wave", [0, 1])
def test_bridging_members_equal_networkx(study, driver, settings, wave):
    result = job("bridging_members", settings, driver, study=study, wave=wave).set_index("key")
    graphs = member_networks(driver, settings, wave)
    assert set(result.index) == {node for graph in graphs.values() for node in graph}
    for graph in graphs.values():
        betweenness = nx.betweenness_centrality(graph, normalized=True)
        articulation = set(nx.articulation_points(graph))
        constraint, effective = nx.constraint(graph), nx.effective_size(graph)
        for node in graph:
            row = result.loc[node]
            assert row["networkSize"] == graph.number_of_nodes()
            assert_close(row["normalisedBetweenness"], betweenness[node])
            assert bool(row["isArticulationPoint"]) == (node in articulation)
            assert_close(row["constraint"], constraint[node])
            assert_close(row["effectiveSize"], effective[node])


def test_bridging_members_write_mode_writes_the_documented_properties(study, driver, settings):
    frame = run_job("bridging_members", settings, mode="write", driver=driver, study=study, wave=0)
    assert frame.attrs["written"] == len(frame)
    stored = cypher(driver, settings, "MATCH (m:NetworkMember {studyId: $study}) WHERE m.bridgingWave = 0 "
                    "RETURN m.key AS key, m.bridgingBetweenness AS b, m.isArticulationPoint AS ap, "
                    "m.constraint AS c, m.effectiveSize AS e", study=study).set_index("key")
    graphs = member_networks(driver, settings, 0)
    assert len(stored) == sum(graph.number_of_nodes() for graph in graphs.values())
    for graph in graphs.values():
        betweenness, constraint = nx.betweenness_centrality(graph), nx.constraint(graph)
        articulation = set(nx.articulation_points(graph))
        for node in graph:
            assert_close(stored.loc[node, "b"], betweenness[node])
            assert_close(stored.loc[node, "c"], constraint[node])
            assert stored.loc[node, "ap"] == (node in articulation)


def test_member_bridges_equal_networkx(study, driver, settings):
    result = job("member_bridges", settings, driver, study=study, wave=0)
    expected = {frozenset(edge) for graph in member_networks(driver, settings, 0).values() for edge in nx.bridges(graph)}
    assert {frozenset(pair) for pair in zip(result["fromKey"], result["toKey"])} == expected
    assert len(result) == len(expected) > 0


def test_member_bridges_write_marks_exactly_the_bridges(study, driver, settings):
    run_job("member_bridges", settings, mode="write", driver=driver, study=study, wave=1)
    marked = cypher(driver, settings, "MATCH (a:NetworkMember {studyId: $study})-[k:KNOWS {wave: 1}]->(b) "
                    "WHERE k.isBridge RETURN a.key AS a, b.key AS b", study=study)
    expected = {frozenset(edge) for graph in member_networks(driver, settings, 1).values() for edge in nx.bridges(graph)}
    assert {frozenset(pair) for pair in marked.itertuples(index=False)} == expected


def test_resource_components_equal_networkx(study, driver, settings):
    result = job("resource_communities", settings, driver, study=study, wave=0)
    graph = resource_graph(driver, settings, 0)
    assert set(result["key"]) == set(graph.nodes())
    ours = {frozenset(group) for _, group in result.groupby("resourceComponent")["key"]}
    assert ours == {frozenset(component) for component in nx.connected_components(graph)}


def test_louvain_modularity_is_close_to_networkx(study, driver, settings):
    result = job("resource_communities", settings, driver, study=study, wave=0)
    graph = resource_graph(driver, settings, 0)
    ours = [set(group) for _, group in result.groupby("resourceCommunity")["key"]]
    theirs = nx.community.louvain_communities(graph, seed=1)
    ours_q, theirs_q = nx.community.modularity(graph, ours), nx.community.modularity(graph, theirs)
    assert ours_q >= theirs_q - LOUVAIN_MODULARITY_TOLERANCE
    assert ours_q > 0.3


def test_bridging_resources_equal_networkx(study, driver, settings):
    result = job("bridging_resources", settings, driver, study=study, wave=0).set_index("key")
    graph = resource_graph(driver, settings, 0)
    resources = set(cypher(driver, settings, "MATCH (r:Resource {studyId: $study}) RETURN r.key AS key",
                           study=study)["key"])
    assert set(result.index) == resources
    betweenness = nx.betweenness_centrality(graph, normalized=False)
    for key in resources:
        assert result.loc[key, "participantsReached"] == graph.degree(key)
        assert_close(result.loc[key, "betweenness"], betweenness[key])
    assert list(result["participantsReached"]) == sorted(result["participantsReached"], reverse=True)


def support_profiles(driver, settings, wave) -> nx.Graph:
    """Bipartite participant -> 'workType|tieClass' features present in its support flows."""
    flows = cypher(driver, settings, "MATCH (p:Participant {studyId: $study})<-[f:PROVIDES {wave: $wave}]-(m) "
                   "RETURN DISTINCT p.participantId AS pid, f.workType + '|' + m.tieClass AS feature",
                   study=STUDY, wave=wave)
    graph = nx.Graph()
    graph.add_edges_from(("P:" + pid, "F:" + feature) for pid, feature in flows.itertuples(index=False))
    return graph


def test_node_similarity_equals_networkx_jaccard(study, driver, settings):
    graph = support_profiles(driver, settings, 0)
    participants = [node for node in graph if node.startswith("P:")]
    result = job("similar_networks", settings, driver, study=study, wave=0, topK=len(participants))
    ours = {(a, b): s for a, b, s in result.itertuples(index=False)}
    pairs = [(a, b) for a in participants for b in participants if a != b]
    expected = {(a[2:], b[2:]): s for a, b, s in nx.jaccard_coefficient(graph, pairs) if s > 0}
    assert set(ours) == set(expected)
    for pair, similarity in expected.items():
        assert ours[pair] == pytest.approx(similarity, abs=TOLERANCE)


def test_node_similarity_for_one_participant_lists_its_top_k(study, driver, settings):
    graph = support_profiles(driver, settings, 0)
    result = job("similar_networks", settings, driver, study=study, wave=0, participant="p00003", topK=3)
    assert set(result["participantId"]) == {"p00003"} and len(result) == 3
    others = [node for node in graph if node.startswith("P:") and node != "P:p00003"]
    best = sorted((s for _, _, s in nx.jaccard_coefficient(graph, [("P:p00003", o) for o in others])), reverse=True)
    assert list(result["similarity"]) == pytest.approx(best[:3], abs=TOLERANCE)


def composition(driver, settings, wave) -> pd.DataFrame:
    """The k-means features worked out in pandas from the raw members."""
    members = cypher(driver, settings, "MATCH (p:Participant {studyId: $study})-[:HAS_MEMBER {wave: $wave}]->(m) "
                     "RETURN p.participantId AS pid, m.relationshipType AS rel, m.tieClass AS tie",
                     study=STUDY, wave=wave)
    family = {"child", "parent", "sibling", "grandchild", "other_family"}
    flags = pd.DataFrame({"pid": members["pid"], "partnerShare": members["rel"] == "partner",
                          "familyShare": members["rel"].isin(family), "friendShare": members["rel"] == "friend",
                          "weakShare": members["tie"] == "weak", "professionalShare": members["tie"] == "professional"})
    shares = flags.groupby("pid").mean()
    size = flags.groupby("pid").size()
    return shares.assign(sizeScaled=size / size.max())


def test_network_types_kmeans_properties(study, driver, settings):
    result = job("network_types", settings, driver, study=study, wave=0).set_index("participantId")
    features = composition(driver, settings, 0)
    names = ["partnerShare", "familyShare", "friendShare", "weakShare", "professionalShare", "sizeScaled"]
    assert set(result.index) == set(features.index)
    np.testing.assert_allclose(result[names].to_numpy(float), features.loc[result.index, names].to_numpy(float),
                               atol=1e-9)
    # seed-independent properties of a converged k-means: 5 non-empty clusters, each point at the
    # reported distance from its cluster's mean, and no point nearer another cluster's mean
    assert result["cluster"].nunique() == 5
    centroids = features.loc[result.index].groupby(result["cluster"]).mean()
    distances = np.linalg.norm(features.loc[result.index, names].to_numpy()[:, None, :]
                               - centroids[names].to_numpy()[None, :, :], axis=2)
    own = centroids.index.get_indexer(result["cluster"])
    np.testing.assert_allclose(distances[np.arange(len(result)), own], result["distanceFromCentroid"], atol=TOLERANCE)
    assert (distances[np.arange(len(result)), own] <= distances.min(axis=1) + TOLERANCE).all()
    # the five types are used once each, and the restricted cluster has the smallest networks
    assert sorted(result.groupby("cluster")["networkType"].first()) == sorted(algo_measures.NETWORK_TYPES)
    restricted = result.loc[result["networkType"] == "restricted", "cluster"].iloc[0]
    assert centroids["sizeScaled"].idxmin() == restricted


def test_study_filter_keeps_other_studies_out(study, driver, settings):
    keys = job("bridging_members", settings, driver, study=OTHER, wave=0)["key"]
    assert len(keys) > 0 and all(key.startswith(f"{OTHER}|") for key in keys)


def test_bad_parameter_fails_cleanly(study, driver, settings):
    with pytest.raises(QueryError, match="topK"):
        job("similar_networks", settings, driver, study=study, topK=0)
    with pytest.raises(QueryError, match="must be a integer"):
        job("bridging_members", settings, driver, study=study, wave="first")


def test_interrupt_during_a_job_still_drops_the_projection(study, driver, settings, monkeypatch):
    def interrupted(frames, params):
        assert driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n",
                                    database_=settings.database).records[0]["n"] == 1
        raise KeyboardInterrupt

    monkeypatch.setitem(algo_measures.DERIVATIONS, "bridging_members", interrupted)
    with pytest.raises(KeyboardInterrupt):
        job("bridging_members", settings, driver, study=study)


def test_job_that_would_not_fit_the_heap_is_refused_before_projecting(study, driver, settings, monkeypatch):
    monkeypatch.setattr(algorithms, "free_heap", lambda session: 1024)
    with pytest.raises(QueryError, match="MiB of heap"):
        job("bridging_members", settings, driver, study=study)


def test_an_unknown_study_is_an_error_that_names_the_loaded_ones(study, driver, settings):
    """Not an empty table with a note (issue 12): a misspelt study is refused before projecting."""
    with pytest.raises(QueryError, match="there is no study 'no_such_study'") as refused:
        job("bridging_members", settings, driver, study="no_such_study")
    assert study in refused.value.hint


def test_cli_runs_a_job_as_csv(study, settings):
    runner = CliRunner()
    listed = runner.invoke(algo, ["list", "--format", "csv"])
    assert listed.exit_code == 0 and "bridging_members" in listed.output
    ran = runner.invoke(algo, ["run", "member_bridges", "-p", f"study={study}", "-p", "wave=0", "--format", "csv",
                               "--uri", settings.uri, "--user", settings.user, "--password", settings.password])
    assert ran.exit_code == 0, ran.output
    assert ran.stdout.splitlines()[0] == "participantId,fromKey,toKey,fromMemberId,toMemberId"  # --password warns on stderr
