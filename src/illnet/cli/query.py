"""CLI for the canned query library: `illnet query list|show|run` and `illnet cypher`.

`query run` and `cypher` print plain rows (illnet.query.rows) and import the driver without its
pandas support (illnet.db.import_driver_without_dataframes): pandas is loaded only for what
needs a DataFrame (a release, a chart). `list` and `show` need no driver at all.
"""

import json
import sys

import click

from illnet import db
from illnet.cli.options import add_catalogue_commands, connection_options, param_option
from illnet.cli.output import emit, output_options
from illnet.query import canned
from illnet.query.params import bind, parse_assignments
from illnet.release import DEFAULT_THRESHOLD, threshold


def _reject_constant(name: str):
    """json.loads hook: NaN, Infinity and -Infinity are not JSON, so the text stays a string."""
    raise ValueError(f"{name} is not a JSON literal")


def _json_or_text(text: str):
    """A JSON literal if the text is one (NaN and Infinity are not), else the text itself."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return text


@click.group("query")
def query():
    """Canned questions about illness-work networks, run by name."""


add_catalogue_commands(
    query, canned.QUERIES, ["name", "theme", "answers", "question"],
    lambda q: (q.name, q.theme, ", ".join(map(str, q.answers)), q.question),
    list_help="List the canned queries (name, theme, question).",
    show_help="Print a query's file (header and Cypher, ready to paste into Neo4j Browser).")


@query.command("run")
@click.argument("name")
@param_option
@click.option("--release", "for_release", is_flag=True,
              help="Disclosure control for sharing: pseudonyms for participant and member ids, "
                   "small counts suppressed (with secondary suppression) and statistics over few people.")
@click.option("--min-count", default=DEFAULT_THRESHOLD, show_default=True, type=click.IntRange(1),
              help="With --release: the smallest count shown.")
@output_options
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also draw the result as a chart (.png, .svg, .pdf), for queries a chart fits.")
@connection_options
def run(name, params, for_release, min_count, fmt, out, plot_file, settings):
    """Run the canned query NAME.

    \b
    Example:
      illnet query run composition_by_tie_class -p study=nwe -p wave=0 --format csv
      illnet query run network_size -p study=nwe --release --out size.csv
      illnet query run tie_durability -p study=nwe --plot durability.png
    """
    entry = canned.get(name)
    if plot_file:
        from illnet.plot import charts
        charts.check(entry, plot_file)
    bound = bind(entry, parse_assignments(params), from_text=True)
    db.import_driver_without_dataframes()
    from illnet.query.runner import answer_rows

    result = answer_rows(entry, bound, settings)
    notes = [result.attrs.get("note")]
    release_at = threshold(min_count if for_release else None, result.release_min_count)
    if release_at or plot_file:
        result = result.frame()
    if release_at:
        from illnet.release import declared_columns, release

        result = release(result, bound.get("study"), release_at, declared_columns(entry.returns))
        notes.append(result.attrs["release_note"])
    emit(result, fmt, out, notes=notes)
    if plot_file:
        click.echo(f"wrote {charts.write(entry, result, plot_file)}", err=True)


@click.command("cypher")
@click.argument("statement", required=False)
@click.option("--file", "-f", "file", type=click.File("r", encoding="utf-8"), default=None,
              help="Read the statement from this file ('-' for stdin).")
@click.option("--write", is_flag=True, help="Allow the statement to change the graph (default: read-only).")
@param_option
@output_options
@connection_options
def cypher(statement, file, write, params, fmt, out, settings):
    """Run ad-hoc Cypher (read-only unless --write); STATEMENT '-' reads stdin.

    \b
    Example:
      illnet cypher "MATCH (p:Participant {studyId: \\$study}) RETURN count(p) AS n" -p study=nwe
    Parameter values are read as JSON literals when they are valid JSON (3, true, null,
    ["a","b"], "007") and as strings otherwise.
    """
    if file is not None:
        statement = file.read()
    elif statement == "-":
        statement = sys.stdin.read()
    values = {key: _json_or_text(value) for key, value in parse_assignments(params).items()}
    db.import_driver_without_dataframes()
    from illnet.query.runner import cypher_rows

    emit(cypher_rows(statement or "", settings=settings, write=write, **values), fmt, out)
