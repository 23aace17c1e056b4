"""`illnet schema apply | show`."""

import click
import pandas as pd
from rich.console import Console

from illnet.db import open_driver
from illnet.query import scope
from illnet.cli.options import connection_options
from illnet.cli.output import emit, output_options
from illnet.model import apply as migrations
from illnet.model import dictionary

console = Console(highlight=False)


@click.group()
def schema():
    """The graph model: constraints, indexes and the data dictionary."""


@schema.command("apply")
@connection_options
def apply_command(settings):
    """Create constraints, indexes and vocabulary nodes (idempotent; recorded as :Migration)."""
    settings = settings.resolved()
    with open_driver(settings) as driver:
        applied = migrations.apply(driver, settings.database)
        recorded = migrations.applied_migrations(driver, settings.database)
    console.print(f"applied: {', '.join(applied) or 'nothing new'}; "
                  f"recorded migrations: {', '.join(m['id'] for m in recorded)}")


@schema.command()
@click.option("--study", default=None, help="List this loaded study's own attributes (needs the database).")
@output_options
@connection_options
def show(study, fmt, out, settings):
    """Print the data dictionary: labels, relationship types and properties; with --study,
    the attributes that study declares (type, label, codes, source column)."""
    if study is None:
        emit(pd.DataFrame(dictionary.rows(), columns=dictionary.COLUMNS), fmt, out)
        return
    settings = settings.resolved()
    with open_driver(settings) as driver, driver.session(database=settings.database) as session:
        scope.require(session, study)
        rows = dictionary.study_rows(driver, settings.database, study)
    emit(pd.DataFrame(rows, columns=dictionary.COLUMNS), fmt, out,
         notes=[None if rows else f"study {study!r} declares no attributes"])
