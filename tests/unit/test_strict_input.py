"""Strict and safe reading beyond the malformed-input catalogue: YAML that parses but must
not be used, files outside the study folder, numbers written the pandas way, ids that
differ only by case or surrounding spaces."""

from pathlib import Path

import pytest

from illnet.load.mapping import MappingInvalid, load_mapping
from illnet.load.read import read_study
from illnet.load.safe_yaml import UnsafeYaml, load
from illnet.load.tables import as_integer
from tests.fixture_copy import copy_fixture


def edit(mapping: Path, old: str, new: str) -> Path:
    text = mapping.read_text(encoding="utf-8")
    assert old in text
    mapping.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mapping


def test_a_recursive_alias_is_refused_not_followed():
    with pytest.raises(UnsafeYaml, match="recursive"):
        load("a: &a [1, *a]\n")


def test_anchors_within_the_limit_still_work():
    assert load("x: &codes {1: female, 2: male}\ny: *codes\n") == {"x": {1: "female", 2: "male"},
                                                                  "y": {1: "female", 2: "male"}}


def test_a_merge_key_may_be_overridden_but_a_key_may_not_repeat():
    assert load("base: &b {a: 1, b: 2}\nx: {<<: *b, a: 3}\n")["x"] == {"a": 3, "b": 2}
    with pytest.raises(UnsafeYaml, match="key 'a' appears twice"):
        load("x: {a: 1, b: 2, a: 3}\n")


def test_a_duplicate_key_names_both_lines_and_its_path(tmp_path):
    mapping = edit(copy_fixture(tmp_path), "      circle: circle\n", "      circle: circle\n      wave: wave\n")
    with pytest.raises(MappingInvalid) as raised:
        load_mapping(mapping)
    (problem,) = raised.value.problems
    text = mapping.read_text().splitlines()
    first = text.index("      wave: wave") + 1
    assert (problem.row, problem.column) == (text.index("      wave: wave", first) + 1, "files.members.columns.wave")
    assert f"first at line {first}" in problem.message


def _outside_study(tmp_path: Path, header: str) -> Path:
    """The fixture study in tmp/study whose resources file lives in tmp/elsewhere."""
    study, elsewhere = tmp_path / "study", tmp_path / "elsewhere"
    study.mkdir(), elsewhere.mkdir()
    mapping = copy_fixture(study)
    (elsewhere / "resources.csv").write_text(f"{header}\nR1,gp_practice,Hill Surgery\n")
    (study / "resources.csv").unlink()
    return edit(mapping, "path: resources.csv", "path: ../elsewhere/resources.csv")


def test_allow_outside_reads_a_file_outside_the_folder(tmp_path):
    mapping = _outside_study(tmp_path, "rid,type,name")
    assert not read_study(mapping).ok
    result = read_study(mapping, allow_outside=True)
    assert result.ok, [str(p) for p in result.problems]
    assert result.tables["resources"]["name"].tolist() == ["Hill Surgery"]


def test_the_did_you_mean_hint_never_quotes_a_header_outside_the_study(tmp_path):
    mapping = _outside_study(tmp_path, "rid,type,secret_name")
    edit(mapping, "name: name", "name: secret_nam")
    (problem,) = [p for p in read_study(mapping, allow_outside=True).problems if p.column == "secret_nam"]
    assert "secret_name" not in str(problem) and "did you mean" not in problem.fix
    inside = copy_fixture(tmp_path / "study")  # the same mistake inside the study folder gets the hint
    (tmp_path / "study" / "resources.csv").write_text("rid,type,secret_name\nR1,gp_practice,Hill Surgery\n")
    (problem,) = [p for p in read_study(edit(inside, "name: name", "name: secret_nam")).problems
                  if p.column == "secret_nam"]
    assert "did you mean 'secret_name'?" in problem.fix


@pytest.mark.parametrize("text, number", [("3", 3), ("3.0", 3), ("03", 3), (" 2 ", 2), (3.0, 3),
                                          ("1e0", None), ("1.5", None), ("one", None), ("", None), ("nan", None)])
def test_whole_numbers_as_pandas_writes_them_but_not_scientific_or_fractions(text, number):
    assert as_integer(text) == number


def test_a_pandas_written_flag_reads_as_yes_or_no(tmp_path):
    mapping = copy_fixture(tmp_path)
    members = (tmp_path / "members.csv").read_text().replace("P1,M1,0,Partner,inner,daily,1,1,0",
                                                             "P1,M1,0,Partner,inner,daily,1.0,0.0,0")
    (tmp_path / "members.csv").write_text(members)
    result = read_study(mapping)
    assert result.ok, [str(p) for p in result.problems]
    flows = result.tables["support"]
    first = flows[(flows["participant_id"] == "P1") & (flows["member_id"] == "M1") & (flows["wave"] == 0)]
    assert sorted(first["task"]) == ["medication"]  # 1.0 = yes for medication, 0.0 = no for comfort


def _with_spellings(tmp_path: Path) -> Path:
    mapping = copy_fixture(tmp_path)
    (tmp_path / "participants.csv").write_text("pid,country,sex,partner,conditions\n"
                                               "P1,GB,1,1,diabetes\nP2,nl,2,0,COPD\np1,GB,1,0,copd\n")
    members = (tmp_path / "members.csv").read_text().replace("P1,M1,1,", "P1, M1 ,1,")
    (tmp_path / "members.csv").write_text(members)
    (tmp_path / "resources.csv").write_text("rid,type,name\nR1,gp_practice,Hill\nr1,pharmacy,Boots\n")
    return mapping


def test_ids_differing_only_by_case_or_spaces_are_warned_about_where_they_are(tmp_path):
    result = read_study(_with_spellings(tmp_path))
    assert result.ok, [str(p) for p in result.problems]  # warnings reject nothing
    where = {(w.file, w.row, w.column, w.value) for w in result.warnings}
    assert where == {("participants.csv", 4, "pid", "p1"), ("members.csv", 4, "mid", " M1 "),
                     ("resources.csv", 3, "rid", "r1")}
    by_file = {w.file: str(w) for w in result.warnings}
    assert "differs from 'P1' (row 2) only by case: read as a different participant" in by_file["participants.csv"]
    assert "of participant P1 differs from 'M1' (row 2) only by surrounding spaces: read as the same member" \
        in by_file["members.csv"]


def test_strict_makes_the_spelling_warnings_problems(tmp_path):
    result = read_study(_with_spellings(tmp_path), strict=True)
    assert not result.ok and not result.warnings
    assert ("participants.csv", 4, "pid") in {(p.file, p.row, p.column) for p in result.problems}
