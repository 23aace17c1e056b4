"""`illnet schema apply`: constraints, indexes and vocabulary nodes, idempotently.

Each migration is a file schema/migrations/<id>.yaml holding a description and a list
of Cypher statements (all `IF [NOT] EXISTS`), applied in the order of the ids and recorded
as a (:Migration {id}) node once applied; vocabulary nodes are synced on every apply (MERGE).
A migration marked `rewrites_data: true` brings data written by an older illnet up to date;
on a database whose data this version wrote (a bulk import) it is recorded without running.
One may also name, under `derive:`, a derivation of DERIVATIONS, which runs per study loaded
(a completed LoadRun) after its statements: a value Cypher cannot compute well (betweenness).
"""

from datetime import datetime, timezone

import neo4j
import yaml

from illnet import content, model
from illnet.model import structure

# Derivations a migration may name: a function of (driver, study id, database).
DERIVATIONS = {"member_structure": structure.derive}
MIGRATION_CONSTRAINT = "CREATE CONSTRAINT migration_id IF NOT EXISTS FOR (n:Migration) REQUIRE n.id IS UNIQUE"


def migrations() -> list[dict]:
    """The ordered migrations of schema/migrations/<id>.yaml: id, description and statements."""
    folder = content.folder("schema") / "migrations"
    found = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if spec.get("derive") is not None and spec["derive"] not in DERIVATIONS:
            raise ValueError(f"{path}: derive {spec['derive']!r} is none of {', '.join(DERIVATIONS)}")
        found.append({"id": path.stem, "description": spec["description"], "statements": spec["statements"],
                      "rewrites_data": bool(spec.get("rewrites_data")), "derive": spec.get("derive")})
    return found


VOCABULARY_SYNC = [
    ("MERGE (n:Condition {code: row.code}) SET n.label = row.label", "condition"),
    ("MERGE (n:WorkType {code: row.code}) SET n.label = row.label", "work_type"),
    ("MERGE (n:Task {code: row.code}) SET n.label = row.label, n.workType = row.work_type "
     "WITH n, row MATCH (w:WorkType {code: row.work_type}) MERGE (n)-[:OF_TYPE]->(w)", "task"),
]


def apply(driver: neo4j.Driver, database: str = "neo4j", data_current: bool = False) -> list[str]:
    """Apply pending migrations and sync vocabulary nodes; return the ids newly applied.
    `data_current`: every node and relationship was written by this illnet version, so the
    migrations that rewrite older data are only recorded (each scans the whole database)."""
    with driver.session(database=database) as session:
        session.run(MIGRATION_CONSTRAINT).consume()  # before reading which migrations are recorded
        done = {r["id"] for r in session.run("MATCH (m:Migration) RETURN m.id AS id")}
        applied = []
        for migration in migrations():
            if migration["id"] in done:
                continue
            if not (data_current and migration["rewrites_data"]):
                for statement in migration["statements"]:
                    session.run(statement).consume()
                if migration["derive"]:
                    _derive_loaded(session, DERIVATIONS[migration["derive"]], driver, database)
            session.run("MERGE (m:Migration {id: $id}) SET m.description = $description, m.appliedAt = $at",
                        id=migration["id"], description=migration["description"],
                        at=datetime.now(timezone.utc)).consume()
            applied.append(migration["id"])
        session.run("CALL db.awaitIndexes(300)").consume()
        for statement, vocabulary in VOCABULARY_SYNC:
            rows = [{"code": code, **values} for code, values in model.vocabulary(vocabulary).items()]
            session.run(f"UNWIND $rows AS row {statement}", rows=rows).consume()
    return applied


def applied_migrations(driver: neo4j.Driver, database: str = "neo4j") -> list[dict]:
    """Migrations recorded in the graph, oldest first."""
    records, _, _ = driver.execute_query(
        "MATCH (m:Migration) RETURN m.id AS id, m.description AS description, toString(m.appliedAt) AS appliedAt "
        "ORDER BY m.id", database_=database)
    return [r.data() for r in records]


def _derive_loaded(session: neo4j.Session, derivation, driver: neo4j.Driver, database: str) -> None:
    """Run a derivation on every study with a completed load."""
    studies = [r["study"] for r in session.run("MATCH (r:LoadRun {status: 'completed'}) "
                                               "RETURN DISTINCT r.studyId AS study ORDER BY study")]
    for study in studies:
        derivation(driver, study, database)
