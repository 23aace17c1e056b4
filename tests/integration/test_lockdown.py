"""The probes of issue 14 against the real managed server: nothing leaves the machine
through LOAD CSV or APOC, GDS export and catalogue changes need --write (export is not
loaded at all), administration commands are refused read-only, and the instance's files
and the server process keep the password and the data to their owner."""

import http.server
import os
import stat
import threading

import pytest

from illnet import managed
from illnet.errors import StatementRejected
from illnet.queries import cypher
from illnet.server import process

pytestmark = pytest.mark.neo4j


@pytest.fixture
def listener():
    """A tiny HTTP server on 127.0.0.1 that records every request it receives."""
    received = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"participantId,condition\nP1,copd\n")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def leaky_db(empty_db, settings):
    """A participant with a condition: the data a leak would send."""
    empty_db.execute_query("CREATE (:Participant {participantId: 'P1', studyId: 's'})"
                           "-[:HAS_CONDITION]->(:Condition {code: 'copd'})", database_=settings.database)
    return empty_db


def run(statement, driver, settings, write=False, **params):
    return cypher(statement, driver=driver, settings=settings, write=write, **params)


def test_listener_answers_a_direct_request(listener):
    # The listener works, so "received nothing" below means the server sent nothing.
    import urllib.request

    url, received = listener
    assert urllib.request.urlopen(f"{url}/self-check").status == 200 and received == ["/self-check"]
    received.clear()


@pytest.mark.parametrize("write", [False, True])
def test_load_csv_cannot_send_data_to_a_url(leaky_db, settings, listener, write):
    url, received = listener
    statement = ("MATCH (p:Participant)-[:HAS_CONDITION]->(c) "
                 "LOAD CSV FROM $url + '/?id=' + p.participantId + '&c=' + c.code AS row RETURN row")
    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(StatementRejected) as err:
            run(statement, leaky_db, settings, write=write, url=url.replace("127.0.0.1", host))
        expected = "blocked" if write else "LOAD CSV reads files or URLs"  # the server; the guard
        assert expected in err.value.message
    assert received == []


@pytest.mark.parametrize("write", [False, True])
def test_apoc_load_json_cannot_send_data_to_a_url(leaky_db, settings, listener, write):
    url, received = listener
    for statement in ("MATCH (p:Participant) CALL apoc.load.json($url + '/?id=' + p.participantId) "
                      "YIELD value RETURN value",
                      "MATCH (p:Participant) RETURN apoc.load.jsonParams($url + '/' + p.participantId, {}, null)"):
        with pytest.raises(StatementRejected) as err:
            run(statement, leaky_db, settings, write=write, url=url)
        assert ("apoc.load" in err.value.message) if not write else (
            "no procedure" in err.value.message or "Unknown function" in err.value.message)
    assert received == []


def graphs(driver, settings) -> list[str]:
    return [r["graphName"] for r in driver.execute_query(
        "CALL gds.graph.list() YIELD graphName RETURN graphName", database_=settings.database).records]


@pytest.mark.parametrize("write", [False, True])
def test_gds_graph_export_is_refused_and_writes_no_database(leaky_db, settings, write):
    databases = managed.instance_dir() / "data" / "databases"
    before = sorted(p.name for p in databases.iterdir())
    leaky_db.execute_query("MATCH (a:Participant)-->(b) WITH gds.graph.project('exp', a, b) AS g RETURN g",
                           database_=settings.database)
    try:
        with pytest.raises(StatementRejected) as err:
            run("CALL gds.graph.export('exp', {dbName: 'leak'})", leaky_db, settings, write=write)
        assert ("gds.graph.export" in err.value.message) if not write else "no procedure" in err.value.message
    finally:
        leaky_db.execute_query("CALL gds.graph.drop('exp')", database_=settings.database)
    assert sorted(p.name for p in databases.iterdir()) == before


def test_gds_catalogue_changes_need_write(leaky_db, settings):
    assert graphs(leaky_db, settings) == []
    project = "MATCH (a:Participant)-->(b) WITH gds.graph.project('probe', a, b) AS g RETURN g.nodeCount AS n"
    for statement in (project, "CALL gds.graph.project('probe', 'Participant', '*')",
                      "CALL gds.graph.generate('probe', 10, 2)"):
        with pytest.raises(StatementRejected, match="read-only"):
            run(statement, leaky_db, settings)
    assert graphs(leaky_db, settings) == []
    assert run(project, leaky_db, settings, write=True).iloc[0]["n"] == 2
    assert graphs(leaky_db, settings) == ["probe"]
    with pytest.raises(StatementRejected, match="read-only"):
        run("CALL gds.graph.drop('probe')", leaky_db, settings)
    assert graphs(leaky_db, settings) == ["probe"]
    with pytest.raises(StatementRejected, match="no procedure"):  # generation is not loaded at all
        run("CALL gds.graph.generate('other', 10, 2)", leaky_db, settings, write=True)
    run("CALL gds.graph.drop('probe') YIELD graphName RETURN graphName", leaky_db, settings, write=True)
    assert graphs(leaky_db, settings) == []


