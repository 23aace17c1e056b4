"""Declared parameters of canned queries and algorithm jobs, and how values are bound to them.

Both kinds of catalogue entry have a `name` and a `params` dict of Param; `bind` checks a
call's values against it (types, choices, unknown names), converts command-line text, and
fills in the defaults. Types: string, integer, float, boolean, list; defaults are Cypher
literals in query headers (null, 0, 'x', [..]) and YAML values in job files.
"""

import ast
from dataclasses import dataclass

from illnet.errors import QueryError
from illnet.values import as_boolean

TYPES = ("string", "integer", "float", "boolean", "list")


@dataclass(frozen=True)
class Param:
    """A declared parameter."""

    name: str
    type: str
    default: object
    choices: tuple[str, ...]
    description: str

    def spec(self) -> str:
        """'integer, default 0' (with ', one of a|b' when there are choices)."""
        choices = f", one of {'|'.join(self.choices)}" if self.choices else ""
        return f"{self.type}, default {cypher_literal(self.default)}{choices}"

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
            return [item.strip() for item in text.split(",") if item.strip()]
    except ValueError:
        raise QueryError(f"parameter {param.name}: {text!r} is not a {param.type}",
                         hint=f"{param.describe()}: {param.description}") from None
    return text


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
        if isinstance(value, tuple):
            value = list(value)
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
