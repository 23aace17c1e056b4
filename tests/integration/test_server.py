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


def test_graphdatascience_client_projects_runs_betweenness_and_drops(empty_db, settings):
    gds = GraphDataScience(settings.uri, auth=(settings.user, settings.password), database=settings.database)
    try:
        # A 3-cycle a -> b -> c -> a with a tail d -> a. Shortest paths through each node, by
        # hand: a on d-b, d-c, c-b; b on d-c, a-c; c on b-a; d on none.
        gds.run_cypher("CREATE (a:Pr {n:'a'})-[:R]->(b:Pr {n:'b'})-[:R]->(c:Pr {n:'c'})-[:R]->(a), "
                       "(d:Pr {n:'d'})-[:R]->(a)")
        graph, _ = gds.graph.project.native("illnet-smoke", "Pr", "R")
        try:
            scores = gds.betweenness.stream(graph)  # an algorithm illnet's jobs use (the allowlist)
        finally:
            graph.drop()
        names = gds.util.as_nodes(scores["nodeId"].tolist())
        assert dict(zip([node["n"] for node in names], scores["score"])) == {"a": 3.0, "b": 2.0, "c": 1.0, "d": 0.0}
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
