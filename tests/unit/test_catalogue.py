"""The query catalogue without a database: header checks, names, parameters, README, output formats."""

import json
import textwrap

import numpy as np
import pandas as pd
import pytest

from illnet.errors import CatalogueError, QueryError
from illnet.cli.output import render
from illnet.query import canned as catalogue
from illnet.cli.query import _json_or_text
from illnet.query.canned import load, parameters_used, readme_path, readme_text
from illnet.query.params import bind, convert, parse_assignments

GOOD = """\
// name: {name}
// question: How many?
// concept: Counting (not a proxy)
// answers: 1
// param: study (string, default null) - study id
// param: wave (integer, default 0) - wave
// returns: n (integer) - how many
// example:
// :param wave => 0;
MATCH (p:Participant)-[h:HAS_MEMBER {{wave: $wave}}]->()
WHERE $study IS NULL OR p.studyId = $study
RETURN count(*) AS n
"""


def write(tmp_path, text, name="counting"):
    folder = tmp_path / "theme"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.cypher"
    path.write_text(textwrap.dedent(text))
    return path


def load_error(tmp_path, text, name="counting") -> str:
    path = write(tmp_path, text, name)
    with pytest.raises(CatalogueError) as error:
        load(tmp_path)
    assert str(path) in error.value.message
    return error.value.message


def test_a_good_file_loads_with_its_header(tmp_path):
    write(tmp_path, GOOD.format(name="counting"))
    query = load(tmp_path)["counting"]
    assert query.theme == "theme" and query.answers == (1,)
    assert query.params["wave"].default == 0 and query.params["study"].default is None
    assert [column.name for column in query.returns] == ["n"]
    assert query.example == ":param wave => 0;"
    assert query.body.startswith("MATCH (p:Participant)")


def test_a_parameter_used_but_not_declared_fails_with_file_and_line(tmp_path):
    text = GOOD.format(name="counting").replace("RETURN count(*) AS n", "WITH $limit AS l RETURN count(*) AS n")
    assert load_error(tmp_path, text).endswith(":12: $limit is used in the body but not declared")


def test_a_parameter_declared_but_unused_fails_with_file_and_line(tmp_path):
    text = GOOD.format(name="counting").replace("WHERE $study IS NULL OR p.studyId = $study\n", "")
    assert load_error(tmp_path, text).endswith(":5: parameter study is declared but the body never uses $study")


def test_an_unused_parameter_without_a_space_after_the_slashes_fails_with_its_line(tmp_path):
    text = (GOOD.format(name="counting").replace("WHERE $study IS NULL OR p.studyId = $study\n", "")
            .replace("// param: study", "//param: study"))
    assert load_error(tmp_path, text).endswith(":5: parameter study is declared but the body never uses $study")


def test_parameters_in_strings_and_comments_do_not_count():
    assert parameters_used("RETURN '$a' AS x, \"$b\" AS y, $c AS z // $d") == {"c"}
    # an apostrophe in a comment opens no string; // in a string starts no comment
    assert parameters_used("// the participant's members\nMATCH (p) WHERE p.x = $e // it's $f\nRETURN $g") == {"e", "g"}
    assert parameters_used("RETURN 'http://x' AS url, $h AS h") == {"h"}


@pytest.mark.parametrize("key", ["name", "question", "returns", "concept"])
def test_a_missing_required_header_field_fails(tmp_path, key):
    lines = [line for line in GOOD.format(name="counting").splitlines() if not line.startswith(f"// {key}:")]
    assert f"header has no {key}" in load_error(tmp_path, "\n".join(lines))


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("// param: wave (integer, default 0)", "// param: wave (int, default 0)", ":6: param wave: unknown type 'int'"),
    ("// param: wave (integer, default 0)", "// param: wave (integer, default 'x')",
     ":6: param wave: default 'x' is not a integer"),
    ("// answers: 1", "// answers: 99", ":4: answers '99'"),
    ("// answers: 1", "// needs: spaceships", ":4: unknown need 'spaceships'"),
    ("// answers: 1", "// anwsers: 1", ":4: unknown header key 'anwsers'"),
    ("// returns: n (integer) - how many", "// returns: n - how many", ":7: returns not understood"),
    ("// returns: n", "// known: wave (colour)\n// returns: n", ":7: known not understood: 'wave (colour)'"),
    ("// returns: n", "// known: colour (wave)\n// returns: n", ":7: known colour: no parameter colour is declared"),
    ("// returns: n", "// known: wave (wave)\n// known: wave (wave)\n// returns: n", ":8: known wave given twice"),
])
def test_malformed_header_lines_fail_with_file_and_line(tmp_path, old, new, problem):
    assert problem in load_error(tmp_path, GOOD.format(name="counting").replace(old, new))


def test_the_name_must_match_the_file(tmp_path):
    assert "name 'other' differs from the file name 'counting'" in load_error(tmp_path, GOOD.format(name="other"))


def test_the_installed_library_answers_every_analyst_question():
    queries = catalogue.catalogue()
    answered = {number for query in queries.values() for number in query.answers}
    assert answered == set(catalogue.questions()) == set(range(1, 28))
    assert len(queries) >= 27


def test_known_lines_name_a_kind_per_parameter_and_appear_in_the_index(tmp_path):
    write(tmp_path, GOOD.format(name="counting").replace("// returns: n", "// known: wave (wave)\n// returns: n"))
    query = load(tmp_path)["counting"]
    assert query.known == {"wave": "wave"}
    assert "- parameter `wave (integer, default 0)`: wave (must name a recorded wave)" in readme_text({"counting": query})


