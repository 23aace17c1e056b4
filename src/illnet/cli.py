"""The `illnet` command line: a thin layer that parses options and calls one library
function per command. Errors of type IllnetError become one line plus a hint, exit 1."""

import importlib
import sys

import click
from rich.console import Console
from rich.markup import escape

from illnet import __version__
from illnet.errors import IllnetError

# (module, attribute) of every command or command group, in the order of `illnet --help`.
COMMANDS = [
    ("illnet.demo_command", "demo"),
    ("illnet.server.commands", "server"),
    ("illnet.server.commands", "ping"),
    ("illnet.schema.commands", "schema"),
    ("illnet.loaders.commands", "mapping"),
    ("illnet.loaders.commands", "validate"),
    ("illnet.loaders.load_commands", "load"),
    ("illnet.loaders.generate_commands", "generate"),
    ("illnet.queries.commands", "query"),
    ("illnet.queries.commands", "cypher"),
    ("illnet.queries.algo_commands", "algo"),
]

err_console = Console(stderr=True, highlight=False)


class IllnetGroup(click.Group):
    """Root group that reports IllnetError as one clean line instead of a traceback."""

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


for module_name, attribute in COMMANDS:
    cli.add_command(getattr(importlib.import_module(module_name), attribute))


def main():
    """Console-script entry point."""
    cli()
