"""Readers and layouts on tiny hand-made files: every file type, both layouts, encodings, delimiters."""

from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from illnet.load.read import read_study
from illnet.values import column_values
from tests.fixture_copy import FIXTURES, copy_fixture

PARTICIPANTS = pd.DataFrame({"pid": ["P1", "P2"], "country": ["GB", "nl"], "sex": [1, 2],
                             "partner": [1, 0], "conditions": ["diabetes;chd", "COPD"]})


def edit(mapping: Path, old: str, new: str) -> Path:
    text = mapping.read_text(encoding="utf-8")
    assert old in text
    mapping.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mapping


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """A table without provenance, rows in a fixed order (for layout-independent comparison)."""
    body = frame.drop(columns=["source_file", "source_row"])
    return body.sort_values(list(body.columns)).reset_index(drop=True)


def test_long_fixture_gives_the_hand_worked_tables():
    result = read_study(FIXTURES / "long" / "mapping.yaml")
    assert result.ok, [str(p) for p in result.problems]
    tables = result.tables
    participants = tables["participants"].set_index("participant_id")
    assert participants.loc["P1", ["country", "sex", "has_partner"]].tolist() == ["GB", "female", True]
    assert participants.loc["P2", ["country", "sex", "has_partner"]].tolist() == ["NL", "male", False]
    assert sorted(map(tuple, tables["conditions"][["participant_id", "condition"]].values)) == [
        ("P1", "chd"), ("P1", "diabetes"), ("P2", "copd")]
    members = {(r.participant_id, r.member_id): (r.relationship_type, r.relationship_raw, r.tie_class)
               for r in tables["members"].itertuples()}
    assert members == {("P1", "M1"): ("partner", "Partner", "strong"), ("P1", "M2"): ("gp", "GP", "professional"),
                       ("P2", "M1"): ("friend", "friend", "strong"), ("P2", "M2"): ("pet", "pet", "non_human")}
    ties = tables["ties"]
    assert len(ties) == 5 and ties["wave"].dtype == "Int8"
    assert ties.set_index(["participant_id", "member_id", "wave"]).loc[("P1", "M2", 0), "contact_frequency"] \
        == "every_couple_of_months"
    assert pd.isna(ties.set_index(["participant_id", "member_id"]).loc[("P2", "M2"), "contact_frequency"])  # missing
    flows = {(r.participant_id, r.member_id, r.wave, r.task, r.work_type, r.direction)
             for r in tables["support"].itertuples()}
    assert flows == {("P1", "M1", 0, "medication", "illness", "to_participant"),
                     ("P1", "M1", 0, "comfort", "emotional", "to_participant"),
                     ("P1", "M2", 0, "medication", "illness", "to_participant"),
                     ("P1", "M1", 1, "medication", "illness", "to_participant"),
                     ("P1", "M1", 1, "companionship", "emotional", "to_member"),
                     ("P2", "M1", 0, "comfort", "emotional", "to_participant"),
                     ("P2", "M2", 0, "comfort", "emotional", "to_participant")}
    # the tie was written M2 -> M1; it is stored with member_a < member_b
    assert tables["member_ties"][["member_a", "member_b"]].values.tolist() == [["M1", "M2"]]
    assert set(tables["participants"]["study_id"]) == {"tiny"}
    assert tables["ties"]["source_row"].tolist() == [2, 3, 4, 5, 6]


def test_both_layouts_give_the_same_study():
    long = read_study(FIXTURES / "long" / "mapping.yaml")
    wide = read_study(FIXTURES / "wide" / "mapping.yaml")
    assert long.ok and wide.ok
    for name in long.tables.tables:
        pd.testing.assert_frame_equal(canonical(long.tables[name]), canonical(wide.tables[name]), obj=name)


def test_wide_rows_keep_the_participant_row_and_skip_empty_slots():
    result = read_study(FIXTURES / "wide" / "mapping.yaml")
    ties = result.tables["ties"]
    # row 3 (P1, wave 1) has one filled slot out of two
    assert ties[ties["source_row"] == 3][["member_id", "wave"]].values.tolist() == [["M1", 1]]
    assert result.reconciliation[0].rows_read == 3 and result.reconciliation[0].rows_loaded == 3


