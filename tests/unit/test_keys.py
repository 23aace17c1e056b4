"""Node keys cannot collide: each id is escaped before the ids are joined with '|'."""

import itertools

import pandas as pd

from illnet.load.rows import KeyOf
from illnet.model.keys import escape, node_key


def test_ids_holding_the_separator_get_different_keys():
    assert node_key("s", "P1|M1", "X") != node_key("s", "P1", "M1|X")
    assert node_key("pipe", "x|P2") != node_key("pipe|x", "P2")
    assert node_key("s", "a%7Cb") != node_key("s", "a|b")  # an id that looks escaped stays apart


def test_plain_ids_keep_the_plain_key():
    assert node_key("tiny", "p1", "m1") == "tiny|p1|m1"
    row = pd.DataFrame({"study_id": ["tiny"], "participant_id": ["P1"]})
    assert KeyOf(("study_id", "participant_id")).of(row).tolist() == ["tiny|P1"]


def test_keys_are_one_to_one_on_tricky_ids():
    parts = ["", "|", "%", "%7C", "%25", "a|b", "a%b", "||", "%|"]
    ids = list(itertools.product(parts, repeat=3))
    keys = {node_key(*triple) for triple in ids}
    assert len(keys) == len(ids)
    # decoding by hand: split on the separator, then undo the two replacements in reverse order
    for triple in ids:
        decoded = tuple(p.replace("%7C", "|").replace("%25", "%") for p in node_key(*triple).split("|"))
        assert decoded == triple


def test_the_writer_makes_the_same_keys_as_node_key_on_tricky_ids():
    parts = ["", "|", "%", "%7C", "%25", "a|b", "a%b", "||", "%|"]
    ids = list(itertools.product(parts, repeat=3))
    table = pd.DataFrame(ids, columns=["s", "p", "m"])
    assert KeyOf(("s", "p", "m")).of(table).tolist() == [node_key(*triple) for triple in ids]


def test_escape_is_the_rule_of_the_migration():
    assert escape("a%|b") == "a%25%7Cb"
