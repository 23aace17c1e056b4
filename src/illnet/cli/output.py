"""The one output layer for query results: table (rich), CSV, JSON or Markdown, to stdout or a file.

Canned queries, ad-hoc Cypher and any other command that returns rows go through `emit`.
Lists are shown as "a; b" in table, CSV and Markdown and stay lists in JSON; a note about
the result (e.g. data the question needs is missing) goes to stderr, never into the data.

A table never cuts a value: numbers and identifiers (text without spaces) keep their full
width, free text wraps at spaces, and when the row is still too wide for the terminal (80
columns when output is piped) the rows are shown one field per line instead (vertical
layout). `--out` into a folder that does not exist fails before the query runs; a written
file is reported with its row count on stderr.
"""

import io
import json
import sys
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from illnet.errors import OutputError
from illnet.values import cell_text, records

FORMATS = ("table", "csv", "json", "markdown")
DIGITS = 4  # decimals of floats in tables and Markdown


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


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _min_width(header: str, cells: list[str], wraps: bool) -> int:
    """The narrowest a column can be without cutting: its header and, for free text that wraps
    at spaces, its longest word, else its longest value."""
    parts = [word for cell in cells for word in cell.split()] if wraps else cells
    return max([len(header), *map(len, parts)])


def to_table(frame: pd.DataFrame, width: int | None = None) -> Table | None:
    """A rich Table (floats rounded to 4 decimals) in which no value is cut, or None when even
    its narrowest form is wider than `width` (None: any width)."""
    rows = [[cell_text(value, DIGITS) for value in values] for values in frame.itertuples(index=False, name=None)]
    columns = []
    for index, column in enumerate(frame.columns):
        cells = [row[index] for row in rows]
        numeric = _is_numeric(frame[column])
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


def to_vertical(frame: pd.DataFrame) -> str:
    """One block per row, one 'column  value' line per field (for rows too wide for a table)."""
    names = [str(column) for column in frame.columns]
    wide = max(map(len, names), default=0)
    blocks = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        lines = [f"-[ row {number} ]" + "-" * max(0, wide - 6)]
        lines += [f"{name.ljust(wide)}  {cell_text(value, DIGITS)}" for name, value in zip(names, values, strict=True)]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n" if blocks else "  ".join(names) + "\n"


def _table_text(frame: pd.DataFrame, width: int | None) -> str:
    """The table as text, at most `width` wide (vertical layout when it does not fit)."""
    table = to_table(frame, width)
    if table is None:
        return to_vertical(frame)
    buffer = io.StringIO()
    Console(file=buffer, width=width or 10_000, highlight=False, color_system=None).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def render(frame: pd.DataFrame, fmt: str, width: int | None = None) -> str:
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


def emit(frame: pd.DataFrame, fmt: str = "table", out: str | Path | None = None, note: str | None = None) -> None:
    """Write the frame to stdout (a table on a terminal) or to `out`, saying how many rows were
    written where; the note goes to stderr."""
    err = Console(stderr=True, highlight=False)
    if note:
        err.print(f"[yellow]note:[/] {note}", soft_wrap=True)
    path = check_out(out)
    if path is not None:
        try:
            path.write_text(render(frame, fmt), encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}", hint="choose another --out") from None
        err.print(f"wrote {_rows(len(frame))} ({fmt}) to {path}", soft_wrap=True, markup=False)
    elif fmt == "table":
        console = Console(highlight=False)
        table = to_table(frame, console.width)
        if table is None:
            sys.stdout.write(to_vertical(frame))
        else:
            console.print(table)
        if frame.empty and not (note or frame.attrs.get("note")):
            err.print("(no rows)")
    else:
        sys.stdout.write(render(frame, fmt))


def _out_callback(ctx, param, value):
    return None if value is None else str(check_out(value))


def output_options(func):
    """Click decorator adding --format and --out; the command receives `fmt` and `out`."""
    func = click.option("--out", "-o", type=click.Path(dir_okay=False), default=None, callback=_out_callback,
                        help="Write to this file instead of stdout.")(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="How to write the rows.")(func)
