"""The column operations of the reader on the edge cases where a vectorised rule could part
from the per-cell one: numbers written the pandas way, missing-value spellings, whitespace,
formula-like cells, yes/no words, keys that are equal as numbers, and plain CSV files read by
pandas' parser against the exact reader. Expected values are worked out by hand."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from illnet.load import checks, sources, validate
from illnet.load.layouts import Cells
from illnet.load.mapping import FileSpec
from illnet.load.problems import Problem
from illnet.load.sources import RawTable
from illnet.load.tables import (
    PRIVATE,
    StudyTables,
    repeats,
    small_integers,
    typed_frame,
    value_codes,
)
from illnet.values import column_values


def _cells(values: list, missing=("", "na", "-9")) -> tuple[Cells, list[Problem]]:
    """Cells of a one-column file 'x.csv' (column 'c', data rows 2, 3, ...)."""
    frame = pd.DataFrame({"c": pd.Series(values, dtype=object, index=pd.RangeIndex(2, len(values) + 2, name="row"))})
    problems: list[Problem] = []
    spec = FileSpec("members", "x.csv", Path("x.csv"), missing_values=set(missing))
    return Cells(spec, RawTable("x.csv", frame), problems), problems


def test_typed_integers_read_3_0_and_03_but_not_1e0_or_fractions():
    frame = pd.DataFrame({"wave": pd.Series(["3.0", "1e0", " 2 ", "", None, "03", "1.5", "3"], dtype=object)})
    wave = typed_frame("ties", frame)["wave"]
    assert str(wave.dtype) == "Int8"  # 2 and 3: the smallest nullable integer dtype holds them
    assert wave.tolist() == [3, pd.NA, 2, pd.NA, pd.NA, 3, pd.NA, 3]


def test_typed_floats_and_booleans():
    frame = pd.DataFrame({"weight": pd.Series(["2.5", "inf", "nan", " 1 ", "x", None], dtype=object),
                          "directed": pd.Series(["yes", "Y", "1", "0", "No", "maybe"], dtype=object)})
    typed = typed_frame("member_ties", frame)
    assert str(typed["weight"].dtype) == "Float64" and str(typed["directed"].dtype) == "boolean"
    assert typed["weight"].tolist() == [2.5, pd.NA, pd.NA, 1.0, pd.NA, pd.NA]
    assert typed["directed"].tolist() == [True, True, True, False, False, pd.NA]


def test_typed_strings_keep_empty_text_and_give_none_for_missing():
    frame = pd.DataFrame({"member_a": pd.Series(["M1", None, "", "M1"], dtype=object),
                          "member_b": pd.Series([np.nan, "M2", "M3", 4], dtype=object)})
    typed = typed_frame("member_ties", frame)
    assert typed["member_a"].dtype == "category" and column_values(typed["member_a"]) == ["M1", None, "", "M1"]
    assert sorted(typed["member_a"].cat.categories) == ["", "M1"]  # each distinct string once
    assert column_values(typed["member_b"]) == [None, "M2", "M3", "4"]
    assert column_values(typed["type"]) == [None] * 4  # absent: added empty


def test_typed_integers_take_the_smallest_dtype_that_holds_them():
    frame = pd.DataFrame({"age": pd.Series(["130", None], dtype=object)})
    assert str(typed_frame("participants", frame)["age"].dtype) == "Int16"  # 130 > 127, the top of Int8
    for values, dtype in (([-128, 127], "Int8"), ([0, 32768], "Int32"), ([-(2 ** 31) - 1, 0], "Int64"), ([], "Int8")):
        typed = small_integers(pd.Series(pd.array(values + [None], dtype="Int64")))
        assert str(typed.dtype) == dtype and typed.tolist() == values + [pd.NA]


def test_cells_are_stripped_missing_codes_fold_case_and_formulas_are_problems():
    cells, problems = _cells([" P1 ", "NA", " na ", "-9", "=SUM(A1)", "", "+cmd(x)", "-3", None])
    assert cells.values("c").tolist() == ["P1", None, None, None, None, None, None, "-3", None]
    assert [(p.row, p.value) for p in problems] == [(6, "=SUM(A1)"), (8, "+cmd(x)")]
    assert cells.values("c", str.lower, np.array([0, 4, 7])).tolist() == ["p1", None, "-3"]
    assert [p.row for p in problems[2:]] == [6]  # a subset reports only its own rows


def test_flags_read_pandas_numbers_and_report_other_words():
    cells, problems = _cells(["1", "1.0", "0.0", "Y", "no", "2", "", "yes"])
    flags = cells.flags("c", None, yes={"1", "y", "yes"}, no={"0", "n", "no"})
    assert flags.tolist() == [True, True, False, True, False, False, False, True]
    assert [(p.row, p.value, p.message) for p in problems] == [(7, "2", "not a yes/no value")]


def test_value_codes_and_repeats():
    codes, values = value_codes(pd.Series(["1", "1.0", "", None, "x", "2"], dtype=object),
                                lambda v: None if v == "x" else int(float(v)))
    assert codes.tolist() == [0, 0, -1, -1, -1, 1] and values.tolist() == [1, 2]
    later, first = repeats([np.array(["a", "b", "a", None, None], dtype=object), np.array([1, 1, 1, 1, 1])])
    assert later.tolist() == [2, 4] and first.tolist() == [0, 3]


def test_a_repeated_key_is_found_when_the_waves_are_equal_as_numbers():
    ties = pd.DataFrame({"study_id": "s", "participant_id": ["P1", "P1", "P1", "P1"],
                         "member_id": ["M1", "M2", "M1", "M1"], "wave": ["1", "1", "1.0", ""],
                         "source_file": "m.csv", "source_row": [2, 3, 4, 5]}, dtype=object)
    (problem,) = validate.check_keys({"ties": ties})
    assert (problem.file, problem.row, problem.column, problem.value) == ("m.csv", 4, "member_id", "M1")
    assert problem.message == "the same tie twice in one wave (P1 / M1 / 1; first at row 2)"


def _read(tmp_path: Path, data: bytes, encoding: str = "auto") -> RawTable:
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    return sources.read_source(FileSpec("members", "m.csv", path, encoding=encoding))


@pytest.mark.parametrize("data, rows, values", [
    (b"a,b\n1, 2 \n3,\n", [2, 3], [["1", " 2 "], ["3", ""]]),
    (b"a,b\r\n1,2\r\n3,4", [2, 3], [["1", "2"], ["3", "4"]]),
    (b"a;b\nx;y\n", [2], [["x", "y"]]),
    (b"a,b\n1,2\n\n3,4\n", [2, 4], [["1", "2"], ["3", "4"]]),  # a blank line keeps the numbering
    (b'a,b\n"1,5",2\n', [2], [["1,5", "2"]]),  # quoted: the exact reader
    (b"a,b\nCaf\xe9,2\n", [2], [["Caf\u00e9", "2"]]),  # latin-1, declared
], ids=["plain", "crlf-no-final-newline", "semicolon", "blank-line", "quoted", "latin-1"])
def test_plain_and_exact_readers_agree(tmp_path, data, rows, values):
    table = _read(tmp_path, data, "latin-1" if b"\xe9" in data else "auto")
    assert not table.problems, [str(p) for p in table.problems]
    assert list(table.frame.columns) == ["a", "b"]
    assert list(table.frame.index) == rows and table.frame.values.tolist() == values


@pytest.mark.parametrize("text", ["a,b\n1,2,3\n4\n", "a,b\n1\n", "a,b\n1,2\n3,4,5\n"])
def test_a_ragged_file_is_left_to_the_exact_reader(tmp_path, text):
    spec = FileSpec("members", "m.csv", tmp_path / "m.csv")
    assert sources._plain_csv(spec, text, ",") is None
    table = _read(tmp_path, text.encode())
    assert any("fields but the header has 2" in p.message for p in table.problems)


def test_a_long_cell_of_a_plain_file_is_still_reported(tmp_path):
    table = _read(tmp_path, b"a,b\n" + b"x" * 70_000 + b",1\n2,3\n")
    assert [(p.row, p.column, p.message) for p in table.problems] == [
        (2, "a", "the cell holds 70,000 characters (more than 65,536)")]
    assert table.frame["b"].tolist() == ["1", "3"]


def _participants(pids: list[str]) -> StudyTables:
    tables = StudyTables("s")
    tables["participants"] = pd.DataFrame({"participant_id": pd.Series(pids, dtype=object), "source_file": "a.csv",
                                           "source_row": range(2, len(pids) + 2),
                                           PRIVATE: [{"participant_id": "pid"}] * len(pids)})
    return tables


def test_spellings_compare_the_source_cells_and_skip_rows_the_file_does_not_hold():
    frame = pd.DataFrame({"pid": pd.Series(["P1", "p1", "P2", " P2", "p1"], dtype=object,
                                           index=pd.RangeIndex(2, 7, name="row"))})
    warnings = checks.id_spellings(_participants(["P1", "p1", "P2", "P2", "p1"]), {"p": RawTable("a.csv", frame)})
    assert [(w.row, w.value) for w in warnings] == [(3, "p1"), (5, " P2")]
    assert "differs from 'P1' (row 2) only by case" in warnings[0].message
    assert "differs from 'P2' (row 4) only by surrounding spaces" in warnings[1].message
    empty = RawTable("a.csv", pd.DataFrame({"pid": pd.Series([], dtype=object)}))
    assert checks.id_spellings(_participants(["P1", "p1"]), {"p": empty}) == []
