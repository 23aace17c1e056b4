"""The Neo4j Browser guide of the canned questions, generated from queries/*/*.cypher.

Each query file starts with `// key: value` header lines (name, question, concept,
param, returns, ...); `// example:` is followed by `// :param ...;` lines. Everything
after the header is the Cypher body. The guide has one index slide and one slide per
question with two runnable blocks: the example's `:param` lines, then the body (kept apart
so the answer opens in an ordinary result frame with its table and graph, not inside a
multi-statement list). A click puts a block into the Browser editor. (Links between slides are
left out on purpose: Browser 5.24 re-fetches a guide played from inside its own frame but
stays on the current slide.)

The examples set a bundled study (illnet.examples), so they answer as given once `illnet demo`
has loaded it. The guide is written when the server starts, before any study is loaded, so the
index slide lists the loaded studies through a block that asks the graph. The last slide draws
one participant's network at one wave: copies of the nodes (APOC virtual nodes), so that the
Browser's "Connect result nodes" cannot pull in the other wave and every support flow.
"""

import html
from importlib.resources import files
from pathlib import Path

from illnet import examples
from illnet.query.canned import Query, catalogue, load

GUIDE_TITLE = "illnet: analyst questions"
LOADED_STUDIES = ("MATCH (s:Study) RETURN s.studyId AS study, s.name AS name, s.waves AS waves, "
                  "COUNT { (s)<-[:IN_STUDY]-(:Participant) } AS participants ORDER BY study")
ONE_PARTICIPANT_PARAMS = ":param study => 'nwe';\n:param participant => 'P0001';\n:param wave => 0;"
REAL_NODES = ("MATCH (p:Participant {studyId: $study, participantId: $participant})"
              "-[h:HAS_MEMBER {wave: $wave}]->(m:NetworkMember)\n"
              "OPTIONAL MATCH (m)-[k:KNOWS {wave: $wave}]->(:NetworkMember)<-[:HAS_MEMBER {wave: $wave}]-(p)\n"
              "RETURN p, h, m, k")


def one_participant_cypher() -> str:
    """The Cypher of the one-participant slide (illnet/browser/one_participant.cypher)."""
    return files("illnet").joinpath("browser", "one_participant.cypher").read_text(encoding="utf-8").strip()


def build_guide(queries: list[Query]) -> str:
    """The guide's HTML: an index slide, then one slide per query in the given order
    (queries come from illnet.query.canned, which has checked their headers)."""
    slides = "\n".join([_index_slide(queries), *(_question_slide(query) for query in queries),
                        _one_participant_slide()])
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
            f"<p>The examples use the bundled study <code>{examples.STUDIES[0]}</code> (the others: "
            f"{', '.join(f'<code>{study}</code>' for study in examples.STUDIES[1:])}), which "
            "<code>illnet demo</code> loads. The studies loaded here:</p>\n"
            f'<pre class="runnable query">{html.escape(LOADED_STUDIES)}</pre>\n'
            f"<p>One participant's network, drawn without the rest of the graph: "
            f'<span class="slide-number">slide {len(queries) + 2}</span>.</p>\n'
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


def _one_participant_slide() -> str:
    parts = ["<h3>One participant's network at one wave</h3>",
             "<p>The participant, the members named at that wave (circle and contact frequency on each "
             "HAS_MEMBER) and the ties among them. The nodes are copies, so Neo4j Browser's "
             "<em>Connect result nodes</em> does not add the other wave's members and every support "
             "flow.</p>",
             "<p>1. Choose the participant:</p>",
             f'<pre class="runnable params">{html.escape(ONE_PARTICIPANT_PARAMS)}</pre>',
             "<p>2. Draw the network:</p>",
             f'<pre class="runnable query">{html.escape(one_participant_cypher())}</pre>',
             "<p>To work with the real nodes instead (to expand them, say), turn "
             "<em>Connect result nodes</em> off first, in Browser settings or with:</p>",
             '<pre class="runnable params">:config autoComplete: false</pre>',
             f'<pre class="runnable query">{html.escape(REAL_NODES)}</pre>']
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
