"""The canned query library: one .cypher file per analyst question, loaded and checked by name.

Each file under queries/<theme>/ opens with a comment header, then the Cypher body, which
pastes into Neo4j Browser as it is:

    // name: composition_by_tie_class          (required; equals the file name)
    // question: What share of ...?            (required)
    // concept: Network composition (not a proxy) | Collective efficacy (PROXY: definition)
    // answers: 2, 22                           (numbers of the analyst questions in queries/QUESTIONS.md)
    // needs: member_ties, support_flows, circles when tieDefinition = circle, job:network_types
    //                                           (optional; checked before running, see runner)
    // param: wave (integer, default 0[, choices a|b][, vocabulary v]) - description  (one per parameter)
    // known: attribute (member attribute)      (optional, one line per parameter; see KNOWN)
    // returns: tieClass (string) - description                          (required; one line per column)
    // example:
    // :param wave => 0;

Types: string, integer, float, boolean, list; defaults are Cypher literals (null, 0, 'x', [..]);
`vocabulary v` checks the value (or each list item) against a vocabulary of schema/vocabularies.yaml.
A need holds always, or only `when` a parameter has a value; `job:NAME` needs the results that
algorithm job writes (see NEEDS).
`known:` says that a parameter's value must name something the study has (a wave it recorded,
a tie type, an attribute its members carry); illnet.query.known checks it before the query
runs, so a misspelt name is an error listing the known names, never an empty or null answer.
Loading fails with a CatalogueError naming file and line when a header is incomplete or does not
match the body (a $parameter used but not declared, or declared but unused).

`python -m illnet.query.canned --readme` prints the index (queries/README.md);
`--write` rewrites that file.
"""

import argparse
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from illnet import content, model
from illnet.errors import CatalogueError
from illnet.query.catalogue import Catalogue
from illnet.query.params import TYPES, Param, matches_type, parse_literal

NEEDS = {
    "member_ties": "member-member ties (KNOWS)",
    "resources": "groups, organisations or services (Resource nodes with links)",
    "next_wave": "a follow-up wave after the requested one",
    "support_flows": "support flows (PROVIDES from members to participants)",
    "circles": "the circle each member was placed in",
    "contact_frequency": "how often each member is in contact",
    "job:bridging_members": "the results of the bridging_members job (written with --mode write)",
    "job:network_types": "the results of the network_types job (written with --mode write)",
    "job:resource_communities": "the results of the resource_communities job (written with --mode write)",
}
# `known:` kinds -> what the value must name, checked by illnet.query.known before running: a wave
# in Study.waves, a KNOWS type, or an attribute (a core property in schema/graph.yaml or one the
# study declares) of members (NetworkMember, HAS_MEMBER), participants or member ties (KNOWS).
KNOWN = {
    "wave": "a recorded wave",
    "tie type": "a recorded member-member tie type",
    "member attribute": "a member attribute",
    "numeric member attribute": "a numeric member attribute",
    "participant attribute": "a participant attribute",
    "numeric tie attribute": "a numeric member-tie attribute",
}
REQUIRED = ("name", "question", "concept", "returns")
SINGLE_KEYS = ("name", "question", "concept", "answers", "needs")

_HEADER_LINE = re.compile(r"^//\s?(\w+):\s*(.*)$")
_PARAM = re.compile(r"^(\w+) \((\w+), default (.+?)(?:, choices ([\w|]+))?(?:, vocabulary (\w+))?\) - (.+)$")
_NEED = re.compile(r"^([\w:]+)(?: when (\w+) = (\w+))?$")
_COLUMN = re.compile(r"^(\w+) \((\w+)\) - (.+)$")
_KNOWN = re.compile(r"^(\w+) \(([\w ]+)\)$")
# A string or a comment, whichever starts first: an apostrophe in a comment opens no string,
# and // in a string starts no comment.
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")
_PARAM_USE = re.compile(r"\$(\w+)")
_QUESTION = re.compile(r"^(\d+)\. ")


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
class Need:
    """A precondition of a query: always, or only when parameter `param` equals `value`."""

    name: str
    param: str | None = None
    value: object = None

    def applies(self, params: dict) -> bool:
        """True when the need holds for these bound parameters."""
        return self.param is None or params.get(self.param) == self.value

    def describe(self) -> str:
        """'the circle each member was placed in (when tieDefinition = circle)'."""
        return NEEDS[self.name] + (f" (when {self.param} = {self.value})" if self.param else "")


@dataclass(frozen=True)
class Query:
    """One canned query: its header, parsed, and its Cypher body."""

    name: str
    path: Path
    theme: str
    question: str
    concept: str
    answers: tuple[int, ...]
    needs: tuple[Need, ...]
    params: dict[str, Param]
    known: dict[str, str]
    returns: tuple[Column, ...]
    example: str
    body: str

    @property
    def text(self) -> str:
        """The whole file, header and body."""
        return self.path.read_text(encoding="utf-8")

    @property
    def need_names(self) -> tuple[str, ...]:
        """The names of its needs (conditional ones too)."""
        return tuple(need.name for need in self.needs)

    @property
    def is_proxy(self) -> bool:
        """True when the concept is measured through a declared proxy."""
        return "PROXY" in self.concept


