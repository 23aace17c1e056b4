"""The one output layer for query results: table (rich), CSV, JSON or Markdown, to stdout or a file.

Canned queries, ad-hoc Cypher and any other command that returns rows go through `emit`.
Lists are shown as "a; b" in table, CSV and Markdown and stay lists in JSON; a note about
the result (e.g. data the question needs is missing) goes to stderr, never into the data.
"""

import io
import json
import sys
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from illnet.values import cell_text, records

FORMATS = ("table", "csv", "json", "markdown")


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with a header row."""
    text = frame.map(cell_text) if len(frame) else frame
    return text.to_csv(index=False, lineterminator="\n")


def to_json(frame: pd.DataFrame) -> str:
    """A JSON array of row objects."""
    return json.dumps(records(frame), indent=2, default=str) + "\n"


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (floats rounded to 4 decimals)."""
    def row(cells):
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    lines = [row(frame.columns), row(["---"] * len(frame.columns))]
    lines += [row(cell_text(value, 4) for value in values) for values in frame.itertuples(index=False, name=None)]
    return "\n".join(lines) + "\n"


def to_table(frame: pd.DataFrame) -> Table:
    """A rich Table (floats rounded to 4 decimals)."""
    table = Table(show_edge=False, header_style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for values in frame.itertuples(index=False, name=None):
        table.add_row(*(cell_text(value, 4) for value in values))
    return table


def render(frame: pd.DataFrame, fmt: str) -> str:
    """The frame as text in one of FORMATS."""
    if fmt == "table":
        buffer = io.StringIO()
        Console(file=buffer, width=200, highlight=False, color_system=None).print(to_table(frame))
        return buffer.getvalue()
    writers = {"csv": to_csv, "json": to_json, "markdown": to_markdown}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return writers[fmt](frame)


def emit(frame: pd.DataFrame, fmt: str = "table", out: str | Path | None = None, note: str | None = None) -> None:
    """Write the frame to stdout (a rich table on a terminal) or to `out`; the note goes to stderr."""
    if note:
        Console(stderr=True, highlight=False).print(f"[yellow]note:[/] {note}", soft_wrap=True)
    if out:
        Path(out).write_text(render(frame, fmt), encoding="utf-8")
    elif fmt == "table":
        Console(highlight=False).print(to_table(frame))
    else:
        sys.stdout.write(render(frame, fmt))


def output_options(func):
    """Click decorator adding --format and --out; the command receives `fmt` and `out`."""
    func = click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                        help="Write to this file instead of stdout.")(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="How to write the rows.")(func)
