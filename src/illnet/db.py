"""Connection settings and the one place that opens Neo4j drivers and sessions.

Settings are resolved in this order: explicit arguments (command-line options), then the
environment (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE), then the state
of the managed server started by `illnet server start` (read through illnet.managed).
Resolution happens when a driver is opened, not before: a command that fails on its own
arguments (an unknown query, say) says so without looking for a server.

The driver itself is imported when a driver is opened, so Settings costs nothing to import.
The driver imports numpy, pandas and pyarrow, when they are installed, to accept their values
as query parameters (about half of its import time); `import_driver_without_dataframes` imports
it as if they were not installed (the driver's documented state without its optional extras),
for a process whose parameters are all plain Python values (`illnet query run`, `illnet cypher`).
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from illnet import managed
from illnet.errors import ConnectionFailed, first_line

if TYPE_CHECKING:
    import neo4j

RETRY_SECONDS = 5  # a transaction that loses its server is retried this long (the driver's default: 30)
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
# The driver also logs each server notification; illnet reports them itself (illnet.query.runner),
# so they are not printed twice when the application has not configured logging.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
DATAFRAME_LIBRARIES = ("numpy", "pandas", "pyarrow")  # the driver's optional dependencies


def import_driver_without_dataframes() -> None:
    """Import the neo4j driver without its numpy, pandas and pyarrow support, unless it (or one
    of them) is imported already: while it imports, they are marked absent in sys.modules (an
    import then raises ImportError, which the driver takes as not installed), and unmarked after,
    so pandas can still be imported later. In this process the driver then takes only plain
    Python values as parameters, as illnet.query.params.plain_value makes them."""
    hidden = [name for name in DATAFRAME_LIBRARIES if name not in sys.modules]
    if "neo4j" in sys.modules or len(hidden) < len(DATAFRAME_LIBRARIES):
        return
    for name in hidden:
        sys.modules[name] = None
    try:
        import neo4j  # noqa: F401 (imported for the rest of the process)
    finally:
        for name in hidden:
            del sys.modules[name]


@dataclass(frozen=True)
class Settings:
    """Where and how to reach Neo4j; fields left None are filled in by `resolved()`."""

    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None

    def __repr__(self) -> str:  # never show the password
        return f"Settings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    def resolved(self) -> "Settings":
        """These settings completed from the environment and the managed server."""
        return resolve(self.uri, self.user, self.password, self.database)


def resolve(uri: str | None = None, user: str | None = None, password: str | None = None,
            database: str | None = None) -> Settings:
    """Combine arguments, environment and the managed server's state into Settings."""
    defaults = managed.connection_defaults()
    uri = uri or os.environ.get("NEO4J_URI") or defaults.get("uri")
    if uri != defaults.get("uri"):
        defaults = {}  # never send the managed server's password to another server
    user = user or os.environ.get("NEO4J_USERNAME") or defaults.get("user") or "neo4j"
    password = password or os.environ.get("NEO4J_PASSWORD") or defaults.get("password")
    database = database or os.environ.get("NEO4J_DATABASE") or "neo4j"
    if not uri or not password:
        raise ConnectionFailed(
            "no Neo4j connection settings found",
            hint="start the managed server with `illnet server start`, or set NEO4J_URI, "
                 "NEO4J_USERNAME and NEO4J_PASSWORD",
        )
    check_uri(uri)
    return Settings(uri, user, password, database)


def check_uri(uri: str) -> None:
    """Raise ConnectionFailed unless the URI is a Bolt URI the driver can use (http:// is the
    Browser's port, not the database's)."""
    address = urlparse(uri)
    if address.scheme in SCHEMES and address.hostname:
        return
    if address.scheme in ("http", "https"):
        raise ConnectionFailed(
            f"{uri} is a web address (Neo4j Browser's HTTP port); illnet talks to Neo4j over Bolt",
            hint=f"use the Bolt URI, e.g. bolt://{address.hostname or '127.0.0.1'}:7687 "
                 "(`illnet server status` shows the managed server's)")
    raise ConnectionFailed(f"{uri!r} is not a Neo4j URI",
                           hint=f"write SCHEME://HOST:PORT with a scheme of {', '.join(SCHEMES)}, "
                                "e.g. bolt://127.0.0.1:7687")


def open_driver(settings: Settings | None = None) -> neo4j.Driver:
    """Open a driver and check that the server answers; raise ConnectionFailed if not."""
    import neo4j
    from neo4j.exceptions import AuthError, ServiceUnavailable

    settings = (settings or Settings()).resolved()
    driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                        notifications_min_severity="WARNING",
                                        max_transaction_retry_time=RETRY_SECONDS)
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise ConnectionFailed(
            f"Neo4j at {settings.uri} refused user {settings.user!r}: wrong user name or password",
            hint="check NEO4J_USERNAME/NEO4J_PASSWORD, or unset them to use the managed server's password",
        ) from exc
    except (ServiceUnavailable, OSError, ValueError) as exc:
        driver.close()
        raise ConnectionFailed(
            f"cannot reach Neo4j at {settings.uri}: {first_line(exc)}",
            hint="is the server running? try `illnet server status` or `illnet server start`",
        ) from exc
    return driver


@contextmanager
def driver_for(settings: Settings | None, driver: neo4j.Driver | None):
    """(settings, driver): the given driver, or one opened (and closed) for this call; settings resolved."""
    settings = (settings or Settings()).resolved()
    own = driver is None
    driver = driver or open_driver(settings)
    try:
        yield settings, driver
    finally:
        if own:
            driver.close()


@contextmanager
def session_for(settings: Settings | None, driver: neo4j.Driver | None):
    """A session on the given driver, or on a driver opened (and closed) for this call."""
    with driver_for(settings, driver) as (resolved, usable), usable.session(database=resolved.database) as session:
        yield session


def erase_all(driver: neo4j.Driver, database: str) -> None:
    """Remove every node, relationship and GDS projection: the database as new (for tests
    and benchmarks on a throwaway server; `illnet server reset` does it for the managed one)."""
    driver.execute_query("CALL gds.graph.list() YIELD graphName "
                         "CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped "
                         "RETURN count(dropped)", database_=database)
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()


def versions(settings: Settings) -> dict:
    """Server name, version and edition, and the GDS and APOC versions (None when absent)."""
    from neo4j.exceptions import ClientError

    settings = settings.resolved()
    with open_driver(settings) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition", database_=settings.database)
        info = {"server": records[0]["name"], "version": records[0]["version"],
                "edition": records[0]["edition"], "uri": settings.uri}
        procedures = {"gds": "RETURN gds.version() AS v", "apoc": "RETURN apoc.version() AS v"}
        for plugin, query in procedures.items():
            try:
                info[plugin] = driver.execute_query(query, database_=settings.database).records[0]["v"]
            except ClientError:
                info[plugin] = None
    return info
