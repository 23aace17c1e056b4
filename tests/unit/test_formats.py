"""Readers of other tools' exports (illnet.load.formats) and `mapping init --from`, on
fixture files built to each tool's documented export shape. Expected values are read off
the fixture files by hand."""

import shutil
from pathlib import Path

import pytest

from illnet.errors import InputError
from illnet.load.formats import graphml, network_canvas, protocol
from illnet.load.from_format import guess_from
from illnet.load.mapping import FileSpec, MappingInvalid, load_mapping
from illnet.load.read import read_study
from illnet.load.sources import read_source
from illnet.values import column_values

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
NC = FIXTURES / "network_canvas"
EXPORT = NC / "export"


def nc_table(name: str, key: str = "members", **options):
    path = EXPORT / name
    return read_source(FileSpec(key=key, path=name, full_path=path, format="network-canvas", format_options=options))


def test_the_export_files_have_the_quirks_they_are_tested_for():
    raw = (EXPORT / "c1_s1_attributeList_Person.csv").read_bytes()
    assert b"\r\n" in raw and raw.startswith(b'"nodeID"') and raw.rstrip().endswith(b',""')  # CRLF, quotes, null
    assert b"edgeID" not in (EXPORT / "c2_s2_edgeList_knows.csv").read_bytes()  # an older export


def test_categorical_groups_are_folded_and_the_null_column_dropped():
    table = nc_table("c1_s1_attributeList_Person.csv")
    assert not table.problems
    frame = table.frame
    assert "null" not in frame and "relation_partner" not in frame and "support_meds" not in frame
    # rows by hand: Ann partner, meds+shopping; Bob friend, emotional; Dr "Cole" gp, meds
    assert frame["relation"].tolist() == ["partner", "friend", "gp"]
    assert frame["support"].tolist() == ["meds;shopping", "emotional", "meds"]
    assert frame["name"].tolist() == ["Ann, the partner", "Bob", 'Dr "Cole"']
    assert frame["lives_nearby"].tolist() == ["true", "", "false"]  # a blank boolean stays blank
    assert frame["NodeLayout_x"].tolist() == ["0.25", "0.75", "0.5"]  # layout kept
    assert set(frame["networkCanvasNodeType"]) == {"Person"}


def test_ego_files_fold_their_groups_and_keep_empty_session_times():
    frame = nc_table("c2_s2_ego.csv", key="participants").frame
    assert frame["living"].tolist() == ["alone"] and frame["sessionStart"].tolist() == [""]
    assert frame["has_diabetes"].tolist() == [""]  # a single yes/no column is not a group


def test_edge_lists_name_their_type_and_older_ones_read_too():
    old = nc_table("c2_s2_edgeList_knows.csv", key="member_ties")
    assert not old.problems and old.frame["networkCanvasEdgeType"].tolist() == ["knows"]
    assert old.frame[["networkCanvasSourceUUID", "networkCanvasTargetUUID"]].values.tolist() == [["p-4", "p-5"]]
    health = nc_table("c1_s1_edgeList_discuss_health.csv", key="member_ties").frame
    assert health["networkCanvasEdgeType"].tolist() == ["discuss_health"]


def test_an_interview_without_alters_of_a_type_is_no_problem():
    table = nc_table("c2_s2_attributeList_Group.csv")
    assert not table.problems and table.frame.empty and "networkCanvasUUID" in table.frame


def test_a_file_that_is_not_a_network_canvas_export_is_a_problem(tmp_path):
    shutil.copy(FIXTURES / "egor" / "egos.csv", tmp_path / "x_ego.csv")
    table = read_source(FileSpec(key="participants", path="x_ego.csv", full_path=tmp_path / "x_ego.csv",
                                 format="network-canvas"))
    assert "not a Network Canvas ego file: column 'networkCanvasEgoUUID' is missing" in table.problems[0].message
    other = read_source(FileSpec(key="participants", path="egos.csv", full_path=FIXTURES / "egor" / "egos.csv",
                                 format="network-canvas"))
    assert "not a Network Canvas export file name" in other.problems[0].message


