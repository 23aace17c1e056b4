"""The one output layer for query results: table (rich), CSV, JSON or Markdown, to stdout or a file.

Canned queries, algorithm jobs, ad-hoc Cypher and any other command that returns rows go
through `emit`, which takes a pandas DataFrame or plain rows (illnet.query.rows.Rows: what a
canned query gives the command line, printed without importing pandas, exactly as its
DataFrame would be). Lists are shown as "a; b" in table, CSV and Markdown and stay lists in
JSON. A result's note (e.g. data the question needs is missing) and the server's warnings
about the statement go to stderr, never into the data: `emit` is the one place that prints
them, for queries and jobs alike (the notes of commands that print no rows come as warnings,
illnet.cli).

A table never cuts a value: numbers and identifiers (text without spaces) keep their full
width, free text wraps at spaces, and when the row is still too wide for the terminal (80
columns when output is piped) the rows are shown one field per line instead (vertical
layout). `--out` into a folder that does not exist fails before the query runs; a written
file is reported with its row count on stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from illnet.cli.console import err_console, say
from illnet.errors import OutputError
from illnet.query.rows import Rows
from illnet.values import cell_text, plain, records  # noqa: F401 (records: the JSON rows, also for tests)

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json", "markdown")
DIGITS = 4  # decimals of floats in tables and Markdown


@dataclass(frozen=True)
class View:
    """What the writers read of a result: column names, rows of values, which columns are numeric."""

    columns: list
    rows: list[tuple]
    numeric: list[bool]


def view(result: pd.DataFrame | Rows) -> View:
    """The View of a DataFrame or of Rows (as the DataFrame it becomes would show)."""
    if isinstance(result, Rows):
        stored = result.stored()
        if stored is not None:
            return View(list(result.columns), *stored)
        result = result.frame()  # values that do not fit their declared type: the DataFrame decides
    from pandas.api.types import is_bool_dtype, is_numeric_dtype  # a DataFrame: pandas is loaded

    numeric = [is_numeric_dtype(result[column]) and not is_bool_dtype(result[column]) for column in result.columns]
    return View(list(result.columns), list(result.itertuples(index=False, name=None)), numeric)


def to_csv(result: pd.DataFrame | Rows) -> str:
    """CSV with a header row."""
    shown = view(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(column) for column in shown.columns])
    writer.writerows([cell_text(value) for value in row] for row in shown.rows)
    return buffer.getvalue()


def to_json(result: pd.DataFrame | Rows) -> str:
    """A JSON array of row objects."""
    shown = view(result)
    rows = [{column: plain(value) for column, value in zip(shown.columns, row, strict=True)} for row in shown.rows]
    return json.dumps(rows, indent=2, default=str) + "\n"


def to_markdown(result: pd.DataFrame | Rows) -> str:
    """A GitHub-flavoured Markdown table (floats rounded to 4 decimals)."""
    def row(cells):
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    shown = view(result)
    lines = [row(shown.columns), row(["---"] * len(shown.columns))]
    lines += [row(cell_text(value, 4) for value in values) for values in shown.rows]
    return "\n".join(lines) + "\n"


def _min_width(header: str, cells: list[str], wraps: bool) -> int:
    """The narrowest a column can be without cutting: its header and, for free text that wraps
    at spaces, its longest word, else its longest value."""
    parts = [word for cell in cells for word in cell.split()] if wraps else cells
    return max([len(header), *map(len, parts)])


def to_table(result: pd.DataFrame | Rows, width: int | None = None) -> Table | None:
    """A rich Table (floats rounded to 4 decimals) in which no value is cut, or None when even
    its narrowest form is wider than `width` (None: any width)."""
    shown = view(result)
    rows = [[cell_text(value, DIGITS) for value in values] for values in shown.rows]
    columns = []
    for index, column in enumerate(shown.columns):
        cells = [row[index] for row in rows]
        numeric = shown.numeric[index]
        wraps = not numeric and any(" " in cell for cell in cells)
        columns.append((str(column), numeric, wraps, _min_width(str(column), cells, wraps)))
    if width is not None and sum(minimum + 3 for *_, minimum in columns) - 1 > width:
        return None
    table = Table(show_edge=False, header_style="bold")
    for name, numeric, wraps, minimum in columns:
        table.add_column(name, justify="right" if numeric else "left", min_width=minimum,
                         no_wrap=not wraps, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def to_vertical(result: pd.DataFrame | Rows) -> str:
    """One block per row, one 'column  value' line per field (for rows too wide for a table)."""
    shown = view(result)
    names = [str(column) for column in shown.columns]
    wide = max(map(len, names), default=0)
    blocks = []
    for number, values in enumerate(shown.rows, start=1):
        lines = [f"-[ row {number} ]" + "-" * max(0, wide - 6)]
        lines += [f"{name.ljust(wide)}  {cell_text(value, DIGITS)}" for name, value in zip(names, values, strict=True)]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n" if blocks else "  ".join(names) + "\n"


def _table_text(frame: pd.DataFrame | Rows, width: int | None) -> str:
    """The table as text, at most `width` wide (vertical layout when it does not fit)."""
    table = to_table(frame, width)
    if table is None:
        return to_vertical(frame)
    buffer = io.StringIO()
    Console(file=buffer, width=width or 10_000, highlight=False, color_system=None).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def render(frame: pd.DataFrame | Rows, fmt: str, width: int | None = None) -> str:
    """The frame as text in one of FORMATS (a table at most `width` wide; None: as wide as it needs)."""
    if fmt == "table":
        return _table_text(frame, width)
    writers = {"csv": to_csv, "json": to_json, "markdown": to_markdown}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return writers[fmt](frame)


def check_out(out: str | Path | None) -> Path | None:
    """The --out path, once its folder is known to exist (else OutputError)."""
    if out is None:
        return None
    path = Path(out)
    if not path.parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {path.parent} does not exist",
                          hint=f"create it first (mkdir -p {path.parent}) or choose another --out")
    return path


def _rows(count: int) -> str:
    return f"{count} row" + ("" if count == 1 else "s")


def emit(result: pd.DataFrame | Rows, fmt: str = "table", out: str | Path | None = None,
         notes: list[str | None] | None = None) -> None:
    """Write the result to stdout (a table on a terminal) or to `out`, saying how many rows were
    written where. First, on stderr, one line each: the server's warnings about the statement
    (attrs['warnings']) and the notes (default: the result's own, attrs['note'])."""
    for text in result.attrs.get("warnings", []):
        say("warning", text)
    notes = [note for note in (notes if notes is not None else [result.attrs.get("note")]) if note]
    for note in notes:
        say("note", note)
    path = check_out(out)
    if path is not None:
        try:
            path.write_text(render(result, fmt), encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}", hint="choose another --out") from None
        err_console.print(f"wrote {_rows(len(result))} ({fmt}) to {path}", soft_wrap=True, markup=False)
    elif fmt == "table":
        console = Console(highlight=False)
        table = to_table(result, console.width)
        if table is None:
            sys.stdout.write(to_vertical(result))
        else:
            console.print(table)
        if result.empty and not notes:
            err_console.print("(no rows)")
    else:
        sys.stdout.write(render(result, fmt))


def _out_callback(ctx, param, value):
    return None if value is None else str(check_out(value))


def output_options(func):
    """Click decorator adding --format and --out; the command receives `fmt` and `out`."""
    func = click.option("--out", "-o", type=click.Path(dir_okay=False), default=None, callback=_out_callback,
                        help="Write to this file instead of stdout.")(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="How to write the rows.")(func)
