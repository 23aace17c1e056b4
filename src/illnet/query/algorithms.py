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
1. The projection's MATCH is counted (nodes, relationships; an upper bound) and each GDS call's
   `.estimate` procedure is asked, on a graph of that size, how much heap it needs with the
   projection; the largest need is compared with the free heap (`gds.debug.sysInfo`), and a
   QueryError is raised before anything is projected when it would not fit.
2. The graph is projected under a unique name (illnet_<job>_<random>), the calls are streamed
   into DataFrames, combined (merged on their common columns, or by the declared derivation),
   and in write mode written back with batched `UNWIND $rows` statements.
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
from illnet.errors import QueryError, StatementRejected
from illnet.query import measures
from illnet.query.jobs import Job, get
from illnet.query.params import bind
from illnet.query.runner import fetch, first_line
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
    frame = pd.DataFrame()
    frame.attrs["note"] = f"job {job.name}: nothing matches the parameters {params}; the result is empty"
    return frame


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
    """Estimate, project, stream, derive, (write) and always drop; return the result frame."""
    graph_name = f"illnet_{job.name}_{uuid.uuid4().hex[:12]}"
    stages = 3 + len(job.calls) + (mode == "write")
    try:
        with _progress(progress, stages) as advance, driver.session(database=database) as session:
            advance("estimating memory")
            if check_memory(session, job, params)["nodeCount"] == 0:
                return _nothing_to_project(job, params)
            advance("projecting the graph")
            fetch(session, job.projection.project_statement(), {**params, "graphName": graph_name})
            frames = {}
            for call in job.calls:
                advance(f"running {call.procedure}")
                call_params = {**params, "graphName": graph_name, "config": call.bound_config(params),
                               **{f"arg{i}": arg for i, arg in enumerate(call.args)}}
                frames[call.name] = fetch(session, call.statement(), call_params)
            advance("combining results")
            result = combine(job, frames, params)
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
    return run_bound_job(job, bind(job, params), settings, mode, progress=progress, driver=driver)


def run_bound_job(job: Job, params: dict, settings: Settings | None = None, mode: str = "stream", *,
                  progress: bool = False, driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """Run a job with parameters already bound (runner.bind); see run_job."""
    if mode not in MODES:
        raise QueryError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "write" and not job.write:
        raise QueryError(f"job {job.name} has no write mode", hint="run it with --mode stream")
    with driver_for(settings, driver) as (resolved, usable):
        return execute(usable, resolved.database, job, params, mode, progress)
