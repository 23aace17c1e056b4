"""Graph-algorithm jobs (Graph Data Science): the engine that runs the jobs of illnet.query.jobs.

    from illnet.query.algorithms import run_job
    frame = run_job("bridging_members", study="nwe", wave=0)              # stream: a DataFrame
    frame = run_job("network_types", mode="write", study="euwise")        # also writes properties

One YAML file per job in queries/algo/ declares: the parameters (as canned queries do), the
projection (a Cypher aggregation, `gds.graph.project`, over the rows of a MATCH that applies
the filters such as study and wave), the GDS calls with their configuration, an optional
Python derivation (illnet.query.measures) and the write-back statement. Every property
a job writes is documented in schema/algorithms.yaml.

How a job runs
0. When the projection declares `needs:`, each study matched is checked for it (e.g. member-member
   ties at the wave); studies without it are left out ($skippedStudies) and a note says so, so their
   measures are absent (null), never a computed 0. With no study left the result is empty, with the note.
1. The projection's MATCH is counted (nodes, relationships; an upper bound) and each GDS call's
   `.estimate` procedure is asked, on a graph of that size, how much heap it needs with the
   projection; the largest need is compared with the free heap (`gds.debug.sysInfo`), and a
   QueryError is raised before anything is projected when it would not fit.
2. The graph is projected under a unique name (illnet_<job>_<random>), the calls are streamed
   into DataFrames, combined (merged on their common columns, or by the declared derivation),
   and in write mode written back with batched `UNWIND $rows` statements.
   A projection with `partition:` is projected, run, derived and dropped once per partition: its
   `units` statement lists the personal networks (key, nodes) in result order, consecutive ones are
   grouped into partitions of about `nodes` nodes, and the match reads the partition's keys from
   $partition. Questions asked within each personal network so cost linearly in the number of
   networks (GDS betweenness on one pooled graph keeps per-node arrays of the whole graph for every
   source, so its time grew with the square of the study). The memory check uses the largest partition.
3. The projection is dropped in a `finally`, so also after an error or Ctrl-C.

Why plain Cypher through the neo4j driver rather than the graphdatascience client: a job is
data, and its GDS calls are written exactly as in the GDS manual and Neo4j Browser (procedure
name and a camelCase configuration map) so an analyst can paste them; graphdatascience 2.2
exposes typed per-algorithm methods with snake_case keyword arguments, which would need a
translation table per algorithm. The client's Cypher-aggregation projection would still be
Cypher, and the write-back of measures derived in Python (normalised betweenness, constraint)
is Cypher in any case. One driver (illnet.db) keeps one place for auth and errors.
"""

import re
import uuid
from contextlib import contextmanager

import neo4j
import pandas as pd
from neo4j.exceptions import ClientError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from illnet.db import Settings, driver_for
from illnet.errors import QueryError, StatementRejected, first_line
from illnet.query import measures, scope
from illnet.query.jobs import Call, Job, get
from illnet.query.params import bind
from illnet.query.runner import announce, fetch
from illnet.values import records

MODES = ("stream", "write")
WRITE_BATCH = 10_000


def free_heap(session: neo4j.Session) -> int:
    """Bytes of heap the server can still give (gds.debug.sysInfo availableHeapInBytes)."""
    record = session.run("CALL gds.debug.sysInfo() YIELD key, value WHERE key = 'availableHeapInBytes' "
                         "RETURN value").single()
    return int(record["value"])


def required_heap(session: neo4j.Session, job: Job, params: dict, counts: dict) -> int:
    """Largest bytesMax of the job's calls, estimated on a graph of the projection's size."""
    orientation = "UNDIRECTED" if job.projection.orientation == "undirected" else "NATURAL"
    graph = {"nodeCount": counts["nodeCount"], "relationshipCount": counts["relationshipCount"],
             "nodeProjection": "*", "relationshipProjection": {"R": {"type": "*", "orientation": orientation}}}
    needs = [0]
    for call in (c for c in job.calls if c.estimate):
        record = session.run(f"CALL {call.procedure}.estimate($graph, $config) YIELD bytesMax RETURN bytesMax",
                             graph=graph, config=call.bound_config(params)).single()
        needs.append(record["bytesMax"])
    return max(needs)


