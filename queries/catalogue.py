"""The canned query library: one .cypher file per analyst question, loaded and checked by name.

Each file under queries/<theme>/ opens with a comment header, then the Cypher body, which
pastes into Neo4j Browser as it is:

    // name: composition_by_tie_class          (required; equals the file name)
    // question: What share of ...?            (required)
    // concept: Network composition (not a proxy) | Collective efficacy (PROXY: definition)
    // answers: 2, 22                           (numbers of the analyst questions in domain.md)
    // needs: member_ties, resources, next_wave (optional; checked before running, see runner)
    // param: wave (integer, default 0[, choices a|b]) - description      (one line per parameter)
    // returns: tieClass (string) - description                          (required; one line per column)
    // example:
    // :param wave => 0;

Types: string, integer, float, boolean, list; defaults are Cypher literals (null, 0, 'x', [..]).
Loading fails with a QueryError naming file and line when a header is incomplete or does not
match the body (a $parameter used but not declared, or declared but unused).

`python -m illnet.queries.catalogue --readme` prints the index (queries/README.md);
`--write` rewrites that file.
"""

import argparse
import ast
import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from illnet.errors import QueryError

TYPES = ("string", "integer", "float", "boolean", "list")
NEEDS = {
    "member_ties": "member-member ties (KNOWS)",
    "resources": "groups, organisations or services (Resource nodes with links)",
    "next_wave": "a follow-up wave after the requested one",
}
REQUIRED = ("name", "question", "concept", "returns")
SINGLE_KEYS = ("name", "question", "concept", "answers", "needs")
ANALYST_QUESTIONS = range(1, 24)

_HEADER_LINE = re.compile(r"^//\s?(\w+):\s*(.*)$")
_PARAM = re.compile(r"^(\w+) \((\w+), default (.+?)(?:, choices ([\w|]+))?\) - (.+)$")
_COLUMN = re.compile(r"^(\w+) \((\w+)\) - (.+)$")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_COMMENTS = re.compile(r"//[^\n]*")
_PARAM_USE = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

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


@dataclass(frozen=True)
class Column:
    """A declared result column."""

    name: str
    type: str
    description: str

    def spec(self) -> str:
        """The column's type (as Param.spec, for listings of both)."""
        return self.type


@dataclass(frozen=True)
class Query:
    """One canned query: its header, parsed, and its Cypher body."""

    name: str
    path: Path
    theme: str
    question: str
    concept: str
    answers: tuple[int, ...]
    needs: tuple[str, ...]
    params: dict[str, Param]
    returns: tuple[Column, ...]
    example: str
    body: str

    @property
    def text(self) -> str:
        """The whole file, header and body."""
        return self.path.read_text(encoding="utf-8")

    @property
    def is_proxy(self) -> bool:
        """True when the concept is measured through a declared proxy."""
        return "PROXY" in self.concept


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


def parameters_used(body: str) -> set[str]:
    """Names of the $parameters a Cypher body uses (strings and comments ignored)."""
    return set(_PARAM_USE.findall(_COMMENTS.sub("", _STRINGS.sub("''", body))))


