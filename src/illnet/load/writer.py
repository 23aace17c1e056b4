"""Write validated canonical study tables into Neo4j.

Batched `UNWIND $rows ...` statements keyed on the unique constraints of `illnet schema
apply`: CREATE for a study not yet in the database, MERGE for one that is, so a re-run
never duplicates anything. Which column becomes which property is read from
schema/graph.yaml (`from:`); the rows are made batch by batch (illnet.load.rows), and
batches grouped by participant may be sent several at a time (`workers`). Every node and
relationship written carries loadRunId, sourceFile and sourceRow.

A load is recorded as a (:LoadRun). Its runId is a fingerprint of the mapping, the
source files' SHA-256 and the illnet version: loading the same files again finds the
completed run and writes nothing; a run that was interrupted (status 'running') is
resumed under the same runId, and MERGE completes what is missing.
"""

import hashlib
import json
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple
from datetime import datetime, timezone
from pathlib import Path

import neo4j
import pandas as pd
from rich.progress import Progress

from illnet import __version__, model
from illnet.errors import IllnetError
from illnet.load import derived
from illnet.load.rows import END, KEY, LABEL, START, KeyOf, WriteRows
from illnet.load.tables import StudyTables
from illnet.model import structure
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
# The extra label a node gets from a column (graph.yaml): a member carries the label of its
# tie class, so that Neo4j Browser, which styles by label, can colour members by tie class.
EXTRA_LABELS = {"NetworkMember": ("tie_class", TIE_CLASS_LABELS)}
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


# Node labels whose nodes belong to one personal network: relationships between them are
# written by several batches at a time, grouped by participant so that concurrent batches
# lock different nodes. Relationships to shared nodes (the Study, a Condition, a Resource)
# go one batch at a time.
NETWORK_LABELS = ("Participant", "NetworkMember")
# Two write transactions at a time by default: at 20,000 participants on the 2-core reference
# machine, 1.64x one at a time (39.9 s against 65.6 s, bench/bench_load.py --workers 2,1), now
# that making the rows takes little of the loader's time (it was 0.90x when it took most). Batches
# are grouped by participant, so concurrent ones rarely share a node; a deadlock the server
# detects is a transient error, which the driver retries.
DEFAULT_WORKERS = 2
PROVENANCE_COLUMNS = {"sourceFile": "source_file", "sourceRow": "source_row"}


def property_columns(spec: dict, tables: StudyTables, table: str) -> dict[str, str]:
    """Property name -> column of a canonical table: the `from:` columns of a graph.yaml
    node or relationship, the study attributes the table carries (under their own names),
    and the provenance columns."""
    columns = {name: prop["from"] for name, prop in spec["properties"].items() if "from" in prop}
    columns |= {attribute.name: attribute.column for attribute in tables.attributes_of(table)}
    return columns | PROVENANCE_COLUMNS


class Step(NamedTuple):
    """One write of a load: its name (label or type), its MERGE statement (for a study
    already in the database), its rows, for a relationship the labels of its start and end
    nodes (what a bulk import needs too), its CREATE statement (for a study not yet in the
    database: nothing to match, so nothing to merge on), and whether batches may be sent
    at the same time."""

    name: str
    statement: str
    rows: WriteRows
    start: Endpoint | None = None
    end: Endpoint | None = None
    create: str = ""
    parallel: bool = False


STUDY, ATTRIBUTE = Endpoint("Study", ("study_id",)), Endpoint("Attribute", ("study_id", "element", "name"))
DECLARES = RelationshipSpec("DECLARES", "", STUDY, ATTRIBUTE)


def node_step(label: str, rows: WriteRows, parallel: bool = False) -> Step:
    """The write of one node label."""
    extra = tuple(rows.label[1].values()) if rows.label else ()
    return Step(label, node_statement(label, rows.names, extra), rows,
                create=node_statement(label, rows.names, extra, create=True), parallel=parallel)


def within_networks(spec: RelationshipSpec) -> bool:
    """True when a relationship joins two nodes of one personal network."""
    return spec.start.label in NETWORK_LABELS and spec.end.label in NETWORK_LABELS