def test_the_protocol_decides_which_groups_are_categorical():
    codebook = protocol.load(NC / "illness_work.netcanvas")
    raw_columns = ["relation_partner", "relation_child", "support_meds", "lives_nearby", "NodeLayout_x"]
    assert protocol.categorical_columns(codebook, "attributeList", "Person", raw_columns) == {
        "relation": ["relation_partner", "relation_child"], "support": ["support_meds"]}
    assert protocol.variables(codebook, "ego", None)["living"]["options"][1] == ("partner", "With a partner")
    folded = nc_table("c1_s1_attributeList_Person.csv", protocol=str(NC / "illness_work.netcanvas")).frame
    assert folded["support"].tolist() == ["meds;shopping", "emotional", "meds"]


def test_heuristic_groups_need_two_true_false_columns():
    import pandas as pd

    frame = pd.DataFrame({"a_x": ["true", ""], "a_y": ["false", "true"], "n_1": ["1", "2"], "n_2": ["3", "4"],
                          "solo_flag": ["true", "false"]})
    assert network_canvas.categorical_groups(frame) == {"a": ["a_x", "a_y"]}


def test_network_canvas_graphml_ego_data_nodes_and_typed_edges():
    path = NC / "graphml" / "c1_s1.graphml"
    spec = lambda key, **o: FileSpec(key=key, path=path.name, full_path=path, format="graphml",  # noqa: E731
                                     format_options=o)
    ego = read_source(spec("participants")).frame
    row = ego.to_dict("records")[0]
    assert (row["participant"], row["age"], row["networkCanvasCaseID"], row["networkCanvasSessionID"]) == \
        ("ego-1", "64", "c1", "s1")
    members = read_source(spec("members")).frame
    assert members["member"].tolist() == ["p-1", "p-2", "g-1"]
    assert members["networkCanvasType"].tolist() == ["Person", "Person", "Group"]
    assert members["NodeLayout_x"].tolist() == ["0.25", "", ""]
    ties = read_source(spec("member_ties", edges="undirected")).frame
    assert ties[["source", "target", "networkCanvasType", "strength"]].values.tolist() == [
        ["p-1", "p-2", "knows", "2"], ["p-2", "p-1", "discuss_health", "1"], ["p-1", "g-1", "knows", "3"]]
    assert read_source(spec("member_ties", edges="directed")).frame.empty  # edgedefault undirected


def test_a_pooled_graph_takes_the_participant_from_its_nodes(tmp_path):
    path = tmp_path / "pooled.graphml"
    path.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                    '<key id="p" attr.name="participant" for="node"/><graph edgedefault="directed">'
                    '<node id="a"><data key="p">E1</data></node><node id="b"><data key="p">E1</data></node>'
                    '<node id="c"><data key="p">E2</data></node><edge source="a" target="b"/></graph></graphml>')
    graphs = graphml.parse(path)
    assert graphml.participant_rows(graphs[0]) == [{"participant": "E1"}, {"participant": "E2"}]
    assert graphml.tie_rows(graphs[0], "directed") == [{"participant": "E1", "source": "a", "target": "b"}]


def test_wrong_files_get_one_clear_problem(tmp_path):
    not_graphml = tmp_path / "x.graphml"
    not_graphml.write_text("<html></html>")
    spec = FileSpec(key="members", path="x.graphml", full_path=not_graphml, format="graphml")
    assert "cannot read the file as graphml: the root element is <html>" in read_source(spec).problems[0].message
    bare = FileSpec(key="members", path="x.graphml", full_path=not_graphml)
    problem = read_source(bare).problems[0]
    assert "a .graphml file is not a table" in problem.message and "format: graphml" in problem.fix


def test_an_unknown_format_is_a_mapping_problem(tmp_path):
    shutil.copy(FIXTURES / "egor" / "egos.csv", tmp_path / "egos.csv")
    (tmp_path / "m.yaml").write_text("study: {id: s}\nlayout: wide\nfiles:\n  participants:\n"
                                     "    path: egos.csv\n    format: spss-ish\n", encoding="utf-8")
    with pytest.raises(MappingInvalid) as caught:
        load_mapping(tmp_path / "m.yaml")
    assert any("unknown file format" in p.message and p.column == "files.participants.format"
               for p in caught.value.problems)


