"""Click options shared by the commands: the connection options and `--param`."""

import functools

import click

from illnet.db import Settings


def connection_options(func):
    """Add --uri/--user/--password/--database; the command receives `settings`, which holds
    what was given and is completed (environment, managed server) only when a driver is opened.
    """
    @click.option("--uri", default=None, help="Bolt URI, e.g. bolt://127.0.0.1:7687 [env NEO4J_URI].")
    @click.option("--user", default=None, help="User name [env NEO4J_USERNAME].")
    @click.option("--password", default=None, help="Password [env NEO4J_PASSWORD].")
    @click.option("--database", default=None, help="Database name [env NEO4J_DATABASE; default neo4j].")
    @functools.wraps(func)
    def wrapper(*args, uri, user, password, database, **kwargs):
        return func(*args, settings=Settings(uri, user, password, database), **kwargs)

    return wrapper


param_option = click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
                            help="A parameter (repeatable); 'null' means null.")
