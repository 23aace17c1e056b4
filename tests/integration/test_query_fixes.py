"""Mended faults of canned queries and jobs, on the hand-made ego study (tests/fixtures/ego_study.cypher;
its facts are in tests/ego_golden.py): every expected answer worked out by hand.

Wave 0 of the ego study: e1 (GB) names nobody; e2 (GB) names m1; e3 (NL) names m1, m2; e4 (GB) names
m1..m5. Wave 1: e2 names m1, e4 names m1..m4; e1 and e3 have nothing recorded there. e4's member ties
at wave 0: m1-m2 close 2.0, m1-m2 work 0.5, m2-m3 close (weight not recorded: counts 1), m1-m3 work
0.5. Contributors (members giving at least one task) at wave 0: e2 m1; e3 m1; e4 m1, m2, m3, m5.
"""

import pytest

from illnet.errors import QueryError
from illnet.load.derived import derive_work
from illnet.model import apply as schema_apply
from illnet.queries import run
from illnet.query.algorithms import run_job
from tests.ego_golden import TINY_FIXTURE
from tests.golden import assert_rows

pytestmark = pytest.mark.neo4j


def test_network_size_counts_participants_who_named_nobody(ego_db, settings):
    # wave 0 GB: e1 0, e2 1, e4 5 -> 3 participants, mean 6/3, median 1, min 0, max 5; NL: e3 2.
    # wave 1 GB: e2 1, e4 4 (e1 has nothing at wave 1, so it is not a participant there); NL: nobody
    frame = run("network_size", driver=ego_db, settings=settings, study="ego")
    assert_rows("network_size", frame, [("ego", 0, "GB", 3, 2.0, 1.0, 0, 5), ("ego", 0, "NL", 1, 2.0, 2.0, 2, 2),
                                        ("ego", 1, "GB", 2, 2.5, 2.5, 1, 4)])


@pytest.mark.parametrize(("params", "e4"), [
    ({}, (4, 4, 4 / 6)),                     # all four ties among m1, m2, m3 (m5 knows nobody), 6 pairs
    ({"tieType": "close"}, (4, 2, 2 / 6)),   # m1-m2, m2-m3
    ({"tieType": "work"}, (4, 2, 2 / 6)),    # m1-m2, m1-m3
    ({"minWeight": 1.0}, (4, 2, 2 / 6)),     # close m1-m2 (2.0) and m2-m3 (none: 1)
    ({"minWeight": 1.5}, (4, 1, 1 / 6)),     # close m1-m2 only
    ({"tieType": "work", "minWeight": 1.0}, (4, 0, 0.0)),
])
def test_contributor_cohesion_takes_tie_type_and_min_weight(ego_db, settings, params, e4):
    frame = run("contributor_cohesion", driver=ego_db, settings=settings, study="ego", **params)
    assert_rows("contributor_cohesion", frame, [("e2", 1, 0, None), ("e3", 1, 0, None), ("e4", *e4)])


# e4 at wave 0. close (or minWeight 1): the path m1 - m2 - m3, m2 in the middle (its contacts unconnected:
# effective size 2, constraint 2 * (1/2)^2, one brokered pair, on the one path m1-m3, cutting it).
# work: the path m2 - m1 - m3, m1 in the middle. All types: the triangle m1 m2 m3 (m1-m2 counted once):
# effective size 2 - 2 * 1/2 = 1, constraint 2 * (1/2 + 1/2 * 1/2)^2 = 1.125, no broker, no cut point.
END = (1, 1.0, 1.0, 0, 0.0, False)
MIDDLE = (2, 2.0, 0.5, 1, 1.0, True)
TRIANGLE = (2, 1.0, 1.125, 0, 0.0, False)


@pytest.mark.parametrize(("params", "m1", "m2", "m3"), [
    ({"tieType": "close"}, END, MIDDLE, END),
    ({"minWeight": 1.0}, END, MIDDLE, END),
    ({"tieType": "work"}, MIDDLE, END, END),
    ({}, TRIANGLE, TRIANGLE, TRIANGLE),
])
def test_structural_bridges_take_tie_type_and_min_weight(ego_db, settings, params, m1, m2, m3):
    frame = run("structural_bridges", driver=ego_db, settings=settings, study="ego", **params)
    assert_rows("structural_bridges", frame, [("e4", "m1", "partner", *m1), ("e4", "m2", "child", *m2),
                                              ("e4", "m3", "neighbour", *m3)])


@pytest.mark.parametrize("name", ["structural_bridges", "contributor_cohesion"])
def test_an_unknown_tie_type_is_refused(ego_db, settings, name):
    with pytest.raises(QueryError, match="'clse' is not a recorded member-member tie type"):
        run(name, driver=ego_db, settings=settings, study="ego", tieType="clse")


@pytest.mark.parametrize(("params", "expected"), [
    # close: the path m1 - m2 - m3, both its ties bridges; the work tie m1-m2 is not of the type
    ({"tieType": "close"}, {("m1", "m2", "close"), ("m2", "m3", "close")}),
    # work: the path m2 - m1 - m3; the close tie m1-m2 is not of the type
    ({"tieType": "work"}, {("m1", "m2", "work"), ("m1", "m3", "work")}),
    # weight >= 1: close m1-m2 (2.0) and m2-m3 (none: 1); the work tie m1-m2 (0.5) is too light
    ({"minWeight": 1.0}, {("m1", "m2", "close"), ("m2", "m3", "close")}),
])
def test_member_bridges_write_marks_only_the_filtered_ties(ego_db, settings, params, expected):
    ego_db.execute_query("MATCH ()-[k:KNOWS]->() REMOVE k.isBridge", database_=settings.database)
    run_job("member_bridges", settings, mode="write", driver=ego_db, study="ego", wave=0, **params)
    marked, _, _ = ego_db.execute_query(
        "MATCH (a:NetworkMember {studyId: 'ego'})-[k:KNOWS]->(b) WHERE k.isBridge "
        "RETURN a.memberId AS a, b.memberId AS b, k.type AS type", database_=settings.database)
    assert {(r["a"], r["b"], r["type"]) for r in marked} == expected
    ego_db.execute_query("MATCH ()-[k:KNOWS]->() REMOVE k.isBridge", database_=settings.database)



WORK = ("MATCH (p:Participant)-[h:HAS_MEMBER]->(m) RETURN p.participantId AS p, m.memberId AS m, h.wave AS wave, "
        "h.memberTasks AS tasks, h.memberWorkTypes AS types, h.participantTasks AS received ORDER BY p, m, wave")


def test_the_migration_derives_for_older_studies_what_a_load_derives(empty_db, settings):
    """A study loaded without the derived work (by an older illnet) gets it from `schema apply`."""
    empty_db.execute_query(TINY_FIXTURE.read_text(encoding="utf-8"), database_=settings.database)
    empty_db.execute_query("CREATE (:LoadRun {runId: 'run-old', studyId: 'tiny', status: 'completed'})",
                           database_=settings.database)
    schema_apply.apply(empty_db, settings.database)
    migrated = [record.data() for record in empty_db.execute_query(WORK, database_=settings.database).records]
    # tiny p1m1, wave 0: medication (illness), housekeeping (everyday), comfort (emotional); p1 comforts p1m1
    assert migrated[0] == {"p": "p1", "m": "m1", "wave": 0, "tasks": ["comfort", "housekeeping", "medication"],
                           "types": ["emotional", "everyday", "illness"], "received": 1}
    derive_work(empty_db, "tiny", settings.database)
    assert [record.data() for record in empty_db.execute_query(WORK, database_=settings.database).records] == migrated
