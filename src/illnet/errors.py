"""Typed errors that the CLI turns into one clear line, a repair hint and exit code 1, and the
warnings it prints as one line each."""

import warnings


class IllnetError(Exception):
    """An expected failure with a message for the user and a hint on how to repair it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ServerError(IllnetError):
    """The managed Neo4j server could not be installed, started or stopped."""


class ConnectionFailed(IllnetError):
    """No Neo4j could be reached with the connection settings in force."""


class InputError(IllnetError):
    """Study input (files or mapping) is invalid; details are in `problems`."""

    def __init__(self, message: str, problems=None, hint: str | None = None):
        super().__init__(message, hint)
        self.problems = list(problems or [])


class QueryError(IllnetError):
    """A canned query or algorithm job was asked for wrongly (name, parameters, mode)."""


class StatementRejected(QueryError):
    """Neo4j refused a statement (a Cypher error, a write in a read-only run)."""


class OutputError(IllnetError):
    """Results cannot be written where they were asked for (--out)."""


class CatalogueError(IllnetError):
    """A .cypher file or job file of the library is malformed: a developer's error, found
    when the catalogue loads, naming file and line."""


def first_line(exc: Exception) -> str:
    """The first line of an exception's message (the driver's and Neo4j's span several)."""
    text = getattr(exc, "message", None) or str(exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0].rstrip(":")


class IllnetWarning(UserWarning):
    """Something the user should know about an answer; the CLI prints it as one line on stderr."""


class NoteWarning(IllnetWarning):
    """A result's note: the data lacks what the question needs, so the answer is empty or partial."""


class ServerWarning(IllnetWarning):
    """A notification of the Neo4j server about a statement (unknown label, type or property; deprecation)."""


# Shown every time, not once per call site: the same cell run twice in a notebook warns twice.
warnings.simplefilter("always", IllnetWarning)


class ExportError(IllnetError):
    """An export was asked for wrongly (unknown study or format, an output file type it cannot write)."""


class PlotError(IllnetError):
    """A picture cannot be drawn for what was asked: an unknown participant, a ring variable
    the study does not declare, a query whose result no chart fits."""