def test_wide_slots_without_member_ids_are_numbered(tmp_path):
    mapping = edit(copy_fixture(tmp_path, "wide"), "        member_id: id\n", "")
    (tmp_path / "member_ties.csv").write_text("pid,from,to,wave\nP1,m2,m1,0\n")
    (tmp_path / "resource_links.csv").write_text("pid,mid,rid,wave\nP1,m2,R1,0\n")
    result = read_study(mapping)
    assert result.ok, [str(p) for p in result.problems]
    members = result.tables["members"]
    assert sorted(zip(members["participant_id"], members["member_id"], members["relationship_type"])) == [
        ("P1", "m1", "partner"), ("P1", "m2", "gp"), ("P2", "m1", "friend"), ("P2", "m2", "pet")]


def _participants_as(tmp_path: Path, name: str) -> Path:
    mapping = copy_fixture(tmp_path)
    (tmp_path / "participants.csv").unlink()
    return edit(mapping, "path: participants.csv", f"path: {name}")


def _participants_table(mapping: Path) -> list[tuple]:
    result = read_study(mapping)
    assert result.ok, [str(p) for p in result.problems]
    frame = result.tables["participants"]
    return [tuple(r) for r in frame[["participant_id", "country", "sex", "has_partner", "source_row"]].values]


EXPECTED_PARTICIPANTS = [("P1", "GB", "female", True, 2), ("P2", "NL", "male", False, 3)]


def test_excel(tmp_path):
    mapping = _participants_as(tmp_path, "participants.xlsx")
    PARTICIPANTS.to_excel(tmp_path / "participants.xlsx", index=False)
    assert _participants_table(mapping) == EXPECTED_PARTICIPANTS


def test_excel_named_sheet_and_formula_cell(tmp_path):
    mapping = edit(_participants_as(tmp_path, "participants.xlsx"), "path: participants.xlsx",
                   "path: participants.xlsx\n    sheet: egos")
    book = openpyxl.Workbook()
    book.active.title = "notes"
    sheet = book.create_sheet("egos")
    for row in [list(PARTICIPANTS.columns), ["P1", "GB", 1, 1, "diabetes"], ["P2", "=HYPERLINK(\"x\")", 2, 0, ""]]:
        sheet.append(row)
    book.save(tmp_path / "participants.xlsx")
    problems = read_study(mapping).problems
    assert ("participants.xlsx", 3, "country") in [(p.file, p.row, p.column) for p in problems]
    assert "formula-like" in str(problems[0])


def test_spss_value_labels_are_codes(tmp_path):
    mapping = _participants_as(tmp_path, "participants.sav")
    mapping = edit(mapping, "sex: {1: female, 2: male}", "sex: {}")
    data = PARTICIPANTS.assign(sex=[1.0, 2.0], partner=[1.0, 0.0])
    pyreadstat.write_sav(data, tmp_path / "participants.sav",
                         variable_value_labels={"sex": {1.0: "Female", 2.0: "Male"}})
    assert _participants_table(mapping) == EXPECTED_PARTICIPANTS


def test_spss_without_value_labels_uses_codes(tmp_path):
    mapping = _participants_as(tmp_path, "participants.sav")
    mapping = edit(mapping, "path: participants.sav", "path: participants.sav\n    use_value_labels: false")
    data = PARTICIPANTS.assign(sex=[1.0, 2.0], partner=[1.0, 0.0])
    pyreadstat.write_sav(data, tmp_path / "participants.sav",
                         variable_value_labels={"sex": {1.0: "Feminine", 2.0: "Masculine"}})
    assert _participants_table(mapping) == EXPECTED_PARTICIPANTS


def test_stata(tmp_path):
    mapping = edit(_participants_as(tmp_path, "participants.dta"), "sex: {1: female, 2: male}", "sex: {}")
    data = PARTICIPANTS.assign(sex=[1, 2], partner=[1, 0])
    pyreadstat.write_dta(data, tmp_path / "participants.dta", variable_value_labels={"sex": {1: "female", 2: "male"}})
    assert _participants_table(mapping) == EXPECTED_PARTICIPANTS


