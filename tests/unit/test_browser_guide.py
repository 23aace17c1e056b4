"""The Browser guide is generated from the query library's checked headers (no database)."""

import re

from illnet.browser.guide import build_guide, guide_for_library
from illnet.query import canned as catalogue

SAMPLE = """// name: helpers_of_kind
// question: Who helps with <kind> & what?
// concept: Support flows
// answers: 4
// param: kind (string, default 'illness') - work type
// param: wave (integer, default 0) - wave (0 = baseline)
// returns: helpers (integer) - members who help
// example:
// :param kind => 'illness';
// :param wave => 0;
MATCH (m:NetworkMember)-[s:PROVIDES {wave: $wave}]->(:Participant)
WHERE s.workType = $kind
RETURN count(DISTINCT m) AS helpers
"""


def library(tmp_path):
    for theme, name in (("work", "helpers_of_kind"), ("bridging", "two")):
        path = tmp_path / theme / f"{name}.cypher"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SAMPLE.replace("helpers_of_kind", name))
    return sorted(catalogue.load(tmp_path).values(), key=lambda q: (q.theme, q.name))


def test_guide_has_an_index_and_one_slide_per_query_with_runnable_blocks(tmp_path):
    html = build_guide(library(tmp_path))
    assert html.count("<slide") == 4  # index, two questions, one participant
    assert '<article class="guide">' in html and "<carousel" in html
    # themes sorted: bridging/two is slide 2, work/helpers_of_kind slide 3
    assert re.search(r"<code>two</code> <span[^>]*>slide 2</span>", html)
    assert re.search(r"<code>helpers_of_kind</code> <span[^>]*>slide 3</span>", html)
    params = re.findall(r'<pre class="runnable params">(.*?)</pre>', html, flags=re.DOTALL)
    assert params[0] == ":param kind =&gt; &#x27;illness&#x27;;\n:param wave =&gt; 0;"
    queries = re.findall(r'<pre class="runnable query">(.*?)</pre>', html, flags=re.DOTALL)
    # the index's loaded studies, the two questions, the one-participant drawing and its real-node variant
    assert len(queries) == 5 and queries[1].startswith("MATCH (m:NetworkMember)-[s:PROVIDES {wave: $wave}]-&gt;")
    assert queries[0].startswith("MATCH (s:Study)")
    assert "Who helps with &lt;kind&gt; &amp; what?" in html  # escaped, not markup
    assert "<code>wave</code> (integer, default 0): wave (0 = baseline)" in html
    assert "<code>helpers</code> (integer): members who help" in html


def test_every_library_query_gets_a_slide():
    html = guide_for_library()
    assert html.count("<slide") == len(catalogue.catalogue()) + 2
    for name in catalogue.catalogue():
        assert f"<code>{name}</code>" in html
