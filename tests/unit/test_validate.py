"""Whole-study validation: every malformed case is reported at its file, row and column;
rejected rows cascade to the rows that depend on them; rows reconcile per file."""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from illnet.cli.mapping import validate as validate_command
from illnet.load.problems import Problem
from illnet.load.read import read_study, write_rejects
from tests.fixture_copy import FIXTURES, copy_fixture
from tests.malformed import CASES


def test_the_catalogue_is_large_and_names_are_unique():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_malformed_input_is_reported_where_it_is(case, tmp_path):
    result = read_study(case.build(tmp_path))
    assert not result.ok
    where = [(p.file, p.row, p.column) for p in result.problems]
    assert (case.file, case.row, case.column) in where, "\n".join(map(str, result.problems))
    for problem in result.problems:
        line = str(problem)
        assert "\n" not in line and "; fix: " in line
        assert line.startswith(f"{problem.file}:")


def _bad_country_study(tmp_path: Path) -> Path:
    mapping = copy_fixture(tmp_path)
    (tmp_path / "participants.csv").write_text(
        "pid,country,sex,partner,conditions\nP1,GB,1,1,diabetes;chd\nP2,Atlantis,2,0,COPD\n")
    return mapping


def test_rows_of_a_rejected_participant_are_rejected_with_their_own_line(tmp_path):
    result = read_study(_bad_country_study(tmp_path), skip_invalid=True)
    where = {(p.file, p.row, p.column) for p in result.problems}
    # P2 (row 3) has the bad country; its members are rows 5 and 6 of members.csv
    assert where == {("participants.csv", 3, "country"), ("members.csv", 5, "pid"), ("members.csv", 6, "pid")}
    assert all("was rejected" in str(p) for p in result.problems if p.file == "members.csv")
    report = {r.file: (r.rows_read, r.rows_loaded, r.rows_rejected) for r in result.reconciliation}
    assert report["participants.csv"] == (2, 1, 1)
    assert report["members.csv"] == (5, 3, 2)
    assert report["member_ties.csv"] == (1, 1, 0)
    for read, loaded, rejected in report.values():
        assert read == loaded + rejected
    tables = result.tables
    assert tables["participants"]["participant_id"].tolist() == ["P1"]
    assert set(tables["members"]["participant_id"]) == {"P1"}
    assert set(tables["support"]["participant_id"]) == {"P1"}
    assert tables["conditions"]["participant_id"].tolist() == ["P1", "P1"]


def test_without_skip_invalid_all_rows_are_kept_and_result_is_not_ok(tmp_path):
    result = read_study(_bad_country_study(tmp_path))
    assert not result.ok
    assert sorted(result.tables["participants"]["participant_id"]) == ["P1", "P2"]


def test_rejecting_a_resource_rejects_its_participation_and_links(tmp_path):
    mapping = copy_fixture(tmp_path)
    (tmp_path / "resources.csv").write_text("rid,type,name\nR1,spaceport,Hill Surgery\n")
    result = read_study(mapping, skip_invalid=True)
    assert {(p.file, p.row) for p in result.problems} == {
        ("resources.csv", 2), ("participation.csv", 2), ("resource_links.csv", 2)}
    assert result.tables["participation"].empty and result.tables["resource_links"].empty


def test_problem_prints_as_one_line():
    problem = Problem("members.csv", 7, "wave", "two\nlines", "not a whole number", "write 0 or 1")
    assert str(problem) == "members.csv:7: column 'wave' value 'two\\nlines': not a whole number; fix: write 0 or 1"
    assert str(Problem("a.csv", None, None, None, "the file is empty", "export it")) == \
        "a.csv: the file is empty; fix: export it"


def test_write_rejects(tmp_path):
    result = read_study(_bad_country_study(tmp_path))
    path = write_rejects(result.problems, tmp_path / "rejects.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["file", "row", "column", "value", "problem", "fix"]
    assert rows[1][:4] == ["participants.csv", "3", "country", "Atlantis"]
    assert len(rows) == 1 + len(result.problems)


def test_validate_command(tmp_path):
    runner = CliRunner()
    good = runner.invoke(validate_command, [str(FIXTURES / "long" / "mapping.yaml")])
    assert good.exit_code == 0, good.output
    assert "no problems" in good.output and "members.csv" in good.output
    rejects = tmp_path / "rejects.csv"
    bad = runner.invoke(validate_command, [str(_bad_country_study(tmp_path)), "--rejects", str(rejects)])
    assert bad.exit_code == 1
    assert "participants.csv:3: column 'country' value 'Atlantis'" in bad.output
    assert rejects.is_file()
