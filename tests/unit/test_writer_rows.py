"""The writer's rows (illnet.load.rows), worked out by hand on tiny tables."""

import pandas as pd

from illnet.load.rows import END, KEY, LABEL, START, KeyOf, WriteRows
from illnet.model.keys import node_key


def test_keys_are_escaped_and_joined_as_node_key_makes_them():
    table = pd.DataFrame({"study_id": ["s", "s"], "participant_id": ["P1|M1", "50%"], "member_id": ["X", "M|2"]})
    rows = WriteRows(table, {KEY: KeyOf(("study_id", "participant_id", "member_id"))})
    assert [row[KEY] for row in rows[:]] == [node_key("s", "P1|M1", "X"), node_key("s", "50%", "M|2")]
    assert [row[KEY] for row in rows[:]] == ["s|P1%7CM1|X", "s|50%25|M%7C2"]


def test_a_vocabulary_end_is_matched_on_its_code_as_it_is():
    table = pd.DataFrame({"condition": ["copd", "a|b"]})
    assert [row[END] for row in WriteRows(table, {END: KeyOf(("condition",), plain=True)})[:]] == ["copd", "a|b"]


def test_properties_are_plain_python_values_and_missing_is_none():
    table = pd.DataFrame({"id": ["a", "b"], "age": pd.array([70, None], dtype="Int64"),
                          "weight": pd.array([None, 2.5], dtype="Float64"),
                          "partner": pd.array([True, None], dtype="boolean"), "note": ["x", None]})
    rows = WriteRows(table, {KEY: KeyOf(("id",))}, {"age": "age", "weight": "weight", "hasPartner": "partner",
                                                   "note": "note"}, {"loadRunId": "run-1"})
    assert rows[:] == [{KEY: "a", "age": 70, "weight": None, "hasPartner": True, "note": "x", "loadRunId": "run-1"},
                       {KEY: "b", "age": None, "weight": 2.5, "hasPartner": None, "note": None, "loadRunId": "run-1"}]
    assert type(rows[:][0]["age"]) is int and rows.names == ["age", "weight", "hasPartner", "note", "loadRunId"]


def test_rows_with_the_same_ids_and_merge_properties_are_written_once_the_last_one():
    table = pd.DataFrame({"a": ["m1", "m1", "m1", "m2"], "b": ["m2", "m2", "m2", "m3"], "wave": [0, 0, 1, 0],
                          "weight": [1.0, 2.0, 3.0, 4.0]})
    rows = WriteRows(table, {START: KeyOf(("a",)), END: KeyOf(("b",))}, {"wave": "wave", "weight": "weight"},
                     unique_on=("wave",))
    assert [(r[START], r[END], r["wave"], r["weight"]) for r in rows[:]] == [
        ("m1", "m2", 0, 2.0), ("m1", "m2", 1, 3.0), ("m2", "m3", 0, 4.0)]
    assert len(rows) == 3


def test_the_row_filter_applies_before_duplicates_are_dropped():
    # Help both ways between the same two people in one wave and task: two different flows.
    table = pd.DataFrame({"p": ["P1", "P1"], "m": ["M1", "M1"], "direction": ["to_participant", "to_member"]})
    to_participant = WriteRows(table, {START: KeyOf(("m",)), END: KeyOf(("p",))},
                               where=(("direction", "to_participant"),))
    to_member = WriteRows(table, {START: KeyOf(("p",)), END: KeyOf(("m",))}, where=(("direction", "to_member"),))
    assert [(r[START], r[END]) for r in to_participant[:]] == [("M1", "P1")]
    assert [(r[START], r[END]) for r in to_member[:]] == [("P1", "M1")]


def test_grouped_rows_keep_each_participant_together_in_first_seen_order():
    table = pd.DataFrame({"participant_id": ["P2", "P1", "P2", "P3", "P1"], "n": [1, 2, 3, 4, 5]})
    rows = WriteRows(table, {KEY: KeyOf(("n",))}, {"participant": "participant_id"}, grouped_by="participant_id")
    assert [(r["participant"], r[KEY]) for r in rows[:]] == [("P2", "1"), ("P2", "3"), ("P1", "2"), ("P1", "5"),
                                                              ("P3", "4")]
    assert [len(batch) for batch in rows.batches(2)] == [2, 2, 1]


def test_a_row_gets_the_extra_label_of_its_value_or_none():
    table = pd.DataFrame({"id": ["a", "b", "c"], "tie_class": ["strong", "weak", None]})
    rows = WriteRows(table, {KEY: KeyOf(("id",))}, label=("tie_class", {"strong": "StrongTie", "weak": "WeakTie"}))
    assert [row[LABEL] for row in rows[:]] == ["StrongTie", "WeakTie", None]
