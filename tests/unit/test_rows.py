"""Plain rows (illnet.query.rows) print exactly as the DataFrame they become: the command line
prints a canned query's rows without pandas, the Python API returns the DataFrame, and pandas
(its type inference, then the casts to the declared `returns:` types) is the reference."""

import itertools

import pytest

from illnet.cli.output import FORMATS, render
from illnet.query.canned import Column
from illnet.query.rows import Rows

# Columns as Neo4j can return them: numbers with and without nulls, NaN, text, booleans, lists, maps.
COLUMNS = {
    "ints": [3, 1, 2], "ints with a null": [3, None, 2], "floats": [0.25, 1.0, 2.5],
    "whole floats": [1.0, 2.0, 3.0], "mixed numbers": [1, 2.5, 3], "floats with a null": [0.5, None, 1.5],
    "a NaN": [float("nan"), 1.0, None], "only NaN": [float("nan"), None, None], "nulls": [None, None, None],
    "text": ["a", "b b", "c"], "text with a null": ["a", None, "c"], "booleans": [True, False, True],
    "booleans with a null": [True, None, False], "lists": [["a", "b"], [], None],
    "maps": [{"k": 1}, None, {"k": 2}], "text and numbers": ["a", 1, None], "big ints": [2**62, -(2**62), 7],
}
TYPES = (None, "any", "integer", "float", "string", "boolean", "list")


def shown(result) -> dict[str, str]:
    return {fmt: render(result, fmt, width=200) for fmt in FORMATS}


@pytest.mark.parametrize(("name", "declared"), list(itertools.product(COLUMNS, TYPES)))
def test_a_column_prints_as_its_dataframe_does(name, declared):
    values = COLUMNS[name]
    returns = (Column(name, declared, "-"),) if declared else ()
    rows = Rows([name, "n"], [[value, index] for index, value in enumerate(values)], returns=returns)
    assert shown(rows) == shown(rows.frame())


@pytest.mark.parametrize("declared", TYPES)
def test_no_rows_print_as_their_dataframe_does(declared):
    rows = Rows(["x"], [], returns=(Column("x", declared, "-"),) if declared else ())
    assert shown(rows) == shown(rows.frame())


@pytest.mark.parametrize(("values", "declared"), [
    ([3, None, 2], "integer"), ([0.5, None, 1], "float"), ([1, 2], None), (["a", None], "string"),
    ([True, None], "boolean"), ([["a"], None], "list"), ([None, None], "any")])
def test_values_that_fit_their_type_need_no_dataframe(values, declared):
    rows = Rows(["x"], [[value] for value in values], returns=(Column("x", declared, "-"),) if declared else ())
    assert rows.stored() is not None


def test_values_that_do_not_fit_their_type_are_left_to_the_dataframe():
    # a declared integer column holding text: pandas converts "3" to 3, so the DataFrame decides
    rows = Rows(["x"], [["3"], [None]], returns=(Column("x", "integer", "-"),))
    assert rows.stored() is None
    assert render(rows, "csv") == 'x\n3\n""\n'  # a row of one empty field is quoted, as in any CSV


def test_numbers_are_right_aligned_and_nulls_of_a_float_column_are_empty():
    rows = Rows(["name", "share"], [["a", 0.5], ["b", None]], returns=(Column("share", "float", "-"),))
    assert render(rows, "json") == '[\n  {\n    "name": "a",\n    "share": 0.5\n  },\n  {\n    "name": "b",\n' \
                                   '    "share": null\n  }\n]\n'
    assert render(rows, "table", width=40).splitlines()[1:] == ["━━━━━━╇━━━━━━━", " a    │   0.5", " b    │"]
