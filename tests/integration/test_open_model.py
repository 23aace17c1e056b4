"""A study-defined model on a real Neo4j: the three-file example survey of
examples/three_files (egor's ego / alter / alter-alter shape) arrives whole, in the long
and the wide layout: ego, alter and tie attributes with their values and types, tie
weights and two tie types on one pair, NA codes, circles from a 1-5 closeness scale,
age bands from age in years, and countries outside Europe. Expected values are read off
the CSV files by hand (see the comments)."""

import datetime
from pathlib import Path

import pytest

from illnet.db import erase_all
from illnet.load.pipeline import load_study
from tests.graph_state import snapshot
from tests.load_helpers import run_illnet

pytestmark = pytest.mark.neo4j
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "three_files"
PROVENANCE = ("loadRunId", "sourceFile", "sourceRow", "runId", "sources", "sha256", "mapping", "counts",
              "startedAt", "finishedAt")

# egos.csv, by hand: codes f/m -> female/male; countries by name or code -> alpha-2;
# age bands [18, 36, 41, 51, 61]; NA -> null.
PARTICIPANTS = {
    "E1": {"country": "KE", "age": 34, "ageBand": "18-35", "sex": "female", "education": 3, "income": None,
           "interviewed_on": datetime.date(2024, 3, 1)},
    "E2": {"country": "DE", "age": 57, "ageBand": "51-60", "sex": "male", "education": 5, "income": 41000.0,
           "interviewed_on": datetime.date(2024, 3, 4)},
    "E3": {"country": "BR", "age": 71, "ageBand": "61+", "sex": "female", "education": None, "income": 22000.5,
           "interviewed_on": datetime.date(2024, 3, 9)},
}
# alters.csv, by hand: circles {inner: 4, middle: 3, outer: 1}; the study's close_family is strong.
MEMBERS = {
    ("E1", "A1"): ("close_family", "Close family", "strong", "female", 30, "KE", 5.0, "inner"),
    ("E1", "A2"): ("friend", "Friend", "strong", "male", 45, "UG", 2.0, "outer"),
    ("E1", "A3"): ("other_family", "Other family", "strong", "female", None, "KE", 3.0, "middle"),
    ("E2", "A1"): ("close_family", "Close family", "strong", "male", 60, "DE", 4.0, "inner"),
    ("E2", "A2"): ("neighbour", "Neighbour", "weak", None, 50, "TR", 1.0, "outer"),
}
# aaties.csv, by hand: undirected, so A2 -> A1 is stored as A1 - A2; two types on E1's A1 - A2.
TIES = {("E1", "A1", "A2", "close", 1.0), ("E1", "A1", "A2", "drug", 2.0), ("E1", "A1", "A3", "close", 2.0),
        ("E2", "A1", "A2", "close", 1.0)}


@pytest.fixture
def loaded(driver, settings):
    erase_all(driver, settings.database)
    load_study(driver, EXAMPLE / "mapping.yaml", database=settings.database, progress=False)
    yield driver
    erase_all(driver, settings.database)


def fetch(driver, settings, statement):
    return driver.execute_query(statement, database_=settings.database).records


def test_ego_attributes_arrive_with_their_values_and_types(loaded, settings):
    rows = fetch(loaded, settings, "MATCH (p:Participant {studyId: 'three'}) RETURN p ORDER BY p.participantId")
    got = {r["p"]["participantId"]: {name: r["p"].get(name) for name in PARTICIPANTS["E1"]} for r in rows}
    assert {k: {n: (v.to_native() if hasattr(v, "to_native") else v) for n, v in row.items()}
            for k, row in got.items()} == PARTICIPANTS
    types = fetch(loaded, settings, "MATCH (p:Participant {participantId: 'E2', studyId: 'three'}) "
                                    "RETURN valueType(p.education) AS e, valueType(p.income) AS i, "
                                    "valueType(p.interviewed_on) AS d, valueType(p.age) AS a")[0]
    assert (types["e"], types["i"], types["d"], types["a"]) == ("INTEGER NOT NULL", "FLOAT NOT NULL",
                                                                 "DATE NOT NULL", "INTEGER NOT NULL")
    assert "interviewer" not in rows[0]["p"]  # declared as ignored


