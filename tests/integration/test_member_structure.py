"""The structure a load stores on each HAS_MEMBER (illnet.model.structure) in the database: on
a generated panel study with member ties, the two queries that read it answer as they do when
they compute it themselves, and the three ways to it (the tables of a new study, the database
for a study already there, and schema migration 007 for one loaded before) give one graph."""

import math

import pytest

from illnet.cli.output import records
from illnet.db import erase_all
from illnet.load.pipeline import load_study
from illnet.model import apply as schema_apply, structure
from illnet.queries import run
from illnet.synth.generate import generate, write_study
from tests.graph_state import REMOVE_STRUCTURE, snapshot

pytestmark = pytest.mark.neo4j

# A minimum weight below every weight selects every tie, but makes a query compute the structure.
EVERY_TIE = -1e300
APPLIED = ("appliedAt",)  # when a migration ran


@pytest.fixture(scope="module")
def panel_db(driver, settings, tmp_path_factory):
    tables = generate(120, seed=11, waves=2, member_ties=True, study_id="shape")
    mapping = write_study(tables, tmp_path_factory.mktemp("structure-study"))
    erase_all(driver, settings.database)
    load_study(driver, mapping, database=settings.database, progress=False)
    return driver


def _same(stored: list[dict], computed: list[dict]) -> bool:
    def equal(a, b):  # the same type too: an integer column is no float column
        if type(a) is not type(b):
            return False
        return math.isclose(a, b, abs_tol=1e-12) if isinstance(a, float) else a == b
    return len(stored) == len(computed) and all(
        row.keys() == other.keys() and all(equal(row[k], other[k]) for k in row) for row, other in zip(stored, computed))


@pytest.mark.parametrize("name, wave", [("structural_bridges", 0), ("structural_bridges", 1), ("ego_measures", None)])
def test_the_stored_structure_answers_as_the_query_computes_it(panel_db, settings, name, wave):
    params = {"study": "shape"} | ({"wave": wave} if wave is not None else {})
    stored = records(run(name, driver=panel_db, settings=settings, **params))
    computed = records(run(name, driver=panel_db, settings=settings, minWeight=EVERY_TIE, **params))
    assert len(stored) > 100 and _same(stored, computed)


def test_the_database_and_the_migration_store_what_the_tables_gave(panel_db, settings, monkeypatch):
    monkeypatch.setattr(structure, "BATCH_PARTICIPANTS", 7)  # the database is read 7 participants at a time
    from_tables = snapshot(panel_db, settings.database, ignore=APPLIED)
    stored = panel_db.execute_query("MATCH ()-[h:HAS_MEMBER]->() WHERE h.networkBetweenness > 0 RETURN count(h) AS n",
                                    database_=settings.database).records[0]["n"]
    assert stored > 50  # the generated networks have brokers
    panel_db.execute_query(REMOVE_STRUCTURE, database_=settings.database)
    structure.derive(panel_db, "shape", settings.database)
    assert snapshot(panel_db, settings.database, ignore=APPLIED) == from_tables
    # a study loaded by an older illnet: migration 007 computes its structure at the next `schema apply`
    panel_db.execute_query(REMOVE_STRUCTURE, database_=settings.database)
    panel_db.execute_query("MATCH (m:Migration {id: '007-member-structure'}) DELETE m", database_=settings.database)
    assert schema_apply.apply(panel_db, settings.database) == ["007-member-structure"]
    assert snapshot(panel_db, settings.database, ignore=APPLIED) == from_tables
