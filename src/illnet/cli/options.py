"""Click options and commands shared by the command groups: the connection options,
`--param`, and the `list` and `show` commands of a catalogue (canned queries, jobs)."""

import functools
from collections.abc import Callable

import click

from illnet.cli.output import emit, output_options
from illnet.db import Settings
from illnet.query.catalogue import Catalogue
from illnet.query.rows import Rows


PASSWORD_WARNING = ("warning: --password puts the password on the command line, where other local users "
                    "can read it (ps, /proc); prefer NEO4J_PASSWORD or --password-file")


def connection_options(func):
    """Add --uri/--user/--password-file/--password/--database; the command receives
    `settings`, which holds what was given and is completed (environment, managed server)
    only when a driver is opened. --password still works, with a warning.
    """
    @click.option("--uri", default=None, help="Bolt URI, e.g. bolt://127.0.0.1:7687 [env NEO4J_URI].")
    @click.option("--user", default=None, help="User name [env NEO4J_USERNAME].")
    @click.option("--password-file", type=click.File("r", encoding="utf-8"), default=None,
                  help="Read the password from this file's first line (keep it mode 0600).")
    @click.option("--password", default=None,
                  help="Password; visible to other local users, prefer --password-file [env NEO4J_PASSWORD].")
    @click.option("--database", default=None, help="Database name [env NEO4J_DATABASE; default neo4j].")
    @functools.wraps(func)
    def wrapper(*args, uri, user, password_file, password, database, **kwargs):
        if password is not None:
            click.echo(PASSWORD_WARNING, err=True)
        if password_file is not None:
            password = password_file.readline().strip()
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
        emit(Rows(columns, [list(row(entry)) for entry in catalogue.all().values()]), fmt, out)

    @group.command("show", help=show_help)
    @click.argument("name")
    def show(name):
        click.echo(catalogue.get(name).text, nl=False)
