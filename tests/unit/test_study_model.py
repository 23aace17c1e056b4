"""The study-defined model without a database: every source column is loaded or
reported, attributes are typed and checked, cut points derive circles and age bands,
countries are open, tables may span several files, ties may be directed."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from illnet.cli.mapping import mapping as mapping_group
from illnet.load.layouts import age_band_labels
from illnet.load.mapping import MappingInvalid, load_mapping
from illnet.load.read import read_study
from illnet.load.sources import read_source

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "three_files"


@pytest.fixture
def study(three_files_copy) -> Path:
    """A scratch copy of the three-file example; its mapping."""
    return three_files_copy


def edit(mapping: Path, old: str, new: str) -> Path:
    text = mapping.read_text()
    assert old in text
    mapping.write_text(text.replace(old, new))
    return mapping


def test_every_source_column_is_loaded_or_reported(study):
    result = read_study(study)
    assert result.ok and not result.warnings
    mapping = load_mapping(study)
    for spec in mapping.files.values():
        header = set(map(str, read_source(spec).frame.columns))
        assert header == spec.mapped_columns(), spec.path
    edit(study, "    ignore: [interviewer]                # not for analysis: said so, not dropped unmentioned\n", "")
    warned = read_study(study)
    assert warned.ok and [(w.file, w.column) for w in warned.warnings] == [("egos.csv", "interviewer")]
    assert "neither mapped nor declared" in warned.warnings[0].message
    strict = read_study(study, strict=True)
    causes = [(p.file, p.column) for p in strict.problems if "was rejected" not in p.message]
    assert not strict.ok and causes == [("egos.csv", "interviewer")]


def test_attribute_values_must_fit_their_type_and_codes(study, tmp_path):
    (tmp_path / "egos.csv").write_text((tmp_path / "egos.csv").read_text().replace("41000", "lots"))
    (tmp_path / "alters.csv").write_text((tmp_path / "alters.csv").read_text().replace("E2,A1,m,", "E2,A1,x,"))
    problems = {(p.file, p.row, p.column, p.value, p.message) for p in read_study(study).problems}
    assert ("egos.csv", 3, "income", "lots", "not a number (attribute income, float)") in problems
    assert ("alters.csv", 5, "alter_sex", "x", "not a code of attribute alter_sex") in problems


@pytest.mark.parametrize("old, new, key", [
    ("      income: {column: income", "      country: {column: income", "files.participants.attributes.country"),
    ("      alter_age: {column: alter_age, type: integer}", "      alter_age: {column: alter_age, type: number}",
     "files.members.attributes.alter_age.type"),
    ("  close_family: {tie_class: strong, label: Close family}", "  close_family: {label: Close family}",
     "relationship_types.close_family.tie_class"),
    ("circles: {inner: 4, middle: 3, outer: 1}", "circles: {inner: high, middle: 3, outer: 1}", "circles.inner"),
    ("age_bands: [18, 36, 41, 51, 61]", "age_bands: [36, 18]", "age_bands"),
])
def test_bad_declarations_name_their_key(study, old, new, key):
    with pytest.raises(MappingInvalid) as caught:
        load_mapping(edit(study, old, new))
    assert key in {p.column for p in caught.value.problems}


def test_an_attribute_may_not_take_a_core_property_name_per_wave(study):
    edit(study, "      nationality: {column: nationality, type: category}",
         "      circle: {column: nationality, type: category, per_wave: true}")
    with pytest.raises(MappingInvalid) as caught:
        load_mapping(study)
    assert "not a core property of HAS_MEMBER" in caught.value.problems[0].message


def test_cut_points_derive_circles_and_age_bands(study):
    assert age_band_labels((18, 36, 41, 51, 61)) == ["18-35", "36-40", "41-50", "51-60", "61+"]
    tables = read_study(study).tables
    circles = dict(zip(tables["ties"]["participant_id"].astype(str) + "/" + tables["ties"]["member_id"].astype(str), tables["ties"]["circle"]))
    # closeness 5, 2, 3, 4, 1 with cuts inner >= 4, middle >= 3, outer >= 1
    assert circles == {"E1/A1": "inner", "E1/A2": "outer", "E1/A3": "middle", "E2/A1": "inner", "E2/A2": "outer"}
    assert list(tables["participants"]["age_band"]) == ["18-35", "51-60", "61+"]  # ages 34, 57, 71


def test_countries_are_open_and_may_be_names(study, tmp_path):
    assert list(read_study(study).tables["participants"]["country"]) == ["KE", "DE", "BR"]
    (tmp_path / "egos.csv").write_text((tmp_path / "egos.csv").read_text().replace("Brazil", "Narnia"))
    problems = read_study(study).problems
    assert [(p.column, p.value, p.message) for p in problems] == [("country", "Narnia", "unknown country code")]


def test_a_table_may_span_several_files_and_each_row_keeps_its_file(study, tmp_path):
    lines = (tmp_path / "alters.csv").read_text().splitlines()
    (tmp_path / "alters_e1.csv").write_text("\n".join(lines[:4]) + "\n")
    (tmp_path / "alters_e2.csv").write_text("\n".join(lines[:1] + lines[4:]) + "\n")
    (tmp_path / "alters.csv").unlink()
    edit(study, "    path: alters.csv", "    path: alters_*.csv")
    result = read_study(study)
    assert result.ok, [str(p) for p in result.problems]
    members = result.tables["members"]
    assert list(zip(members["member_id"], members["source_file"])) == [
        ("A1", "alters_e1.csv"), ("A2", "alters_e1.csv"), ("A3", "alters_e1.csv"),
        ("A1", "alters_e2.csv"), ("A2", "alters_e2.csv")]
    assert {r.key for r in result.reconciliation} == {"participants", "members[1]", "members[2]", "member_ties"}


def test_directed_ties_keep_their_direction(study):
    undirected = read_study(study).tables["member_ties"]
    assert ("A2", "A1") not in set(zip(undirected["member_a"], undirected["member_b"]))
    edit(study, "    columns: {participant_id: egoID, member_a: Source", "    directed: true\n"
                "    columns: {participant_id: egoID, member_a: Source")
    directed = read_study(study).tables["member_ties"]
    assert ("A2", "A1") in set(zip(directed["member_a"], directed["member_b"]))
    assert set(directed["directed"]) == {True}


def test_mapping_init_proposes_every_column(tmp_path):
    for name in ("egos.csv", "alters.csv", "aaties.csv"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    out = tmp_path / "mapping.yaml"
    result = CliRunner().invoke(mapping_group, ["init", *(str(tmp_path / n) for n in ("egos.csv", "alters.csv",
                                                                                      "aaties.csv")),
                                                "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    for name in ("egos.csv", "alters.csv", "aaties.csv"):
        for column in (tmp_path / name).read_text().splitlines()[0].split(","):
            assert f": {column}" in text or f"column: {column}" in text, (name, column)
    assert "income: {column: income, type: float}" in text and "edu: {column: edu, type: integer}" in text
    assert "interview_date: {column: interview_date, type: date}" in text


def test_spss_variable_and_value_labels_are_carried_over(study, tmp_path):
    import pandas as pd
    import pyreadstat

    egos = pd.DataFrame({"egoID": ["E1", "E2", "E3"], "gender": [1.0, 2.0, 1.0]})
    pyreadstat.write_sav(egos, str(tmp_path / "egos.sav"), column_labels={"gender": "Gender of the ego"},
                         variable_value_labels={"gender": {1.0: "woman", 2.0: "man"}})
    text = study.read_text()
    start, end = text.index("  participants:"), text.index("  members:")
    study.write_text(text[:start] + "  participants:\n    path: egos.sav\n    columns: {participant_id: egoID}\n"
                     "    attributes:\n      gender: {column: gender}\n" + text[end:])
    result = read_study(study)
    assert result.ok, [str(p) for p in result.problems]
    (gender,) = [a for a in result.tables.attributes if a.name == "gender"]
    assert (gender.type, gender.label, dict(gender.codes)) == ("category", "Gender of the ego", {"1": "woman", "2": "man"})
    assert list(result.tables["participants"]["attribute:gender"]) == ["woman", "man", "woman"]
