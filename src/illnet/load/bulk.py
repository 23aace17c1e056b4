"""`illnet load --bulk`: a fresh database filled by `neo4j-admin database import full`.

The study is read and validated exactly as for the online load (illnet.load.pipeline),
and the writer's own steps (illnet.load.writer: every node and relationship with its key
and properties, as graph.yaml says, and the facts derived from the tables: each tie's status,
each member's work and its place in its network, the members' tie-class labels) are written
as the importer's CSV files, one per label and relationship type, two at a time, while the
managed server stops. The import replaces its `neo4j` database, the server starts again, and
the online path then adds what an import cannot: the schema (constraints, indexes, vocabulary
nodes), the LoadRun, the study's countries and waves, and the empty task lists an import
cannot write. The graph is the same, property for property, as the online loader's (a test
compares them). The server stops once the study is valid; if making the files fails after
that, it is started again, and the database is as it was.

Only for the managed server, and only on a database without study data: an import
replaces the whole database, so `--bulk` refuses a database that holds any study (load
further studies online, or `illnet server reset --yes` first). The import files live in
a private folder (0700) of the illnet home and are deleted afterwards.
"""

import csv
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from illnet import managed, model
from illnet.db import Settings, open_driver
from illnet.errors import InputError
from illnet.load import derived
from illnet.load.pipeline import DEFAULT_MAX_SKIP, LoadReport, identity, open_mapping, read_plan, report_of
from illnet.load.rows import END, KEY, LABEL, START, KeyOf, WriteRows
from illnet.load.tables import StudyTables
from illnet.load.writer import Step, Writer, row_counts, study_steps
from illnet.model import apply as schema_apply
from illnet.server import process

STUDY_LABELS = ("Study", "Participant", "NetworkMember", "Resource", "LoadRun", "Attribute")
HAS_STUDY_DATA = "MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels) RETURN count(n) > 0 AS any"


def bulk_load(mapping_path: str | Path, settings: Settings | None = None, *, skip_invalid: bool = False,
              rejects: str | Path | None = None, strict: bool = False, allow_outside: bool = False,
              max_skip: float = DEFAULT_MAX_SKIP, pseudonymise: bool = False,
              configure: Callable[[int], list[str]] | None = None) -> LoadReport:
    """Validate a study, then import it into the empty database of the managed server
    (stopped and started again, with `configure` as for illnet.server.process.start)."""
    settings = managed_settings(settings)
    mapping = open_mapping(mapping_path, allow_outside, pseudonymise)
    run_id, sources, checksums = identity(mapping, skip_invalid)
    plan, result, rejects_file = read_plan(mapping, run_id, sources, checksums, skip_invalid=skip_invalid,
                                           strict=strict, rejects=rejects, max_skip=max_skip)
    with open_driver(settings) as driver:
        if driver.execute_query(HAS_STUDY_DATA, labels=list(STUDY_LABELS), database_=settings.database).records[0]["any"]:
            raise InputError("--bulk needs a database without study data: an import replaces the whole database",
                             hint="load this study without --bulk, or wipe the database with "
                                  "`illnet server reset --yes` first")
    # The study is valid and the server is not needed again until after the import: it stops
    # now, so that its heap and page cache are free while the derived facts, the network
    # structure and the import files are made (the loader's peak: 13.6 GB at 1,000,000
    # participants). Should making them fail, the server is started again (finally).
    stopping = ThreadPoolExecutor(max_workers=1)
    folder = None
    try:
        stopped = stopping.submit(process.stop)
        steps = study_steps(plan.tables, run_id, derive=True)
        written = row_counts(steps)
        report = report_of(plan, result, {"runId": run_id, "skipped": False, "written": written}, rejects_file)
        facts = derived.study_facts(plan.tables)
        folder = Path(tempfile.mkdtemp(prefix="bulk-", dir=managed.home()))  # mkdtemp makes it 0700
        nodes, relationships = write_import_files(steps, folder)
        # The study is in the import files: its tables go before neo4j-admin needs the memory.
        del steps
        plan.tables = result.tables = StudyTables(plan.tables.study_id)
        stopped.result()
        process.import_full(nodes, relationships)
    finally:
        stopping.shutdown()  # waits for the stop, also when making the files failed
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        process.start(configure=configure)  # also after a failed import: the server runs again
    with open_driver(settings) as driver:
        schema_apply.apply(driver, settings.database, data_current=True)  # all imported just now
        writer = Writer(driver, settings.database, progress=False)
        writer.start_run(plan)
        derived.fill_no_work(driver, plan.tables.study_id, settings.database)
        writer.complete(plan, written, facts)
    return report