@cache
def questions() -> dict[int, str]:
    """The numbered analyst questions of queries/QUESTIONS.md (number -> text)."""
    text = (content.folder("queries") / "QUESTIONS.md").read_text(encoding="utf-8")
    return {int(m.group(1)): line[m.end():].strip() for line in text.splitlines() if (m := _QUESTION.match(line))}


def parameters_used(body: str) -> set[str]:
    """Names of the $parameters a Cypher body uses (strings and comments ignored)."""
    return set(_PARAM_USE.findall(_STRINGS_AND_COMMENTS.sub("", body)))


class _Header:
    """The header of one .cypher file as it is read, line by line; `fail` names file and line."""

    def __init__(self, path: Path):
        self.path = path
        self.fields: dict[str, tuple[str, int]] = {}
        self.params: dict[str, Param] = {}
        self.param_lines: dict[str, int] = {}
        self.known: dict[str, tuple[str, int]] = {}
        self.returns: list[Column] = []
        self.example: list[str] | None = None

    def fail(self, line_no: int, problem: str, hint: str | None = None):
        raise CatalogueError(f"{self.path}:{line_no}: {problem}", hint=hint)

    def read(self, line_no: int, line: str) -> None:
        """Take one `//` header line."""
        if self.example is not None:
            self.example.append(line[2:].strip())
            return
        match = _HEADER_LINE.match(line)
        if not match:
            self.fail(line_no, f"header line not understood: {line!r}", "write '// key: value'")
        key, value = match.groups()
        if key == "example":
            self.example = []
        elif key == "param":
            self.param(line_no, value)
        elif key == "returns":
            self.column(line_no, value)
        elif key == "known":
            self.known_value(line_no, value)
        elif key in SINGLE_KEYS:
            if key in self.fields:
                self.fail(line_no, f"{key} given twice")
            self.fields[key] = (value, line_no)
        else:
            self.fail(line_no, f"unknown header key {key!r}",
                      "use name, question, concept, answers, needs, param, known, returns or example")

    def param(self, line_no: int, value: str) -> None:
        match = _PARAM.match(value)
        if not match:
            self.fail(line_no, f"param not understood: {value!r}",
                      "write '// param: name (type, default value[, choices a|b]) - description'")
        name, type_name, default_text, choices, vocabulary, description = match.groups()
        if type_name not in TYPES:
            self.fail(line_no, f"param {name}: unknown type {type_name!r}", f"use one of {', '.join(TYPES)}")
        try:
            default = parse_literal(default_text)
        except (ValueError, SyntaxError):
            self.fail(line_no, f"param {name}: default {default_text!r} is not a Cypher literal")
        if not matches_type(default, type_name):
            self.fail(line_no, f"param {name}: default {default_text} is not a {type_name}")
        if name in self.params:
            self.fail(line_no, f"param {name} declared twice")
        if vocabulary and vocabulary not in model.load("vocabularies"):
            self.fail(line_no, f"param {name}: unknown vocabulary {vocabulary!r}",
                      "name a vocabulary of schema/vocabularies.yaml")
        self.params[name] = Param(name, type_name, default, tuple(choices.split("|")) if choices else (),
                                  description, vocabulary)
        self.param_lines[name] = line_no

    def known_value(self, line_no: int, value: str) -> None:
        match = _KNOWN.match(value)
        if not match or match.group(2) not in KNOWN:
            self.fail(line_no, f"known not understood: {value!r}",
                      f"write '// known: parameter (kind)', kind one of {', '.join(KNOWN)}")
        name, kind = match.groups()
        if name in self.known:
            self.fail(line_no, f"known {name} given twice")
        self.known[name] = (kind, line_no)

    def checked_known(self) -> dict[str, str]:
        """`known:` lines, each naming a declared parameter."""
        for name, (_, line_no) in self.known.items():
            if name not in self.params:
                self.fail(line_no, f"known {name}: no parameter {name} is declared")
        return {name: kind for name, (kind, _) in self.known.items()}

    def column(self, line_no: int, value: str) -> None:
        match = _COLUMN.match(value)
        if not match:
            self.fail(line_no, f"returns not understood: {value!r}",
                      "write '// returns: column (type) - description', one line per column")
        self.returns.append(Column(*match.groups()))
        self.fields.setdefault("returns", (value, line_no))

    def require(self, end: int) -> None:
        """Every required key present, and the name equal to the file name."""
        for key in REQUIRED:
            if key not in self.fields or not self.fields[key][0].strip():
                self.fail(end or 1, f"header has no {key}", f"add '// {key}: ...' to the header")
        name, line_no = self.fields["name"]
        if name != self.path.stem:
            self.fail(line_no, f"name {name!r} differs from the file name {self.path.stem!r}")

    def answers(self) -> tuple[int, ...]:
        if "answers" not in self.fields:
            return ()
        text, line_no = self.fields["answers"]
        try:
            answers = tuple(int(item) for item in text.split(","))
        except ValueError:
            self.fail(line_no, f"answers must be question numbers separated by commas, not {text!r}")
        unknown = sorted(set(answers) - set(questions()))
        if unknown:
            self.fail(line_no, f"answers {text!r}: question {unknown[0]} is not in queries/QUESTIONS.md",
                      f"use the numbers of queries/QUESTIONS.md (1 to {max(questions())}), or add the question there")
        return answers

    def needs(self) -> tuple[Need, ...]:
        if "needs" not in self.fields:
            return ()
        text, line_no = self.fields["needs"]
        needs = []
        for item in (part.strip() for part in text.split(",")):
            match = _NEED.match(item)
            if not match:
                self.fail(line_no, f"need not understood: {item!r}", "write 'need' or 'need when param = value'")
            name, param, value = match.groups()
            if name not in NEEDS:
                self.fail(line_no, f"unknown need {name!r}", f"use one of {', '.join(NEEDS)}")
            if param and (param not in self.params or value not in self.params[param].choices):
                self.fail(line_no, f"need {item!r}: {param} is not a parameter with the choice {value!r}")
            needs.append(Need(name, param, value))
        return tuple(needs)

    def check_body(self, lines: list[str], end: int, body: str) -> None:
        """The body exists and uses exactly the declared parameters."""
        if not body:
            self.fail(end + 1, "the file has no Cypher body after the header")
        used = parameters_used(body)
        for missing in sorted(used - set(self.params)):
            body_line = next(i for i, line in enumerate(lines, 1) if i > end and f"${missing}" in line)
            self.fail(body_line, f"${missing} is used in the body but not declared",
                      f"add '// param: {missing} (type, default value) - description' to the header")
        for unused in sorted(set(self.params) - used):
            self.fail(self.param_lines[unused], f"parameter {unused} is declared but the body never uses ${unused}",
                      "remove the param line or use the parameter")


