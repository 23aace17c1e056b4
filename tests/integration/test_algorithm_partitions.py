"""Jobs leave out the studies that lack what they need, with a note (never a computed 0 or a GDS
crash); partitioned per-network runs equal networkx; two studies with the same participant ids
stay apart.

Two generated studies share participant ids p00000...: `tied` records member-member ties and
resources, `untied` records neither (tie_probability 0, no resources). Expected values come from
networkx on the ties pulled with plain Cypher."""

import dataclasses

import networkx as nx
import pytest
from click.testing import CliRunner

from illnet.cli.algo import algo
from illnet.db import erase_all
from illnet.query import jobs
from illnet.query.algorithms import run_bound_job, run_job
from illnet.query.params import bind
from illnet.synth.graph import build

pytestmark = pytest.mark.neo4j

TIED, UNTIED = "tied", "untied"


@pytest.fixture(scope="module")
def studies(driver, settings):
    erase_all(driver, settings.database)
    build(driver, 30, seed=11, database=settings.database, study_id=TIED)
    build(driver, 30, seed=12, database=settings.database, study_id=UNTIED, tie_probability=0.0, resources=0)
    return settings


def networks(driver, settings, study, wave=0) -> dict[str, nx.Graph]:
    members, _, _ = driver.execute_query(
        "MATCH (p:Participant {studyId: $study})-[:HAS_MEMBER {wave: $wave}]->(m) RETURN p.participantId, m.key",
        study=study, wave=wave, database_=settings.database)
    ties, _, _ = driver.execute_query(
        "MATCH (a:NetworkMember {studyId: $study})-[:KNOWS {wave: $wave}]->(b) RETURN a.participantId, a.key, b.key",
        study=study, wave=wave, database_=settings.database)
    graphs = {}
    for pid, key in members:
        graphs.setdefault(pid, nx.Graph()).add_node(key)
    for pid, a, b in ties:
        graphs[pid].add_edge(a, b)
    return graphs


def cli(settings, *args):
    return CliRunner().invoke(algo, ["run", *args, "--format", "csv", "--uri", settings.uri, "--user", settings.user,
                                     "--password", settings.password])


@pytest.mark.parametrize("job", ["bridging_members", "member_bridges"])
def test_a_study_without_member_ties_gives_a_note_not_a_gds_crash(studies, job):
    ran = cli(studies, job, "-p", f"study={UNTIED}")
    assert ran.exit_code == 0, ran.output
    assert "ArrayIndexOutOfBounds" not in ran.output
    assert f"study {UNTIED} records none at wave 0" in ran.output and "member-member ties" in ran.output


def test_pooled_run_leaves_out_the_study_without_ties_instead_of_reporting_zero(studies, driver):
    frame = run_job("bridging_members", studies, driver=driver, wave=0)
    assert set(frame["studyId"]) == {TIED}
    assert f"study {UNTIED} records none" in frame.attrs["note"]
    written = run_job("bridging_members", studies, mode="write", driver=driver, wave=0)
    assert written.attrs["written"] == len(frame)
    stored, _, _ = driver.execute_query("MATCH (m:NetworkMember {studyId: $study}) RETURN count(m.bridgingBetweenness)",
                                        study=UNTIED, database_=studies.database)
    assert stored[0][0] == 0  # not measured, so not written: null, never 0


def test_networks_of_two_studies_with_the_same_participant_ids_stay_apart(studies, driver):
    both = run_job("bridging_members", studies, driver=driver, wave=0)
    graphs = networks(driver, studies, TIED)
    for pid, graph in graphs.items():
        rows = both[(both["studyId"] == TIED) & (both["participantId"] == pid)]
        assert (rows["networkSize"] == graph.number_of_nodes()).all()


def test_many_small_partitions_give_the_networkx_answers(studies, driver):
    job = jobs.get("bridging_members")
    small = dataclasses.replace(job, projection=dataclasses.replace(
        job.projection, partition=dataclasses.replace(job.projection.partition, nodes=25)))
    result = run_bound_job(small, bind(small, {"study": TIED}), studies, driver=driver).set_index("key")
    graphs = networks(driver, studies, TIED)
    assert len(result) == sum(graph.number_of_nodes() for graph in graphs.values()) > 25 * 4
    for graph in graphs.values():
        betweenness, articulation = nx.betweenness_centrality(graph), set(nx.articulation_points(graph))
        for node in graph:
            assert result.loc[node, "normalisedBetweenness"] == pytest.approx(betweenness[node], abs=1e-9)
            assert bool(result.loc[node, "isArticulationPoint"]) == (node in articulation)
    assert list(result.index) == sorted(result.index, key=lambda key: key.split("|")[1:])


def test_member_bridges_in_partitions_equal_networkx(studies, driver):
    job = jobs.get("member_bridges")
    small = dataclasses.replace(job, projection=dataclasses.replace(
        job.projection, partition=dataclasses.replace(job.projection.partition, nodes=25)))
    result = run_bound_job(small, bind(small, {}), studies, driver=driver)
    expected = {frozenset(edge) for graph in networks(driver, studies, TIED).values() for edge in nx.bridges(graph)}
    assert {frozenset(pair) for pair in zip(result["fromKey"], result["toKey"])} == expected
    assert f"study {UNTIED} records none" in result.attrs["note"]


@pytest.mark.parametrize("job", ["resource_communities", "bridging_resources"])
def test_a_study_without_resources_gives_an_empty_result_and_a_note(studies, driver, job):
    frame = run_job(job, studies, driver=driver, study=UNTIED)
    assert frame.empty
    assert f"study {UNTIED} records none at wave 0" in frame.attrs["note"]


def test_pooled_resource_communities_leave_out_the_study_without_resources(studies, driver):
    frame = run_job("resource_communities", studies, driver=driver)
    participants = frame[frame["label"] == "Participant"]["key"]
    assert len(participants) == 30 and participants.str.startswith(f"{TIED}|").all()
    assert f"study {UNTIED} records none" in frame.attrs["note"]
