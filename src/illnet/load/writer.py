"""Write validated canonical study tables into Neo4j.

Batched `UNWIND $rows ... MERGE` statements keyed on the unique constraints of
`illnet schema apply`, so a re-run never duplicates anything. Which column becomes which
property is read from schema/graph.yaml (`from:`). Every node and relationship written
carries loadRunId, sourceFile and sourceRow.

A load is recorded as a (:LoadRun). Its runId is a fingerprint of the mapping, the
source files' SHA-256 and the illnet version: loading the same files again finds the
completed run and writes nothing; a run that was interrupted (status 'running') is
resumed under the same runId, and MERGE completes what is missing.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import neo4j
from rich.progress import Progress

from illnet import __version__, model
from illnet.browser.style import LABEL_MEMBERS_BY_TIE_CLASS, TIE_CLASS_LABELS
from illnet.load.tables import TABLE_NAMES, StudyTables, records

GRAPH = model.load("graph")
MEMBER_KINDS = {code: spec["kind"] for code, spec in model.vocabulary("relationship_type").items()}


@dataclass(frozen=True)
class Endpoint:
    """One end of a relationship: its label and the table columns that make its key."""

    label: str
    columns: tuple[str, ...]
    match_on: str = "key"


PARTICIPANT = Endpoint("Participant", ("study_id", "participant_id"))
STUDY = Endpoint("Study", ("study_id",))
CONDITION = Endpoint("Condition", ("condition",), match_on="code")
RESOURCE = Endpoint("Resource", ("study_id", "resource_id"))


def member(column: str = "member_id") -> Endpoint:
    """A NetworkMember endpoint keyed by the given member column."""
    return Endpoint("NetworkMember", ("study_id", "participant_id", column))


@dataclass(frozen=True)
class RelationshipSpec:
    """How one canonical table becomes relationships of one type."""

    type: str
    table: str
    start: Endpoint
    end: Endpoint
    merge_on: tuple[str, ...] = ()
    where: tuple[str, str] | None = None  # (column, value) filter on the table


RELATIONSHIPS = [
    RelationshipSpec("IN_STUDY", "participants", PARTICIPANT, STUDY),
    RelationshipSpec("HAS_CONDITION", "conditions", PARTICIPANT, CONDITION),
    RelationshipSpec("HAS_MEMBER", "ties", PARTICIPANT, member(), ("wave",)),
    RelationshipSpec("PROVIDES", "support", member(), PARTICIPANT, ("wave", "task"), ("direction", "to_participant")),
    RelationshipSpec("PROVIDES", "support", PARTICIPANT, member(), ("wave", "task"), ("direction", "to_member")),
    RelationshipSpec("KNOWS", "member_ties", member("member_a"), member("member_b"), ("wave",)),
    RelationshipSpec("PARTICIPATES_IN", "participation", PARTICIPANT, RESOURCE, ("wave",)),
    RelationshipSpec("LINKS_TO", "resource_links", member(), RESOURCE, ("wave",)),
]
NODE_TABLES = [("Participant", "participants"), ("NetworkMember", "members"), ("Resource", "resources")]


@dataclass
class LoadPlan:
    """What a load writes and where it came from; run_id identifies the load (fingerprint)."""

    tables: StudyTables
    sources: list[Path]
    checksums: list[str]
    mapping_text: str
    run_id: str
    counts: dict = field(default_factory=dict)


def fingerprint(mapping_text: str, checksums: list[str], skip_invalid: bool = False) -> str:
    """The runId of a load: a digest of the mapping, the source files' SHA-256, the
    options that change what is written, and the illnet version."""
    digest = hashlib.sha256(mapping_text.encode())
    for checksum in checksums:
        digest.update(checksum.encode())
    digest.update(f"skip_invalid={skip_invalid}|{__version__}".encode())
    return "run-" + digest.hexdigest()[:20]


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def key(row: dict, columns: tuple[str, ...]) -> str:
    """The graph key of a row: its id columns joined with '|'."""
    return "|".join(str(row[column]) for column in columns)


def node_properties(label: str, row: dict) -> dict:
    """Graph properties of a node from one canonical row (graph.yaml `from:`)."""
    spec = GRAPH["nodes"][label]["properties"]
    props = {name: row.get(prop["from"]) for name, prop in spec.items() if "from" in prop}
    if label == "NetworkMember":
        props["kind"] = MEMBER_KINDS.get(row.get("relationship_type"))
    return props


def relationship_properties(rel_type: str, row: dict) -> dict:
    """Graph properties of a relationship from one canonical row (graph.yaml `from:`)."""
    spec = GRAPH["relationships"][rel_type]["properties"]
    return {name: row.get(prop["from"]) for name, prop in spec.items() if "from" in prop}


def provenance(row: dict, run_id: str) -> dict:
    return {"loadRunId": run_id, "sourceFile": row.get("source_file"), "sourceRow": row.get("source_row")}


class Writer:
    """Writes one LoadPlan through a driver, in batches, with a progress bar."""

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", batch_size: int = 5000,
                 progress: bool = True):
        self.driver, self.database, self.batch_size, self.show_progress = driver, database, batch_size, progress

    def load(self, plan: LoadPlan, replace: bool = False) -> dict:
        """Write the plan; return {'runId', 'skipped', 'written': {...}}."""
        run_id = plan.run_id
        study_id = plan.tables.study_id
        previous = self.run_status(run_id)
        if previous == "completed" and not replace:
            return {"runId": run_id, "skipped": True, "written": {}}
        if replace:
            self.delete_study(study_id)
        self._start_run(plan, run_id)
        written = self._write_all(plan, run_id)
        self._finish_study(study_id)
        self._complete_run(run_id, plan.counts | {"written": written})
        return {"runId": run_id, "skipped": False, "resumed": previous == "running", "written": written}

    def delete_study(self, study_id: str) -> None:
        """Remove every node of a study (participants, members, resources, runs, the study)."""
        for label in ("NetworkMember", "Participant", "Resource", "LoadRun"):
            self._run(f"MATCH (n:{label} {{studyId: $study}}) "
                      "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", study=study_id)
        self._run("MATCH (s:Study {key: $study}) DETACH DELETE s", study=study_id)

    def _write_all(self, plan: LoadPlan, run_id: str) -> dict:
        tables = plan.tables
        steps = self._steps(tables, run_id)
        written: dict[str, int] = {}
        with Progress(disable=not self.show_progress, transient=True) as progress:
            task = progress.add_task("loading", total=sum(len(rows) for _, _, rows in steps))
            for name, statement, rows in steps:
                progress.update(task, description=f"loading {name}")
                for start in range(0, len(rows), self.batch_size):
                    batch = rows[start:start + self.batch_size]
                    self.driver.execute_query(statement, rows=batch, database_=self.database)
                    progress.advance(task, len(batch))
                written[name] = written.get(name, 0) + len(rows)
        return written

    def _steps(self, tables: StudyTables, run_id: str) -> list[tuple[str, str, list[dict]]]:
        """(name, Cypher, rows) for every node label and relationship, in dependency order."""
        study_row = {"key": tables.study_id,
                     "props": {"studyId": tables.study_id, "name": tables.name, "design": tables.design,
                               "loadRunId": run_id}}
        steps = [("Study", "UNWIND $rows AS row MERGE (n:Study {key: row.key}) SET n += row.props", [study_row])]
        table_rows = {table: records(table, tables[table]) for table in TABLE_NAMES}
        for label, table in NODE_TABLES:
            spec_key = tuple(GRAPH["nodes"][label]["key"])
            rows = [{"key": key(row, spec_key), "props": node_properties(label, row) | provenance(row, run_id)}
                    for row in table_rows[table]]
            steps.append((label, f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n += row.props", rows))
        for spec in RELATIONSHIPS:
            steps.append((spec.type, relationship_statement(spec),
                          relationship_rows(spec, table_rows[spec.table], run_id)))
        return steps

    def _finish_study(self, study_id: str) -> None:
        """Derived facts: study countries and waves, tie status between waves, tie-class labels."""
        countries = [r["c"] for r in self._run(
            "MATCH (p:Participant {studyId: $study}) WHERE p.country IS NOT NULL "
            "RETURN DISTINCT p.country AS c ORDER BY c", study=study_id)]
        waves = [r["w"] for r in self._run(
            "MATCH (:Participant {studyId: $study})-[r:HAS_MEMBER]->() RETURN DISTINCT r.wave AS w ORDER BY w",
            study=study_id)]
        self._run("MATCH (s:Study {key: $study}) SET s.countries = $countries, s.waves = $waves",
                  study=study_id, countries=countries, waves=waves)
        self._run(TIE_STATUS, study=study_id, waves=waves)
        self._run(LABEL_MEMBERS_BY_TIE_CLASS, study=study_id, labels=TIE_CLASS_LABELS)

    def run_status(self, run_id: str) -> str | None:
        """Status of a LoadRun ('running' or 'completed'), None when there is none."""
        found = self._run("MATCH (r:LoadRun {runId: $id}) RETURN r.status AS status", id=run_id)
        return found[0]["status"] if found else None

    def _start_run(self, plan: LoadPlan, run_id: str) -> None:
        self._run("MERGE (r:LoadRun {runId: $id}) "
                  "SET r.studyId = $study, r.status = 'running', r.startedAt = $now, r.sources = $sources, "
                  "r.sha256 = $sha, r.mapping = $mapping, r.illnetVersion = $version, "
                  "r.neo4jVersion = $neo4j",
                  id=run_id, study=plan.tables.study_id, now=datetime.now(timezone.utc),
                  sources=[path.name for path in plan.sources], sha=plan.checksums, mapping=plan.mapping_text,
                  version=__version__, neo4j=self._neo4j_version())

    def _complete_run(self, run_id: str, counts: dict) -> None:
        self._run("MATCH (r:LoadRun {runId: $id}) SET r.status = 'completed', r.finishedAt = $now, "
                  "r.counts = $counts", id=run_id, now=datetime.now(timezone.utc),
                  counts=json.dumps(counts, sort_keys=True))

    def _neo4j_version(self) -> str:
        return self._run("CALL dbms.components() YIELD versions RETURN versions[0] AS v")[0]["v"]

    def _run(self, statement: str, **params) -> list[dict]:
        with self.driver.session(database=self.database) as session:
            return session.run(statement, **params).data()


def relationship_statement(spec: RelationshipSpec) -> str:
    """The batched MERGE statement of one relationship spec (labels and types are fixed
    names from the model, never user input; values come in as parameters)."""
    merge_props = ", ".join(f"{name}: row.merge.{name}" for name in _camel(spec.merge_on))
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{spec.start.label} {{{spec.start.match_on}: row.start}}) "
            f"MATCH (b:{spec.end.label} {{{spec.end.match_on}: row.end}}) "
            f"MERGE (a)-[r:{spec.type} {{{merge_props}}}]->(b) SET r += row.props")


def relationship_rows(spec: RelationshipSpec, table_rows: list[dict], run_id: str) -> list[dict]:
    """Parameter rows of one relationship spec from its table's records."""
    rows = []
    for row in table_rows:
        if spec.where and row.get(spec.where[0]) != spec.where[1]:
            continue
        props = relationship_properties(spec.type, row) | provenance(row, run_id)
        rows.append({"start": key(row, spec.start.columns), "end": key(row, spec.end.columns),
                     "merge": {name: props[name] for name in _camel(spec.merge_on)}, "props": props})
    return rows


def _camel(columns: tuple[str, ...]) -> list[str]:
    return [c.split("_")[0] + "".join(part.title() for part in c.split("_")[1:]) for c in columns]


TIE_STATUS = """
MATCH (p:Participant {studyId: $study})-[r:HAS_MEMBER]->(m)
OPTIONAL MATCH (p)-[previous:HAS_MEMBER {wave: r.wave - 1}]->(m)
OPTIONAL MATCH (p)-[next:HAS_MEMBER {wave: r.wave + 1}]->(m)
WITH r, previous, next
SET r.status = CASE WHEN r.wave = $waves[0] THEN 'baseline'
                    WHEN previous IS NULL THEN 'new' ELSE 'retained' END,
    r.nextWaveStatus = CASE WHEN NOT (r.wave + 1) IN $waves THEN null
                            WHEN next IS NULL THEN 'lost' ELSE 'retained' END
"""
