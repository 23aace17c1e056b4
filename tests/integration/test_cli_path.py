"""`illnet query run` on the tiny hand-made study (tests/fixtures/tiny_study.cypher): what the
command line's path costs, counted (modules loaded, statements sent), never timed; and the one
way notes reach the screen, for canned queries and algorithm jobs alike."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from illnet.cli import IllnetGroup
from illnet.cli.algo import algo
from illnet.cli.query import cypher, query
from illnet.query.algorithms import run_bound_job
from illnet.query.canned import get
from illnet.query.jobs import get as get_job
from illnet.query.params import bind
from illnet.query.runner import answer

pytestmark = pytest.mark.neo4j

SRC = Path(__file__).resolve().parents[2] / "src"
# Run the command line in a fresh interpreter and, at exit (atexit), name which of the dataframe
# libraries it loaded.
LOADED_AT_EXIT = """
import atexit, runpy, sys
atexit.register(lambda: print("loaded:", *sorted(set(sys.modules) & {"numpy", "pandas", "pyarrow"}), file=sys.stderr))
sys.argv = ["illnet", *sys.argv[1:]]
runpy.run_module("illnet", run_name="__main__")
"""


def invoke(*args):
    return CliRunner().invoke(IllnetGroup("illnet", commands=[query, cypher, algo]), list(args))


def fresh_process(settings, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), "NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database}
    return subprocess.run([sys.executable, "-c", LOADED_AT_EXIT, *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("args", [
    ("query", "run", "network_size", "-p", "study=tiny", "-p", "wave=0"),
    ("query", "run", "network_size", "-p", "study=tiny", "-p", "wave=0", "--format", "json"),
    ("query", "run", "work_share_by_tie_class", "-p", "study=tiny", "--out", "{tmp}/share.csv"),
    ("cypher", "MATCH (p:Participant {studyId: $study}) RETURN count(p) AS n", "-p", "study=tiny"),
    ("query", "list"),
])
def test_query_run_prints_without_pandas(tiny_db, settings, tmp_path, args):
    done = fresh_process(settings, *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "loaded:"


def test_a_release_loads_pandas_for_its_rules(tiny_db, settings):
    # the hook sees pandas when it is loaded: here the suppression rules need a DataFrame
    done = fresh_process(settings, "query", "run", "network_size", "-p", "study=tiny", "-p", "wave=0", "--release")
    assert done.returncode == 0, done.stderr
    assert "pandas" in done.stderr.splitlines()[-1].split()


def test_the_output_of_a_fresh_process_is_the_dataframes(tiny_db, settings):
    # p1 names 5 members at wave 0, p2 4 (GB); p3 2 (NL): as test_release_cli works out
    done = fresh_process(settings, "query", "run", "network_size", "-p", "study=tiny", "-p", "wave=0",
                         "--format", "csv")
    assert done.stdout.splitlines() == ["studyId,wave,stratum,participants,meanSize,medianSize,minSize,maxSize",
                                        "tiny,0,GB,2,4.5,4.5,4,5", "tiny,0,NL,1,2.0,2.0,2,2"]


def statements_sent(caplog) -> list[str]:
    """The RUN messages the driver sent (its Bolt log, neo4j.debug)."""
    return [record.getMessage().split("C: RUN ", 1)[1] for record in caplog.records
            if "C: RUN " in record.getMessage()]


def test_one_statement_checks_scope_needs_and_release_before_the_query(tiny_db, cli_env, caplog):
    # work_share_by_tie_class needs support flows; the study's mapping asks for a release at 3
    tiny_db.execute_query("MATCH (s:Study {studyId: 'tiny'}) SET s.releaseMinCount = 3")
    caplog.set_level(logging.DEBUG, logger="neo4j")
    result = invoke("query", "run", "work_share_by_tie_class", "-p", "study=tiny", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "released with threshold 3" in result.stderr
    sent = statements_sent(caplog)
    assert len(sent) == 2, sent
    assert "MATCH (s:Study)" in sent[0] and "PROVIDES" in sent[0]  # the pre-flight: studies and the need
    assert get("work_share_by_tie_class").body[:40] in sent[1]


def test_an_unknown_study_is_refused_by_the_pre_flight_alone(tiny_db, cli_env, caplog):
    caplog.set_level(logging.DEBUG, logger="neo4j")
    result = invoke("query", "run", "work_share_by_tie_class", "-p", "study=tiny2")
    assert result.exit_code == 1 and "there is no study 'tiny2'" in result.stderr
    assert len(statements_sent(caplog)) == 1


def test_a_jobs_note_and_a_querys_note_are_shown_the_same_way(tiny_db, settings, cli_env):
    # without member-member ties, the bridging job leaves the study out and structural_bridges
    # has nothing to answer: each says so in a note, shown once, as one `note:` line on stderr
    tiny_db.execute_query("MATCH ()-[k:KNOWS]->() DELETE k")
    job, canned = get_job("bridging_members"), get("structural_bridges")
    job_note = run_bound_job(job, bind(job, {"study": "tiny"}), settings).attrs["note"]
    query_note = answer(canned, bind(canned, {"study": "tiny"}), settings).attrs["note"]
    assert "study tiny records none at wave 0" in job_note
    assert "no member-member ties (KNOWS) are recorded in study 'tiny' at wave 0" in query_note
    for args, note in [(("algo", "run", "bridging_members"), job_note),
                       (("query", "run", "structural_bridges"), query_note)]:
        result = invoke(*args, "-p", "study=tiny")
        assert result.exit_code == 0, result.output
        assert result.stderr == f"note: {note}\n"
