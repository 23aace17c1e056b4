"""The queries rewritten to run in under a second at 20,000 participants (each tie read once from
its start, member positions from a map, links read per participant) and the runner's column-wise
transfer of large results, checked against answers worked out by hand on a one-participant study
(tests/fixtures/edge_study.cypher: a pair tied both ways, a weight not recorded, a tie to a member
not named at the wave) and against rows made in Python."""

import math
from pathlib import Path

import pytest

from illnet.cli.output import records
from illnet.db import erase_all
from illnet.queries import run
from illnet.query import runner
from tests.fixture_graph import create_study

pytestmark = pytest.mark.neo4j

EDGE = Path(__file__).parents[1] / "fixtures" / "edge_study.cypher"


@pytest.fixture(scope="module")
def edge_db(driver, settings):
    erase_all(driver, settings.database)
    create_study(driver, settings.database, EDGE)
    return driver


def answer(driver, settings, name, **params) -> list[dict]:
    return records(run(name, driver=driver, settings=settings, study="edge", **params))


def close(got: dict, want: dict) -> bool:
    return got.keys() >= want.keys() and all(
        math.isclose(got[k], v) if isinstance(v, float) and got[k] is not None else got[k] == v
        for k, v in want.items())


def test_ego_measures_count_a_pair_tied_both_ways_once_and_a_tie_to_a_member_not_named_never(edge_db, settings):
    got = answer(edge_db, settings, "ego_measures")
    # wave 0: pairs a-b (two directed ties) and b-c; degrees a 1, b 2, c 1, d 0; weights 2 + 1 + 1 (NA) over 6 pairs;
    # constraint, n = 4: a, c (1/4 + (1/4)/3)^2 = 1/9, b (1/4 + 2 (1/4)/2)^2 = 1/4, d (1/4)^2 -> 77/144
    wave0 = {"wave": 0, "size": 4, "ties": 2, "density": 2 / 6, "weightedDensity": 4 / 6, "components": 2,
             "isolates": 1, "meanDegree": 1.0, "maxDegree": 2, "constraint": 77 / 144, "effectiveSize": 3.0,
             "efficiency": 0.75, "strongMembers": 1, "weakMembers": 2, "professionalMembers": 1,
             "unclassifiedMembers": 0}
    # wave 1: a, b, c named; c - d left out (d is not named); pair a-b weight 3 over 3 pairs;
    # constraint, n = 3: a, b (1/3 + (1/3)/2)^2 = 1/4, c (1/3)^2 -> 11/18
    wave1 = {"wave": 1, "size": 3, "ties": 1, "density": 1 / 3, "weightedDensity": 1.0, "components": 2,
             "isolates": 1, "meanDegree": 2 / 3, "maxDegree": 1, "constraint": 11 / 18, "effectiveSize": 7 / 3,
             "efficiency": 7 / 9, "strongMembers": 1, "weakMembers": 2, "professionalMembers": 0}
    assert len(got) == 2 and close(got[0], wave0) and close(got[1], wave1), got


def test_ego_tie_summary_counts_every_tie_between_members_named_at_the_wave(edge_db, settings):
    got = answer(edge_db, settings, "ego_tie_summary")
    assert close(got[0], {"wave": 0, "ties": 3, "known": 2, "mean": 1.5, "sd": math.sqrt(0.5), "min": 1.0,
                          "max": 2.0}), got
    assert close(got[1], {"wave": 1, "ties": 1, "known": 1, "mean": 3.0, "sd": None, "min": 3.0, "max": 3.0}), got
    assert len(got) == 2


def test_ego_homophily_counts_each_tied_pair_once(edge_db, settings):
    got = answer(edge_db, settings, "ego_homophily", egoAttribute="sex", memberAttribute="gender")
    # q1 is female; wave 0: a, c alike, b, d not; pairs a-b and b-c both differ
    assert close(got[0], {"wave": 0, "size": 4, "egoValue": "female", "external": 2, "internal": 2,
                          "egoAlterEI": 0.0, "tieExternal": 2, "tieInternal": 0, "tieEI": 1.0}), got
    assert close(got[1], {"wave": 1, "size": 3, "external": 1, "internal": 2, "egoAlterEI": -1 / 3,
                          "tieExternal": 1, "tieInternal": 0, "tieEI": 1.0}), got
    assert len(got) == 2


def test_structural_bridges_on_a_path_of_three_and_a_pair(edge_db, settings):
    rows = [(r["memberId"], r["degree"], r["effectiveSize"], r["constraint"], r["brokeredPairs"], r["betweenness"],
             r["articulationPoint"]) for r in answer(edge_db, settings, "structural_bridges")]
    # wave 0: the path a - b - c (d has no tie): b brokers a and c and holds them together
    assert rows == [("a", 1, 1.0, 1.0, 0, 0.0, False), ("b", 2, 2.0, 0.5, 1, 1.0, True),
                    ("c", 1, 1.0, 1.0, 0, 0.0, False)]
    rows = [(r["memberId"], r["degree"], r["betweenness"]) for r in answer(edge_db, settings, "structural_bridges",
                                                                            wave=1)]
    assert rows == [("a", 1, 0.0), ("b", 1, 0.0)]  # c's only tie is to d, not named at wave 1


def test_functional_bridges_read_each_member_links(edge_db, settings):
    got = answer(edge_db, settings, "functional_bridges")
    # strong a does medication and links to r1: b adds shopping and r2, d adds r3, c adds nothing
    assert got == [
        {"participantId": "q1", "memberId": "b", "relationshipType": "friend", "tieClass": "weak",
         "uniqueTasks": ["shopping"], "uniqueResources": ["r2"]},
        {"participantId": "q1", "memberId": "d", "relationshipType": "gp", "tieClass": "professional",
         "uniqueTasks": [], "uniqueResources": ["r3"]}]


def test_a_large_result_comes_column_by_column_whole_and_in_order(edge_db, settings):
    statement = ("UNWIND range(0, 25000) AS i RETURN i AS n, CASE WHEN i % 3 = 0 THEN null ELSE toString(i) END AS text, "
                 "range(0, i % 4) AS list, CASE WHEN i = 7 THEN {k: i} END AS map ORDER BY n DESC")
    with edge_db.session(database=settings.database) as session:
        rows = runner.execute_rows(session, statement, {}, columns=["n", "text", "list", "map"])
    expected = [[i, None if i % 3 == 0 else str(i), list(range(i % 4 + 1)), {"k": 7} if i == 7 else None]
                for i in range(25000, -1, -1)]
    assert rows.columns == ["n", "text", "list", "map"] and rows.values == expected


def test_nodes_and_warning_positions_come_as_without_chunks(edge_db, settings):
    statement = "MATCH (m:NetworkMember {memberId: 'a'}) RETURN m, m.nope AS nope"
    with edge_db.session(database=settings.database) as session:
        rows = runner.execute_rows(session, statement, {}, columns=["m", "nope"])
    assert rows.values == [[{"_labels": ["NetworkMember"], "key": "edge|q1|a", "studyId": "edge", "participantId": "q1",
                             "memberId": "a", "relationshipType": "partner", "tieClass": "strong", "kind": "person",
                             "gender": "female"}, None]]
    # the server's own position in the statement as written (run without chunks), not in the wrapping
    with edge_db.session(database=settings.database) as session:
        plain = runner.execute_rows(session, statement, {})
    assert plain.attrs["warnings"][0].endswith("(line 1, column 53)")
    assert rows.attrs["warnings"] == plain.attrs["warnings"]
