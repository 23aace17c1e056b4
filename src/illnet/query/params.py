"""Declared parameters of canned queries and algorithm jobs, and how values are bound to them.

Both kinds of catalogue entry have a `name` and a `params` dict of Param; `bind` checks a
call's values against it (types, choices, vocabularies, unknown names), converts
command-line text, and fills in the defaults. Types: string, integer, float, boolean, list;
defaults are Cypher literals in query headers (null, 0, 'x', [..]) and YAML values in job
files. numpy and pandas scalars (a value taken from a DataFrame) count as the Python value
they hold; an integer Neo4j cannot store (beyond 64 bits) is a QueryError. A list given as
text may be JSON (`["a", "b"]`) or comma-separated (`a,b`).
"""

import ast
import json
from dataclasses import dataclass

from illnet import model
from illnet.errors import QueryError
from illnet.values import as_boolean, plain

TYPES = ("string", "integer", "float", "boolean", "list")
INT64 = (-(2 ** 63), 2 ** 63 - 1)  # the integers a Neo4j property or parameter can hold


@dataclass(frozen=True)
class Param:
    """A declared parameter."""

    name: str
    type: str
    default: object
    choices: tuple[str, ...]
    description: str
    vocabulary: str | None = None  # values (list items) must be codes of this vocabulary

    def spec(self) -> str:
        """'integer, default 0' (with ', one of a|b' or ', codes of <vocabulary>' when declared)."""
        choices = f", one of {'|'.join(self.choices)}" if self.choices else ""
        vocabulary = f", codes of {self.vocabulary}" if self.vocabulary else ""
        return f"{self.type}, default {cypher_literal(self.default)}{choices}{vocabulary}"

    def describe(self) -> str:
        """'wave (integer, default 0)' for messages and the index."""
        return f"{self.name} ({self.spec()})"


def cypher_literal(value) -> str:
    """Show a Python value as the Cypher literal of a header default."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    return repr(value)


def parse_literal(text: str):
    """Parse a Cypher literal of a header default (null, true, 3, 0.5, 'x', ['a', 'b'])."""
    words = {"null": None, "true": True, "false": False}
    if text in words:
        return words[text]
    return ast.literal_eval(text)


def matches_type(value, type_name: str) -> bool:
    """True if a Python value fits a declared parameter type (None always fits)."""
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
    }
    return value is None or checks[type_name](value)


def convert(param: Param, text: str):
    """Convert a command-line string to the parameter's declared type ('null' means null)."""
    if text.strip().lower() == "null":
        return None
    try:
        if param.type == "integer":
            return int(text)
        if param.type == "float":
            return float(text)
        if param.type == "boolean":
            answer = as_boolean(text)
            if answer is None:
                raise ValueError(text)
            return answer
        if param.type == "list":
            return _list_from_text(param, text)
    except ValueError:
        raise QueryError(f"parameter {param.name}: {text!r} is not a {param.type}",
                         hint=f"{param.describe()}: {param.description}") from None
    return text


def _list_from_text(param: Param, text: str) -> list:
    """A list parameter from text: a JSON or Cypher list (`["a", "b"]`, `['a']`) or comma-separated
    items (`a,b`)."""
    if text.lstrip().startswith("["):
        for parse in (json.loads, parse_literal):
            try:
                value = parse(text)
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, list):
                return value
        raise QueryError(f"parameter {param.name}: {text!r} is not a list",
                         hint='write a JSON list such as \'["a", "b"]\' or plain a,b')
    return [item.strip() for item in text.split(",") if item.strip()]


def _too_large(value) -> bool:
    """True for an integer (also inside lists and maps) that Neo4j cannot hold in 64 bits."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not INT64[0] <= value <= INT64[1]
    if isinstance(value, (list, tuple)):
        return any(_too_large(item) for item in value)
    if isinstance(value, dict):
        return any(_too_large(item) for item in value.values())
    return False


def plain_value(name: str, value):
    """A parameter value as plain Python (numpy/pandas scalars unwrapped); an integer beyond
    64 bits raises QueryError (Neo4j integers are 64-bit)."""
    value = plain(value)
    if _too_large(value):
        raise QueryError(f"parameter {name}: {value} is too large for Neo4j (integers are 64-bit, "
                         f"{INT64[0]} to {INT64[1]})", hint="pass a smaller integer, or the value as a string or float")
    return value


def _valid_params(entry) -> str:
    return "; ".join(param.describe() for param in entry.params.values()) or "none"


def _check_value(entry, param: Param, value) -> None:
    """Raise QueryError if a value does not fit the declared type or choices."""
    if not matches_type(value, param.type):
        raise QueryError(f"query {entry.name}: parameter {param.name} must be a {param.type}, not {value!r}",
                         hint=f"valid parameters: {_valid_params(entry)}")
    if param.choices and value is not None and value not in param.choices:
        raise QueryError(f"query {entry.name}: parameter {param.name} must be one of "
                         f"{', '.join(param.choices)}, not {value!r}", hint=param.description)
    if param.vocabulary and value is not None:
        codes = model.vocabulary(param.vocabulary)
        unknown = [item for item in (value if isinstance(value, list) else [value]) if item not in codes]
        if unknown:
            raise QueryError(f"query {entry.name}: parameter {param.name}: {unknown[0]!r} is not a "
                             f"{param.vocabulary} code", hint=f"the codes are {', '.join(codes)}")


def bind(entry, params: dict, from_text: bool = False) -> dict:
    """Check parameters against an entry's declaration (a Query or a Job), convert text
    values, fill in defaults."""
    unknown = sorted(set(params) - set(entry.params))
    if unknown:
        raise QueryError(f"query {entry.name} has no parameter {unknown[0]!r}",
                         hint=f"valid parameters: {_valid_params(entry)}")
    bound = {}
    for name, param in entry.params.items():
        value = params.get(name, param.default)
        if from_text and name in params:
            value = convert(param, value)
        value = plain_value(name, value)
        _check_value(entry, param, value)
        bound[name] = value
    return bound


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Turn ['key=value', ...] (command line) into a dict of strings."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"parameter {pair!r} is not key=value", hint="write e.g. -p study=nwe -p wave=0")
        params[key.strip()] = value
    return params
