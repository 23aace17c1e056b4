"""`illnet schema apply | show`."""

import click
import pandas as pd
from rich.console import Console

from illnet.db import open_driver
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
@output_options
def show(fmt, out):
    """Print the data dictionary: labels, relationship types and properties."""
    emit(pd.DataFrame(dictionary.rows(), columns=dictionary.COLUMNS), fmt, out)