def check_memory(session: neo4j.Session, job: Job, params: dict) -> dict:
    """Count the projection and raise QueryError if projection and algorithm would not fit the free heap."""
    counts = fetch(session, job.projection.count_statement(), params).iloc[0].to_dict()
    needed, free = required_heap(session, job, params, counts), free_heap(session)
    if needed > free:
        raise QueryError(
            f"job {job.name} needs about {needed / 2**20:.0f} MiB of heap for {counts['nodeCount']} nodes and "
            f"{counts['relationshipCount']} relationships, but Neo4j has {free / 2**20:.0f} MiB free",
            hint="restrict the job (e.g. -p study=ID), or raise server.memory.heap.max_size in neo4j.conf")
    return counts


def drop_graph(driver: neo4j.Driver, database: str, graph_name: str) -> None:
    """Drop a projection if it exists (never raises for a missing graph)."""
    with driver.session(database=database) as session:
        session.run("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", name=graph_name).consume()


def write_back(session: neo4j.Session, job: Job, frame: pd.DataFrame, params: dict) -> int:
    """Run the job's write statement over the rows in batches; return the number of rows written.

    Only the columns the statement reads (row.<column>) are sent."""
    used = [column for column in frame.columns if re.search(rf"\brow\.{re.escape(column)}\b", job.write)]
    rows = records(frame[used])
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start:start + WRITE_BATCH]
        session.execute_write(lambda tx, b=batch: tx.run(job.write, {**params, "rows": b}).consume())
    return len(rows)


def combine(job: Job, frames: dict[str, pd.DataFrame], params: dict) -> pd.DataFrame:
    """The job's result: the declared derivation, or the first call's rows joined (left) with the others'
    on their common columns."""
    if job.derive:
        options = {key: value for key, value in job.derive.items() if key != "function"}
        return measures.DERIVATIONS[job.derive["function"]](frames, params, **options)
    result = None
    for frame in frames.values():
        result = frame if result is None else result.merge(frame, how="left")
    return result


def _nothing_to_project(job: Job, params: dict) -> pd.DataFrame:
    """An empty result with a note, when the filters match nothing."""
    shown = {key: value for key, value in params.items() if key in job.params}
    return _empty(f"job {job.name}: nothing matches the parameters {shown}; the result is empty")


def _empty(note: str) -> pd.DataFrame:
    frame = pd.DataFrame()
    frame.attrs["note"] = note
    return frame


def check_needs(session: neo4j.Session, job: Job, params: dict) -> tuple[list[str], list[str]]:
    """(studies that record what the projection needs, studies that do not), among those the filters match."""
    needs = job.projection.needs
    if needs is None:
        return [], []
    found = fetch(session, needs.check, params)
    if found.empty:
        return [], []
    recorded = found["recorded"].astype(bool)
    return sorted(found.loc[recorded, "studyId"]), sorted(found.loc[~recorded, "studyId"])


def _skipped_note(job: Job, skipped: list[str], params: dict) -> str:
    studies = ", ".join(skipped)
    wave = f" at wave {params['wave']}" if "wave" in params else ""
    one = len(skipped) == 1
    return (f"job {job.name} needs {job.projection.needs.what}; {'study' if one else 'studies'} {studies} "
            f"{'records' if one else 'record'} none{wave}, so {'it is' if one else 'they are'} left out: "
            "nothing measured there, so no values (never 0)")


