"""Helpers shared by the loader integration tests: clearing the test database and running
the `illnet` command line as a subprocess against the test server."""

import os
import subprocess
import sys
from pathlib import Path

from illnet.db import Settings

# Nodes that `illnet schema apply` owns (recorded migrations and vocabulary nodes); a load
# never writes them, so removing loaded data keeps them.
SCHEMA_LABELS = ["Migration", "Condition", "WorkType", "Task"]


def remove_loaded_data(driver, database: str) -> None:
    """Remove everything but the schema's own nodes: what is left is a database on which
    `illnet schema apply` ran and no study was ever loaded."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) WHERE none(label IN labels(n) WHERE label IN $keep) "
                    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS", keep=SCHEMA_LABELS).consume()


def illnet_env(settings: Settings, home: Path) -> dict[str, str]:
    """Environment for an `illnet` subprocess: the test server, and a private illnet home
    so that no command can touch another managed server."""
    return {**os.environ, "ILLNET_HOME": str(home), "NEO4J_URI": settings.uri,
            "NEO4J_USERNAME": settings.user, "NEO4J_PASSWORD": settings.password,
            "NEO4J_DATABASE": settings.database}


def illnet_command(*args: str) -> list[str]:
    """The argv of `illnet ARGS` run by this interpreter."""
    return [sys.executable, "-m", "illnet", *args]


def run_illnet(settings: Settings, home: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `illnet ARGS` to its end; the result holds exit code, stdout and stderr."""
    return subprocess.run(illnet_command(*args), env=illnet_env(settings, home), capture_output=True, check=False,
                          text=True, timeout=600)