def relationship_step(spec: RelationshipSpec, rows: WriteRows) -> Step:
    """The write of one relationship spec."""
    return Step(spec.type, relationship_statement(spec, rows.names), rows, spec.start, spec.end,
                relationship_statement(spec, rows.names, create=True), parallel=within_networks(spec))


def key_of(endpoint: Endpoint) -> KeyOf:
    """How the key an endpoint is matched on is made from a row."""
    return KeyOf(endpoint.columns, plain=endpoint.match_on == "code")


def study_step(tables: StudyTables, run_id: str) -> Step:
    """The (:Study) node, from the mapping's study section."""
    frame = pd.DataFrame({"study_id": [tables.study_id], "name": [tables.name], "design": [tables.design],
                          "release_min_count": pd.array([tables.release_min_count], dtype="Int64")})
    return node_step("Study", WriteRows(frame, {KEY: KeyOf(("study_id",))},
                                        {"studyId": "study_id", "name": "name", "design": "design",
                                         "releaseMinCount": "release_min_count"}, {"loadRunId": run_id}))


def attribute_steps(tables: StudyTables, run_id: str) -> list[Step]:
    """The (:Attribute) nodes of a study's declared attributes and their (Study)-[:DECLARES] links."""
    frame = pd.DataFrame({"study_id": tables.study_id,
                          "element": [a.element for a in tables.attributes], "name": [a.name for a in tables.attributes],
                          "type": [a.type for a in tables.attributes],
                          "label": [a.label or None for a in tables.attributes],
                          "source_column": [a.source_column for a in tables.attributes],
                          "codes": [json.dumps(dict(a.codes)) if a.codes else None for a in tables.attributes]},
                         dtype=object)
    nodes = WriteRows(frame, {KEY: KeyOf(ATTRIBUTE.columns)},
                      {"studyId": "study_id", "element": "element", "name": "name", "type": "type", "label": "label",
                       "sourceColumn": "source_column", "codes": "codes"}, {"loadRunId": run_id})
    links = WriteRows(frame, {START: KeyOf(STUDY.columns), END: KeyOf(ATTRIBUTE.columns)})
    return [node_step("Attribute", nodes), relationship_step(DECLARES, links)]


def study_steps(tables: StudyTables, run_id: str, derive: bool = False) -> list[Step]:
    """Every node label and relationship a study's load writes, in dependency order; with
    `derive` (a study new to the database), each tie carries its derived facts (load/derived.py)
    and its member's place in the network's structure (model/structure.py)."""
    steps = [study_step(tables, run_id)]
    for label, table in NODE_TABLES:
        node_spec = GRAPH["nodes"][label]
        steps.append(node_step(label, WriteRows(tables[table], {KEY: KeyOf(tuple(node_spec["key"]))},
                                                property_columns(node_spec, tables, table), {"loadRunId": run_id},
                                                label=EXTRA_LABELS.get(label)),
                               parallel=True))
    for spec in RELATIONSHIPS:
        table, columns = tables[spec.table], property_columns(GRAPH["relationships"][spec.type], tables, spec.table)
        if derive and spec.table == "ties":
            table = pd.concat([table, derived.tie_facts(tables),
                               structure.member_structure(table, tables["member_ties"])], axis=1)
            columns = columns | derived.TIE_COLUMNS | structure.STRUCTURE_COLUMNS
        rows = WriteRows(table, {START: key_of(spec.start), END: key_of(spec.end)}, columns,
                         {"loadRunId": run_id}, unique_on=tuple(_camel(spec.merge_on)),
                         grouped_by="participant_id" if within_networks(spec) else None, where=spec.where)
        steps.append(relationship_step(spec, rows))
    return steps + attribute_steps(tables, run_id)


def row_counts(steps: list[Step]) -> dict[str, int]:
    """Rows written per label and relationship type (a type written by two steps counts both)."""
    counts: dict[str, int] = {}
    for step in steps:
        counts[step.name] = counts.get(step.name, 0) + len(step.rows)
    return counts


