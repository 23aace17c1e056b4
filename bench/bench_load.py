"""Time `load_study` on a generated study, phase by phase, at several batch sizes and
numbers of concurrent write transactions.

    python -m bench.bench_load [--participants 1000] [--seed 1] [--batch-sizes 5000] [--workers 1,2]

Generates a study (two waves, member-member ties, resources) as source files and
mapping.yaml in a temporary folder (illnet.synth.generate.stream_study). Then, for each
batch size and number of workers, it EMPTIES the database named by
NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD (nodes and relationships; constraints and indexes
stay) and loads the study with `load_study`, timing its phases:

  check     hashing the files and the LoadRun look-up (skips a study already loaded)
  read      read_study: read, map and validate every file (no database)
  schema    illnet schema apply
  write     Writer.load: one line per write step (wall time of its batches), then `finish`
            (derived facts: countries, waves, tie status between waves, each member's work)
            and `other` (the LoadRun start and completion, the study look-up)

and reports rows written per second of the write phase, and the peak resident memory.
The baseline of the same run is the naive loader: the writer's MERGE statements sent one
row per auto-commit transaction, one after the other, on a smaller study of the same
shape (--naive-participants); the ratio of the best write rate to it is printed. Finally
it loads the same files once more and times that second run, which finds the completed
LoadRun and skips. No assertions.
"""

import argparse
import re
import resource
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager

from illnet.load import pipeline as load_module
from illnet.load.read import read_study
from illnet.load.writer import Writer
from illnet.model.apply import apply as schema_apply
from illnet.synth.generate import stream_study

from illnet.db import erase_all, open_driver, resolve

PHASES = ["check", "read", "schema", "write"]
STEP, FINISH = "write step ", "write finish (derived facts)"
_NODE_STEP = re.compile(r"(?:MERGE|CREATE) \(n:(\w+)")
_RELATIONSHIP_STEP = re.compile(r"MATCH \(a:(\w+) .*(?:MERGE|CREATE) \(a\)-\[r:(\w+)")


def step_name(statement: str) -> str | None:
    """'write step <label>' or 'write step (Start)-[TYPE]->' for a writer batch; None otherwise."""
    relationship = _RELATIONSHIP_STEP.search(statement)
    if relationship:
        return f"{STEP}({relationship.group(1)})-[{relationship.group(2)}]->"
    node = _NODE_STEP.search(statement)
    return f"{STEP}{node.group(1)}" if node and statement.startswith("UNWIND $rows") else None


@contextmanager
def timing(timings: dict, owner, attribute: str, label: str):
    """Time every call of owner.attribute under `label` while the block runs."""
    original = getattr(owner, attribute)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[label] += time.perf_counter() - start

    setattr(owner, attribute, timed)
    try:
        yield
    finally:
        setattr(owner, attribute, original)


