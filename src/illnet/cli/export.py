"""`illnet export STUDY --to FORMAT --out FILE`: write a study's graph to a file (formats: illnet.export.FORMATS)."""

from pathlib import Path

import click
from rich.console import Console

from illnet.cli.options import connection_options
from illnet.export import FORMATS

console = Console(stderr=True, highlight=False)


@click.command("export")
@click.argument("study")
@click.option("--to", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="What to write: members = one row per participant x member x wave, for multilevel models.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file; its suffix picks the file type (.csv or .parquet).")
@click.option("--wave", type=int, default=None, help="Only this wave (default: every wave).")
@connection_options
def export(study, fmt, out, wave, settings):
    """Export STUDY to a file.

    \b
    Example:
      illnet export nwe --to members --out members.parquet
    """
    table = FORMATS[fmt](study, out, settings=settings, wave=wave)
    console.print(f"wrote {len(table)} rows x {len(table.columns)} columns to {out}", soft_wrap=True)