class Writer:
    """Writes one LoadPlan through a driver, in batches (several at a time where they touch
    different personal networks), with a progress bar."""

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", batch_size: int = 5000,
                 progress: bool = True, workers: int = DEFAULT_WORKERS):
        self.driver, self.database, self.batch_size, self.show_progress = driver, database, batch_size, progress
        self.workers = workers

    def load(self, plan: LoadPlan, previous: str | None = None, replace: bool = False) -> dict:
        """Write the plan; return {'runId', 'skipped', 'written': {...}}. `previous` is the
        status of the plan's run before this load (run_status), as the caller looked it up.
        A study not yet in the database is written with CREATE (nothing to merge with); one
        that is (a resumed run, a follow-up wave) with MERGE, so nothing is duplicated."""
        run_id = plan.run_id
        study_id = plan.tables.study_id
        if previous == "completed" and not replace:
            return {"runId": run_id, "skipped": True, "written": {}}
        if replace:
            self.delete_study(study_id)
        fresh = previous is None and not self._study_exists(study_id) or replace
        self.start_run(plan)
        try:
            written = self._write_all(self.steps(plan.tables, run_id, derive=fresh), fresh)
        except neo4j.exceptions.ConstraintError as exc:
            if not fresh:
                raise
            raise IllnetError(f"study {study_id} has nodes in the database but no Study node: another load is "
                              "writing it at the same time, or an earlier one stopped before writing its Study "
                              "node; this load stopped", hint="run the same load again (when the other has "
                              "finished): it resumes where this one stopped and completes the study") from exc
        self.complete(plan, written, derived.study_facts(plan.tables) if fresh else None)
        return {"runId": run_id, "skipped": False, "resumed": previous == "running", "written": written}

    def complete(self, plan: LoadPlan, written: dict, facts: derived.StudyFacts | None = None) -> None:
        """After the rows are in (written here, or by a bulk import after start_run): the
        study's derived facts, and the LoadRun marked completed. `facts`: the rows carried
        each tie's facts, and these are the study's (from its tables); None: derive them all
        from the database."""
        self._finish_study(plan.tables.study_id, facts)
        self._complete_run(plan.run_id, plan.counts | {"written": written})

    def steps(self, tables: StudyTables, run_id: str, derive: bool = False) -> list[Step]:
        """Every write of a study's load, in dependency order (also what a bulk import writes);
        `derive`: the ties carry their derived facts, for a study new to the database."""
        return study_steps(tables, run_id, derive)

    def delete_study(self, study_id: str) -> None:
        """Remove every node of a study (participants, members, resources, runs, the study)."""
        for label in ("NetworkMember", "Participant", "Resource", "Attribute", "LoadRun"):
            self._run(f"MATCH (n:{label} {{studyId: $study}}) "
                      "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", study=study_id)
        self._run("MATCH (s:Study {key: $key}) DETACH DELETE s", key=node_key(study_id))

    def _study_exists(self, study_id: str) -> bool:
        return bool(self._run("MATCH (s:Study {key: $key}) RETURN s.key AS key", key=node_key(study_id)))

    def _write_all(self, steps: list[Step], fresh: bool) -> dict:
        with Progress(disable=not self.show_progress, transient=True) as progress:
            task = progress.add_task("loading", total=sum(len(step.rows) for step in steps))
            for step in steps:
                progress.update(task, description=f"loading {step.name}")
                self._send(step.create if fresh else step.statement, step.rows.batches(self.batch_size),
                           self.workers if step.parallel else 1, lambda n: progress.advance(task, n))
        return row_counts(steps)

    def _send(self, statement: str, batches: Iterator[list[dict]], workers: int, done) -> None:
        """Run `statement` once per batch, `workers` transactions at a time, while the next
        batches are made (at most one waiting per worker, so memory stays bounded); the
        first failure stops the step and is raised."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = deque()
            for batch in batches:
                pending.append((pool.submit(self.driver.execute_query, statement, rows=batch,
                                            database_=self.database), len(batch)))
                while len(pending) > workers:
                    future, size = pending.popleft()
                    future.result()
                    done(size)
            for future, size in pending:
                future.result()
                done(size)

    def _finish_study(self, study_id: str, facts: derived.StudyFacts | None) -> None:
        """Derived facts (load/derived.py): the study's countries and waves, and, unless the
        ties carried them (`facts` given), each tie's status, work and structure
        (model/structure.py), from the whole study in the database."""
        if facts is not None:
            countries, waves = facts
        else:
            countries = [r["c"] for r in self._run(
                "MATCH (p:Participant {studyId: $study}) WHERE p.country IS NOT NULL "
                "RETURN DISTINCT p.country AS c ORDER BY c", study=study_id)]
            waves = [r["w"] for r in self._run(
                "MATCH (:Participant {studyId: $study})-[r:HAS_MEMBER]->() RETURN DISTINCT r.wave AS w ORDER BY w",
                study=study_id)]
        self._run("MATCH (s:Study {key: $key}) SET s.countries = $countries, s.waves = $waves",
                  key=node_key(study_id), countries=countries, waves=waves)
        if facts is None:
            derived.derive_tie_status(self.driver, study_id, waves, self.database)
            derived.derive_work(self.driver, study_id, self.database)
            structure.derive(self.driver, study_id, self.database)

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


def set_clause(variable: str, names: list[str], merged: tuple[str, ...] = ()) -> str:
    """`SET v.p = row.p, ...` for the property names of a step's rows, but those the MERGE
    matched on. Naming each property, rather than `SET v += row`, and not setting a
    merged-on one again, keep the planner from adding an Eager operator, which buffers the
    whole batch before writing. Names come from graph.yaml and the mapping's attribute
    names (identifiers, checked)."""
    names = [name for name in names if name not in merged]
    return "SET " + ", ".join(f"{variable}.`{name}` = row.`{name}`" for name in names) if names else ""


def property_map(names: list[str], first: str = "") -> str:
    """`{first, `p`: row.`p`, ...}`: the properties a CREATE gives (a null one is not set)."""
    return "{" + ", ".join(([first] if first else []) + [f"`{name}`: row.`{name}`" for name in names]) + "}"


def node_statement(label: str, names: list[str], extra: tuple[str, ...] = (), create: bool = False) -> str:
    """The batched MERGE (or, for a study not yet in the database, CREATE) of one node
    label. With `extra` labels, each node gets the one its row names (':label', a dynamic
    label; none when null), and a merged node loses the others (its class may have changed)."""
    dynamic = f":$(coalesce(row.`{LABEL}`, []))" if extra else ""
    if create:
        return f"UNWIND $rows AS row CREATE (n:{label}{dynamic} {property_map(names, f'key: row.`{KEY}`')})"
    # Static labels, one FOREACH each: a dynamic one could be any label, the one merged on
    # too, which would make the planner buffer the batch (Eager).
    relabel = (f" REMOVE n:{':'.join(extra)} " + " ".join(
        f"FOREACH (_ IN CASE WHEN row.`{LABEL}` = '{name}' THEN [1] ELSE [] END | SET n:{name})" for name in extra)
        if extra else "")
    return f"UNWIND $rows AS row MERGE (n:{label} {{key: row.`{KEY}`}}) {set_clause('n', names)}{relabel}"


def relationship_statement(spec: RelationshipSpec, names: list[str], create: bool = False) -> str:
    """The batched MERGE (or CREATE) of one relationship spec (labels and types are fixed
    names from the model, never user input; values come in as parameters)."""
    merged = tuple(_camel(spec.merge_on))
    ends = (f"UNWIND $rows AS row "
            f"MATCH (a:{spec.start.label} {{{spec.start.match_on}: row.`{START}`}}) "
            f"MATCH (b:{spec.end.label} {{{spec.end.match_on}: row.`{END}`}}) ")
    if create:
        return ends + f"CREATE (a)-[r:{spec.type} {property_map(names)}]->(b)"
    merge_props = ", ".join(f"`{name}`: row.`{name}`" for name in merged)
    return ends + f"MERGE (a)-[r:{spec.type} {{{merge_props}}}]->(b) {set_clause('r', names, merged)}"


def _camel(columns: tuple[str, ...]) -> list[str]:
    return [c.split("_")[0] + "".join(part.title() for part in c.split("_")[1:]) for c in columns]