def test_collective_efficacy_and_network_types_are_labelled_proxies():
    queries = catalogue.catalogue()
    for query in queries.values():
        if "Collective efficacy" in query.concept or "Network types" in query.concept:
            assert "PROXY:" in query.concept, query.name
    assert {"coverage_and_redundancy", "multiplex_members", "contributor_cohesion", "network_type_profiles"} <= {
        query.name for query in queries.values() if query.is_proxy}


def test_every_example_sets_only_declared_parameters():
    for query in catalogue.catalogue().values():
        for line in query.example.splitlines():
            name = line.removeprefix(":param ").split(" =>")[0]
            assert name in query.params, f"{query.name}: example sets undeclared {name}"


def test_an_unknown_name_suggests_the_closest_names():
    with pytest.raises(QueryError) as error:
        catalogue.get("composition_by_tie")
    assert "no canned query called 'composition_by_tie'" in error.value.message
    assert error.value.hint.startswith("did you mean composition_by_tie_class")
    with pytest.raises(QueryError) as nothing_close:
        catalogue.get("zzzzzz")
    assert "illnet query list" in nothing_close.value.hint


def test_command_line_values_are_converted_by_declared_type():
    query = catalogue.get("community_involvement")
    bound = bind(query, {"wave": "1", "study": "nwe", "communityTypes": "faith_group, leisure_centre"}, from_text=True)
    assert bound == {"study": "nwe", "wave": 1, "communityTypes": ["faith_group", "leisure_centre"]}
    assert bind(catalogue.get("network_size"), {"wave": "null"}, from_text=True)["wave"] is None
    assert convert(catalogue.get("work_concentration").params["minShare"], "0.25") == 0.25
    assert bind(query, {})["communityTypes"] == ["community_group", "faith_group", "voluntary_organisation",
                                                  "leisure_centre"]


def test_parameter_errors_name_valid_parameters_types_and_choices():
    with pytest.raises(QueryError) as unknown:
        bind(catalogue.get("network_size"), {"waves": 0})
    assert unknown.value.hint == ("valid parameters: study (string, default null); wave (integer, default null); "
                                  "groupBy (string, default 'country', one of country|areaType)")
    with pytest.raises(QueryError, match="must be one of country, areaType, not 'city'"):
        bind(catalogue.get("network_size"), {"groupBy": "city"})
    with pytest.raises(QueryError, match="'two' is not a integer"):
        bind(catalogue.get("network_size"), {"wave": "two"}, from_text=True)
    with pytest.raises(QueryError, match="must be a integer, not True"):
        bind(catalogue.get("network_size"), {"wave": True})


def test_cypher_values_are_json_literals_but_nan_and_infinity_stay_text():
    assert _json_or_text("3") == 3 and _json_or_text('["a", "b"]') == ["a", "b"] and _json_or_text("null") is None
    for text in ("NaN", "Infinity", "-Infinity", "[1, NaN]"):
        assert _json_or_text(text) == text


def test_key_value_assignments():
    assert parse_assignments(["study=a=b", "wave=0"]) == {"study": "a=b", "wave": "0"}
    with pytest.raises(QueryError, match="not key=value"):
        parse_assignments(["study"])


def test_readme_matches_the_headers():
    assert readme_path().read_text(encoding="utf-8") == readme_text(), (
        "queries/README.md is out of date: run `python -m illnet.query.canned --write`")


def test_readme_lists_every_query():
    text = readme_text()
    assert all(f"### `{name}`" in text for name in catalogue.catalogue())


FRAME = pd.DataFrame({"name": ["a|b", "c"], "share": [1 / 3, None], "tags": [["x", "y"], []], "ok": [True, False]})


def test_csv_output():
    assert render(FRAME, "csv").splitlines() == ["name,share,tags,ok", f"a|b,{1 / 3},x; y,true", "c,,,false"]


def test_json_output_keeps_lists_and_nulls():
    assert json.loads(render(FRAME, "json")) == [
        {"name": "a|b", "share": 1 / 3, "tags": ["x", "y"], "ok": True},
        {"name": "c", "share": None, "tags": [], "ok": False},
    ]


def test_json_output_turns_numpy_arrays_and_scalars_into_plain_values():
    frame = pd.DataFrame({"features": [np.array([0.5, 1.0]), np.array([], dtype=float)],
                          "n": [np.int64(3), np.int64(4)], "x": [np.float64("nan"), np.float64(2.5)]})
    assert json.loads(render(frame, "json")) == [
        {"features": [0.5, 1.0], "n": 3, "x": None},
        {"features": [], "n": 4, "x": 2.5},
    ]


def test_markdown_output_escapes_pipes_and_rounds():
    assert render(FRAME, "markdown").splitlines() == [
        "| name | share | tags | ok |", "| --- | --- | --- | --- |",
        "| a\\|b | 0.3333 | x; y | true |", "| c |  |  | false |"]


def test_table_output_has_every_column_and_value():
    text = render(FRAME, "table")
    assert all(word in text for word in ["name", "share", "tags", "a|b", "0.3333", "x; y"])


def test_empty_frames_render_headers():
    empty = pd.DataFrame(columns=["a", "b"])
    assert render(empty, "csv") == "a,b\n"
    assert render(empty, "json") == "[]\n"
