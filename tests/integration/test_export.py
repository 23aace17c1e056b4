"""`illnet export STUDY --to members`: the member-level table for multilevel models, on the hand-made
ego study (rows worked out by hand from tests/fixtures/ego_study.cypher) and the tiny study (member
structure checked against networkx)."""

import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from illnet.errors import ExportError
from illnet.export.members import export, member_table
from illnet.model import structure
from tests.ego_golden import FIXTURE
from tests.load_helpers import run_illnet
from tests.fixture_graph import create_study

TINY_FIXTURE = Path(__file__).parents[1] / "fixtures" / "tiny_study.cypher"
STRUCTURE = ["degree", "betweenness", "normalisedBetweenness", "constraint", "effectiveSize", "articulationPoint"]


@pytest.fixture
def studies_db(empty_db, settings):
    for fixture in (FIXTURE, TINY_FIXTURE):
        create_study(empty_db, settings.database, fixture)
    return empty_db


def _row(table, participant, member, wave) -> dict:
    rows = table[(table["participantId"] == participant) & (table["memberId"] == member) & (table["wave"] == wave)]
    assert len(rows) == 1
    return {key: (None if pd.isna(value) else value) for key, value in rows.iloc[0].items()}


@pytest.mark.neo4j
def test_the_member_table_has_one_row_per_participant_member_and_wave_as_worked_out_by_hand(studies_db, settings):
    table = member_table("ego", settings=settings, driver=studies_db)
    # e2: m1 at waves 0, 1; e3: m1, m2 at wave 0; e4: m1..m5 at wave 0, m1..m4 at wave 1; e1 names nobody
    assert len(table) == 2 + 2 + 5 + 4
    assert list(table.columns[:4]) == ["studyId", "participantId", "memberId", "wave"]
    assert table.columns[-1].startswith("participant_")
    e4m1 = _row(table, "e4", "m1", 0)
    # medication (illness) and housekeeping (everyday) received; comfort given back; triangle m1 m2 m3
    assert {k: e4m1[k] for k in ("tasksReceived", "illnessTasks", "everydayTasks", "emotionalTasks", "tasksGiven",
                                 "gender", "age", "support", "tieClass", "nextWaveStatus", "participant_sex",
                                 "participant_education", "participant_country")} == {
        "tasksReceived": 2, "illnessTasks": 1, "everydayTasks": 1, "emotionalTasks": 0, "tasksGiven": 1,
        "gender": "female", "age": 30, "support": 5, "tieClass": "strong", "nextWaveStatus": "retained",
        "participant_sex": "female", "participant_education": "degree", "participant_country": "GB"}
    # triangle: degree 2, no betweenness, constraint 2 (1/2 + 1/4)^2, effective size 2 - 2 * 1 / 2
    assert (e4m1["degree"], e4m1["betweenness"], e4m1["constraint"], e4m1["effectiveSize"],
            e4m1["articulationPoint"]) == (2, 0.0, 1.125, 1.0, False)
    e3m2 = _row(table, "e3", "m2", 0)  # nothing recorded but support; e3 has no education (NA)
    assert (e3m2["relationshipType"], e3m2["age"], e3m2["support"], e3m2["participant_education"]) == (
        None, None, 1, None)
    e2w1 = _row(table, "e2", "m1", 1)  # support per wave, from HAS_MEMBER; no wave after the last
    assert (e2w1["support"], e2w1["nextWaveStatus"], e2w1["tasksReceived"], e2w1["degree"]) == (4, None, 1, 0)
    assert str(table["age"].dtype) == "Int64" and not {"key", "loadRunId", "sourceRow"} & set(table.columns)


@pytest.mark.neo4j
@pytest.mark.parametrize("study", ["tiny", "ego"])
def test_member_structure_agrees_with_networkx_in_each_network_without_the_participant(studies_db, settings, study):
    table = member_table(study, settings=settings, driver=studies_db)
    ties, _, _ = studies_db.execute_query(
        "MATCH (a:NetworkMember {studyId: $study})-[k:KNOWS]->(b:NetworkMember) "
        "RETURN a.participantId AS p, k.wave AS wave, a.memberId AS a, b.memberId AS b",
        study=study, database_=settings.database)
    graphs: dict[tuple, nx.Graph] = {}
    for row in table.itertuples():
        graphs.setdefault((row.participantId, row.wave), nx.Graph()).add_node(row.memberId)
    for tie in ties:
        graphs[(tie["p"], tie["wave"])].add_edge(tie["a"], tie["b"])
    for (participant, wave), graph in graphs.items():
        raw, scaled = nx.betweenness_centrality(graph, normalized=False), nx.betweenness_centrality(graph)
        constraint, effective = nx.constraint(graph), nx.effective_size(graph)
        cut = set(nx.articulation_points(graph))
        for member in graph:
            row = _row(table, participant, member, wave)
            expected = (graph.degree(member), raw[member], scaled[member], constraint[member], effective[member],
                        member in cut)
            expected = tuple(None if isinstance(v, float) and math.isnan(v) else v for v in expected)  # as _row
            got = tuple(row[column] for column in STRUCTURE)
            assert got == pytest.approx(expected, nan_ok=True), (participant, member, wave)


@pytest.mark.neo4j
def test_member_structure_is_null_at_a_wave_without_member_ties(studies_db, settings):
    studies_db.execute_query("MATCH (:NetworkMember {studyId: 'tiny'})-[k:KNOWS {wave: 1}]->() DELETE k",
                             database_=settings.database)
    structure.derive(studies_db, "tiny", settings.database)  # as a load of these ties leaves the study
    table = member_table("tiny", settings=settings, driver=studies_db)
    assert table[table["wave"] == 1][STRUCTURE].isna().all().all()
    assert table[table["wave"] == 0]["degree"].notna().all()


@pytest.mark.neo4j
def test_illnet_export_writes_csv_and_parquet_and_refuses_what_it_cannot(studies_db, settings, tmp_path):
    for name in ("members.csv", "members.parquet"):
        result = run_illnet(settings, tmp_path, "export", "ego", "--to", "members", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert f"wrote 13 rows x 31 columns to {tmp_path / name}" in result.stderr
    written = pd.read_parquet(tmp_path / "members.parquet")
    pd.testing.assert_frame_equal(written, member_table("ego", settings=settings, driver=studies_db), check_dtype=False)
    assert len(pd.read_csv(tmp_path / "members.csv")) == 13
    result = run_illnet(settings, tmp_path, "export", "nosuch", "--to", "members", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "error: there is no study 'nosuch'"
    assert "the loaded studies are ego, tiny" in result.stderr
    result = run_illnet(settings, tmp_path, "export", "ego", "--to", "members", "--wave", "7",
                        "--out", str(tmp_path / "x.csv"))
    assert (result.returncode, result.stderr.splitlines()[0]) == (1, "error: study 'ego' has no wave 7")
    assert len(member_table("ego", wave=1, settings=settings, driver=studies_db)) == 1 + 4


def test_an_output_file_type_it_cannot_write_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(ExportError, match="written as .csv or .parquet"):
        export("ego", tmp_path / "members.xlsx")
