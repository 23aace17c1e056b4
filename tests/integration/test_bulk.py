"""`illnet load --bulk` builds, through neo4j-admin import, the same graph as the online
loader: every label, type and property (a SHA-256 over all of them), on a generated
panel study with member ties and resources and on the three-file survey with its study
attributes and typed values. A database that holds a study is refused.

A bulk load stops, replaces and restarts the database, so these tests run it on a second
managed server in an illnet home of their own, through the command line (one in this
process, to make a step after the stop fail), and leave the shared test server alone."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest

from illnet.load import derived
from illnet.load.bulk import bulk_load
from illnet.server import process
from illnet.synth.generate import generate, write_study
from tests.derived_study import write_study as derived_study
from tests.graph_state import snapshot
from tests.integration.test_server_lifecycle import free_ports

pytestmark = pytest.mark.neo4j
THREE_FILES = Path(__file__).resolve().parents[2] / "examples" / "three_files" / "mapping.yaml"
# What differs between any two loads: when they ran, and when the schema's migrations were recorded.
TIMES = ("startedAt", "finishedAt", "appliedAt")


@pytest.fixture(scope="module")
def second_server(tmp_path_factory):
    """(home, bolt URI) of a managed server of the module's own."""
    home = tmp_path_factory.mktemp("bulk-home")
    bolt, http = free_ports(2)
    # A password an older illnet generated (token_urlsafe) may begin with "-": neo4j-admin
    # must take it as the password, not as an option. This server's does.
    (home / "password").write_text("-" + "x7" * 16 + "\n")
    (home / "password").chmod(0o600)
    illnet(home, "server", "install")
    illnet(home, "server", "start", "--bolt-port", str(bolt), "--http-port", str(http), "--heap", "512m",
           "--pagecache", "256m")
    try:
        yield home, f"bolt://127.0.0.1:{bolt}"
    finally:
        illnet(home, "server", "stop", check=False)


def illnet(home: Path, *args, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "ILLNET_HOME": str(home)}
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "illnet", *args], env=env, capture_output=True, text=True,
                            timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"illnet {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def graph(home: Path, uri: str) -> dict:
    password = (home / "password").read_text().strip()
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        return snapshot(driver, ignore=TIMES)


@pytest.fixture(scope="module")
def panel_study(tmp_path_factory) -> Path:
    tables = generate(40, seed=5, waves=2, member_ties=True, resources=True, study_id="bulk")
    return write_study(tables, tmp_path_factory.mktemp("bulk-study"))


# derived: every tie status, and a member without work (an empty list, which the importer cannot write).
@pytest.mark.parametrize("which", ["panel", "three_files", "derived"])
def test_bulk_gives_the_graph_of_the_online_loader(which, panel_study, second_server, tmp_path):
    home, uri = second_server
    mapping = str({"panel": panel_study, "three_files": THREE_FILES}.get(which) or derived_study(tmp_path))
    illnet(home, "server", "reset", "--yes")
    illnet(home, "load", mapping)
    online = graph(home, uri)
    illnet(home, "server", "reset", "--yes")
    bulk = illnet(home, "load", "--bulk", mapping)
    assert "loaded" in bulk.stdout
    assert graph(home, uri) == online
    assert online["labels"]["Participant"] > 0 and online["types"]["HAS_MEMBER"] > 0


def test_bulk_refuses_a_database_that_holds_a_study(second_server):
    home, uri = second_server
    illnet(home, "server", "reset", "--yes")
    illnet(home, "load", str(THREE_FILES))
    before = graph(home, uri)
    refused = illnet(home, "load", "--bulk", str(THREE_FILES), check=False)
    assert refused.returncode == 1 and "needs a database without study data" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert graph(home, uri) == before


def test_an_invalid_study_leaves_the_server_running_and_the_database_as_it_was(second_server, tmp_path):
    """The server stops only once the study is valid: a bad cell is reported (file, row,
    column, value) and the same server process still serves the same graph."""
    home, uri = second_server
    study = tmp_path / "three_files"
    shutil.copytree(THREE_FILES.parent, study)
    ties = study / "aaties.csv"
    ties.write_text(ties.read_text().replace("E1,A1,A2,1,close", "E1,A1,A2,heavy,close", 1))
    illnet(home, "server", "reset", "--yes")
    illnet(home, "load", str(THREE_FILES))  # a graph to keep: the study is read before it is refused
    before, pid = graph(home, uri), (home / "neo4j" / "run" / "neo4j.pid").read_text()
    assert before["labels"]["Participant"] > 0
    refused = illnet(home, "load", "--bulk", str(study / "mapping.yaml"), check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "nothing was written" in refused.stderr
    assert "aaties.csv:2: column 'weight' value 'heavy'" in refused.stdout  # the header is line 1
    assert (home / "neo4j" / "run" / "neo4j.pid").read_text() == pid  # never stopped
    assert graph(home, uri) == before


def test_a_failure_after_the_server_stopped_starts_it_again(second_server, monkeypatch):
    """Once the study is valid the server stops; should making the import files fail then,
    the error is raised, the server runs again with its database as it was, and no import
    folder is left in the illnet home."""
    home, uri = second_server
    illnet(home, "server", "reset", "--yes")
    before, pid = graph(home, uri), (home / "neo4j" / "run" / "neo4j.pid").read_text()
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ILLNET_HOME", str(home))

    def failing(tables):
        raise OSError("no space left on device")

    monkeypatch.setattr(derived, "study_facts", failing)
    with pytest.raises(OSError, match="no space left"):
        bulk_load(THREE_FILES)
    assert process.is_running() and (home / "neo4j" / "run" / "neo4j.pid").read_text() != pid  # stopped, started
    assert graph(home, uri) == before
    assert not list(home.glob("bulk-*"))
