"""`illnet mapping init` and `illnet validate`: thin wrappers over mapping_init and read_study."""

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from illnet.errors import InputError
from illnet.load.from_format import guess_from, presets
from illnet.load.mapping_init import guess_mapping
from illnet.load.read import ReadResult, read_study, write_rejects
from illnet.load.report import DEFAULT_MAX_SKIP, over_limit, share_line, skip_shares, summarise

SHOWN_PROBLEMS = 20
console = Console(highlight=False)


@click.group()
def mapping():
    """Write and check mapping files (how a study's files become the canonical tables)."""


@mapping.command("init")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--from", "fmt", type=click.Choice(presets()),
              help="Another tool's export (a preset of loaders/presets/); FILES may then be a folder or zip.")
@click.option("--study", help="With --from: the study id (default: from the first file's name).")
@click.option("--layout", type=click.Choice(["long", "wide"]), help="Layout (default: guessed from the headers).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("mapping.yaml"),
              show_default=True, help="Where to write the starter mapping.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def init(files, fmt, study, layout, out, force):
    """Guess a starter mapping from the headers of FILES (TODO comments where it cannot),
    or, with --from, a complete mapping for another tool's export."""
    if out.exists() and not force:
        raise InputError(f"{out} already exists", hint="choose another --out or add --force")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt:
        text = guess_from(fmt, list(files), out.resolve().parent, study)
    elif any(f.is_dir() for f in files):
        raise InputError("a folder was given", hint="give the files, or use --from FORMAT for a tool's export folder")
    else:
        text = guess_mapping(list(files), out.resolve().parent, layout)
    out.write_text(text, encoding="utf-8")
    todos = text.count("TODO")
    console.print(f"wrote {out} ({todos} TODO{'s' if todos != 1 else ''} to fill in); "
                  f"check it with: illnet validate {out}")


@click.command()
@click.argument("mapping_file", metavar="MAPPING", type=click.Path(path_type=Path))
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every problem to this CSV (file,row,column,value,problem,fix).")
@click.option("--skip-invalid", is_flag=True, help="Report what would load if invalid rows were skipped.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. unmapped source columns) as problems.")
@click.option("--allow-outside", is_flag=True,
              help="Let the mapping name files outside its own folder (refused by default).")
@click.option("--max-skip", type=click.FloatRange(0, 1), default=DEFAULT_MAX_SKIP, show_default=True,
              help="With --skip-invalid: the share of a table that `illnet load --max-skip` would let go.")
def validate(mapping_file, rejects, skip_invalid, strict, allow_outside, max_skip):
    """Read and check a whole study without writing anything; exit 1 on any problem."""
    result = read_study(mapping_file, skip_invalid=skip_invalid, strict=strict, allow_outside=allow_outside)
    print_result(result)
    print_skip_shares(skip_shares(result), max_skip)
    if rejects:
        write_rejects(result.problems, rejects)
        console.print(f"all {len(result.problems)} problem(s) written to {rejects}")
    if not result.ok:
        raise SystemExit(1)


def print_problems(problems: list, mark: str) -> None:
    """Problems by root cause: one line per (file, column, kind), then one line per file
    for the knock-on rejections."""
    summary = summarise(problems)
    for group in summary.groups[:SHOWN_PROBLEMS]:
        console.print(f"{mark} {escape(str(group))}", soft_wrap=True)
    if len(summary.groups) > SHOWN_PROBLEMS:
        console.print(f"... and {len(summary.groups) - SHOWN_PROBLEMS} more kinds of problem "
                      "(use --rejects FILE to get every row)")
    for line in summary.knock_on_lines():
        console.print(f"{mark} {escape(line)}", soft_wrap=True)


def print_skip_shares(shares: dict[str, tuple[int, int]], limit: float = DEFAULT_MAX_SKIP) -> None:
    """With --skip-invalid: the share of each canonical table that is dropped (report.skip_shares)."""
    if not any(dropped for dropped, _ in shares.values()):
        return
    console.print("--skip-invalid drops:")
    over = over_limit(shares, limit)
    for table, (dropped, total) in shares.items():
        note = f"  [red](above the --max-skip limit of {limit:.0%})[/]" if table in over else ""
        console.print(f"  {escape(share_line(table, dropped, total))}{note}", soft_wrap=True)


def print_result(result: ReadResult) -> None:
    """The warnings and the problems by root cause, then the reconciliation table."""
    print_problems(result.warnings, "[yellow]warning:[/]")
    print_problems(result.problems, "[red]x[/]")
    if result.reconciliation:
        table = Table(title="rows per source file")
        for name in ("file", "as", "read", "loaded", "rejected"):
            table.add_column(name, justify="left" if name in ("file", "as") else "right")
        for r in result.reconciliation:
            table.add_row(r.file, r.key, str(r.rows_read), str(r.rows_loaded), str(r.rows_rejected))
        console.print(table)
    summary = summarise(result.problems)
    causes = (f": {len(summary.groups)} root-cause line(s), {sum(summary.knock_on.values())} row(s) rejected "
              "as knock-on")
    verdict = "[green]no problems[/]" if result.ok else f"[red]{len(result.problems)} problem(s)[/]{causes}"
    console.print(verdict)
