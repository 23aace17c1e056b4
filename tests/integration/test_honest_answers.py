"""Honest answers (issue 12), against a real Neo4j with the tiny hand-made study: every answer is
right or says why it cannot be given. Expected values are worked out by hand from
tests/fixtures/tiny_study.cypher (see the golden tests' header for the facts used)."""

import json
import socket
import threading

import numpy as np
import pandas as pd
from pathlib import Path

import pytest

from illnet.errors import NoteWarning, QueryError, ServerWarning
from illnet.queries import cypher, run
from tests.conftest import invoke_query_commands as invoke

pytestmark = pytest.mark.neo4j


def secret(folder) -> Path:
    """A password file (0600), as the CLI prefers it to --password."""
    path = folder / "password"
    path.write_text("x\n")
    path.chmod(0o600)
    return path


def one_line_error(result, *fragments):
    """The command failed with exit 1, an `error:` line and a `hint:` line, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# --- Empty answers with exit 0 -------------------------------------------------------------

def test_a_study_that_does_not_exist_is_an_error_listing_the_loaded_studies(tiny_db, cli_env):
    result = invoke("query", "run", "network_size", "-p", "study=TINY")
    one_line_error(result, "there is no study 'TINY'", "did you mean 'tiny'?", "the loaded studies are tiny")


def test_a_wave_that_does_not_exist_is_an_error_listing_the_waves(tiny_db, settings, cli_env):
    result = invoke("query", "run", "composition_by_tie_class", "-p", "study=tiny", "-p", "wave=5")
    one_line_error(result, "study 'tiny' has no wave 5", "its waves are 0, 1")
    with pytest.raises(QueryError, match="the loaded studies have no wave 5"):
        run("composition_by_tie_class", settings=settings, driver=tiny_db, wave=5)


def test_structural_bridges_of_an_unknown_study_says_there_is_no_such_study(tiny_db, cli_env):
    result = invoke("query", "run", "structural_bridges", "-p", "study=xyz")
    one_line_error(result, "there is no study 'xyz'")
    assert "member-member ties" not in result.output


def test_an_unknown_participant_is_an_error(tiny_db, settings):
    with pytest.raises(QueryError, match="there is no participant 'p9' in study 'tiny'") as error:
        run("top_bridging_members", driver=tiny_db, settings=settings, study="tiny", participant="p9")
    assert "p1, p2, p3" in error.value.hint


def test_a_misspelt_label_in_ad_hoc_cypher_warns(tiny_db, settings, cli_env):
    with pytest.warns(ServerWarning, match="The label `Networkmember` does not exist"):
        frame = cypher("MATCH (m:Networkmember) RETURN count(m) AS n", driver=tiny_db, settings=settings)
    assert frame.iloc[0]["n"] == 0
    result = invoke("cypher", "MATCH (m:NetworkMember) WHERE m.tieclass = 'weak' RETURN count(m) AS n")
    assert result.exit_code == 0
    assert "warning: Neo4j: The property `tieclass` does not exist" in result.stderr


def test_a_deprecated_feature_warns(tiny_db, settings):
    with pytest.warns(ServerWarning, match="deprecated"):
        cypher("MATCH (m:NetworkMember) RETURN id(m) AS i LIMIT 1", driver=tiny_db, settings=settings)


def test_queries_over_algorithm_results_name_the_job_to_run(tiny_db, cli_env):
    for name, job in [("top_bridging_members", "bridging_members"), ("network_type_kmeans", "network_types"),
                      ("resource_community_summary", "resource_communities")]:
        result = invoke("query", "run", name, "-p", "study=tiny")
        assert result.exit_code == 0
        assert (f"note: {name}: the {job} job has not written its results in study 'tiny' at wave 0; run "
                f"`illnet algo run {job} -p study=tiny -p wave=0 --mode write` first") in result.stderr


# --- Wrong answers ---------------------------------------------------------------------------

def test_community_types_as_json_or_comma_list_give_the_same_answer(tiny_db, cli_env):
    # p1 takes part in the walking club (community_group) at wave 0; p2 (4 members, 7 flows) and
    # p3 (2 members, 4 flows) take part in nothing.
    expected = [{"involved": True, "participants": 1, "share": 1 / 3, "meanMembers": 5.0, "meanFlowsReceived": 8.0},
                {"involved": False, "participants": 2, "share": 2 / 3, "meanMembers": 3.0,
                 "meanFlowsReceived": 5.5}]
    for form in ('["community_group", "faith_group"]', "community_group,faith_group", "['community_group']"):
        result = invoke("query", "run", "community_involvement", "-p", f"communityTypes={form}", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == expected, form


def test_a_misspelt_community_type_is_refused_with_the_codes(tiny_db, cli_env):
    result = invoke("query", "run", "community_involvement", "-p", "communityTypes=faith_grup")
    one_line_error(result, "'faith_grup' is not a resource_type code", "faith_group")


# --- Output that hides or breaks: the Python API ---------------------------------------------

def test_numpy_and_pandas_scalars_are_parameters(tiny_db, settings):
    waves = pd.DataFrame({"wave": [0, 1]})["wave"]
    share = np.float64(0.5)
    frame = run("work_concentration", driver=tiny_db, settings=settings, wave=waves.iloc[0], minShare=share)
    assert list(frame["participantId"]) == ["p3"]  # p3: m1 3 of 4 flows; p2 3 of 7 < 0.5; p1 3 of 8
    assert cypher("RETURN $n + 1 AS n", driver=tiny_db, settings=settings, n=np.int64(41)).iloc[0]["n"] == 42


def test_integers_beyond_64_bits_are_refused_clearly(tiny_db, settings, cli_env):
    with pytest.raises(QueryError, match="too large for Neo4j"):
        run("network_size", driver=tiny_db, settings=settings, wave=2 ** 64)
    with pytest.raises(QueryError, match="too large for Neo4j"):
        cypher("RETURN $n AS n", driver=tiny_db, settings=settings, n=[1, 2 ** 70])
    one_line_error(invoke("cypher", "RETURN $n AS n", "-p", f"n={2 ** 64}"), "parameter n", "too large for Neo4j")
    one_line_error(invoke("query", "run", "network_size", "-p", f"wave={2 ** 64}"), "too large for Neo4j")


def test_notes_are_python_warnings_and_attrs(tiny_db, settings):
    with pytest.warns(NoteWarning, match="tie_durability: no members are named at the wave after wave 1") as caught:
        frame = run("tie_durability", driver=tiny_db, settings=settings, wave=1)
    assert frame.attrs["note"] == str(caught[0].message)
    assert caught[0].filename == __file__  # points at the caller's line, not at illnet


def test_empty_results_have_the_declared_column_types(tiny_db, settings):
    tiny_db.execute_query("MATCH ()-[k:KNOWS]->() DELETE k", database_=settings.database)
    with pytest.warns(NoteWarning):
        noted = run("structural_bridges", driver=tiny_db, settings=settings)
    empty = run("work_concentration", driver=tiny_db, settings=settings, minShare=1.5)  # no share is above 1
    for frame in (noted, empty):
        assert frame.empty
    assert noted.dtypes.to_dict() == {
        "participantId": "str", "memberId": "str", "relationshipType": "str", "degree": "int64",
        "effectiveSize": "float64", "constraint": "float64", "brokeredPairs": "int64", "betweenness": "float64",
        "articulationPoint": "bool"}
    assert empty.dtypes.to_dict() == {"participantId": "str", "topMemberId": "str", "topRelationship": "str",
                                      "topFlows": "int64", "totalFlows": "int64", "topShare": "float64"}


def test_paths_keep_their_relationships(tiny_db, settings):
    frame = cypher("MATCH path = (p:Participant {participantId: 'p1'})-[:HAS_MEMBER {wave: 0}]->"
                   "(m:NetworkMember {memberId: 'm1'})-[:PROVIDES {task: 'comfort'}]->(p) RETURN path",
                   driver=tiny_db, settings=settings)
    participant, has_member, member, provides, back = frame.iloc[0]["path"]
    assert participant["participantId"] == back["participantId"] == "p1" and member["relationshipType"] == "partner"
    assert (has_member["_type"], has_member["wave"], has_member["circle"], has_member["contactFrequency"]) == \
        ("HAS_MEMBER", 0, "inner", "daily")
    assert (provides["_type"], provides["task"], provides["workType"]) == ("PROVIDES", "comfort", "emotional")


# --- Output that hides or breaks: the command line ---------------------------------------------

def test_piped_tables_cut_no_value(tiny_db, cli_env):
    # CliRunner's output is not a terminal: 80 columns, as when piped.
    result = invoke("query", "run", "network_size", "-p", "groupBy=areaType", "-p", "wave=0")
    assert result.exit_code == 0 and "…" not in result.stdout
    for value in ("deprived_urban", "deprived_rural", "affluent_urban", "participants", "medianSize"):
        assert value in result.stdout, value
    assert max(map(len, result.stdout.splitlines())) <= 80
    listed = invoke("query", "list")
    assert "…" not in listed.stdout and "work_per_member_by_tie_class" in listed.stdout
    assert max(map(len, listed.stdout.splitlines())) <= 80


def test_out_reports_the_rows_it_wrote(tiny_db, cli_env, tmp_path):
    out = tmp_path / "sizes.csv"
    result = invoke("query", "run", "network_size", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0
    assert result.stderr.strip() == f"wrote 4 rows (csv) to {out}"  # 2 strata x 2 waves
    assert len(out.read_text().splitlines()) == 1 + 4


def test_out_into_a_missing_folder_fails_before_anything_runs(tmp_path):
    # No server at this address: the folder is checked first, so that is the error reported.
    out = tmp_path / "missing" / "x.csv"
    result = invoke("query", "run", "network_size", "--uri", "bolt://127.0.0.1:9", "--out", str(out))
    one_line_error(result, f"cannot write {out}: the folder {out.parent} does not exist", "mkdir -p")
    result = invoke("cypher", "RETURN 1", "--uri", "bolt://127.0.0.1:9", "--out", str(out))
    one_line_error(result, "does not exist")


def test_an_http_uri_is_an_error_naming_bolt(tmp_path):
    result = invoke("cypher", "RETURN 1", "--uri", "http://127.0.0.1:7474", "--password-file", str(secret(tmp_path)))
    one_line_error(result, "http://127.0.0.1:7474 is a web address", "bolt://127.0.0.1:7687")


class DroppingProxy:
    """A TCP proxy to the Neo4j Bolt port that can drop every connection, as a dying server does."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.dropped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.dropped:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def drop(self):
        """Stop accepting and close every connection (new ones are refused)."""
        self.dropped = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.listener.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def test_the_server_going_away_mid_command_is_one_line(tiny_db, settings, cli_env, monkeypatch):
    host, port = settings.uri.split("://")[1].rsplit(":", 1)
    proxy = DroppingProxy((host, int(port)))
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{proxy.port}")
    timer = threading.Timer(1.0, proxy.drop)  # the driver has connected and the statement is running
    timer.start()
    try:
        # a statement that runs for seconds in plain Cypher (APOC's sleep is not on the allowlist)
        result = invoke("cypher", "UNWIND range(1, 300000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS done")
    finally:
        timer.cancel()
        proxy.drop()
    one_line_error(result, "lost the connection to Neo4j", "illnet server status")


