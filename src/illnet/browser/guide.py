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

from pathlib import Path

from illnet.query.canned import Query, catalogue, load

GUIDE_TITLE = "illnet: analyst questions"


def build_guide(queries: list[Query]) -> str:
    """The guide's HTML: an index slide, then one slide per query in the given order
    (queries come from illnet.query.canned, which has checked their headers)."""
    slides = "\n".join([_index_slide(queries), *(_question_slide(query) for query in queries)])
    return (f"<title>{html.escape(GUIDE_TITLE)}</title>\n"
            f'<article class="guide">\n<carousel class="deck container-fluid">\n'
            f"{slides}\n</carousel>\n</article>\n")


def _index_slide(queries: list[Query]) -> str:
    groups: dict[str, list[str]] = {}
    for number, query in enumerate(queries, start=2):  # the Browser counts slides from 1
        groups.setdefault(query.theme, []).append(
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


def _question_slide(query: Query) -> str:
    about = " &middot; ".join(html.escape(part) for part in (query.theme, query.concept) if part)
    parts = [f"<h3>{html.escape(query.question)}</h3>",
             f"<p><code>{html.escape(query.name)}</code> &middot; {about}</p>"]
    if query.params:
        parts += ["<h5>Parameters</h5>", _field_list(query.params.values())]
    if query.example:
        parts += ["<p>1. Set the parameters (edit the values to your study):</p>",
                  f'<pre class="runnable params">{html.escape(query.example)}</pre>',
                  "<p>2. Ask the question:</p>"]
    parts.append(f'<pre class="runnable query">{html.escape(query.body)}</pre>')
    if query.returns:
        parts += ["<h5>Returns</h5>", _field_list(query.returns)]
    return '<slide class="row-fluid">\n<div class="col-sm-12">\n' + "\n".join(parts) + "\n</div>\n</slide>"


def _field_list(fields) -> str:
    items = "\n".join(f"<li><code>{html.escape(item.name)}</code> ({html.escape(item.spec())})"
                      + (f": {html.escape(item.description)}" if item.description else "") + "</li>"
                      for item in fields)
    return f"<ul>\n{items}\n</ul>"


def guide_for_library(root: Path | None = None) -> str:
    """The guide of the query library (default: the installed one), by theme and name."""
    queries = load(root) if root else catalogue()
    return build_guide(sorted(queries.values(), key=lambda query: (query.theme, query.name)))
