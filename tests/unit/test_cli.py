"""The command line's table of commands matches the commands it imports (no database)."""

import importlib

import click

from illnet.cli import COMMANDS


def test_every_listed_command_imports_under_its_name():
    for name, (module, attribute, help_text) in COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        assert command.name == name and help_text
