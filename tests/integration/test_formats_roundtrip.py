"""Other tools' data in and out on a real Neo4j: a study exported as egor's three files,
GraphML (per participant and pooled) or Parquet and loaded back from the mapping.yaml the
export writes is the same graph (a checksum over every property but provenance); a
Network Canvas export imported through `mapping init --from` survives the same trip;
networkx, igraph and the GDS client see what was loaded."""

from pathlib import Path

import pytest

from illnet.db import erase_all
from illnet.export import egor, graphml, parquet
from illnet.export.graphs import to_igraph, to_networkx
from illnet.export.study import read_study_graph
from illnet.load.from_format import guess_from
from illnet.load.pipeline import load_study
from tests.graph_state import snapshot
from tests.load_helpers import run_illnet

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[2]
THREE = ROOT / "examples" / "three_files" / "mapping.yaml"
EGOR = ROOT / "tests" / "fixtures" / "formats" / "egor"
NC_EXPORT = ROOT / "tests" / "fixtures" / "formats" / "network_canvas" / "export"
IGNORE = ("loadRunId", "sourceFile", "sourceRow", "runId", "sources", "sha256", "mapping", "counts",
          "startedAt", "finishedAt", "sourceColumn", "appliedAt")
WRITERS = {"egor": egor.write, "graphml": graphml.write, "pooled": lambda d, o: graphml.write(d, o, pooled=True),
           "parquet": parquet.write}


def _load(driver, settings, mapping):
    # the mappings sit in tmp_path and name the fixture files where they are, outside their folder
    load_study(driver, mapping, database=settings.database, progress=False, allow_outside=True)


def _round_trip(driver, settings, study, out, writer):
    before = snapshot(driver, settings.database, ignore=IGNORE)
    WRITERS[writer](read_study_graph(study, settings, driver), out)
    erase_all(driver, settings.database)
    _load(driver, settings, out / "mapping.yaml")
    return before, snapshot(driver, settings.database, ignore=IGNORE)


@pytest.fixture
def network_canvas(empty_db, settings, tmp_path):
    """The Network Canvas fixture export loaded through the mapping `--from` writes."""
    mapping = tmp_path / "nc.yaml"
    mapping.write_text(guess_from("network-canvas", [NC_EXPORT], tmp_path, "nc"), encoding="utf-8")
    _load(empty_db, settings, mapping)
    return empty_db


@pytest.mark.parametrize("writer", list(WRITERS))
def test_the_three_file_survey_comes_back_the_same(empty_db, settings, tmp_path, writer):
    _load(empty_db, settings, THREE)
    before, after = _round_trip(empty_db, settings, "three", tmp_path / writer, writer)
    assert before["labels"]["Attribute"] == 6 and before["types"]["KNOWS"] == 4
    assert after == before


FORMATS = ROOT / "tests" / "fixtures" / "formats"
IMPORTS = {
    "network-canvas": [NC_EXPORT],
    "graphml": [NC_EXPORT.parent / "graphml" / "c1_s1.graphml", NC_EXPORT.parent / "graphml" / "c2_s2.graphml"],
    "egor-three-files": [FORMATS / "egor" / n for n in ("egos.csv", "alters.csv", "aaties.csv")],
    "egor-one-file": [FORMATS / "egor_one_file" / "allbus_style.csv"],
    "egoweb": [FORMATS / "egoweb" / "ego_alter.csv", FORMATS / "egoweb" / "alter_pair.csv"],
    "openeddi": [FORMATS / "openeddi"],
}


@pytest.mark.parametrize("writer", ["egor", "graphml", "pooled", "parquet"])
@pytest.mark.parametrize("fmt", list(IMPORTS))
def test_every_import_exported_and_imported_again_is_the_same_graph(empty_db, settings, tmp_path, fmt, writer):
    mapping = tmp_path / "in.yaml"
    mapping.write_text(guess_from(fmt, IMPORTS[fmt], tmp_path, "s"), encoding="utf-8")
    _load(empty_db, settings, mapping)
    before, after = _round_trip(empty_db, settings, "s", tmp_path / writer, writer)
    assert before["labels"]["NetworkMember"] > 0 and before["types"]["KNOWS"] > 0
    assert after == before