# The mappings these tests write sit in tmp_path and name the fixture files where they are,
# outside the mapping's folder: hence allow_outside=True.
def test_mapping_init_from_network_canvas_validates_whole(tmp_path):
    (tmp_path / "m.yaml").write_text(guess_from("network-canvas", [EXPORT], tmp_path, "nc"), encoding="utf-8")
    result = read_study(tmp_path / "m.yaml", strict=True, allow_outside=True)  # strict: every column mapped, declared or ignored
    assert result.ok, result.problems
    # by hand: 2 egos, 5 people + 1 group, 3 + 1 + 1 ties
    assert [len(result.tables[t]) for t in ("participants", "members", "member_ties")] == [2, 6, 5]
    assert set(result.tables["member_ties"]["type"]) == {"knows", "discuss_health"}


def test_mapping_init_from_a_zip_extracts_it_next_to_the_mapping(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", EXPORT)
    out = tmp_path / "work"
    out.mkdir()
    text = guess_from("network-canvas", [Path(archive)], out, "nc")
    assert 'path: "export/*_ego.csv"' in text and (out / "export" / "c1_s1_ego.csv").is_file()


def test_mapping_init_from_with_the_protocol_takes_its_codes(tmp_path):
    text = guess_from("network-canvas", [EXPORT, NC / "illness_work.netcanvas"], tmp_path, "nc")
    assert 'living: {column: living, type: category, codes: {"alone": "Alone"' in text
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = read_study(tmp_path / "m.yaml", allow_outside=True)
    assert result.ok, result.problems
    assert result.tables["participants"]["attribute:living"].tolist() == ["With a partner", "Alone"]


def test_mapping_init_from_refuses_an_export_without_ego_files(tmp_path):
    for path in EXPORT.glob("*List_*.csv"):
        shutil.copy(path, tmp_path / path.name)
    with pytest.raises(InputError, match=r"no ego file \(\*_ego.csv\)"):
        guess_from("network-canvas", [tmp_path], tmp_path, "nc")
    with pytest.raises(InputError, match="give the files in this order"):
        guess_from("egor-three-files", [FIXTURES / "egor" / "egos.csv"], tmp_path, "eg")
    with pytest.raises(InputError, match="unknown format 'spss'"):
        guess_from("spss", [FIXTURES / "egor" / "egos.csv"], tmp_path, "eg")


def test_an_edge_naming_an_unknown_alter_is_reported(tmp_path):
    files = [FIXTURES / "egor" / n for n in ("egos.csv", "alters.csv", "aaties_unknown.csv")]
    (tmp_path / "m.yaml").write_text(guess_from("egor-three-files", files, tmp_path, "eg"), encoding="utf-8")
    result = read_study(tmp_path / "m.yaml", allow_outside=True)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "Target", "9")]
    assert "unknown member" in result.problems[0].message


def _from(fmt: str, paths: list[Path], tmp_path: Path):
    (tmp_path / "m.yaml").write_text(guess_from(fmt, paths, tmp_path, "s"), encoding="utf-8")
    return read_study(tmp_path / "m.yaml", strict=True, allow_outside=True)


def test_egor_one_file_becomes_egos_alters_and_ties(tmp_path):
    result = _from("egor-one-file", [FIXTURES / "egor_one_file" / "allbus_style.csv"], tmp_path)
    assert result.ok, result.problems
    members = result.tables["members"]
    # by hand: ego 1 fills slots 1-3, ego 2 slots 1-2 (slot 3 empty)
    assert list(zip(members["participant_id"], members["member_id"], members["relationship_type"])) == [
        ("1", "1", "partner"), ("1", "2", "child"), ("1", "3", "friend"), ("2", "1", "partner"), ("2", "2", "child")]
    assert members["attribute:age"].tolist() == [55, 30, 61, 70, 40]
    ties = result.tables["member_ties"]
    # `1 to 2` = 1 and `2 to 3` = 2 for ego 1 (`1 to 3` = 0: no tie); `1 to 2` = 1 for ego 2 (the rest empty)
    assert list(zip(ties["participant_id"], ties["member_a"], ties["member_b"], ties["weight"])) == [
        ("1", "1", "2", 1.0), ("1", "2", "3", 2.0), ("2", "1", "2", 1.0)]
    assert result.tables["participants"]["attribute:sex_raw"].tolist() == ["w", "m"]


