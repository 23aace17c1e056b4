"""Time every canned query of the library on the two bundled example studies.

    python -m bench.bench_queries [--repeat 5] [--json FILE]

Uses the database named by NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD. When the examples
(examples/nwe, examples/euwise) are not both loaded, it EMPTIES that database and loads them
with `load_study`. Then every catalogue query runs through `illnet.queries.run` (need checks,
read transaction and DataFrame included) with its default parameters, once with study=null
(all studies) and once per example study: one warm-up, then --repeat timed runs.

Same-run baselines, through the same runner path (`illnet.queries.cypher`): a trivial
`RETURN 1` (round trip and session overhead) and a full label scan
`MATCH (m:NetworkMember) RETURN count(m)`. Each query's median is also shown as a ratio to
the label scan's median. Prints a table; no assertions.
"""

import argparse
import json
import statistics
import time
from functools import partial
from pathlib import Path

from illnet.examples import STUDIES, mapping_path
from illnet.load.pipeline import load_study
from illnet.query import runner
from illnet.query.canned import catalogue

from illnet.db import erase_all, open_driver, resolve

BASELINES = {
    "baseline: RETURN 1": "RETURN 1 AS one",
    "baseline: label scan": "MATCH (m:NetworkMember) RETURN count(m) AS members",
}
SCAN = "baseline: label scan"


def ensure_examples(driver, database: str) -> None:
    """Empty the database and load both example studies, unless exactly they are loaded."""
    found = {record["id"] for record in driver.execute_query(
        "MATCH (r:LoadRun {status: 'completed'}) RETURN DISTINCT r.studyId AS id", database_=database).records}
    if found == set(STUDIES):
        return
    erase_all(driver, database)
    for study in STUDIES:
        start = time.perf_counter()
        load_study(driver, mapping_path(study), database=database, progress=False)
        print(f"loaded {study} in {time.perf_counter() - start:.1f} s")


def timed(call, repeat: int) -> tuple[list[float], int]:
    """Run `call` once to warm up, then `repeat` times; the times in ms and the row count."""
    call()
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(call())
        times.append((time.perf_counter() - start) * 1000)
    return times, rows


def measure(settings, driver, repeat: int) -> list[dict]:
    """One result per baseline and per (query, study): median and min ms, rows."""
    results = []
    for name, statement in BASELINES.items():
        times, rows = timed(partial(runner.cypher, statement, settings=settings, driver=driver), repeat)
        results.append({"query": name, "study": "-", "times_ms": times, "rows": rows})
    for name, query in catalogue().items():
        studies = (None, *STUDIES) if "study" in query.params else (None,)
        for study in studies:
            params = {"study": study} if "study" in query.params else {}
            times, rows = timed(partial(runner.run, name, settings=settings, driver=driver, **params), repeat)
            results.append({"query": name, "study": study or "all", "times_ms": times, "rows": rows})
    scan = statistics.median(next(r for r in results if r["query"] == SCAN)["times_ms"])
    for result in results:
        result["median_ms"] = statistics.median(result["times_ms"])
        result["min_ms"] = min(result["times_ms"])
        result["vs_scan"] = result["median_ms"] / scan
    return results


def print_table(results: list[dict]) -> None:
    width = max(len(r["query"]) for r in results)
    print(f"{'query':{width}s}  {'study':7s} {'median ms':>10s} {'min ms':>9s} {'rows':>6s} {'x scan':>7s}")
    for r in results:
        print(f"{r['query']:{width}s}  {r['study']:7s} {r['median_ms']:10.1f} {r['min_ms']:9.1f} "
              f"{r['rows']:6d} {r['vs_scan']:7.1f}")
    slowest = max((r for r in results if not r["query"].startswith("baseline")), key=lambda r: r["median_ms"])
    print(f"slowest: {slowest['query']} (study {slowest['study']}) {slowest['median_ms']:.1f} ms median")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query, after one warm-up")
    parser.add_argument("--json", type=Path, help="also write the results (every timing) to this file")
    args = parser.parse_args()
    settings = resolve()
    driver = open_driver(settings)
    try:
        ensure_examples(driver, settings.database)
        results = measure(settings, driver, args.repeat)
    finally:
        driver.close()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps({"repeat": args.repeat, "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
