"""Click options shared by every command that talks to Neo4j."""

import functools

import click

from illnet.connection import resolve


def connection_options(command):
    """Add --uri/--user/--password/--database and pass a resolved `settings` argument."""

    @click.option("--uri", help="Bolt URI (default: $NEO4J_URI, else the managed server).")
    @click.option("--user", help="User name (default: $NEO4J_USERNAME, else neo4j).")
    @click.option("--password", help="Password (default: $NEO4J_PASSWORD, else the managed server's).")
    @click.option("--database", help="Database (default: $NEO4J_DATABASE, else neo4j).")
    @functools.wraps(command)
    def wrapper(*args, uri, user, password, database, **kwargs):
        return command(*args, settings=resolve(uri, user, password, database), **kwargs)

    return wrapper
