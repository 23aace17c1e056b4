"""Click options and commands shared by the command groups: the connection options,
`--param`, and the `list` and `show` commands of a catalogue (canned queries, jobs)."""

import functools
from collections.abc import Callable

import click
import pandas as pd

from illnet.cli.output import emit, output_options
from illnet.db import Settings
from illnet.query.catalogue import Catalogue


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


def add_catalogue_commands(group: click.Group, catalogue: Catalogue, columns: list[str], row: Callable,
                           list_help: str, show_help: str) -> None:
    """Add `list` (one row per entry, through the output layer) and `show NAME` (the
    entry's file as it is) to a command group."""
    @group.command("list", help=list_help)
    @output_options
    def list_entries(fmt, out):
        emit(pd.DataFrame([row(entry) for entry in catalogue.all().values()], columns=columns), fmt, out)

    @group.command("show", help=show_help)
    @click.argument("name")
    def show(name):
        click.echo(catalogue.get(name).text, nl=False)
