"""One reusable click decorator for the connection options of every command that talks to Neo4j."""

import functools

import click

from illnet.connection import resolve


def connection_options(func):
    """Add --uri/--user/--password/--database; the command receives `settings` (resolved Settings).

    Unset options fall back to NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE and
    then to the managed server (see illnet.connection.resolve).
    """
    @click.option("--uri", default=None, help="Bolt URI, e.g. bolt://127.0.0.1:7687 [env NEO4J_URI].")
    @click.option("--user", default=None, help="User name [env NEO4J_USERNAME].")
    @click.option("--password", default=None, help="Password [env NEO4J_PASSWORD].")
    @click.option("--database", default=None, help="Database name [env NEO4J_DATABASE; default neo4j].")
    @functools.wraps(func)
    def wrapper(*args, uri, user, password, database, **kwargs):
        return func(*args, settings=resolve(uri, user, password, database), **kwargs)

    return wrapper
