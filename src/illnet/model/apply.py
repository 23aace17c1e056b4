"""`illnet schema apply`: constraints, indexes and vocabulary nodes, idempotently.

Each migration is a list of Cypher statements (all `IF NOT EXISTS`) recorded as a
(:Migration {id}) node once applied; vocabulary nodes are synced on every apply (MERGE).
"""

from datetime import datetime, timezone

import neo4j

from illnet import model

MIGRATION_CONSTRAINT = "CREATE CONSTRAINT migration_id IF NOT EXISTS FOR (n:Migration) REQUIRE n.id IS UNIQUE"
KEYED_LABELS = [label for label, spec in model.load("graph")["nodes"].items() if "key" in spec]


def migrations() -> list[dict]:
    """The ordered migrations: id, description and statements."""
    return [
        {
            "id": "001-keys",
            "description": "Unique keys of study nodes, vocabulary codes, load runs and migrations",
            "statements": [
                *(f"CREATE CONSTRAINT {label.lower()}_key IF NOT EXISTS "
                  f"FOR (n:{label}) REQUIRE n.key IS UNIQUE" for label in KEYED_LABELS),
                *(f"CREATE CONSTRAINT {label.lower()}_code IF NOT EXISTS "
                  f"FOR (n:{label}) REQUIRE n.code IS UNIQUE" for label in ("Condition", "WorkType", "Task")),
                "CREATE CONSTRAINT loadrun_id IF NOT EXISTS FOR (n:LoadRun) REQUIRE n.runId IS UNIQUE",
                MIGRATION_CONSTRAINT,
            ],
        },
        {
            "id": "002-lookup-indexes",
            "description": "Indexes for the filters analysts use: study, tie class, country, wave",
            "statements": [
                "CREATE INDEX participant_study IF NOT EXISTS FOR (n:Participant) ON (n.studyId)",
                "CREATE INDEX participant_country IF NOT EXISTS FOR (n:Participant) ON (n.country)",
                "CREATE INDEX member_study IF NOT EXISTS FOR (n:NetworkMember) ON (n.studyId)",
                "CREATE INDEX member_tie_class IF NOT EXISTS FOR (n:NetworkMember) ON (n.tieClass)",
                "CREATE INDEX resource_study IF NOT EXISTS FOR (n:Resource) ON (n.studyId)",
            ],
        },
        {
            # An earlier 002 also indexed HAS_MEMBER.wave and PROVIDES.wave. On a fresh
            # database the planner then ran the writer's MERGE as a scan of that index for
            # every row (quadratic: 20-30 s instead of 0.8 s for 22k PROVIDES); no query
            # of the library uses them, so they are dropped where they exist.
            "id": "003-drop-relationship-wave-indexes",
            "description": "Drop the relationship wave indexes that misled the writer's MERGE plans",
            "statements": [
                "DROP INDEX has_member_wave IF EXISTS",
                "DROP INDEX provides_wave IF EXISTS",
            ],
        },
    ]


VOCABULARY_SYNC = [
    ("MERGE (n:Condition {code: row.code}) SET n.label = row.label", "condition"),
    ("MERGE (n:WorkType {code: row.code}) SET n.label = row.label", "work_type"),
    ("MERGE (n:Task {code: row.code}) SET n.label = row.label, n.workType = row.work_type "
     "WITH n, row MATCH (w:WorkType {code: row.work_type}) MERGE (n)-[:OF_TYPE]->(w)", "task"),
]


def apply(driver: neo4j.Driver, database: str = "neo4j") -> list[str]:
    """Apply pending migrations and sync vocabulary nodes; return the ids newly applied."""
    with driver.session(database=database) as session:
        session.run(MIGRATION_CONSTRAINT).consume()  # before reading which migrations are recorded
        done = {r["id"] for r in session.run("MATCH (m:Migration) RETURN m.id AS id")}
        applied = []
        for migration in migrations():
            if migration["id"] in done:
                continue
            for statement in migration["statements"]:
                session.run(statement).consume()
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
