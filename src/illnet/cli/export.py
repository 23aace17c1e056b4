"""`illnet export STUDY --to FORMAT --out PATH`: a loaded study written for another tool."""

import importlib
from pathlib import Path

import click
from rich.console import Console

from illnet.cli.options import connection_options
from illnet.export.study import read_study_graph

# --to choice -> module of illnet.export with `write(data, out, ...) -> list[Path]`
FORMATS = {"egor": "egor", "graphml": "graphml", "parquet": "parquet"}
console = Console(highlight=False)


@click.command()
@click.argument("study")
@click.option("--to", "fmt", type=click.Choice(list(FORMATS)), required=True, help="The format to write.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write into (created if missing).")
@click.option("--pooled", is_flag=True, help="graphml: one file for all participants (default: one each).")
@connection_options
def export(study, fmt, out, pooled, settings):
    """Write STUDY's participants, members and member ties as FORMAT files, with a
    mapping.yaml that `illnet load` reads back into the same graph."""
    data = read_study_graph(study, settings)
    module = importlib.import_module(f"illnet.export.{FORMATS[fmt]}")
    written = module.write(data, out, pooled=pooled) if fmt == "graphml" else module.write(data, out)
    console.print(f"study '{study}' written as {fmt}: " + ", ".join(str(p) for p in written))
    left_out = {name: count for name, count in data.left_out.items() if count}
    if left_out:
        console.print("[yellow]not exported[/] (no place for them in these formats): "
                      + ", ".join(f"{count} {name}" for name, count in left_out.items()))
