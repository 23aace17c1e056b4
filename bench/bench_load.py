"""Time `load_study` on a generated study at several writer batch sizes, phase by phase.

    python -m bench.bench_load [--participants 1000] [--seed 1] [--batch-sizes 1000,5000,20000]

Generates a study (two waves, member-member ties, resources) and writes it as source files
and mapping.yaml into a temporary folder (loaders.generate + write_study). Then, for each batch
size, it EMPTIES the database named by NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD (nodes and
relationships; constraints and indexes stay) and loads the study with `load_study`, timing its phases:

  check     hashing the files and the LoadRun look-up (skips a study already loaded)
  read      read_study: read, map and validate every file (pure Python, no database)
  schema    illnet schema apply
  write     Writer.load: one line per batched MERGE step, then `finish` (derived facts:
            countries, waves, tie status between waves, tie-class labels) and `other` (the
            rows built in Python from the tables, the LoadRun start and completion)

and reports rows written per second of the write phase, as a ratio to the 5,000-row batch
(the default of `illnet load`). The baseline of the same run is the naive loader: the same
statements sent one row per auto-commit transaction (batch size 1), on a smaller study
of the same shape (--naive-participants), and the ratio of the batched write rate to it
is printed. Finally it loads the same files once more and times that second run, which
finds the completed LoadRun and skips. No assertions.
"""

import argparse
import re
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager

from illnet.load import pipeline as load_module
from illnet.synth.generate import generate
from illnet.synth.files import write_study
from illnet.load.writer import Writer

from illnet.db import erase_all, open_driver, resolve

BASELINE_BATCH = 5000
PHASES = ["check", "read", "schema", "write"]
STEP, FINISH = "write step ", "write finish (derived facts)"
_NODE_STEP = re.compile(r"MERGE \(n:(\w+)")
_RELATIONSHIP_STEP = re.compile(r"MATCH \(a:(\w+) .*MERGE \(a\)-\[r:(\w+)")


def step_name(statement: str) -> str | None:
    """'write step <label>' or 'write step (Start)-[TYPE]->' for a writer batch; None otherwise."""
    relationship = _RELATIONSHIP_STEP.search(statement)
    if relationship:
        return f"{STEP}({relationship.group(1)})-[{relationship.group(2)}]->"
    node = _NODE_STEP.search(statement)
    return f"{STEP}{node.group(1)}" if node and statement.startswith("UNWIND $rows") else None


class TimedDriver:
    """A driver whose writer batches (`execute_query` of UNWIND $rows) are timed per step."""

    def __init__(self, driver, timings: dict):
        self._driver, self._timings = driver, timings

    def execute_query(self, statement, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._driver.execute_query(statement, *args, **kwargs)
        finally:
            name = step_name(statement)
            if name:
                self._timings[name] += time.perf_counter() - start

    def __getattr__(self, name):
        return getattr(self._driver, name)


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


def timed_load(driver, mapping_path, database: str, batch_size: int) -> tuple[float, dict, object]:
    """load_study once: total seconds, seconds per phase, and its report."""
    timings = defaultdict(float)
    with timing(timings, load_module, "sha256_file", "check"), \
            timing(timings, Writer, "run_status", "check"), \
            timing(timings, load_module, "read_study", "read"), \
            timing(timings, load_module.schema_apply, "apply", "schema"), \
            timing(timings, Writer, "load", "write"), \
            timing(timings, Writer, "_finish_study", FINISH):
        start = time.perf_counter()
        report = load_module.load_study(TimedDriver(driver, timings), mapping_path, database=database,
                                        batch_size=batch_size, progress=False)
        total = time.perf_counter() - start
    steps = sum(seconds for name, seconds in timings.items() if name.startswith(STEP))
    timings["write other (rows built in Python, LoadRun)"] = timings["write"] - steps - timings[FINISH]
    return total, dict(timings), report


def print_load(batch_size: int, total: float, timings: dict, rows: int, baseline_rate: float | None) -> float:
    """Print one load's phases; return its write rate (rows per second)."""
    rate = rows / timings["write"]
    ratio = f", {rate / baseline_rate:.2f} x the {BASELINE_BATCH:,} batch" if baseline_rate else ""
    print(f"\nbatch {batch_size:,}: total {total:.1f} s, {rows:,} rows written, {rate:,.0f} rows/s in the write phase"
          f"{ratio}")
    for name in sorted(timings, key=lambda n: (n not in PHASES, PHASES.index(n) if n in PHASES else 0, -timings[n])):
        share = 100 * timings[name] / total
        indent = "    " if name.startswith("write ") else "  "
        print(f"{indent}{name:46s} {timings[name]:7.2f} s  {share:5.1f}%")
    return rate


def naive_write_rate(driver, database: str, args, folder: str) -> float:
    """Rows per second of the write phase when every row is its own auto-commit transaction."""
    tables = generate(args.naive_participants, args.seed, waves=2, member_ties=True, resources=True,
                      study_id="naive", name="bench_load naive study")
    mapping_path = write_study(tables, f"{folder}/naive")
    erase_all(driver, database)
    _, timings, report = timed_load(driver, mapping_path, database, batch_size=1)
    return sum(report.written.values()) / timings["write"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-sizes", default="1000,5000,20000",
                        help=f"comma-separated; rates are compared with {BASELINE_BATCH}")
    parser.add_argument("--naive-participants", type=int, default=100,
                        help="size of the study loaded one row per transaction (the naive baseline)")
    args = parser.parse_args()
    batch_sizes = [int(size) for size in args.batch_sizes.split(",")]
    settings = resolve()
    driver = open_driver(settings)
    with tempfile.TemporaryDirectory(prefix="illnet-bench-load-") as folder:
        start = time.perf_counter()
        tables = generate(args.participants, args.seed, waves=2, member_ties=True, resources=True,
                          study_id="bench", name="bench_load study")
        generated = time.perf_counter() - start
        mapping_path = write_study(tables, folder)
        print(f"generated {args.participants:,} participants in {generated:.1f} s, wrote the files in "
              f"{time.perf_counter() - start - generated:.1f} s; rows per table: "
              + ", ".join(f"{name} {count:,}" for name, count in tables.counts().items() if count))
        results = {}
        for batch_size in batch_sizes:
            erase_all(driver, settings.database)
            results[batch_size] = timed_load(driver, mapping_path, settings.database, batch_size)
        baseline = results.get(BASELINE_BATCH)
        baseline_rate = sum(baseline[2].written.values()) / baseline[1]["write"] if baseline else None
        for batch_size, (total, timings, report) in results.items():
            print_load(batch_size, total, timings, sum(report.written.values()), baseline_rate)
        naive_rate = naive_write_rate(driver, settings.database, args, folder)
        best = max(sum(report.written.values()) / timings["write"] for _, timings, report in results.values())
        print(f"\nnaive loader (one row per auto-commit transaction, {args.naive_participants} participants): "
              f"{naive_rate:,.0f} rows/s; the best batched rate is {best / naive_rate:.1f} x that")
        erase_all(driver, settings.database)
        load_module.load_study(driver, mapping_path, database=settings.database, progress=False)
        start = time.perf_counter()
        again = load_module.load_study(driver, mapping_path, database=settings.database, progress=False)
        print(f"\nsecond run of the same files: {time.perf_counter() - start:.2f} s, skipped={again.skipped}")
    driver.close()


if __name__ == "__main__":
    main()
