"""Shared fixtures. Integration tests get a live Neo4j through `settings`/`driver`.

With CI=true a test that needs Neo4j and cannot reach it FAILS; elsewhere it is skipped
with the reason, so unit tests stay runnable on a machine without the server.
"""

import os
from pathlib import Path

import pytest

from illnet.db import erase_all, open_driver, resolve
from illnet.errors import IllnetError
from tests.ego_golden import load_ego_and_tiny
from tests.fixture_copy import EXAMPLES, copy_fixture
from tests.fixture_graph import create_study

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TINY_STUDY = Path(__file__).parent / "fixtures" / "tiny_study.cypher"


@pytest.fixture(scope="session")
def settings():
    """Connection settings of the test server (env first, then the managed server)."""
    try:
        resolved = resolve()
        open_driver(resolved).close()
    except IllnetError as exc:
        if IN_CI:
            pytest.fail(f"Neo4j is required in CI and cannot be reached: {exc}")
        pytest.skip(f"no Neo4j reachable: {exc}")
    return resolved


@pytest.fixture(scope="session")
def driver(settings):
    """A driver on the test server, closed at the end of the session."""
    drv = open_driver(settings)
    yield drv
    drv.close()


@pytest.fixture
def empty_db(driver, settings):
    """An empty database (all nodes, relationships and GDS projections removed)."""
    erase_all(driver, settings.database)
    return driver


@pytest.fixture
def tiny_db(empty_db, settings):
    """The empty test database with the tiny hand-made study loaded (tests/fixtures/tiny_study.cypher)."""
    create_study(empty_db, settings.database, TINY_STUDY)
    return empty_db


@pytest.fixture(scope="module")
def ego_db(driver, settings):
    """One database holding the ego study and the tiny study (loaded once per test module)."""
    load_ego_and_tiny(driver, settings.database)
    return driver


@pytest.fixture
def cli_env(settings, monkeypatch):
    """Environment pointing the CLI at the test server."""
    monkeypatch.setenv("NEO4J_URI", settings.uri)
    monkeypatch.setenv("NEO4J_USERNAME", settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password)
    monkeypatch.setenv("NEO4J_DATABASE", settings.database)


def invoke_query_commands(*args, input=None):
    """Run `illnet query ...` or `illnet cypher ...` under the illnet root group, so errors and
    warnings are reported as the CLI reports them."""
    from click.testing import CliRunner

    from illnet.cli import IllnetGroup
    from illnet.cli.query import cypher, query

    return CliRunner().invoke(IllnetGroup("illnet", commands=[query, cypher]), list(args), input=input)


@pytest.fixture
def three_files_copy(tmp_path):
    """A scratch copy of the three-file example survey (examples/three_files); its mapping."""
    return copy_fixture(tmp_path, "three_files", "*.*", EXAMPLES)
