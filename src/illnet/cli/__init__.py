"""The `illnet` command line: a thin layer that parses options and calls one library
function per command. Errors of type IllnetError become one line plus a hint, exit 1.

Command modules are imported only when their command runs, so `illnet server stop` or
`illnet --help` do not pay for pandas, numpy and the driver."""

import importlib
import sys

import click
from rich.console import Console
from rich.markup import escape

from illnet import __version__
from illnet.errors import IllnetError

# name -> (module, attribute, one-line help), in the order of `illnet --help`.
COMMANDS = {
    "demo": ("illnet.cli.demo", "demo", "Start Neo4j if needed, load the example studies, show first answers."),
    "server": ("illnet.cli.server", "server", "Install and run the managed Neo4j (5.26 + GDS + APOC + Browser)."),
    "ping": ("illnet.cli.server", "ping", "Check the connection; print Neo4j, GDS and APOC versions."),
    "schema": ("illnet.cli.schema", "schema", "Constraints, indexes and the data dictionary."),
    "mapping": ("illnet.cli.mapping", "mapping", "Write a starter mapping file from a study's headers."),
    "validate": ("illnet.cli.mapping", "validate", "Check a whole study without writing anything."),
    "load": ("illnet.cli.load", "load", "Validate a study, then load it into Neo4j."),
    "export": ("illnet.cli.export", "export", "Write a loaded study for egor, GraphML tools or Parquet."),
    "generate": ("illnet.cli.generate", "generate", "Write a calibrated synthetic study."),
    "query": ("illnet.cli.query", "query", "The canned questions: list, show, run."),
    "cypher": ("illnet.cli.query", "cypher", "Run ad-hoc Cypher (read-only unless --write)."),
    "algo": ("illnet.cli.algo", "algo", "Graph-algorithm jobs (GDS): list, show, run."),
}

err_console = Console(stderr=True, highlight=False)


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
        try:
            return super().invoke(ctx)
        except IllnetError as exc:
            err_console.print(f"[bold red]error:[/] {escape(exc.message)}", soft_wrap=True)
            if exc.hint:
                err_console.print(f"[yellow]hint:[/] {escape(exc.hint)}", soft_wrap=True)
            sys.exit(1)


@click.group(cls=IllnetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="illnet")
def cli():
    """illnet: a Neo4j knowledge base of illness-work networks."""


def main():
    """Console-script entry point."""
    cli()
