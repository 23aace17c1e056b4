"""The `illnet` command line: a thin layer that parses options and calls one library
function per command. Errors of type IllnetError become one line plus a hint, exit 1, and so
do the few failures that can come from below illnet's own checks (the connection to Neo4j lost
during a command, a number too large for Neo4j); any other exception is a bug and keeps its
traceback. Warnings of illnet (notes about answers, the server's notifications) are printed as
one `note:` or `warning:` line each on stderr, as they happen; the commands that print results
take a result's own note and warnings from it (illnet.cli.output.emit), in the same lines.

Command modules are imported only when their command runs, so `illnet server stop` or
`illnet --help` do not pay for pandas, numpy and the driver."""

import importlib
import sys
import warnings

import click

from illnet.cli.console import say
from illnet.errors import ConnectionFailed, IllnetError, IllnetWarning, NoteWarning, first_line

# name -> (module, attribute, one-line help), in the order of `illnet --help`.
COMMANDS = {
    "demo": ("illnet.cli.demo", "demo", "Start Neo4j if needed, load the example studies, show first answers."),
    "server": ("illnet.cli.server", "server", "Install and run the managed Neo4j (5.26 + GDS + APOC + Browser)."),
    "ping": ("illnet.cli.server", "ping", "Check the connection; print Neo4j, GDS and APOC versions."),
    "schema": ("illnet.cli.schema", "schema", "Constraints, indexes and the data dictionary."),
    "mapping": ("illnet.cli.mapping", "mapping", "Write a starter mapping file from a study's headers."),
    "validate": ("illnet.cli.mapping", "validate", "Check a whole study without writing anything."),
    "load": ("illnet.cli.load", "load", "Validate a study, then load it into Neo4j."),
    "export": ("illnet.cli.export", "export",
               "Write a loaded study for another tool: a member table, egor files, GraphML, Parquet."),
    "generate": ("illnet.cli.generate", "generate", "Write a calibrated synthetic study."),
    "query": ("illnet.cli.query", "query", "The canned questions: list, show, run."),
    "cypher": ("illnet.cli.query", "cypher", "Run ad-hoc Cypher (read-only unless --write)."),
    "algo": ("illnet.cli.algo", "algo", "Graph-algorithm jobs (GDS): list, show, run."),
    "egogram": ("illnet.cli.egogram", "egogram", "Draw egograms: one participant, two waves, or a grid."),
    "report": ("illnet.cli.report", "report", "Write a self-contained HTML report of a study."),
}

LOST_CONNECTION = ("ServiceUnavailable", "SessionExpired")  # neo4j.exceptions, matched by name: no import here


def as_illnet_error(exc: Exception) -> IllnetError | None:
    """The IllnetError for a failure that escaped illnet's own checks, or None (a bug)."""
    if isinstance(exc, OverflowError):
        return IllnetError(f"a number is too large for Neo4j ({exc})",
                           hint="Neo4j integers are 64-bit; store such values as text or floats")
    if any(kind.__module__.startswith("neo4j") and kind.__name__ in LOST_CONNECTION for kind in type(exc).__mro__):
        return ConnectionFailed(f"lost the connection to Neo4j during the command: {first_line(exc)}",
                                hint="is the server still running? check `illnet server status`, then run "
                                     "the command again (a load completes what an interrupted one left)")
    return None


def _report(exc: IllnetError) -> None:
    say("error", exc.message)
    if exc.hint:
        say("hint", exc.hint)
    sys.exit(1)


def _show_warning(message, category, filename, lineno, file=None, line=None, _default=warnings.showwarning):
    """Print illnet's warnings as one line (note: / warning:); others as Python does."""
    if not issubclass(category, IllnetWarning):
        return _default(message, category, filename, lineno, file, line)
    say("note" if issubclass(category, NoteWarning) else "warning", str(message))
    return None


class IllnetGroup(click.Group):
    """Root group: imports commands lazily and reports IllnetError as one clean line."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_text) for name, (_, _, help_text) in COMMANDS.items()])

    def invoke(self, ctx):
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            warnings.simplefilter("always", IllnetWarning)
            try:
                return super().invoke(ctx)
            except IllnetError as exc:
                _report(exc)
            except Exception as exc:
                translated = as_illnet_error(exc)
                if translated is None:
                    raise
                _report(translated)


def _print_version(ctx, param, value):
    """--version: the version, read only when asked for (illnet.__version__)."""
    if value and not ctx.resilient_parsing:
        from illnet import __version__

        click.echo(f"illnet, version {__version__}")
        ctx.exit()


@click.group(cls=IllnetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
def cli():
    """illnet: a Neo4j knowledge base of illness-work networks."""


def main():
    """Console-script entry point."""
    cli()