def plan_partitions(session: neo4j.Session, job: Job, params: dict) -> list:
    """The partitions of a partitioned projection: lists of unit keys (whole personal networks, in the
    units' order) of about `nodes` nodes each; [None] for a projection that is not partitioned."""
    partition = job.projection.partition
    if partition is None:
        return [None]
    units = pd.DataFrame(session.run(partition.units, params).single()["rows"], columns=["key", "nodes"])
    units = units[units["nodes"] > 0]
    start = units["nodes"].cumsum() - units["nodes"]  # nodes before each unit
    return [list(group) for _, group in units.groupby(start.to_numpy() // partition.nodes, sort=True)["key"]]


def _call_params(call: Call, params: dict, graph_name: str) -> dict:
    return {**params, "graphName": graph_name, "config": call.bound_config(params),
            **{f"arg{i}": arg for i, arg in enumerate(call.args)}}


def run_call(session: neo4j.Session, call: Call, params: dict, graph_name: str) -> pd.DataFrame:
    """Stream one call into a DataFrame (a call with `columns` sends its rows as one list of lists)."""
    call_params = _call_params(call, params, graph_name)
    if not call.columns:
        return fetch(session, call.statement(), call_params)
    rows = session.run(call.statement(), call_params).single()["rows"]
    return pd.DataFrame(rows, columns=list(call.columns))


def run_graph(session: neo4j.Session, job: Job, params: dict, graph_name: str) -> pd.DataFrame:
    """Project one graph (the whole projection, or one partition), stream the calls and combine them.

    A call marked needs_relationships is not run on a graph without relationships (GDS 2.13 fails on
    those with an ArrayIndexOutOfBoundsException); it yields no rows, as there are no cut points or
    bridges without ties."""
    counts = fetch(session, job.projection.project_statement(), {**params, "graphName": graph_name}).iloc[0]
    frames = {}
    for call in job.calls:
        if call.needs_relationships and counts["relationshipCount"] == 0:
            frames[call.name] = pd.DataFrame(columns=list(call.columns) or None)
        else:
            frames[call.name] = run_call(session, call, params, graph_name)
    return combine(job, frames, params)


@contextmanager
def _progress(enabled: bool, total: int):
    """A rich progress bar on stderr (or a no-op) with an `advance(description)` callable."""
    if not enabled:
        yield lambda description: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("starting", total=total)

        def advance(description: str):
            progress.update(task, advance=1, description=description)

        yield advance


def execute(driver: neo4j.Driver, database: str, job: Job, params: dict, mode: str,
            progress: bool = False) -> pd.DataFrame:
    """Check needs, plan partitions, estimate, then per partition project, stream, derive and drop;
    (write); return the result frame. No projection outlives the call, also after an error or Ctrl-C."""
    graph_name = f"illnet_{job.name}_{uuid.uuid4().hex[:12]}"
    try:
        with driver.session(database=database) as session:
            recorded, skipped = check_needs(session, job, params)
            note = _skipped_note(job, skipped, params) if skipped else None
            if skipped and not recorded:
                return _empty(note + "; the result is empty")
            params = {**params, "skippedStudies": skipped}
            partitions = plan_partitions(session, job, params)
            if not partitions:
                return _nothing_to_project(job, params)
            largest = max(partitions, key=lambda keys: len(keys or ()))
            if check_memory(session, job, {**params, "partition": largest})["nodeCount"] == 0:
                return _nothing_to_project(job, params)
            results = []
            with _progress(progress, len(partitions) + 1 + (mode == "write")) as advance:
                for number, keys in enumerate(partitions, start=1):
                    advance(f"projecting and running {', '.join(c.procedure for c in job.calls)}"
                            + (f" (partition {number} of {len(partitions)})" if len(partitions) > 1 else ""))
                    try:
                        results.append(run_graph(session, job, {**params, "partition": keys}, graph_name))
                    finally:
                        drop_graph(driver, database, graph_name)
                advance("combining results")
                result = pd.concat(results, ignore_index=True) if len(results) > 1 else results[0]
                if note:
                    result.attrs["note"] = note
                if mode == "write":
                    advance("writing properties")
                    result.attrs["written"] = write_back(session, job, result, params)
    except ClientError as exc:
        raise StatementRejected(f"job {job.name}: Neo4j rejected a step: {first_line(exc)}",
                         hint=f"check the parameters; `illnet algo show {job.name}` shows the job") from None
    finally:
        drop_graph(driver, database, graph_name)
    return result


def run_job(name: str, settings: Settings | None = None, mode: str = "stream", *, progress: bool = False,
            driver: neo4j.Driver | None = None, **params) -> pd.DataFrame:
    """Run the job `name` with keyword parameters; mode 'write' also writes its properties.

    In write mode the frame's attrs['written'] holds the number of rows written back.
    """
    job = get(name)
    frame = run_bound_job(job, bind(job, params), settings, mode, progress=progress, driver=driver)
    return announce(frame, stacklevel=2)  # its note, as for canned queries, is a NoteWarning too


def run_bound_job(job: Job, params: dict, settings: Settings | None = None, mode: str = "stream", *,
                  progress: bool = False, driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """Run a job with parameters already bound (runner.bind); see run_job."""
    if mode not in MODES:
        raise QueryError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "write" and not job.write:
        raise QueryError(f"job {job.name} has no write mode", hint="run it with --mode stream")
    with driver_for(settings, driver) as (resolved, usable):
        with usable.session(database=resolved.database) as session:
            scope.check(session, params)  # an unknown study or wave is an error, never an empty table
        return execute(usable, resolved.database, job, params, mode, progress)