def test_network_canvas_arrives_whole(network_canvas, settings):
    """By hand from the fixture files: 2 egos, 5 people + 1 group, 5 ties of two types."""
    fetch = lambda q: network_canvas.execute_query(q, database_=settings.database).records  # noqa: E731
    egos = {r["id"]: r["p"] for r in fetch("MATCH (p:Participant {studyId: 'nc'}) RETURN p.participantId AS id, p")}
    assert set(egos) == {"ego-1", "ego-2"}
    assert egos["ego-1"]["living"] == "partner" and egos["ego-2"]["living"] == "alone"  # folded TRUE/FALSE group
    assert egos["ego-1"]["session_start"] == "2024-05-01T10:00:00.000Z"
    assert egos["ego-2"].get("session_start") is None and egos["ego-2"].get("has_diabetes") is None  # blanks
    assert egos["ego-1"]["has_diabetes"] is True and egos["ego-1"]["case_id"] == "c1"
    members = {r["id"]: r["m"] for r in fetch("MATCH (m:NetworkMember {studyId: 'nc'}) RETURN m.memberId AS id, m")}
    assert set(members) == {"p-1", "p-2", "p-3", "p-4", "p-5", "g-1"}
    assert members["p-1"]["name"] == "Ann, the partner" and members["p-3"]["name"] == 'Dr "Cole"'  # quoting
    assert members["p-1"]["relationshipType"] == "partner" and members["p-3"]["relationshipType"] == "gp"
    assert members["p-1"]["support"] == "meds;shopping" and members["p-5"].get("support") is None
    assert members["p-1"]["nodelayout_x"] == 0.25 and members["p-2"].get("lives_nearby") is None
    assert members["g-1"]["node_type"] == "Group" and members["g-1"]["meets_weekly"] is True
    ties = {(r["a"], r["b"], r["t"], r["w"]) for r in fetch(
        "MATCH (a:NetworkMember {studyId: 'nc'})-[k:KNOWS]->(b) RETURN a.memberId AS a, b.memberId AS b, "
        "k.type AS t, k.weight AS w")}
    assert ties == {("p-1", "p-2", "knows", 2.0), ("p-1", "p-3", "knows", 1.0), ("g-1", "p-1", "knows", 3.0),
                    ("p-1", "p-2", "discuss_health", None), ("p-4", "p-5", "knows", 1.0)}


def test_networkx_and_igraph_carry_every_attribute(empty_db, settings):
    _load(empty_db, settings, THREE)
    graph = to_networkx("three", participant="E1", wave=0, settings=settings, driver=empty_db)
    # egos.csv / alters.csv / aaties.csv by hand: E1 and its 3 alters; 3 ego-alter + 3 alter-alter edges
    assert sorted(graph.nodes) == ["E1", "E1|A1", "E1|A2", "E1|A3"]
    assert "income" not in graph.nodes["E1"] and graph.nodes["E1"]["education"] == 3  # NA: no property
    assert graph.nodes["E1|A1"]["alter_sex"] == "female" and graph.nodes["E1|A1"]["relationshipType"] == "close_family"
    knows = sorted((a, b, d["type"], d["weight"]) for a, b, d in graph.edges(data=True) if d["role"] == "knows")
    assert knows == [("E1|A1", "E1|A2", "close", 1.0), ("E1|A1", "E1|A2", "drug", 2.0), ("E1|A1", "E1|A3", "close", 2.0)]
    assert graph.edges["E1", "E1|A1", "has_member:0"]["circle"] == "inner"
    pooled = to_igraph("three", settings=settings, driver=empty_db)
    assert pooled.vcount() == 3 + 5 and pooled.ecount() == 5 + 4
    assert pooled.vs.find(name="E2|A2")["nationality"] == "TR"


