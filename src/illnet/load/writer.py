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
from typing import NamedTuple
from datetime import datetime, timezone
from pathlib import Path

import neo4j
from rich.progress import Progress

from illnet import __version__, model
from illnet.load import derived
from illnet.load.tables import ATTRIBUTE_PREFIX, TABLE_NAMES, StudyTables, records
from illnet.model.keys import node_key

GRAPH = model.load("graph")


@dataclass(frozen=True)
class Endpoint:
    """One end of a relationship: its label, the table columns that make its key, and the
    node property they are matched on ('key', or 'code' for vocabulary nodes)."""

    label: str
    columns: tuple[str, ...]
    match_on: str = "key"

    @classmethod
    def from_spec(cls, spec: dict) -> "Endpoint":
        """An endpoint of a graph.yaml `writes:` entry."""
        if "code" in spec:
            return cls(spec["label"], (spec["code"],), "code")
        return cls(spec["label"], tuple(spec.get("columns") or GRAPH["nodes"][spec["label"]]["key"]))


@dataclass(frozen=True)
class RelationshipSpec:
    """How the rows of one canonical table become relationships of one type."""

    type: str
    table: str
    start: Endpoint
    end: Endpoint
    merge_on: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()  # (column, value) filters on the table


def relationship_specs() -> list[RelationshipSpec]:
    """Every relationship write, from the `writes:` entries of schema/graph.yaml, in file order."""
    return [RelationshipSpec(rel_type, spec["table"], Endpoint.from_spec(write["start"]),
                             Endpoint.from_spec(write["end"]), tuple(write.get("merge_on", ())),
                             tuple((write.get("where") or {}).items()))
            for rel_type, spec in GRAPH["relationships"].items() for write in spec.get("writes", ())]


def node_tables() -> list[tuple[str, str]]:
    """(label, table) of every node written from a canonical table, in file order."""
    return [(label, spec["table"]) for label, spec in GRAPH["nodes"].items() if "table" in spec]


TIE_CLASS_LABELS = model.tie_class_labels()
# Re-labels a study's members by their current tieClass (idempotent; a changed class loses
# its old label), so that Neo4j Browser, which styles by label, can colour by tie class.
# Run in an implicit (auto-commit) transaction: it commits every FINISH_BATCH members, so
# that finishing a large study never holds one huge transaction.
LABEL_MEMBERS_BY_TIE_CLASS = (
    "MATCH (m:NetworkMember {studyId: $study}) "
    "CALL (m) { "
    f"REMOVE m:{':'.join(TIE_CLASS_LABELS.values())} "
    "WITH m WHERE m.tieClass IN keys($labels) "
    "SET m:$($labels[m.tieClass]) "
    "} IN TRANSACTIONS OF 10000 ROWS"
)
RELATIONSHIPS = relationship_specs()
NODE_TABLES = node_tables()


@dataclass
class LoadPlan:
    """What a load writes and where it came from; run_id identifies the load (fingerprint)."""

    tables: StudyTables
    sources: list[Path]
    checksums: list[str]
    mapping_text: str
    run_id: str
    counts: dict = field(default_factory=dict)


def fingerprint(mapping_text: str, checksums: list[str], skip_invalid: bool = False,
                pseudonymise: bool = False) -> str:
    """The runId of a load: a digest of the mapping, the source files' SHA-256, the
    options that change what is written, and the illnet version."""
    digest = hashlib.sha256(mapping_text.encode())
    for checksum in checksums:
        digest.update(checksum.encode())
    digest.update(f"skip_invalid={skip_invalid}|{__version__}".encode())
    if pseudonymise:
        digest.update(b"|pseudonymise")
    return "run-" + digest.hexdigest()[:20]


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def key(row: dict, columns: tuple[str, ...]) -> str:
    """The graph key of a row: its id columns, each escaped, joined with '|' (model/keys.py)."""
    return node_key(*(row[column] for column in columns))


def properties(spec: dict, row: dict) -> dict:
    """Graph properties from one canonical row: the `from:` columns of a graph.yaml node or
    relationship, and the study attributes the row carries (under their own names)."""
    props = {name: row.get(prop["from"]) for name, prop in spec["properties"].items() if "from" in prop}
    props |= {column.removeprefix(ATTRIBUTE_PREFIX): value for column, value in row.items()
              if column.startswith(ATTRIBUTE_PREFIX)}
    return props


class Step(NamedTuple):
    """One write of a load: its name (label or type), statement and parameter rows; for a
    relationship, the labels of its start and end nodes (what a bulk import needs too)."""

    name: str
    statement: str
    rows: list[dict]
    start: Endpoint | None = None
    end: Endpoint | None = None


