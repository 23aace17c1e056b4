"""The compact column helpers behind read_study's memory: categoricals built from codes,
joined chunk by chunk, repeats found by sorting, cells flagged per distinct value, the
plain-CSV reader's compact mode and its longest-line scan. Expected answers by hand."""

from pathlib import Path

import numpy as np
import pandas as pd

from illnet.load import sources
from illnet.load.mapping import FileSpec
from illnet.load.sources import longest_line, read_source
from illnet.load.tables import (
    categorical,
    constant,
    distinct,
    flagged,
    joined,
    repeats,
    row_numbers,
)
from illnet.values import column_values


def test_categorical_takes_values_by_code_with_minus_one_the_last():
    cells = categorical(np.array([2, 0, -1, 1, 2]), ["b", "a", "b", None])
    assert column_values(pd.Series(cells)) == ["b", "b", None, "a", "b"]
    assert list(cells.categories) == ["a", "b"]  # each string once, sorted
    assert cells.categories.dtype == object  # Python strings, shared by the cells
    assert column_values(pd.Series(constant(3, "x"))) == ["x", "x", "x"]
    assert column_values(pd.Series(constant(2, None))) == [None, None]


def test_sorting_a_categorical_sorts_it_as_text():
    cells = pd.Series(categorical(np.array([0, 1, 2, 3]), ["m10", "m02", "M1", "m1"]))
    assert column_values(cells.sort_values()) == ["M1", "m02", "m1", "m10"]  # sorted("m10 m02 M1 m1".split())


def test_joined_chunks_keep_every_cell():
    first = categorical(np.array([0, 1, 0]), ["x", "y"])
    second = categorical(np.array([1, -1, 0]), ["z", "x", None])
    both = joined([first, second])
    assert column_values(pd.Series(both)) == ["x", "y", "x", "x", None, "z"]
    assert sorted(both.categories) == ["x", "y", "z"]


def test_distinct_and_flagged_call_once_per_value():
    values = pd.Series(["a", None, "b", "a", np.nan], dtype=object)
    codes, uniques = distinct(values)
    assert list(uniques) == ["a", "b"] and codes.tolist() == [0, -1, 1, 0, -1]
    calls = []

    def check(value):
        calls.append(value)
        return "missing" if value is None else ("bad" if value == "b" else None)

    positions, verdicts = flagged(values, check)
    assert positions.tolist() == [1, 2, 4] and verdicts == ["missing", "bad", "missing"]
    assert calls == ["a", "b", None]
    assert flagged(pd.Series(categorical(np.array([0, 0]), ["ok"])), check)[0].tolist() == []


def test_repeats_name_each_later_row_and_its_first():
    # rows 0..6 over (participant, wave): (1,0) (2,0) (1,0) (1,1) (2,0) (1,0) (3,1)
    participant = np.array([0, 1, 0, 0, 1, 0, 2], dtype=np.int8)
    wave = np.array([0, 0, 0, 1, 0, 0, 1], dtype=np.int8)
    later, first = repeats([participant, wave])
    assert later.tolist() == [2, 4, 5] and first.tolist() == [0, 1, 0]
    # a column of one value changes nothing; missing (-1) equals missing
    later, first = repeats([np.zeros(3, dtype=np.int8), np.array([-1, 5, -1])])
    assert later.tolist() == [2] and first.tolist() == [0]
    assert repeats([np.array([], dtype=np.int8)])[0].tolist() == []


def test_repeats_of_combinations_past_int32():
    # 70,000 x 70,000 combinations do not fit int32: the int64 path gives the same answer
    big = np.array([69_999, 5, 69_999, 5])
    other = np.array([69_998, 1, 69_998, 2])
    later, first = repeats([big, other])
    assert later.tolist() == [2] and first.tolist() == [0]


def test_row_numbers_are_int32_below_two_to_the_31():
    assert row_numbers(np.array([2, 3], dtype=np.int64)).dtype == np.int32
    assert row_numbers(np.array([2 ** 31], dtype=np.int64)).dtype == np.int64


def test_longest_line_across_scan_slices(monkeypatch):
    monkeypatch.setattr(sources, "SCAN_BYTES", 4)
    # lines of 3, 9 and 2 bytes (+1 for each line end); the 9-byte line spans three slices
    data = b"abc\n123456789\nxy"
    assert longest_line(data) == 10
    assert longest_line(b"abc\n") == 4 and longest_line(b"abcdef") == 7 and longest_line(b"a\n\nbcdefg\n") == 7


def test_compact_reading_gives_the_same_strings(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "COMPACT_ROWS", 2)  # three chunks of rows
    path = tmp_path / "m.csv"
    path.write_text("pid,wave,note\nP1,0,\nP2,1.0,x\nP1,03,x\nP3,0,y\nP2,1e0,\n")
    spec = FileSpec("members", "m.csv", Path(path))
    plain, compact = read_source(spec), read_source(spec, compact=True)
    assert all(isinstance(compact.frame[c].dtype, pd.CategoricalDtype) for c in compact.frame.columns)
    assert compact.frame.index.tolist() == plain.frame.index.tolist() == [2, 3, 4, 5, 6]
    for column in ("pid", "wave", "note"):
        assert column_values(compact.frame[column]) == plain.frame[column].tolist()
    assert plain.frame["wave"].tolist() == ["0", "1.0", "03", "0", "1e0"]  # text, never numbers
