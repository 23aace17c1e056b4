"""The Neo4j Browser guide of the canned questions, generated from queries/*/*.cypher.

Each query file starts with `// key: value` header lines (name, question, concept,
param, returns, ...); `// example:` is followed by `// :param ...;` lines. Everything
after the header is the Cypher body. The guide has one index slide and one slide per
question with two runnable blocks: the example's `:param` lines, then the body (kept apart
so the answer opens in an ordinary result frame with its table and graph, not inside a
multi-statement list). A click puts a block into the Browser editor. (Links between slides are
left out on purpose: Browser 5.24 re-fetches a guide played from inside its own frame but
stays on the current slide.)
"""

import html
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from illnet.errors import QueryError

GUIDE_TITLE = "illnet: analyst questions"
HEADER = re.compile(r"^//\s?(?P<key>[a-z_]+):\s?(?P<value>.*)$")
EXAMPLE_LINE = re.compile(r"^//\s?(?P<command>:param\b.*)$")
FIELD = re.compile(r"^(?P<name>\w+)\s*(?:\((?P<spec>[^)]*)\))?\s*(?:-\s*(?P<description>.*))?$")


@dataclass(frozen=True)
class Field:
    """A parameter or returned column: name, type spec and description."""

    name: str
    spec: str = ""
    description: str = ""


@dataclass(frozen=True)
class GuideQuery:
    """What the guide shows of one canned query."""

    name: str
    question: str
    group: str
    body: str
    concept: str = ""
    params: list[Field] = field(default_factory=list)
    returns: list[Field] = field(default_factory=list)
    example: list[str] = field(default_factory=list)


def read_query_file(path: Path) -> GuideQuery:
    """Parse one .cypher file of the query library; QueryError naming file and line if bad."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header_end = next((i for i, line in enumerate(lines) if not line.startswith("//")), len(lines))
    headers: dict[str, list[str]] = {}
    example: list[str] = []
    in_example = False
    for line in lines[:header_end]:
        match = HEADER.match(line)
        if match:
            in_example = match["key"] == "example"
            headers.setdefault(match["key"], []).append(match["value"].strip())
        elif in_example and EXAMPLE_LINE.match(line):
            example.append(EXAMPLE_LINE.match(line)["command"].strip())
    body = "\n".join(lines[header_end:]).strip()
    for key in ("name", "question"):
        if not headers.get(key) or not headers[key][0]:
            raise QueryError(f"{path}: line 1: the header has no '// {key}:' line",
                             hint=f"start the file with '// {key}: ...' (see another file in {path.parent})")
    if not body:
        raise QueryError(f"{path}: line {header_end + 1}: no Cypher after the header",
                         hint="put the query below the '//' header lines")
    return GuideQuery(
        name=headers["name"][0], question=headers["question"][0], group=path.parent.name, body=body,
        concept=(headers.get("concept") or [""])[0],
        params=[_field(text, path) for text in headers.get("param", [])],
        returns=[_field(text, path) for text in headers.get("returns", [])],
        example=example)


def read_query_library(root: Path | None = None) -> list[GuideQuery]:
    """All queries under root (default: the installed illnet.queries folder), by group and name."""
    root = Path(str(files("illnet.queries"))) if root is None else Path(root)
    return sorted((read_query_file(path) for path in root.glob("*/*.cypher")),
                  key=lambda query: (query.group, query.name))


def build_guide(queries: list[GuideQuery]) -> str:
    """The guide's HTML: an index slide, then one slide per query in the given order."""
    slides = "\n".join([_index_slide(queries), *(_question_slide(query) for query in queries)])
    return (f"<title>{html.escape(GUIDE_TITLE)}</title>\n"
            f'<article class="guide">\n<carousel class="deck container-fluid">\n'
            f"{slides}\n</carousel>\n</article>\n")


def _field(text: str, path: Path) -> Field:
    match = FIELD.match(text)
    if not match:
        raise QueryError(f"{path}: header field {text!r} is not 'name (type, ...) - description'",
                         hint="write e.g. '// param: wave (integer, default 0) - wave (0 = baseline)'")
    return Field(match["name"], (match["spec"] or "").strip(), (match["description"] or "").strip())


def _index_slide(queries: list[GuideQuery]) -> str:
    groups: dict[str, list[str]] = {}
    for number, query in enumerate(queries, start=2):  # the Browser counts slides from 1
        groups.setdefault(query.group, []).append(
            f"<li>{html.escape(query.question)} <code>{html.escape(query.name)}</code> "
            f'<span class="slide-number">slide {number}</span></li>')
    sections = "\n".join(f"<h4>{html.escape(group)}</h4>\n<ul>\n" + "\n".join(items) + "\n</ul>"
                         for group, items in groups.items())
    return (f'<slide class="row-fluid">\n<div class="col-sm-12">\n<h3>{html.escape(GUIDE_TITLE)}</h3>\n'
            "<p>One slide per canned question: use the arrows or the dots below, or run "
            "<code>:play &lt;this guide's URL&gt;#slide-N</code>. On each slide, click a grey code "
            "block to copy it into the editor (or its play icon to run it at once): first the "
            "<code>:param</code> lines, edited to your study, then the question. "
            "The same queries run from the command line by name.</p>\n"
            f"{sections}\n</div>\n</slide>")


def _question_slide(query: GuideQuery) -> str:
    about = " &middot; ".join(html.escape(part) for part in (query.group, query.concept) if part)
    parts = [f"<h3>{html.escape(query.question)}</h3>",
             f"<p><code>{html.escape(query.name)}</code> &middot; {about}</p>"]
    if query.params:
        parts += ["<h5>Parameters</h5>", _field_list(query.params)]
    if query.example:
        params = "\n".join(query.example)
        parts += ["<p>1. Set the parameters (edit the values to your study):</p>",
                  f'<pre class="runnable params">{html.escape(params)}</pre>',
                  "<p>2. Ask the question:</p>"]
    parts.append(f'<pre class="runnable query">{html.escape(query.body)}</pre>')
    if query.returns:
        parts += ["<h5>Returns</h5>", _field_list(query.returns)]
    return '<slide class="row-fluid">\n<div class="col-sm-12">\n' + "\n".join(parts) + "\n</div>\n</slide>"


def _field_list(fields: list[Field]) -> str:
    items = "\n".join(f"<li><code>{html.escape(item.name)}</code>"
                      + (f" ({html.escape(item.spec)})" if item.spec else "")
                      + (f": {html.escape(item.description)}" if item.description else "") + "</li>"
                      for item in fields)
    return f"<ul>\n{items}\n</ul>"
