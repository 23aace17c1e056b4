"""Mapping files: parsing, checks with file/line/key, and `illnet mapping init` guesses."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from illnet.cli.mapping import mapping as mapping_group
from illnet.load.mapping import MappingInvalid, load_mapping
from illnet.load.mapping_init import find_slots, guess_field, guess_task
from illnet.load.read import read_study
from tests.fixture_copy import FIXTURES, copy_fixture

SEX_LINE = "      has_partner: partner\n"
SEX_CODES = "    codes: {sex: {1: female, 2: male}}\n"


def test_load_long_mapping():
    mapping = load_mapping(FIXTURES / "long" / "mapping.yaml")
    assert (mapping.study_id, mapping.layout, mapping.design) == ("tiny", "long", "panel")
    members = mapping.files["members"]
    assert members.columns["relationship_type"] == "relation"
    assert members.tasks == {"medication": "help_medication", "comfort": "help_comfort"}
    assert members.reciprocal_tasks == {"companionship": "helps_back"}
    assert members.full_path == FIXTURES / "long" / "members.csv"
    assert mapping.files["participants"].codes["sex"] == {"1": "female", "2": "male"}
    assert mapping.files["participants"].multi == {"conditions": ("conditions", ";")}
    assert {"", "na", "-9"} <= members.missing_values
    assert mapping.tie_classes["neighbour"] == "weak" and mapping.tie_classes["pet"] == "non_human"


def test_load_wide_mapping():
    slots = load_mapping(FIXTURES / "wide" / "mapping.yaml").files["participants"].slots
    assert slots.count is None
    assert slots.column(3, "relation") == "member3_relation"
    assert slots.tasks == {"medication": "medication", "comfort": "comfort"}


def _problems(tmp_path: Path, text: str) -> list[str]:
    copy_fixture(tmp_path, pattern="*.csv")
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(MappingInvalid) as caught:
        load_mapping(path)
    return [str(p) for p in caught.value.problems]


def test_mapping_problems_name_file_line_and_key(tmp_path):
    text = ("version: 1\nstudy: {id: s}\nlayout: long\nfiles:\n"
            "  participants:\n    path: participants.csv\n    colums: {participant_id: pid}\n"
            "  members:\n    path: members.csv\n    columns:\n      participant_id: pid\n      member_id: mid\n"
            "      wave: wave\n      relationship_type: relation\n      circle: circle\n      tie_class: x\n")
    problems = _problems(tmp_path, text)
    assert "m.yaml:7: column 'files.participants.colums': unknown key; fix: use one of:" in problems[0]
    assert any(p.startswith("m.yaml:16: column 'files.members.columns.tie_class' value 'x': 'tie_class' is "
                            "derived from relationship_type") for p in problems)
    assert any("m.yaml:5: column 'files.participants.columns': required field 'participant_id' is not mapped"
               in p for p in problems)


def test_layout_needs_its_files(tmp_path):
    problems = _problems(tmp_path, "study: {id: s}\nlayout: wide\nfiles:\n  participants:\n"
                                   "    path: participants.csv\n    columns: {participant_id: pid, wave: wave}\n")
    assert any("the wide layout needs slots" in p for p in problems)
    problems = _problems(tmp_path, "study: {id: s}\nlayout: diagonal\nfiles: {}\n")
    assert any("m.yaml:2: column 'layout' value 'diagonal': unknown layout" in p for p in problems)
    assert any("files.participants is missing" in p for p in problems)


def test_missing_mapping_file_is_a_problem_not_a_crash(tmp_path):
    result = read_study(tmp_path / "nowhere.yaml")
    assert not result.ok and result.problems[0].file == "nowhere.yaml"
    assert result.reconciliation == []


@pytest.mark.parametrize("column, field", [("ID", "participant_id"), ("pid", "participant_id"),
                                           ("Participant", "participant_id"), ("Relationship", "relationship_type"),
                                           ("relation", "relationship_type"), ("freq", "contact_frequency"),
                                           ("Frequency", "contact_frequency"), ("circle", "circle"),
                                           ("Wave", "wave"), ("gender", "sex"), ("shoe size", None)])
def test_guess_field(column, field):
    allowed = ["participant_id", "relationship_type", "contact_frequency", "circle", "wave", "sex"]
    assert guess_field(column, allowed) == field


def test_guess_task_and_slots():
    assert guess_task("help_medication") == "medication"
    assert guess_task("Shopping") == "shopping"
    assert guess_task("hobby") is None
    header = ["id", "member1_relation", "member1_circle", "member2_relation", "member2_circle", "member10_freq"]
    assert find_slots(header) == ("member{n}_{field}", ["relation", "circle", "freq"])
    assert find_slots(["id", "age", "sex"]) is None


def test_init_long_then_validate(tmp_path):
    copy_fixture(tmp_path, pattern="*.csv")
    out = tmp_path / "mapping.yaml"
    result = CliRunner().invoke(mapping_group, ["init", *map(str, sorted(tmp_path.glob("*.csv"))),
                                                "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "layout: long" in text and "relationship_type: relation" in text
    assert "contact_frequency: freq" in text and "medication: help_medication" in text
    assert "TODO" in text
    out.write_text(text.replace("TODO_study_id", "tiny").replace("TODO study name", "Tiny"))
    first_causes = [p for p in read_study(out).problems if "was rejected" not in p.message]
    assert {(p.file, p.column, p.value) for p in first_causes} == {
        ("participants.csv", "sex", "1"), ("participants.csv", "sex", "2")}  # numeric codes cannot be guessed
    out.write_text(out.read_text().replace(SEX_LINE, SEX_LINE + SEX_CODES))
    read = read_study(out)
    assert read.ok, [str(p) for p in read.problems]
    assert len(read.tables["members"]) == 4 and len(read.tables["member_ties"]) == 1


def test_init_wide_guesses_slots(tmp_path):
    copy_fixture(tmp_path, "wide", "survey.csv")
    out = tmp_path / "mapping.yaml"
    result = CliRunner().invoke(mapping_group, ["init", str(tmp_path / "survey.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "layout: wide" in text and 'pattern: "member{n}_{field}"' in text
    out.write_text(text.replace("TODO_study_id", "tiny").replace("TODO study name", "Tiny")
                   .replace(SEX_LINE, SEX_LINE + SEX_CODES))
    read = read_study(out)
    assert read.ok, [str(p) for p in read.problems]
    assert len(read.tables["ties"]) == 5
    again = CliRunner().invoke(mapping_group, ["init", str(tmp_path / "survey.csv"), "--out", str(out)])
    assert again.exit_code != 0
