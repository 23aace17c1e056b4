"""The Browser guide is generated from the query files' headers (no database)."""

import re
from pathlib import Path

import pytest

from illnet.browser_guide import build_guide, read_query_file, read_query_library
from illnet.errors import QueryError

SAMPLE = """// name: helpers_of_kind
// question: Who helps with <kind> & what?
// concept: Support flows
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


def write(folder: Path, group: str, name: str, text: str) -> Path:
    path = folder / group / f"{name}.cypher"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_header_fields_example_and_body_are_read(tmp_path):
    query = read_query_file(write(tmp_path, "work", "helpers_of_kind", SAMPLE))
    assert (query.name, query.group, query.concept) == ("helpers_of_kind", "work", "Support flows")
    assert query.question == "Who helps with <kind> & what?"
    assert [(p.name, p.spec, p.description) for p in query.params] == [
        ("kind", "string, default 'illness'", "work type"), ("wave", "integer, default 0", "wave (0 = baseline)")]
    assert query.example == [":param kind => 'illness';", ":param wave => 0;"]
    assert query.body.splitlines()[0] == "MATCH (m:NetworkMember)-[s:PROVIDES {wave: $wave}]->(:Participant)"
    assert query.body.splitlines()[-1] == "RETURN count(DISTINCT m) AS helpers"


def test_guide_has_an_index_and_one_slide_per_query_with_runnable_blocks(tmp_path):
    write(tmp_path, "work", "helpers_of_kind", SAMPLE)
    write(tmp_path, "bridging", "two", SAMPLE.replace("helpers_of_kind", "two"))
    html = build_guide(read_query_library(tmp_path))
    assert html.count("<slide") == 3
    assert '<article class="guide">' in html and "<carousel" in html
    # groups sorted: bridging/two is slide 2, work/helpers_of_kind slide 3
    assert re.search(r"<code>two</code> <span[^>]*>slide 2</span>", html)
    assert re.search(r"<code>helpers_of_kind</code> <span[^>]*>slide 3</span>", html)
    params = re.findall(r'<pre class="runnable params">(.*?)</pre>', html, flags=re.DOTALL)
    assert params[0] == ":param kind =&gt; &#x27;illness&#x27;;\n:param wave =&gt; 0;"
    queries = re.findall(r'<pre class="runnable query">(.*?)</pre>', html, flags=re.DOTALL)
    assert len(queries) == 2 and queries[0].startswith("MATCH (m:NetworkMember)-[s:PROVIDES {wave: $wave}]-&gt;")
    assert "Who helps with &lt;kind&gt; &amp; what?" in html  # escaped, not markup


def test_a_query_without_a_question_is_named_in_the_error(tmp_path):
    path = write(tmp_path, "work", "bad", SAMPLE.replace("// question: Who helps with <kind> & what?\n", ""))
    with pytest.raises(QueryError, match=r"bad\.cypher.*'// question:'"):
        read_query_file(path)


def test_every_library_query_gets_a_slide():
    queries = read_query_library()
    names = [path.stem for path in Path(__file__).parents[2].joinpath("queries").glob("*/*.cypher")]
    assert sorted(query.name for query in queries) == sorted(names)
    assert build_guide(queries).count("<slide") == len(names) + 1