def test_the_server_going_away_mid_load_is_one_line(empty_db, settings, cli_env, monkeypatch):
    from click.testing import CliRunner

    from illnet import examples
    from illnet.cli import IllnetGroup
    from illnet.cli.load import load

    host, port = settings.uri.split("://")[1].rsplit(":", 1)
    proxy = DroppingProxy((host, int(port)))
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{proxy.port}")
    timer = threading.Timer(2.0, proxy.drop)  # nwe takes several seconds to write
    timer.start()
    try:
        result = CliRunner().invoke(IllnetGroup("illnet", commands=[load]), ["load", str(examples.mapping_path("nwe"))])
    finally:
        timer.cancel()
        proxy.drop()
    one_line_error(result, "lost the connection to Neo4j during the command", "run the command again")


# --- Browser content: the examples run as given -----------------------------------------------

def test_every_example_answers_as_given_on_the_bundled_study(empty_db, settings):
    from illnet import examples
    from illnet.load.pipeline import load_study
    from illnet.query import canned
    from illnet.query.algorithms import run_job
    from illnet.query.params import parse_literal

    load_study(empty_db, examples.mapping_path("nwe"), database=settings.database, progress=False)
    for job in ("bridging_members", "network_types", "resource_communities"):  # as the job queries' notes say
        run_job(job, settings=settings, driver=empty_db, mode="write", study="nwe")
    for query in canned.catalogue().values():
        lines = [line.removeprefix(":param ").rstrip(";").split(" => ", 1) for line in query.example.splitlines()]
        params = {name: parse_literal(value) for name, value in lines}
        assert set(params) == set(query.params), query.name
        records, _, _ = empty_db.execute_query(query.body, params, database_=settings.database)
        assert records, f"{query.name}: its example gives no rows on nwe"