def test_parquet(tmp_path):
    mapping = _participants_as(tmp_path, "participants.parquet")
    PARTICIPANTS.to_parquet(tmp_path / "participants.parquet")
    assert _participants_table(mapping) == EXPECTED_PARTICIPANTS


def _csv_variant(tmp_path: Path, name: str, data: bytes, extra: str = "") -> Path:
    mapping = _participants_as(tmp_path, name)
    (tmp_path / name).write_bytes(data)
    return edit(mapping, f"path: {name}", f"path: {name}{extra}") if extra else mapping


TEXT = "pid,country,sex,partner,conditions\nP1,GB,1,1,diabetes;chd\nP2,nl,2,0,COPD\n"


@pytest.mark.parametrize("name, data, extra", [
    ("p.csv", TEXT.encode("utf-8-sig"), ""),
    ("p.csv", TEXT.encode("utf-16"), ""),
    ("p.csv", TEXT.replace("\n", "\r\n").encode("utf-8"), ""),
    ("p.csv", TEXT.replace(",", ";").replace("diabetes;chd", '"diabetes;chd"').encode(), ""),
    ("p.tsv", TEXT.replace(",", "\t").encode(), ""),
    ("p.txt", TEXT.replace(",", "|").encode(), "\n    delimiter: \"|\""),
    ("p.csv", TEXT.replace(",", "\t").encode(), "\n    delimiter: \"\\t\""),
    ("p.csv", TEXT.encode("utf-16-le"), "\n    encoding: utf-16-le"),
    ("p.csv", TEXT.replace(",1,1,", ",1.0,1.0,").replace(",2,0,", ",2.0,0.0,").encode(), ""),
], ids=["utf8-bom", "utf16-bom", "crlf", "semicolon-sniffed", "tsv", "pipe-declared", "tab-declared",
        "utf16-without-bom-declared", "pandas-floats-match-numeric-codes"])
def test_text_variants(tmp_path, name, data, extra):
    assert _participants_table(_csv_variant(tmp_path, name, data, extra)) == EXPECTED_PARTICIPANTS


@pytest.mark.parametrize("encoding, declared", [("latin-1", ""), ("latin-1", "\n    encoding: latin-1"),
                                                ("cp1252", "\n    encoding: cp1252")])
def test_legacy_encodings(tmp_path, encoding, declared):
    mapping = copy_fixture(tmp_path)
    text = "rid,type,name\nR1,gp_practice,Caf\u00e9 de la Sant\u00e9 \u2013 Mont\u00e9e Surgery\n"
    text = text if encoding == "cp1252" else text.replace("\u2013", "-")
    (tmp_path / "resources.csv").write_bytes(text.encode(encoding))
    if declared:
        edit(mapping, "path: resources.csv", "path: resources.csv" + declared)
    result = read_study(mapping)
    assert result.ok, [str(p) for p in result.problems]
    assert result.tables["resources"]["name"].tolist() == [text.splitlines()[1].split(",", 2)[2]]


def test_missing_value_codes_become_empty(tmp_path):
    mapping = copy_fixture(tmp_path)
    (tmp_path / "participants.csv").write_text("pid,country,sex,partner,conditions\nP1,-9,1,1,\nP2,NA,2,0,copd\n")
    result = read_study(mapping)
    assert result.ok
    assert column_values(result.tables["participants"]["country"]) == [None, None]
    assert result.tables["conditions"]["participant_id"].tolist() == ["P2"]


def test_constants_and_tie_class_override(tmp_path):
    mapping = edit(copy_fixture(tmp_path), "layout: long", "layout: long\ntie_classes: {friend: weak}")
    edit(mapping, "  members:\n    path: members.csv\n", "  members:\n    path: members.csv\n"
         "    constants: {distance_band: same_household}\n")
    result = read_study(mapping)
    assert result.ok, [str(p) for p in result.problems]
    members = result.tables["members"].set_index(["participant_id", "member_id"])
    assert members.loc[("P2", "M1"), "tie_class"] == "weak"
    assert members.loc[("P1", "M1"), "tie_class"] == "strong"
    assert set(result.tables["ties"]["distance_band"]) == {"same_household"}