def test_export_and_mapping_init_from_on_the_command_line(empty_db, settings, tmp_path):
    _load(empty_db, settings, THREE)
    done = run_illnet(settings, tmp_path, "export", "three", "--to", "egor", "--out", str(tmp_path / "egor"))
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (tmp_path / "egor").iterdir()} == {"egos.csv", "alters.csv", "aaties.csv", "mapping.yaml"}
    files = [str(EGOR / name) for name in ("egos.csv", "alters.csv", "aaties.csv")]
    done = run_illnet(settings, tmp_path, "mapping", "init", "--from", "egor-three-files", *files,
                      "--out", str(tmp_path / "egor.yaml"), "--study", "eg")
    assert done.returncode == 0, done.stderr
    done = run_illnet(settings, tmp_path, "load", str(tmp_path / "egor.yaml"), "--allow-outside")
    assert done.returncode == 0, done.stdout + done.stderr
    # egos.csv, alters.csv, aaties.csv of the fixture by hand: 2 egos, 4 alters, 3 ties, all of ego 1
    counts = empty_db.execute_query(
        "MATCH (p:Participant {studyId: 'eg'}) OPTIONAL MATCH (p)-[:HAS_MEMBER]->(m) "
        "OPTIONAL MATCH (m)-[k:KNOWS]->() RETURN count(DISTINCT p) AS p, count(DISTINCT m) AS m, "
        "count(DISTINCT k) AS k", database_=settings.database).records[0]
    assert (counts["p"], counts["m"], counts["k"]) == (2, 4, 3)
    missing = run_illnet(settings, tmp_path, "export", "nosuch", "--to", "egor", "--out", str(tmp_path / "x"))
    assert missing.returncode == 1 and "no study 'nosuch'" in missing.stderr


def test_gds_client_on_the_same_connection(empty_db, settings):
    import illnet

    _load(empty_db, settings, THREE)
    gds = illnet.gds()  # resolved like every command: environment, then the managed server
    try:
        with gds.graph.project.cypher(
                "MATCH (a:NetworkMember {studyId: $study}) OPTIONAL MATCH (a)-[:KNOWS]->(b:NetworkMember) "
                "RETURN gds.graph.project($graph, a, b)", study="three", graph="illnet-test") as projected:
            assert gds.graph.exists("illnet-test") and projected.node_count() == 5
            degrees = gds.degree.stream(projected, orientation="UNDIRECTED")
            # aaties.csv by hand: E1's A1 knows A2 (twice: two types) and A3; E2's A1 knows A2
            assert sorted(degrees["score"].tolist()) == [1.0, 1.0, 1.0, 2.0, 3.0]
        assert not gds.graph.exists("illnet-test")
    finally:
        gds.close()


def test_conditions_travel_and_what_cannot_is_counted(empty_db, settings, tmp_path):
    """tests/fixtures/long by hand: P1 has chd and diabetes, P2 copd; 7 support flows (5 of P1,
    2 of P2), 1 resource use and 1 resource link have no place in egor's files."""
    _load(empty_db, settings, ROOT / "tests" / "fixtures" / "long" / "mapping.yaml")
    done = run_illnet(settings, tmp_path, "export", "tiny", "--to", "egor", "--out", str(tmp_path / "egor"))
    assert done.returncode == 0, done.stderr
    assert "not exported (no place for them in these formats): 7 support flows, 1 resource uses, 1 resource " \
           "links" in " ".join(done.stderr.split())
    erase_all(empty_db, settings.database)
    _load(empty_db, settings, tmp_path / "egor" / "mapping.yaml")
    rows = empty_db.execute_query("MATCH (p:Participant {studyId: 'tiny'})-[:HAS_CONDITION]->(c) "
                                  "RETURN p.participantId AS p, c.code AS c ORDER BY p, c", database_=settings.database)
    assert [(r["p"], r["c"]) for r in rows.records] == [("P1", "chd"), ("P1", "diabetes"), ("P2", "copd")]