def parse_file(path: Path, theme: str) -> Query:
    """Parse and check one .cypher file; raise CatalogueError naming file and line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = _Header(path)
    end = 0
    while end < len(lines) and lines[end].startswith("//"):
        header.read(end + 1, lines[end])
        end += 1
    header.require(end)
    body = "\n".join(lines[end:]).strip()
    header.check_body(lines, end, body)
    return Query(name=header.fields["name"][0], path=path, theme=theme, question=header.fields["question"][0],
                 concept=header.fields["concept"][0], answers=header.answers(), needs=header.needs(),
                 params=header.params, known=header.checked_known(), returns=tuple(header.returns),
                 example="\n".join(header.example or []).strip(), body=body)


def _parse_one(path: Path) -> Query:
    return parse_file(path, theme=path.parent.name)


def _parse_all(paths: list[Path]) -> list[Query]:
    return [_parse_one(path) for path in paths]


QUERIES: Catalogue[Query] = Catalogue("canned query", "illnet query list", lambda: content.folder("queries"),
                                      _parse_all, "*/*.cypher", parse_one=_parse_one)
load, catalogue, get = QUERIES.load, QUERIES.all, QUERIES.get


def readme_text(queries: dict[str, Query] | None = None) -> str:
    """The Markdown index of the library (queries/README.md), generated from the headers."""
    queries = queries or catalogue()
    numbers = questions()
    out = [
        "# The canned query library",
        "",
        "<!-- Generated from the .cypher headers by `python -m illnet.query.canned --write`;",
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
        "(in Python: a `NoteWarning` and `DataFrame.attrs['note']`) instead of a misleading number;",
        "a note about algorithm results names the job and the command that writes them.",
        "The study, wave and participant given are checked against what is loaded first.",
        "",
        "## By analyst question",
        "",
        "| # | queries |",
        "| --- | --- |",
    ]
    for number in numbers:
        names = [f"`{q.name}`" for q in queries.values() if number in q.answers]
        out.append(f"| {number} | {', '.join(names) or '-'} |")
    for theme in sorted({q.theme for q in queries.values()}):
        out += ["", f"## {theme}", ""]
        for query in (q for q in queries.values() if q.theme == theme):
            out += [f"### `{query.name}`", "", query.question, "", f"- concept: {query.concept}"]
            if query.needs:
                out.append(f"- needs: {'; '.join(need.describe() for need in query.needs)}")
            for param in query.params.values():
                must = f" (must name {KNOWN[query.known[param.name]]})" if param.name in query.known else ""
                out.append(f"- parameter `{param.describe()}`: {param.description}{must}")
            out.append("- returns: " + "; ".join(f"`{c.name}` ({c.type}) {c.description}" for c in query.returns))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def readme_path() -> Path:
    """Where the generated index lives."""
    return content.folder("queries") / "README.md"


def main(argv: list[str] | None = None) -> None:
    """Print (--readme) or rewrite (--write) queries/README.md from the headers."""
    parser = argparse.ArgumentParser(prog="python -m illnet.query.canned", description=main.__doc__)
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