def managed_settings(settings: Settings | None) -> Settings:
    """The resolved settings, which must point at the managed server."""
    resolved = (settings or Settings()).resolved()
    if resolved.uri != managed.bolt_uri():
        raise InputError(f"--bulk imports into the managed server's files; {resolved.uri} is another server",
                         hint="load online (without --bulk): it works with any server, clusters and Aura included")
    if resolved.database != "neo4j":
        raise InputError(f"--bulk replaces the managed server's one database, neo4j, not {resolved.database!r}",
                         hint="leave --database out (Community edition holds one database)")
    return resolved


def write_import_files(steps: list[Step], folder: Path) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """One CSV per node label and relationship step (neo4j-admin's header format), plus the
    Condition vocabulary nodes the HAS_CONDITION relationships end at."""
    conditions = WriteRows(pd.DataFrame([{"code": code} | dict(values)
                                         for code, values in model.vocabulary("condition").items()], dtype=object),
                           {KEY: KeyOf(("code",), plain=True)}, {"label": "label"})
    nodes = [("Condition", folder / "Condition.csv")]
    relationships = []
    files = [(folder / "Condition.csv", conditions, {KEY: "code:ID(Condition)"})]
    for number, step in enumerate(steps):
        if not len(step.rows):
            continue
        path = folder / f"{number:02d}-{step.name}.csv"
        if step.start is None:
            nodes.append((step.name, path))
            ids = {KEY: f"key:ID({step.name})"} | ({LABEL: ":LABEL"} if step.rows.label else {})
            files.append((path, step.rows, ids))
        else:
            relationships.append((step.name, path))
            ids = {START: f":START_ID({step.start.label})", END: f":END_ID({step.end.label})"}
            files.append((path, step.rows, ids))
    # WRITERS files at a time: pyarrow converts and writes without holding the GIL, so a second
    # thread keeps the second core busy.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(lambda file: _write(*file), files))
    return nodes, relationships


BULK_CHUNK = 100_000  # rows per chunk written to an import file
WRITERS = 2  # import files written at a time
# neo4j-admin's default; task codes are identifiers from a vocabulary, so never hold one.
ARRAY_DELIMITER = ";"


def _write(path: Path, rows: WriteRows, ids: dict[str, str]) -> None:
    """The rows of one step as an import CSV, chunk by chunk: the id column(s), then each
    property that has a value in some row, headed with its importer type. pyarrow's CSV
    writer writes the cells (quoted strings, true/false, ISO 8601 dates, missing as an
    empty cell): six times pandas' to_csv at 20,000 participants (bench/README.md)."""
    names = [name for name in rows.names if rows.column(name).notna().any()]
    types = {name: _type(rows.column(name)) for name in names}
    header = list(ids.values()) + [f"{name}:{kind}" for name, kind in types.items()]
    lists = [name for name, kind in types.items() if kind == "string[]"]
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow(header)
    with path.open("ab") as handle:
        for chunk in rows.chunks(BULK_CHUNK):
            pacsv.write_csv(pa.Table.from_pandas(_cells(chunk[list(ids) + names], lists), preserve_index=False), handle,
                            options)


def _cells(chunk: pd.DataFrame, lists: list[str]) -> pd.DataFrame:
    """A chunk with its `lists` columns (tuples of strings) joined by the importer's array
    delimiter; an empty list becomes an empty cell, which the importer cannot tell from a
    missing one (derived.fill_no_work gives those back)."""
    return chunk.assign(**{name: chunk[name].map(ARRAY_DELIMITER.join).astype(object) for name in lists})


def _type(values: pd.Series) -> str:
    """neo4j-admin's type of a column."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(values.dtype):
        return "long"
    if pd.api.types.is_float_dtype(values.dtype):
        return "double"
    if _is_list(values):
        return "string[]"
    first = values.dropna().iloc[0]
    return "date" if isinstance(first, date) else "string"


def _is_list(values: pd.Series) -> bool:
    """True for a column of tuples (the derived task lists, categorical)."""
    kinds = values.cat.categories if isinstance(values.dtype, pd.CategoricalDtype) else values.dropna()
    return len(kinds) > 0 and isinstance(kinds[:1].tolist()[0], tuple)
