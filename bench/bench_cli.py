"""Time the command line's start-up and pre-flight against the query it runs.

    python -m bench.bench_cli [--repeat 11] [--study nwe] [--queries a,b] [--importtime]

Runs every command below in a fresh process (`python -m illnet ...`, so the illnet on
PYTHONPATH), --repeat rounds, one process per command per round, interleaved so that a busy
spell of the machine hits every command alike; then runs each query through the driver in this
already-warm process (one session, a read transaction, the records consumed: what the server
and the wire cost). Prints per command the median and fastest wall time, and for each
`query run` the overhead (median wall minus the warm query's median) and its ratio to the
0.5 s target. Same-run baselines: `python -c pass` (the interpreter) and
`python -c "import neo4j"` (the driver, which imports numpy, pandas and pyarrow when they are
installed). --importtime also prints, for the first query, the slowest imports
(`python -X importtime`, cumulative). Uses the database named by NEO4J_URI/NEO4J_USERNAME/
NEO4J_PASSWORD; it must hold the study (e.g. `illnet demo`); it writes nothing to it.
No assertions.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from illnet.db import open_driver, resolve
from illnet.query import canned
from illnet.query.params import bind

TARGET = 0.5  # seconds of CLI overhead allowed per `illnet query run` (issue 15)
QUERIES = ("composition_by_tie_class", "network_size", "tie_durability", "work_share_by_tie_class")
ILLNET = [sys.executable, "-m", "illnet"]


def commands(study: str, queries: list[str], csv: Path) -> dict[str, tuple[list[str], str | None]]:
    """label -> (argv, the query it runs or None)."""
    table = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "python -c 'import neo4j'": ([sys.executable, "-c", "import neo4j"], None),
        "illnet --help": ([*ILLNET, "--help"], None),
        "illnet query list": ([*ILLNET, "query", "list"], None),
    }
    for name in queries:
        table[f"query run {name}"] = ([*ILLNET, "query", "run", name, "-p", f"study={study}"], name)
    first = queries[0]
    table[f"query run {first} --out x.csv"] = (
        [*ILLNET, "query", "run", first, "-p", f"study={study}", "--out", str(csv)], first)
    return table


def wall(argv: list[str]) -> float:
    """Seconds one fresh process takes; a failing command stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=os.environ)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"{' '.join(argv)} failed:\n{done.stderr}")
    return elapsed


def warm_times(queries: list[str], study: str, repeat: int) -> dict[str, list[float]]:
    """Each query's bound body through one open driver and session, after a warm-up: seconds."""
    settings = resolve()
    times = {}
    with open_driver(settings) as driver, driver.session(database=settings.database) as session:
        for name in queries:
            query = canned.get(name)
            params = bind(query, {"study": study} if "study" in query.params else {})

            def once():
                return session.execute_read(lambda tx: list(tx.run(query.body, params)))

            once()
            times[name] = []
            for _ in range(repeat):
                start = time.perf_counter()
                once()
                times[name].append(time.perf_counter() - start)
    return times


def slowest_imports(argv: list[str], shown: int = 15) -> list[tuple[float, str]]:
    """(cumulative seconds, module) of the slowest imports of one run, top-level packages first."""
    done = subprocess.run([sys.executable, "-X", "importtime", *argv[1:]], capture_output=True, text=True)
    found = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if match and len(match.group(2)) <= 2:  # top-level imports and their direct children
            found.append((int(match.group(1)) / 1e6, match.group(2) + match.group(3)))
    return sorted(found, reverse=True)[:shown]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="fresh processes per command (median)")
    parser.add_argument("--study", default="nwe", help="the loaded study the queries run on")
    parser.add_argument("--queries", default=",".join(QUERIES), help="canned queries to run, comma-separated")
    parser.add_argument("--importtime", action="store_true", help="also list the slowest imports of one run")
    args = parser.parse_args()
    queries = [name.strip() for name in args.queries.split(",") if name.strip()]
    with tempfile.TemporaryDirectory() as folder:
        table = commands(args.study, queries, Path(folder) / "x.csv")
        times = {label: [] for label in table}
        for _ in range(args.repeat):
            for label, (argv, _) in table.items():
                times[label].append(wall(argv))
        warm = warm_times(queries, args.study, args.repeat)
        if args.importtime:
            imports = slowest_imports(table[f"query run {queries[0]}"][0])
    width = max(map(len, table))
    print(f"median of {args.repeat} fresh processes ({sys.executable}); overhead = wall - warm query")
    print(f"{'command':{width}s} {'median s':>9s} {'min s':>7s} {'warm s':>7s} {'overhead':>9s} {'x target':>9s}")
    for label, (argv, query) in table.items():
        median, fastest = statistics.median(times[label]), min(times[label])
        line = f"{label:{width}s} {median:9.3f} {fastest:7.3f}"
        if query:
            server = statistics.median(warm[query])
            line += f" {server:7.3f} {median - server:9.3f} {(median - server) / TARGET:9.2f}"
        print(line)
    if args.importtime:
        print(f"\nslowest imports of `illnet query run {queries[0]}` (cumulative s, -X importtime):")
        for seconds, module in imports:
            print(f"  {seconds:6.3f}  {module}")


if __name__ == "__main__":
    main()
