"""Problems by root cause: one line per (file, column, kind) with its count and first rows,
knock-on rejections counted per file, and the share of each table that --skip-invalid drops."""

from click.testing import CliRunner

from illnet.cli.mapping import validate as validate_command
from illnet.load.problems import Problem
from illnet.load.read import read_study
from illnet.load.report import kind, over_limit, skip_shares, summarise
from tests.fixture_copy import copy_fixture

FIX = "map it under codes: circle"


def _circle(row: int, value: str) -> Problem:
    return Problem("members.csv", row, "circle", value, "unknown circle code", FIX)


def test_one_group_per_file_column_and_kind_with_count_rows_and_values():
    problems = [_circle(row, "close" if row % 2 else "far") for row in range(2, 12)]
    problems.append(Problem("members.csv", 4, "wave", "one", "not a whole number", "write 0"))
    summary = summarise(problems)
    assert [(g.file, g.column, g.kind, g.count) for g in summary.groups] == [
        ("members.csv", "circle", "unknown circle code", 10), ("members.csv", "wave", "not a whole number", 1)]
    assert str(summary.groups[0]) == ("members.csv column 'circle': unknown circle code, 10 times "
                                      "(rows 2, 3, 4, 5, 6, ...; values 'far', 'close'); fix: " + FIX)
    assert str(summary.groups[1]) == str(problems[-1])  # a cause met once prints as the problem itself


def test_ids_and_first_at_notes_do_not_split_a_kind():
    assert kind("unknown member of participant P1") == kind("unknown member of participant P7")
    assert kind("the same tie twice in one wave (P1 / M2 / 0; first at row 3)") == "the same tie twice in one wave"
    assert kind("P1/M1 has circle 'inner' at row 3 but 'outer' here") == \
        kind("P2/M9 has circle 'outer' at row 8 but 'middle' here")
    assert kind("row has 4 fields but the header has 9 (truncated row?)") != \
        kind("row has 12 fields but the header has 9")
    assert kind("no tie_class for relationship_type 'x'") == kind("no tie_class for relationship_type 'y'")


def test_knock_on_rejections_are_counted_once_per_file_and_row_not_listed():
    knock = "participant P2 was rejected, so this row is too"
    problems = [Problem("participants.csv", 3, "country", "XX", "unknown country code", "fix it"),
                Problem("members.csv", 5, "pid", "P2", knock, "fix that first"),
                Problem("members.csv", 5, "pid", "P2", knock.replace("participant P2", "member P2/M1"), "first"),
                Problem("members.csv", 6, "pid", "P2", knock, "fix that first"),
                Problem("members.csv", 7, "circle", "far", "unknown circle code", FIX),
                Problem("members.csv", 7, "pid", "P2", knock, "fix that first")]  # has its own cause
    summary = summarise(problems)
    assert [g.kind for g in summary.groups] == ["unknown country code", "unknown circle code"]
    assert summary.knock_on == {"members.csv": 2}
    (line,) = summary.knock_on_lines()
    assert line.startswith("members.csv: 2 rows rejected only because")


def _study_with_bad_circles(tmp_path):
    mapping = copy_fixture(tmp_path)
    members = (tmp_path / "members.csv").read_text()
    (tmp_path / "members.csv").write_text(members.replace("inner", "close").replace("outer", "far"))
    (tmp_path / "participants.csv").write_text((tmp_path / "participants.csv").read_text().replace("nl", "XX"))
    return mapping


def test_validate_prints_one_line_per_root_cause_and_one_knock_on_line_per_file(tmp_path):
    result = CliRunner().invoke(validate_command, [str(_study_with_bad_circles(tmp_path))])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # members.csv rows 2-4 (P1) have circles close/far; participant P2 (row 3) has country XX, so
    # P2's members (rows 5, 6), P1's tie (its members rejected) and P1's resource link follow.
    assert [line for line in lines if line.startswith("x members.csv column 'circle'")] == [
        "x members.csv column 'circle': unknown circle code, 3 times (rows 2, 3, 4; values 'close', 'far'); "
        "fix: map it under codes: circle in the mapping, or use one of: inner, middle, outer, unplaced"]
    knock_on = [line for line in lines if "rejected only because" in line]
    assert [line.split(":")[0] for line in knock_on] == ["x members.csv", "x member_ties.csv",
                                                         "x resource_links.csv"]
    assert "x members.csv: 2 rows" in knock_on[0]
    assert not any("was rejected, so this row is too" in line for line in lines)


def test_skip_shares_are_worked_out_per_canonical_table(tmp_path):
    result = read_study(_study_with_bad_circles(tmp_path), skip_invalid=True)
    shares = skip_shares(result)
    # by hand: all 5 member rows are rejected (3 circles, 2 of P2), so all 4 members, 5 ties,
    # 7 support flows, the member tie and the resource link go; P2 and its condition (copd) go;
    # P1's participation in R1 and R1 itself stay.
    assert shares == {"participants": (1, 2), "conditions": (1, 3), "members": (4, 4), "ties": (5, 5),
                      "member_ties": (1, 1), "support": (7, 7), "resources": (0, 1), "participation": (0, 1),
                      "resource_links": (1, 1)}
    assert set(over_limit(shares, 0.5)) == {"members", "ties", "member_ties", "support", "resource_links"}
    assert over_limit(shares, 1.0) == {}
    assert skip_shares(read_study(tmp_path / "mapping.yaml")) == {}  # without --skip-invalid: nothing dropped