def test_egoweb_ego_alter_and_alter_pair_files(tmp_path):
    result = _from("egoweb", [FIXTURES / "egoweb" / "ego_alter.csv", FIXTURES / "egoweb" / "alter_pair.csv"], tmp_path)
    assert result.ok, result.problems
    egos = result.tables["participants"]
    assert egos["participant_id"].tolist() == ["R01", "R02"] and egos["attribute:ego_age"].tolist() == [58, 73]
    assert column_values(egos["attribute:end_time"]) == ["2024-06-01 10:45", None]  # a time is kept, an empty one null
    members = result.tables["members"]
    assert list(zip(members["participant_id"], members["member_id"])) == [("R01", "1"), ("R01", "2"), ("R01", "3"),
                                                                          ("R02", "1")]
    ties = result.tables["member_ties"]
    # every pair is exported; know_each_other = Yes for 1-2 and 2-3 only
    assert list(zip(ties["member_a"], ties["member_b"])) == [("1", "2"), ("2", "3")]


def test_an_egoweb_file_without_alter_numbers_is_refused(tmp_path):
    spec = FileSpec(key="members", path="egos.csv", full_path=FIXTURES / "egor" / "egos.csv", format="egoweb")
    assert "not an EgoWeb ego-alter file" in read_source(spec).problems[0].message


def test_network_canvas_graphml_old_and_new_forms_load_like_the_csv(tmp_path):
    paths = [NC / "graphml" / "c1_s1.graphml", NC / "graphml" / "c2_s2.graphml"]
    result = _from("graphml", paths, tmp_path)
    assert result.ok, result.problems
    egos = result.tables["participants"].set_index("participant_id")
    # newer export: nc: attributes on <graph>; older: on <graphml>
    assert egos.loc["ego-1", "attribute:session_start"] == "2024-05-01T10:00:00.000Z"
    assert egos.loc["ego-1", "attribute:case_id"] == "c1" and egos.loc["ego-2", "attribute:case_id"] == "c2"
    assert egos.loc["ego-2", "attribute:protocol_uuid"] == "proto-1"
    ties = result.tables["member_ties"]
    assert sorted(zip(ties["member_a"], ties["member_b"], ties["type"], ties["weight"])) == [
        ("g-1", "p-1", "knows", 3.0), ("p-1", "p-2", "discuss_health", 1.0), ("p-1", "p-2", "knows", 2.0),
        ("p-4", "p-5", "knows", 1.0)]  # strength's <default> 1 where an edge gives none


def test_the_command_line_gives_one_line_and_exit_1_for_a_bad_export(tmp_path):
    import subprocess
    import sys

    for path in EXPORT.glob("*List_*.csv"):
        shutil.copy(path, tmp_path / path.name)
    done = subprocess.run([sys.executable, "-m", "illnet", "mapping", "init", "--from", "network-canvas",
                           str(tmp_path), "--out", str(tmp_path / "m.yaml")], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error: no ego file (*_ego.csv) among the files given" in done.stderr
    folder = subprocess.run([sys.executable, "-m", "illnet", "mapping", "init", str(tmp_path),
                             "--out", str(tmp_path / "m.yaml")], capture_output=True, text=True)
    assert folder.returncode == 1 and "error: a folder was given" in folder.stderr


def test_openeddi_files_are_found_by_name_with_its_ids(tmp_path):
    result = _from("openeddi", [FIXTURES / "openeddi"], tmp_path)
    assert result.ok, result.problems
    # carers_*.csv by hand: 2 egos (puid), 4 alters (nameid), ties 1-2 and 2-3 of ego 101
    assert result.tables["participants"]["sex"].tolist() == ["female", "male"]
    assert list(zip(result.tables["members"]["participant_id"], result.tables["members"]["member_id"])) == [
        ("101", "1"), ("101", "2"), ("101", "3"), ("102", "1")]
    ties = result.tables["member_ties"]
    assert list(zip(ties["participant_id"], ties["member_a"], ties["member_b"])) == [("101", "1", "2"),
                                                                                      ("101", "2", "3")]
