"""Shared fixtures. Integration tests get a live Neo4j through `settings`/`driver`.

With CI=true a test that needs Neo4j and cannot reach it FAILS; elsewhere it is skipped
with the reason, so unit tests stay runnable on a machine without the server.
"""

import os

import pytest

from illnet.db import erase_all, open_driver, resolve
from illnet.errors import IllnetError

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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