def test_another_sessions_write_transaction_survives_terminate_and_is_not_shown(empty_db, settings):
    with empty_db.session(database=settings.database) as other:
        tx = other.begin_transaction()
        tx.run("CREATE (:Survivor {name: 'other session'})").consume()
        others = [r["transactionId"] for r in empty_db.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
            "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN transactionId",
            database_=settings.database).records]
        assert others  # the open write transaction
        for statement, params in (("TERMINATE TRANSACTIONS $ids", {"ids": others}),
                                  ("SHOW TRANSACTIONS YIELD transactionId, currentQuery RETURN *", {})):
            with pytest.raises(StatementRejected, match="administration command"):
                run(statement, empty_db, settings, **params)
        tx.commit()
    names = empty_db.execute_query("MATCH (s:Survivor) RETURN s.name AS n", database_=settings.database).records
    assert [r["n"] for r in names] == ["other session"]


def test_instance_home_data_logs_and_auth_file_are_private():
    home = managed.home()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    instance = managed.instance_dir()
    auth = instance / "data" / "dbms" / "auth.ini"
    assert auth.exists()
    checked = 0
    for root in (instance / "data", instance / "logs", instance / "conf", managed.password_file()):
        paths = [root, *root.rglob("*")] if root.is_dir() else [root]
        for path in paths:
            if not path.is_symlink():
                assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is open to others"
                checked += 1
    assert checked > 20  # store files, transaction logs, logs, auth.ini, conf


def test_the_server_process_holds_no_password_and_is_found_by_executable_and_main_class():
    server = process.pid()
    assert server is not None
    password = managed.read_password()
    environment = open(f"/proc/{server}/environ", "rb").read().decode(errors="replace").split("\0")
    command_line = open(f"/proc/{server}/cmdline", "rb").read().decode(errors="replace")
    assert not any(entry.startswith(("NEO4J_PASSWORD=", "NEO4J_AUTH=")) for entry in environment)
    assert password not in "\n".join(environment) and password not in command_line
    with open(f"/proc/{server}/status") as status:
        umask = next(line.split()[1] for line in status if line.startswith("Umask:"))
    assert umask == "0077"
    assert process.is_server_process(server, managed.instance_dir())
    assert not process.is_server_process(os.getpid(), managed.instance_dir())
    assert not process.is_server_process(server, managed.instance_dir().with_name("elsewhere"))


def test_password_file_connects_and_password_on_the_command_line_warns(settings, tmp_path):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ILLNET_HOME"] = str(tmp_path / "no-managed-server")  # so only the options can connect
    right, wrong = tmp_path / "right", tmp_path / "wrong"
    right.write_text(settings.password + "\n")
    wrong.write_text(settings.password + "x\n")
    base = [sys.executable, "-m", "illnet", "ping", "--uri", settings.uri, "--user", settings.user]

    def ping(*args):
        return subprocess.run([*base, *args], env=env, capture_output=True, text=True, timeout=120)

    by_file = ping("--password-file", str(right))
    assert by_file.returncode == 0 and "5.26." in by_file.stdout and "warning" not in by_file.stderr
    refused = ping("--password-file", str(wrong))
    assert refused.returncode == 1 and "wrong user name or password" in refused.stderr
    on_line = ping("--password", settings.password)
    assert on_line.returncode == 0 and "--password puts the password on the command line" in on_line.stderr


def test_cli_refusal_is_one_line_with_a_hint_and_exit_1(settings, monkeypatch):
    from click.testing import CliRunner

    from illnet.cli import IllnetGroup
    from illnet.cli.query import cypher as cypher_command

    for name, value in (("NEO4J_URI", settings.uri), ("NEO4J_USERNAME", settings.user),
                        ("NEO4J_PASSWORD", settings.password), ("NEO4J_DATABASE", settings.database)):
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(IllnetGroup("illnet", commands=[cypher_command]),
                                ["cypher", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: refused in a read-only run: TERMINATE TRANSACTIONS... is an administration command",
        "hint: pass --write (write=True in Python) if you mean to do this"]
