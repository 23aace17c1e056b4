"""The command line's stderr: errors, hints, notes and warnings, one line each, printed only here
(their text is never read as rich markup)."""

from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True, highlight=False)
LABELS = {"error": "[bold red]error:[/]", "hint": "[yellow]hint:[/]", "note": "[yellow]note:[/]",
          "warning": "[magenta]warning:[/]"}


def say(kind: str, text: str) -> None:
    """One `kind: text` line on stderr (kind one of LABELS)."""
    err_console.print(f"{LABELS[kind]} {escape(text)}", soft_wrap=True)
