"""The facts a load derives (illnet.load.derived) in the database: from the tables for a new
study, as worked out by hand in tests/derived_study.py, and the same graph when the
database derives them again in Cypher, as it does for a study already there."""

import pytest

from illnet.load import derived
from illnet.load.pipeline import load_study
from illnet.model import structure
from tests.derived_study import EXPECTED, write_study
from tests.graph_state import remove_from_ties, snapshot

pytestmark = pytest.mark.neo4j

FACTS = ("MATCH (p:Participant)-[h:HAS_MEMBER]->(m) RETURN p.participantId AS p, m.memberId AS m, h.wave AS wave, "
         "h.status AS status, h.nextWaveStatus AS next, h.memberTasks AS tasks, h.memberWorkTypes AS types, "
         "h.participantTasks AS back")


def test_a_new_study_gets_the_facts_of_its_tables_and_cypher_derives_the_same(empty_db, settings, tmp_path):
    load_study(empty_db, write_study(tmp_path), database=settings.database, progress=False)
    records = empty_db.execute_query(FACTS, database_=settings.database).records
    assert {(r["p"], r["m"], r["wave"]): (r["status"], r["next"], r["tasks"], r["types"], r["back"])
            for r in records} == EXPECTED
    study = empty_db.execute_query("MATCH (s:Study) RETURN s.countries AS countries, s.waves AS waves",
                                   database_=settings.database).records[0]
    assert (study["countries"], study["waves"]) == (["GB", "NL"], [0, 1])

    from_tables = snapshot(empty_db, settings.database)
    empty_db.execute_query(remove_from_ties([*derived.TIE_COLUMNS, *structure.STRUCTURE_COLUMNS]),
                           database_=settings.database)
    derived.derive_tie_status(empty_db, "tiny", [0, 1], settings.database)
    derived.derive_work(empty_db, "tiny", settings.database)
    structure.derive(empty_db, "tiny", settings.database)
    assert snapshot(empty_db, settings.database) == from_tables