def parse_file(path: Path, theme: str) -> Query:
    """Parse and check one .cypher file; raise QueryError naming file and line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, tuple[str, int]] = {}
    params: dict[str, Param] = {}
    param_lines: dict[str, int] = {}
    returns: list[Column] = []
    example: list[str] = []
    position = 0

    def fail(line_no: int, problem: str, hint: str | None = None):
        raise QueryError(f"{path}:{line_no}: {problem}", hint=hint)

    while position < len(lines) and lines[position].startswith("//"):
        line_no, line = position + 1, lines[position]
        position += 1
        if example:
            example.append(line[2:].strip())
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            fail(line_no, f"header line not understood: {line!r}", "write '// key: value'")
        key, value = match.groups()
        if key == "example":
            example.append("")
        elif key == "param":
            params_match = _PARAM.match(value)
            if not params_match:
                fail(line_no, f"param not understood: {value!r}",
                     "write '// param: name (type, default value[, choices a|b]) - description'")
            name, type_name, default_text, choices, description = params_match.groups()
            if type_name not in TYPES:
                fail(line_no, f"param {name}: unknown type {type_name!r}", f"use one of {', '.join(TYPES)}")
            try:
                default = parse_literal(default_text)
            except (ValueError, SyntaxError):
                fail(line_no, f"param {name}: default {default_text!r} is not a Cypher literal")
            if not matches_type(default, type_name):
                fail(line_no, f"param {name}: default {default_text} is not a {type_name}")
            if name in params:
                fail(line_no, f"param {name} declared twice")
            params[name] = Param(name, type_name, default, tuple(choices.split("|")) if choices else (),
                                 description)
            param_lines[name] = line_no
        elif key == "returns":
            column = _COLUMN.match(value)
            if not column:
                fail(line_no, f"returns not understood: {value!r}",
                     "write '// returns: column (type) - description', one line per column")
            returns.append(Column(*column.groups()))
            fields.setdefault("returns", (value, line_no))
        elif key in SINGLE_KEYS:
            if key in fields:
                fail(line_no, f"{key} given twice")
            fields[key] = (value, line_no)
        else:
            fail(line_no, f"unknown header key {key!r}",
                 "use name, question, concept, answers, needs, param, returns or example")

    header_end = position
    for key in REQUIRED:
        if key not in fields or not fields[key][0].strip():
            fail(header_end or 1, f"header has no {key}", f"add '// {key}: ...' to the header")
    name, name_line = fields["name"]
    if name != path.stem:
        fail(name_line, f"name {name!r} differs from the file name {path.stem!r}")

    answers: tuple[int, ...] = ()
    if "answers" in fields:
        text, line_no = fields["answers"]
        try:
            answers = tuple(int(item) for item in text.split(","))
        except ValueError:
            fail(line_no, f"answers must be question numbers separated by commas, not {text!r}")
        if not set(answers) <= set(ANALYST_QUESTIONS):
            fail(line_no, f"answers {text!r}: analyst questions are numbered 1 to 23")

    needs: tuple[str, ...] = ()
    if "needs" in fields:
        text, line_no = fields["needs"]
        needs = tuple(item.strip() for item in text.split(","))
        unknown = [need for need in needs if need not in NEEDS]
        if unknown:
            fail(line_no, f"unknown need {unknown[0]!r}", f"use one of {', '.join(NEEDS)}")

    body = "\n".join(lines[header_end:]).strip()
    if not body:
        fail(header_end + 1, "the file has no Cypher body after the header")
    used = parameters_used(body)
    for missing in sorted(used - set(params)):
        body_line = next(i for i, line in enumerate(lines, 1) if i > header_end and f"${missing}" in line)
        fail(body_line, f"${missing} is used in the body but not declared",
             f"add '// param: {missing} (type, default value) - description' to the header")
    for unused in sorted(set(params) - used):
        fail(param_lines[unused], f"parameter {unused} is declared but the body never uses ${unused}",
             "remove the param line or use the parameter")

    return Query(name=name, path=path, theme=theme, question=fields["question"][0], concept=fields["concept"][0],
                 answers=answers, needs=needs, params=params, returns=tuple(returns),
                 example="\n".join(example).strip(), body=body)


def library_root() -> Path:
    """The folder holding the theme folders of .cypher files."""
    return Path(str(files("illnet.queries")))


def load(root: Path | None = None) -> dict[str, Query]:
    """Parse every .cypher file under root (default: the installed library), by name."""
    root = root or library_root()
    catalogue: dict[str, Query] = {}
    for path in sorted(root.glob("*/*.cypher")):
        query = parse_file(path, theme=path.parent.name)
        if query.name in catalogue:
            raise QueryError(f"{path}:1: query name {query.name!r} is also used by {catalogue[query.name].path}")
        catalogue[query.name] = query
    return catalogue


@cache
def catalogue() -> dict[str, Query]:
    """The installed library, loaded once."""
    return load()


def get(name: str) -> Query:
    """The query called `name`; an unknown name raises QueryError suggesting close names."""
    queries = catalogue()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, queries, n=3, cutoff=0.5)
    close += [known for known in queries if name and name in known and known not in close][: 3 - len(close)]
    hint = f"did you mean {', '.join(close)}?" if close else "run `illnet query list` to see the names"
    raise QueryError(f"no canned query called {name!r}", hint=hint)


def readme_text(queries: dict[str, Query] | None = None) -> str:
    """The Markdown index of the library (queries/README.md), generated from the headers."""
    queries = queries or catalogue()
    out = [
        "# The canned query library",
        "",
        "<!-- Generated from the .cypher headers by `python -m illnet.queries.catalogue --write`;",
        "     do not edit by hand (a unit test fails when this file drifts). -->",
        "",
        "One `.cypher` file per analyst question, grouped by theme. Each file starts with a header",
        "(name, question, concept, parameters with types and defaults, returned columns, an example)",
        "and its body pastes into Neo4j Browser as it is (set the parameters with the `:param` lines",
        "of the example). Run them by name:",
        "",
        "    illnet query list",
        "    illnet query show network_size",
        "    illnet query run network_size -p study=nwe -p wave=0 --format csv --out size.csv",
        "",
        "or from Python: `illnet.queries.run(\"network_size\", study=\"nwe\")` returns a pandas DataFrame.",
        "A study of null means all studies. Concepts marked PROXY say which definition they use.",
        "Queries that need data a study may lack (`needs:`) return an empty result with a note",
        "(in Python: `DataFrame.attrs['note']`) instead of a misleading number.",
        "",
        "## By analyst question",
        "",
        "| # | queries |",
        "| --- | --- |",
    ]
    for number in ANALYST_QUESTIONS:
        names = [f"`{q.name}`" for q in queries.values() if number in q.answers]
        out.append(f"| {number} | {', '.join(names) or '-'} |")
    for theme in sorted({q.theme for q in queries.values()}):
        out += ["", f"## {theme}", ""]
        for query in (q for q in queries.values() if q.theme == theme):
            out += [f"### `{query.name}`", "", query.question, "", f"- concept: {query.concept}"]
            if query.needs:
                out.append(f"- needs: {', '.join(NEEDS[need] for need in query.needs)}")
            for param in query.params.values():
                out.append(f"- parameter `{param.describe()}`: {param.description}")
            out.append("- returns: " + "; ".join(f"`{c.name}` ({c.type}) {c.description}" for c in query.returns))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def readme_path() -> Path:
    """Where the generated index lives."""
    return library_root() / "README.md"


def main(argv: list[str] | None = None) -> None:
    """Print (--readme) or rewrite (--write) queries/README.md from the headers."""
    parser = argparse.ArgumentParser(prog="python -m illnet.queries.catalogue", description=main.__doc__)
    parser.add_argument("--readme", action="store_true", help="print the generated README to stdout")
    parser.add_argument("--write", action="store_true", help="rewrite queries/README.md")
    args = parser.parse_args(argv)
    text = readme_text()
    if args.write:
        readme_path().write_text(text, encoding="utf-8")
    if args.readme or not args.write:
        print(text, end="")


if __name__ == "__main__":
    main()
