"""Ids holding the old key separator '|' load into one graph without merging nodes across
studies or participants (exit 0 means nothing was overwritten), and migration 004 rewrites
keys written the old way."""

from pathlib import Path

import pytest

from illnet.model.apply import apply, migrations
from illnet.model.keys import node_key
from tests.load_helpers import remove_loaded_data, run_illnet

pytestmark = pytest.mark.neo4j

MAPPING = """version: 1
study: {{id: "{study}", name: Pipes, design: cross-sectional}}
layout: long
files:
  participants:
    path: participants.csv
    columns: {{participant_id: pid, country: country}}
  members:
    path: members.csv
    columns: {{participant_id: pid, member_id: mid, relationship_type: relation, circle: circle}}
    constants: {{wave: 0}}
"""


def _study(folder: Path, study: str, participants: list[str], members: list[tuple[str, str]]) -> Path:
    folder.mkdir()
    (folder / "participants.csv").write_text("pid,country\n" + "".join(f"{p},GB\n" for p in participants))
    (folder / "members.csv").write_text("pid,mid,relation,circle\n"
                                        + "".join(f"{p},{m},friend,inner\n" for p, m in members))
    (folder / "mapping.yaml").write_text(MAPPING.format(study=study))
    return folder / "mapping.yaml"


def test_ids_with_the_old_separator_never_merge_across_studies_or_participants(driver, settings, tmp_path):
    remove_loaded_data(driver, settings.database)
    # Under '|'-joined keys: pipe/P1|M1/X and pipe/P1/M1|X were one member ("pipe|P1|M1|X"),
    # and pipe/x|P2 and pipe|x/P2 one participant ("pipe|x|P2").
    first = _study(tmp_path / "a", "pipe", ["P1|M1", "P1", "x|P2"], [("P1|M1", "X"), ("P1", "M1|X"), ("x|P2", "M")])
    second = _study(tmp_path / "b", "pipe|x", ["P2"], [("P2", "M")])
    for mapping in (first, second):
        result = run_illnet(settings, tmp_path / "home", "load", str(mapping))
        assert result.returncode == 0, result.stdout + result.stderr
    rows = driver.execute_query("MATCH (p:Participant) RETURN p.studyId AS s, p.participantId AS p, p.key AS key "
                                "ORDER BY s, p", database_=settings.database).records
    assert [(r["s"], r["p"]) for r in rows] == [("pipe", "P1"), ("pipe", "P1|M1"), ("pipe", "x|P2"), ("pipe|x", "P2")]
    assert [r["key"] for r in rows] == [node_key(r["s"], r["p"]) for r in rows]
    members = driver.execute_query(
        "MATCH (p:Participant)-[:HAS_MEMBER]->(m:NetworkMember) "
        "RETURN p.studyId AS s, p.participantId AS p, m.studyId AS ms, m.participantId AS mp, m.memberId AS m "
        "ORDER BY s, p, m", database_=settings.database).records
    assert [(r["s"], r["p"], r["m"]) for r in members] == [
        ("pipe", "P1", "M1|X"), ("pipe", "P1|M1", "X"), ("pipe", "x|P2", "M"), ("pipe|x", "P2", "M")]
    assert all((r["s"], r["p"]) == (r["ms"], r["mp"]) for r in members)  # each member only in its own network
    counts = driver.execute_query("MATCH (n) WHERE n:Study OR n:Participant OR n:NetworkMember "
                                  "RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label",
                                  database_=settings.database).records
    assert {r["label"]: r["n"] for r in counts} == {"NetworkMember": 4, "Participant": 4, "Study": 2}
    study_keys = driver.execute_query("MATCH (s:Study)<-[:IN_STUDY]-(p) RETURN s.studyId AS s, count(p) AS n "
                                      "ORDER BY s", database_=settings.database).records
    assert [(r["s"], r["n"]) for r in study_keys] == [("pipe", 3), ("pipe|x", 1)]
    remove_loaded_data(driver, settings.database)


def test_migration_004_rewrites_old_keys_and_leaves_plain_ones(driver, settings):
    remove_loaded_data(driver, settings.database)
    driver.execute_query(
        "CREATE (:Study {key: 'm|x', studyId: 'm|x'}), (:Study {key: 'plain', studyId: 'plain'}), "
        "(:Participant {key: 'm|x|P%1', studyId: 'm|x', participantId: 'P%1'}), "
        "(:Participant {key: 'plain|P1', studyId: 'plain', participantId: 'P1'}), "
        "(:NetworkMember {key: 'm|x|P%1|a|b', studyId: 'm|x', participantId: 'P%1', memberId: 'a|b'}), "
        "(:Resource {key: 'plain|R|1', studyId: 'plain', resourceId: 'R|1'})", database_=settings.database)
    (migration,) = [m for m in migrations() if m["id"].startswith("004")]
    expected = {"m%7Cx", "plain", "m%7Cx|P%251", "plain|P1", "m%7Cx|P%251|a%7Cb", "plain|R%7C1"}
    for _ in range(2):  # a second run changes nothing
        with driver.session(database=settings.database) as session:
            for statement in migration["statements"]:
                session.run(statement).consume()
        keys = driver.execute_query("MATCH (n) WHERE n:Study OR n:Participant OR n:NetworkMember OR n:Resource "
                                    "RETURN n.key AS key", database_=settings.database).records
        assert {r["key"] for r in keys} == expected
    remove_loaded_data(driver, settings.database)


def test_on_data_this_version_wrote_apply_records_the_data_migrations_without_running_them(empty_db, settings):
    """A bulk import's data is current: `apply(data_current=True)` records 004 and 006 and leaves a
    key that 004 would rewrite as it is; a plain apply on the same data rewrites it."""
    empty_db.execute_query("CREATE (:Study {key: 'old|x', studyId: 'old|x'})", database_=settings.database)
    applied = apply(empty_db, settings.database, data_current=True)
    assert {"004-escape-key-ids", "006-derive-member-work"} <= set(applied)
    key = "MATCH (s:Study) RETURN s.key AS key"
    assert empty_db.execute_query(key, database_=settings.database).records[0]["key"] == "old|x"
    empty_db.execute_query("MATCH (m:Migration) DETACH DELETE m", database_=settings.database)
    apply(empty_db, settings.database)
    assert empty_db.execute_query(key, database_=settings.database).records[0]["key"] == "old%7Cx"
