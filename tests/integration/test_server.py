"""The managed Neo4j: versions, plugins, GDS client, auth, loopback-only listeners."""

import subprocess

import neo4j
import pytest
from graphdatascience import GraphDataScience

pytestmark = pytest.mark.neo4j


def test_server_is_neo4j_5_26_community_with_gds_and_apoc(driver, settings):
    records = driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                   "RETURN name, versions[0] AS version, edition",
                                   database_=settings.database).records
    assert records[0]["version"].startswith("5.26.")
    assert records[0]["edition"] == "community"
    gds_version = driver.execute_query("RETURN gds.version() AS v", database_=settings.database).records[0]["v"]
    apoc_version = driver.execute_query("RETURN apoc.version() AS v", database_=settings.database).records[0]["v"]
    assert gds_version.startswith("2.13.") and apoc_version.startswith("5.26.")


def test_graphdatascience_client_projects_runs_pagerank_and_drops(empty_db, settings):
    gds = GraphDataScience(settings.uri, auth=(settings.user, settings.password), database=settings.database)
    try:
        # A 3-cycle with a tail: d -> a. Every node of the cycle gets more rank than d.
        gds.run_cypher("CREATE (a:Pr {n:'a'})-[:R]->(b:Pr {n:'b'})-[:R]->(c:Pr {n:'c'})-[:R]->(a), "
                       "(d:Pr {n:'d'})-[:R]->(a)")
        graph, _ = gds.graph.project.native("illnet-smoke", "Pr", "R")
        try:
            ranks = gds.page_rank.stream(graph)
        finally:
            graph.drop()
        names = gds.util.as_nodes(ranks["nodeId"].tolist())
        scores = dict(zip([node["n"] for node in names], ranks["score"]))
        assert scores["d"] == pytest.approx(0.15, abs=1e-6)  # no in-links: only the damping term
        assert min(scores["a"], scores["b"], scores["c"]) > scores["d"]
        assert len(gds.graph.list()) == 0
    finally:
        gds.close()


def test_wrong_password_is_refused(settings):
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password + "x")) as drv:
        with pytest.raises(neo4j.exceptions.AuthError):
            drv.verify_connectivity()


def test_nothing_listens_on_a_non_loopback_address(driver, settings):
    pid = driver.execute_query("CALL dbms.listConfig('server.bolt.listen_address') YIELD value RETURN value",
                               database_=settings.database).records[0]["value"]
    assert pid.startswith("127.0.0.1:")
    listeners = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout
    java_sockets = [line.split()[3] for line in listeners.splitlines() if '"java"' in line]
    assert java_sockets, "no listening sockets of a java process found"
    for local in java_sockets:
        assert local.startswith(("127.", "[::ffff:127.", "[::1]")), f"non-loopback listener: {local}"