@contextmanager
def timed_steps(timings: dict):
    """Time each write step of the writer (its batches, sent several at a time, in wall time)."""
    original = Writer._send

    def timed(writer, statement, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(writer, statement, *args, **kwargs)
        finally:
            timings[step_name(statement)] += time.perf_counter() - start

    Writer._send = timed
    try:
        yield
    finally:
        Writer._send = original


def timed_load(driver, mapping_path, database: str, batch_size: int, workers: int) -> tuple[float, dict, object]:
    """load_study once: total seconds, seconds per phase, and its report."""
    timings = defaultdict(float)
    with timing(timings, load_module, "sha256_file", "check"), \
            timing(timings, Writer, "run_status", "check"), \
            timing(timings, load_module, "read_study", "read"), \
            timing(timings, load_module.schema_apply, "apply", "schema"), \
            timing(timings, Writer, "load", "write"), \
            timing(timings, Writer, "_finish_study", FINISH), timed_steps(timings):
        start = time.perf_counter()
        report = load_module.load_study(driver, mapping_path, database=database, batch_size=batch_size,
                                        workers=workers, progress=False)
        total = time.perf_counter() - start
    steps = sum(seconds for name, seconds in timings.items() if name.startswith(STEP))
    timings["write other (LoadRun, study look-up)"] = timings["write"] - steps - timings[FINISH]
    return total, dict(timings), report


def print_load(title: str, total: float, timings: dict, rows: int, baseline_rate: float) -> float:
    """Print one load's phases; return its write rate (rows per second)."""
    rate = rows / timings["write"]
    print(f"\n{title}: total {total:.1f} s, {rows:,} rows written, {rate:,.0f} rows/s in the write phase, "
          f"{rate / baseline_rate:.2f} x the first load's")
    for name in sorted(timings, key=lambda n: (n not in PHASES, PHASES.index(n) if n in PHASES else 0, -timings[n])):
        share = 100 * timings[name] / total
        indent = "    " if name.startswith("write ") else "  "
        print(f"{indent}{name:46s} {timings[name]:7.2f} s  {share:5.1f}%")
    return rate


def naive_write_rate(driver, database: str, args, folder: str) -> float:
    """Rows per second of the naive loader: the writer's MERGE statements, one auto-commit
    transaction per row, one after the other, on a smaller study of the same shape."""
    mapping_path, _ = stream_study(args.naive_participants, args.seed, f"{folder}/naive", **SHAPE)
    tables = read_study(mapping_path).tables
    erase_all(driver, database)
    schema_apply(driver, database)
    rows, start = 0, time.perf_counter()
    with driver.session(database=database) as session:
        for step in Writer(driver, database).steps(tables, "run-naive"):
            for row in step.rows[:]:
                session.run(step.statement, rows=[row]).consume()
                rows += 1
    return rows / (time.perf_counter() - start)


SHAPE = {"waves": 2, "member_ties": True, "resources": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-sizes", default="5000",
                        help="comma-separated rows per write transaction")
    parser.add_argument("--workers", default="1,2", help="comma-separated numbers of concurrent write transactions")
    parser.add_argument("--naive-participants", type=int, default=100,
                        help="size of the study loaded one row per transaction (the naive baseline)")
    args = parser.parse_args()
    settings = resolve()
    driver = open_driver(settings)
    with tempfile.TemporaryDirectory(prefix="illnet-bench-load-") as folder:
        start = time.perf_counter()
        mapping_path, counts = stream_study(args.participants, args.seed, folder, **SHAPE)
        print(f"generated {args.participants:,} participants in {time.perf_counter() - start:.1f} s; rows per table: "
              + ", ".join(f"{name} {count:,}" for name, count in counts.items() if count))
        results = {}
        for batch_size in [int(size) for size in args.batch_sizes.split(",")]:
            for workers in [int(number) for number in args.workers.split(",")]:
                erase_all(driver, settings.database)
                results[batch_size, workers] = timed_load(driver, mapping_path, settings.database, batch_size, workers)
        baseline = next(iter(results.values()))
        baseline_rate = sum(baseline[2].written.values()) / baseline[1]["write"]
        for (batch_size, workers), (total, timings, report) in results.items():
            print_load(f"batch {batch_size:,}, {workers} worker(s)", total, timings, sum(report.written.values()),
                       baseline_rate)
        print(f"\npeak resident memory of this process (the loads; generation streams): {peak_mib():,.0f} MiB")
        naive_rate = naive_write_rate(driver, settings.database, args, folder)
        best = max(sum(report.written.values()) / timings["write"] for _, timings, report in results.values())
        print(f"\nnaive loader (one MERGE per auto-commit transaction, {args.naive_participants} participants): "
              f"{naive_rate:,.0f} rows/s; the best batched write rate is {best / naive_rate:.1f} x that")
        erase_all(driver, settings.database)
        load_module.load_study(driver, mapping_path, database=settings.database, progress=False)
        start = time.perf_counter()
        again = load_module.load_study(driver, mapping_path, database=settings.database, progress=False)
        print(f"\nsecond run of the same files: {time.perf_counter() - start:.2f} s, skipped={again.skipped}")
    driver.close()


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