STUDY, ATTRIBUTE = Endpoint("Study", ("study_id",)), Endpoint("Attribute", ("study_id", "element", "name"))
DECLARES = RelationshipSpec("DECLARES", "", STUDY, ATTRIBUTE)


def attribute_steps(tables: StudyTables, run_id: str) -> list[Step]:
    """The (:Attribute) nodes of a study's declared attributes and their (Study)-[:DECLARES] links."""
    nodes, links = [], []
    for a in tables.attributes:
        attribute_key = node_key(tables.study_id, a.element, a.name)
        nodes.append({"key": attribute_key,
                      "props": {"studyId": tables.study_id, "element": a.element, "name": a.name, "type": a.type,
                                "label": a.label or None, "sourceColumn": a.source_column,
                                "codes": json.dumps(dict(a.codes)) if a.codes else None, "loadRunId": run_id}})
        links.append({"start": node_key(tables.study_id), "end": attribute_key, "merge": {}, "props": {}})
    return [Step("Attribute", node_statement("Attribute", nodes), nodes),
            Step("DECLARES", relationship_statement(DECLARES, links), links, STUDY, ATTRIBUTE)]


def provenance(row: dict, run_id: str) -> dict:
    return {"loadRunId": run_id, "sourceFile": row.get("source_file"), "sourceRow": row.get("source_row")}


class Writer:
    """Writes one LoadPlan through a driver, in batches, with a progress bar."""

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", batch_size: int = 5000,
                 progress: bool = True):
        self.driver, self.database, self.batch_size, self.show_progress = driver, database, batch_size, progress

    def load(self, plan: LoadPlan, previous: str | None = None, replace: bool = False) -> dict:
        """Write the plan; return {'runId', 'skipped', 'written': {...}}. `previous` is the
        status of the plan's run before this load (run_status), as the caller looked it up."""
        run_id = plan.run_id
        study_id = plan.tables.study_id
        if previous == "completed" and not replace:
            return {"runId": run_id, "skipped": True, "written": {}}
        if replace:
            self.delete_study(study_id)
        self.start_run(plan)
        written = self._write_all(plan, run_id)
        self.complete(plan, written)
        return {"runId": run_id, "skipped": False, "resumed": previous == "running", "written": written}

    def complete(self, plan: LoadPlan, written: dict) -> None:
        """After the rows are in (written here, or by a bulk import after start_run): the
        study's derived facts, and the LoadRun marked completed."""
        self._finish_study(plan.tables.study_id)
        self._complete_run(plan.run_id, plan.counts | {"written": written})

    def steps(self, tables: StudyTables, run_id: str) -> list[Step]:
        """(name, Cypher, rows) of every write, in dependency order (also what a bulk import writes)."""
        return self._steps(tables, run_id)

    def delete_study(self, study_id: str) -> None:
        """Remove every node of a study (participants, members, resources, runs, the study)."""
        for label in ("NetworkMember", "Participant", "Resource", "Attribute", "LoadRun"):
            self._run(f"MATCH (n:{label} {{studyId: $study}}) "
                      "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", study=study_id)
        self._run("MATCH (s:Study {key: $key}) DETACH DELETE s", key=node_key(study_id))

    def _write_all(self, plan: LoadPlan, run_id: str) -> dict:
        tables = plan.tables
        steps = self._steps(tables, run_id)
        written: dict[str, int] = {}
        with Progress(disable=not self.show_progress, transient=True) as progress:
            task = progress.add_task("loading", total=sum(len(step.rows) for step in steps))
            for name, statement, rows, _, _ in steps:
                progress.update(task, description=f"loading {name}")
                for start in range(0, len(rows), self.batch_size):
                    batch = rows[start:start + self.batch_size]
                    self.driver.execute_query(statement, rows=batch, database_=self.database)
                    progress.advance(task, len(batch))
                written[name] = written.get(name, 0) + len(rows)
        return written

    def _steps(self, tables: StudyTables, run_id: str) -> list[Step]:
        """Every node label and relationship to write, in dependency order."""
        study_row = {"key": node_key(tables.study_id),
                     "props": {"studyId": tables.study_id, "name": tables.name, "design": tables.design,
                               "releaseMinCount": tables.release_min_count, "loadRunId": run_id}}
        steps = [Step("Study", node_statement("Study", [study_row]), [study_row])]
        table_rows = {table: records(table, tables[table], tables.attributes_of(table)) for table in TABLE_NAMES}
        for label, table in NODE_TABLES:
            spec_key = tuple(GRAPH["nodes"][label]["key"])
            node_spec = GRAPH["nodes"][label]
            rows = [{"key": key(row, spec_key), "props": properties(node_spec, row) | provenance(row, run_id)}
                    for row in table_rows[table]]
            steps.append(Step(label, node_statement(label, rows), rows))
        for spec in RELATIONSHIPS:
            rows = relationship_rows(spec, table_rows[spec.table], run_id)
            steps.append(Step(spec.type, relationship_statement(spec, rows), rows, spec.start, spec.end))
        return steps + attribute_steps(tables, run_id)

    def _finish_study(self, study_id: str) -> None:
        """Derived facts: study countries and waves, tie status between waves, tie-class labels."""
        countries = [r["c"] for r in self._run(
            "MATCH (p:Participant {studyId: $study}) WHERE p.country IS NOT NULL "
            "RETURN DISTINCT p.country AS c ORDER BY c", study=study_id)]
        waves = [r["w"] for r in self._run(
            "MATCH (:Participant {studyId: $study})-[r:HAS_MEMBER]->() RETURN DISTINCT r.wave AS w ORDER BY w",
            study=study_id)]
        self._run("MATCH (s:Study {key: $key}) SET s.countries = $countries, s.waves = $waves",
                  key=node_key(study_id), countries=countries, waves=waves)
        self._run(TIE_STATUS, study=study_id, waves=waves)
        self._run(LABEL_MEMBERS_BY_TIE_CLASS, study=study_id, labels=TIE_CLASS_LABELS)
        derived.derive(self.driver, study_id, self.database)

    def run_status(self, run_id: str) -> str | None:
        """Status of a LoadRun ('running' or 'completed'), None when there is none."""
        found = self._run("MATCH (r:LoadRun {runId: $id}) RETURN r.status AS status", id=run_id)
        return found[0]["status"] if found else None

    def start_run(self, plan: LoadPlan) -> None:
        """Record the plan's LoadRun as running (its files, their SHA-256, the mapping, versions)."""
        run_id = plan.run_id
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