def test_alter_attributes_closeness_and_the_raw_relationship_arrive(loaded, settings):
    rows = fetch(loaded, settings, """
        MATCH (p:Participant {studyId: 'three'})-[h:HAS_MEMBER]->(m)
        RETURN p.participantId AS p, m.memberId AS m, m.relationshipType AS type, m.relationshipRaw AS raw,
               m.tieClass AS class, m.alter_sex AS sex, m.alter_age AS age, m.nationality AS nat,
               h.closeness AS closeness, h.circle AS circle, m.kind AS kind""")
    assert {(r["p"], r["m"]): (r["type"], r["raw"], r["class"], r["sex"], r["age"], r["nat"], r["closeness"],
                               r["circle"]) for r in rows} == MEMBERS
    assert {r["kind"] for r in rows} == {"person"}


def test_weighted_ties_of_two_types_arrive_on_one_pair(loaded, settings):
    rows = fetch(loaded, settings, """
        MATCH (a:NetworkMember {studyId: 'three'})-[k:KNOWS]->(b)
        RETURN a.participantId AS p, a.memberId AS a, b.memberId AS b, k.type AS type, k.weight AS weight,
               k.directed AS directed""")
    assert {(r["p"], r["a"], r["b"], r["type"], r["weight"]) for r in rows} == TIES
    assert {r["directed"] for r in rows} == {False}


def test_the_study_declares_its_attributes_in_the_data_dictionary(loaded, settings, tmp_path):
    rows = fetch(loaded, settings, "MATCH (:Study {studyId: 'three'})-[:DECLARES]->(a:Attribute) "
                                   "RETURN a.element AS e, a.name AS n, a.type AS t, a.sourceColumn AS c")
    assert {(r["e"], r["n"], r["t"], r["c"]) for r in rows} == {
        ("Participant", "education", "integer", "edu"), ("Participant", "income", "float", "income"),
        ("Participant", "interviewed_on", "date", "interview_date"),
        ("NetworkMember", "alter_sex", "category", "alter_sex"), ("NetworkMember", "alter_age", "integer", "alter_age"),
        ("NetworkMember", "nationality", "category", "nationality")}
    shown = run_illnet(settings, tmp_path / "home", "schema", "show", "--study", "three", "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    assert "NetworkMember,alter_sex,category,\"female, male\",alter_sex,Sex of the alter" in shown.stdout
    unknown = run_illnet(settings, tmp_path / "home", "schema", "show", "--study", "thre")
    assert unknown.returncode == 1 and "there is no study 'thre'" in unknown.stderr and "three" in unknown.stderr


def test_the_wide_layout_gives_the_same_graph(loaded, driver, settings):
    # the source columns differ by layout (alter_sex, alter{n}_sex), and so do the schema's own timestamps
    ignore = PROVENANCE + ("sourceColumn", "appliedAt")
    long_graph = snapshot(driver, settings.database, ignore=ignore)
    erase_all(driver, settings.database)
    load_study(driver, EXAMPLE / "wide" / "mapping.yaml", database=settings.database, progress=False)
    assert snapshot(driver, settings.database, ignore=ignore) == long_graph
    wide = fetch(driver, settings, "MATCH (a:Attribute {name: 'alter_sex'}) RETURN a.sourceColumn AS c")
    assert wide[0]["c"] == "alter{n}_sex"


def test_reloading_changes_nothing(loaded, driver, settings):
    before = snapshot(driver, settings.database)
    again = load_study(driver, EXAMPLE / "mapping.yaml", database=settings.database, progress=False)
    assert again.skipped and snapshot(driver, settings.database) == before
    content = snapshot(driver, settings.database, ignore=PROVENANCE)
    replaced = load_study(driver, EXAMPLE / "mapping.yaml", database=settings.database, progress=False,
                          replace=True)
    assert not replaced.skipped
    assert snapshot(driver, settings.database, ignore=PROVENANCE) == content


def test_the_bridging_job_takes_a_tie_type_and_a_minimum_weight(loaded, settings):
    """E1's network by hand (aaties.csv): A1-A2 close (weight 1) and drug (2), A1-A3 close (2).
    Close ties: A2 - A1 - A3, so A1 lies on the one path between A2 and A3: betweenness 1 of the
    (3-1)(3-2)/2 = 1 pair. Drug ties: A1-A2 only, A3 isolated: nobody lies between. Weight >= 2
    keeps A1-A2 (drug) and A1-A3 (close): A1 is between again."""
    from illnet.queries import run_job

    def a1(**filters):
        frame = run_job("bridging_members", settings=settings, driver=loaded, study="three", **filters)
        row = frame[(frame["participantId"] == "E1") & (frame["memberId"] == "A1")]
        return float(row["normalisedBetweenness"].iloc[0])

    assert a1(tieType="close") == 1.0
    assert a1(tieType="drug") == 0.0
    assert a1(minWeight=2.0) == 1.0
