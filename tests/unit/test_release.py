"""Disclosure control (illnet.release) on small tables worked out by hand."""

import hashlib
import hmac
import stat

import pandas as pd
import pytest

from illnet.errors import QueryError
from illnet.release import release


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ILLNET_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_one_small_count_takes_the_next_smallest_with_it_and_their_shares():
    frame = pd.DataFrame({"tieClass": ["strong", "weak", "professional", "non_human"],
                          "members": [20, 3, 8, 9], "share": [0.5, 0.075, 0.2, 0.225]})
    out = release(frame, threshold=5)
    # weak (3) is below 5; alone it would be 40 minus the others, so professional (8), the
    # smallest other, goes too; the shares of both rows go with their counts.
    assert out["members"].tolist() == [20, None, None, 9]
    assert out["share"].tolist() == [0.5, None, None, 0.225]
    assert "1 count(s) from 1 to 4 suppressed, 1 more" in out.attrs["note"]


def test_two_way_table_keeps_two_suppressed_cells_in_every_row_and_column():
    cells = {("x", "A"): 10, ("x", "B"): 2, ("x", "C"): 12,
             ("y", "A"): 15, ("y", "B"): 20, ("y", "C"): 30,
             ("z", "A"): 8, ("z", "B"): 9, ("z", "C"): 40}
    frame = pd.DataFrame([{"stratum": s, "workType": w, "flows": n} for (s, w), n in cells.items()])
    out = release(frame, threshold=5)
    hidden = {(r.stratum, r.workType) for r in out.itertuples() if r.flows is None}
    # x-B (2) is primary; column B then needs z-B (9, smallest other), row x needs x-A (10),
    # row z needs z-A (8): a 2 x 2 block, so no cell follows from the row and column totals.
    assert hidden == {("x", "A"), ("x", "B"), ("z", "A"), ("z", "B")}
    shown = {(r.stratum, r.workType): r.flows for r in out.itertuples() if r.flows is not None}
    assert shown == {k: v for k, v in cells.items() if k not in hidden}


def test_means_medians_minima_and_maxima_over_few_people_are_suppressed():
    frame = pd.DataFrame({
        "studyId": ["s", "s", "s"], "wave": [0, 0, 0], "stratum": ["UK", "NL", "DE"],
        "participants": [3, 12, 7], "meanSize": [4.0, 5.5, 6.0], "medianSize": [4.0, 5.0, 6.0],
        "minSize": [2, 1, 3], "maxSize": [6, 11, 9]})
    out = release(frame, threshold=5)
    assert out["participants"].tolist() == [None, 12, None]  # DE (7) protects UK (3) in the study total
    for column in ("meanSize", "medianSize", "minSize", "maxSize"):
        assert out[column].tolist()[0] is None and out[column].tolist()[2] is None
    assert out.iloc[1].tolist() == ["s", 0, "NL", 12, 5.5, 5.0, 1, 11]
    assert out["wave"].tolist() == [0, 0, 0]  # a grouping column, never suppressed


def test_zeros_and_counts_at_the_threshold_are_shown():
    frame = pd.DataFrame({"circle": ["inner", "middle", "outer"], "members": [0, 5, 40]})
    out = release(frame, threshold=5)
    assert out["members"].tolist() == [0, 5, 40]
    assert release(frame, threshold=6)["members"].tolist() == [0, None, None]  # 40 alone would be the total


def test_declared_types_decide_when_values_cannot():
    frame = pd.DataFrame({"grp": ["a", "b", "c"], "flows": [None, 30, 7], "share": [None, 1.0, 1.0]})
    out = release(frame, threshold=10, declared={"flows": ("integer", "flows"), "share": ("float", "share")})
    assert out["flows"].tolist() == [None, None, None]  # 7 < 10, then 30 protects it
    assert out["share"].tolist() == [None, None, None]


def test_statistics_without_a_count_cannot_be_released():
    with pytest.raises(QueryError, match="no count of the people"):
        release(pd.DataFrame({"tieClass": ["weak"], "share": [0.25]}))


def expected_pseudonym(home, study: str, value: str, participant: str | None = None) -> str:
    key = bytes.fromhex((home / "release-keys" / f"{study}.key").read_text().strip())
    text = value if participant is None else f"{participant}\x1f{value}"
    return "px" + hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:16]


def test_person_ids_become_keyed_pseudonyms_with_a_private_secret_per_study(home):
    frame = pd.DataFrame({"participantId": ["P1", "P2", "P1"], "memberId": ["M1", "M1", "M2"],
                          "givers": [["M1", "M2"], [], ["M2"]], "flows": [1, 2, 3]})
    out = release(frame, study="nwe", declared={"givers": ("list", "memberIds doing the task, sorted")})
    key_file = home / "release-keys" / "nwe.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert len(bytes.fromhex(key_file.read_text().strip())) == 32
    assert out["participantId"].tolist() == [expected_pseudonym(home, "nwe", v) for v in ["P1", "P2", "P1"]]
    # member ids repeat across networks (P1's M1 is not P2's M1): keyed with their participant
    assert out["memberId"].tolist() == [expected_pseudonym(home, "nwe", m, p)
                                        for p, m in [("P1", "M1"), ("P2", "M1"), ("P1", "M2")]]
    assert out["memberId"][0] != out["memberId"][1]
    assert out["givers"].tolist() == [[expected_pseudonym(home, "nwe", "M1", "P1"), expected_pseudonym(home, "nwe", "M2", "P1")],
                                      [], [expected_pseudonym(home, "nwe", "M2", "P1")]]
    assert out["flows"].tolist() == [1, 2, 3]  # record-level rows: pseudonymised, not suppressed
    assert release(frame, study="nwe")["participantId"].tolist() == out["participantId"].tolist()  # stable
    other = release(frame, study="euwise")["participantId"].tolist()
    assert set(other).isdisjoint(out["participantId"])  # another study, another key
    assert "P1" not in out.to_csv()


def test_pseudonyms_follow_each_rows_study_column(home):
    frame = pd.DataFrame({"studyId": ["a", "b"], "participantId": ["P1", "P1"]})
    out = release(frame)
    assert out["participantId"].tolist() == [expected_pseudonym(home, "a", "P1"), expected_pseudonym(home, "b", "P1")]


def test_pseudonyms_need_a_known_study_and_a_private_secret(home):
    with pytest.raises(QueryError, match="study") as err:
        release(pd.DataFrame({"participantId": ["P1"]}))
    assert "-p study=" in err.value.hint
    release(pd.DataFrame({"participantId": ["P1"]}), study="s")
    (home / "release-keys" / "s.key").chmod(0o644)
    with pytest.raises(QueryError, match="readable by other users"):
        release(pd.DataFrame({"participantId": ["P1"]}), study="s")