def set_clause(variable: str, rows: list[dict], merged: tuple[str, ...] = ()) -> str:
    """`SET v.p = row.props.p, ...` for the property names of the rows (every row of a step
    has the same ones), but those the MERGE matched on. Naming each property, rather than
    `SET v += row.props`, and not setting a merged-on one again, keep the planner from adding
    an Eager operator, which buffers the whole batch before writing. Names come from
    graph.yaml and the mapping's attribute names (identifiers, checked)."""
    names = [name for name in (rows[0]["props"] if rows else []) if name not in merged]
    return "SET " + ", ".join(f"{variable}.`{name}` = row.props.`{name}`" for name in names) if names else ""


def node_statement(label: str, rows: list[dict]) -> str:
    """The batched MERGE statement of one node label."""
    return f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) {set_clause('n', rows)}"


def relationship_statement(spec: RelationshipSpec, rows: list[dict]) -> str:
    """The batched MERGE statement of one relationship spec (labels and types are fixed
    names from the model, never user input; values come in as parameters)."""
    merge_props = ", ".join(f"{name}: row.merge.{name}" for name in _camel(spec.merge_on))
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{spec.start.label} {{{spec.start.match_on}: row.start}}) "
            f"MATCH (b:{spec.end.label} {{{spec.end.match_on}: row.end}}) "
            f"MERGE (a)-[r:{spec.type} {{{merge_props}}}]->(b) {set_clause('r', rows, tuple(_camel(spec.merge_on)))}")


def relationship_rows(spec: RelationshipSpec, table_rows: list[dict], run_id: str) -> list[dict]:
    """Parameter rows of one relationship spec from its table's records."""
    rows = []
    for row in table_rows:
        if any(row.get(column) != value for column, value in spec.where):
            continue
        props = properties(GRAPH["relationships"][spec.type], row) | provenance(row, run_id)
        rows.append({"start": key(row, spec.start.columns), "end": key(row, spec.end.columns),
                     "merge": {name: props[name] for name in _camel(spec.merge_on)}, "props": props})
    return rows


def _camel(columns: tuple[str, ...]) -> list[str]:
    return [c.split("_")[0] + "".join(part.title() for part in c.split("_")[1:]) for c in columns]


# The status of every tie between waves, committed per 1,000 participants (implicit transaction).
TIE_STATUS = """
MATCH (p:Participant {studyId: $study})
CALL (p) {
  MATCH (p)-[r:HAS_MEMBER]->(m)
  OPTIONAL MATCH (p)-[previous:HAS_MEMBER {wave: r.wave - 1}]->(m)
  OPTIONAL MATCH (p)-[next:HAS_MEMBER {wave: r.wave + 1}]->(m)
  WITH r, previous, next
  SET r.status = CASE WHEN r.wave = $waves[0] THEN 'baseline'
                      WHEN previous IS NULL THEN 'new' ELSE 'retained' END,
      r.nextWaveStatus = CASE WHEN NOT (r.wave + 1) IN $waves THEN null
                              WHEN next IS NULL THEN 'lost' ELSE 'retained' END
} IN TRANSACTIONS OF 1000 ROWS
"""
