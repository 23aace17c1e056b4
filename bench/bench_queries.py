"""Time every canned query of the library on the bundled examples, or on a generated study.

    python -m bench.bench_queries [--repeat 5] [--json FILE]
    python -m bench.bench_queries --participants 20000 [--seed 1] [--repeat 3] [--json FILE] [--compare FILE]

Uses the database named by NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD. When the examples
(examples/nwe, examples/euwise) are not both loaded, it EMPTIES that database and loads them
with `load_study`. Then every catalogue query runs through `illnet.queries.run` (need checks,
read transaction and DataFrame included) with its default parameters, once with study=null
(all studies) and once per example study: one warm-up, then --repeat timed runs.

Also shown: the server's own time for the statement (`db ms`, one run of it wrapped in
`CALL () { ... } RETURN count(*)`: every row computed, none sent).
Same-run baselines, through the same runner path (`illnet.queries.cypher`): a trivial
`RETURN 1` (round trip and session overhead) and a full label scan
`MATCH (m:NetworkMember) RETURN count(m)`. Each query's median is also shown as a ratio to
the label scan's median. Prints a table; no assertions.

With --participants N it times the queries on a generated study instead (`illnet generate
--participants N --seed S --waves 2 --member-ties --resources`, study id `synthetic`), once
each with study=synthetic and otherwise default parameters. Unless that study is loaded with
N participants already, it WIPES the database (as `illnet server reset`) and loads the study with `load --bulk`
(the managed server only; it is restarted), then runs the algorithm jobs whose results
queries read (bridging_members, network_types, resource_communities; write mode, wave 0).
Parameters without a usable default (the attribute of ego_composition, ...) take the
values of the query's example header; a query whose parameters do not fit the study is
reported as skipped. --compare FILE (the --json of a run at another
size) adds the growth of each query's median and of its `x scan` ratio against that run.
"""

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from illnet.browser import serve
from illnet.examples import STUDIES, mapping_path
from illnet.load import bulk as bulk_module
from illnet.load.pipeline import load_study
from illnet.query import runner
from illnet.query.algorithms import run_job
from illnet.query.canned import catalogue
from illnet.query.params import bind, parse_literal

from illnet.db import erase_all, open_driver, resolve
from illnet.errors import QueryError
from illnet.server import process
from illnet.synth.generate import stream_study

BASELINES = {
    "baseline: RETURN 1": "RETURN 1 AS one",
    "baseline: label scan": "MATCH (m:NetworkMember) RETURN count(m) AS members",
}
SCAN = "baseline: label scan"
_EXAMPLE_PARAM = re.compile(r":param (\w+) => (.+);")
GENERATED = "synthetic"  # the study id `illnet generate` gives by default
JOBS = ("bridging_members", "network_types", "resource_communities")  # whose results queries read


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


def ensure_generated(settings, participants: int, seed: int) -> None:
    """Bulk-load the generated study of `participants` into a wiped database, unless it is loaded."""
    with open_driver(settings) as driver:
        found = driver.execute_query(
            "MATCH (:LoadRun {studyId: $study, status: 'completed'}) "
            "RETURN COUNT { (:Participant {studyId: $study}) } AS n LIMIT 1",
            study=GENERATED, database_=settings.database).records
        if found and found[0]["n"] == participants:
            return
    bulk_module.managed_settings(settings)  # refused unless the managed server is the one benchmarked
    process.reset(configure=serve.configure)  # wiped: erasing a large study through Cypher takes minutes
    folder = Path(tempfile.mkdtemp(prefix=f"illnet-bench-queries-{participants}-"))
    try:
        start = time.perf_counter()
        mapping, _ = stream_study(participants, seed, folder, waves=2, member_ties=True, resources=True)
        print(f"generated {participants:,} participants in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        bulk_module.bulk_load(mapping, settings, configure=serve.configure)
        print(f"bulk-loaded them in {time.perf_counter() - start:.1f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ensure_jobs(settings, driver) -> None:
    """Run the algorithm jobs whose results canned queries read (write mode, wave 0), unless written."""
    with driver.session(database=settings.database) as session:
        missing = [job for job in JOBS if not runner.has(session, f"job:{job}", GENERATED, 0)]
    for job in missing:
        start = time.perf_counter()
        run_job(job, settings, driver=driver, mode="write", study=GENERATED, wave=0)
        print(f"ran the {job} job (write mode) in {time.perf_counter() - start:.1f} s")


def timed(call, repeat: int) -> tuple[list[float], int]:
    """Run `call` once to warm up, then `repeat` times; the times in ms and the row count."""
    call()
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(call())
        times.append((time.perf_counter() - start) * 1000)
    return times, rows


def required(query) -> dict:
    """The values of the example header for the parameters without a usable default (an
    attribute a `known:` check needs), e.g. ego_composition's attribute."""
    given = dict(_EXAMPLE_PARAM.findall(query.example))
    return {name: parse_literal(given[name]) for name, kind in query.known.items()
            if "attribute" in kind and query.params[name].default is None and name in given}


def server_ms(driver, database: str, statement: str, params: dict) -> int:
    """The server's own time for a statement, one run: wrapped as `CALL () { ... } RETURN count(*)`,
    so that every row is computed in the database but only their number is sent."""
    with driver.session(database=database) as session:
        result = session.run(f"CALL () {{\n{statement}\n}} RETURN count(*) AS rows", params)
        result.single()
        summary = result.consume()
    return summary.result_available_after + summary.result_consumed_after


def measure(settings, driver, repeat: int, studies: tuple = (None, *STUDIES)) -> list[dict]:
    """One result per baseline and per (query, study): median and min ms, rows."""
    results = []
    for name, statement in BASELINES.items():
        times, rows = timed(partial(runner.cypher, statement, settings=settings, driver=driver), repeat)
        results.append({"query": name, "study": "-", "times_ms": times, "rows": rows,
                        "db_ms": server_ms(driver, settings.database, statement, {})})
    for name, query in catalogue().items():
        for study in studies if "study" in query.params else (None,):
            params = required(query) | ({"study": study} if "study" in query.params else {})
            try:
                times, rows = timed(partial(runner.run, name, settings=settings, driver=driver, **params), repeat)
            except QueryError as exc:  # e.g. a generated study has no numeric member attribute
                print(f"skipped {name} (study {study}): {exc}")
                continue
            results.append({"query": name, "study": study or "all", "times_ms": times, "rows": rows,
                            "db_ms": server_ms(driver, settings.database, query.body, bind(query, params))})
    scan = statistics.median(next(r for r in results if r["query"] == SCAN)["times_ms"])
    for result in results:
        result["median_ms"] = statistics.median(result["times_ms"])
        result["min_ms"] = min(result["times_ms"])
        result["vs_scan"] = result["median_ms"] / scan
    return results


def growth(results: list[dict], earlier: dict) -> None:
    """Add to each result the ratio of its median, and of its x-scan ratio, to the same
    query's in an earlier run (the --json of another size)."""
    before = {(r["query"], r["study"]): r for r in earlier["results"]}
    for result in results:
        old = before.get((result["query"], result["study"]))
        if old:
            result["growth"] = result["median_ms"] / old["median_ms"]
            result["scan_growth"] = result["vs_scan"] / old["vs_scan"]


def print_table(results: list[dict]) -> None:
    width = max(len(r["query"]) for r in results)
    study_width = max(7, *(len(r["study"]) for r in results))
    grown = any("growth" in r for r in results)
    print(f"{'query':{width}s}  {'study':{study_width}s} {'median ms':>10s} {'min ms':>9s} {'db ms':>7s} "
          f"{'rows':>7s} {'x scan':>7s}" + (f" {'growth':>7s} {'x scan growth':>13s}" if grown else ""))
    for r in results:
        extra = f" {r['growth']:7.2f} {r['scan_growth']:13.2f}" if "growth" in r else ""
        print(f"{r['query']:{width}s}  {r['study']:{study_width}s} {r['median_ms']:10.1f} {r['min_ms']:9.1f} "
              f"{r['db_ms']:7d} {r['rows']:7d} {r['vs_scan']:7.1f}" + extra)
    slowest = max((r for r in results if not r["query"].startswith("baseline")), key=lambda r: r["median_ms"])
    print(f"slowest: {slowest['query']} (study {slowest['study']}) {slowest['median_ms']:.1f} ms median")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query, after one warm-up")
    parser.add_argument("--json", type=Path, help="also write the results (every timing) to this file")
    parser.add_argument("--participants", type=int, help="time on a generated study of this many participants")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated study")
    parser.add_argument("--compare", type=Path, help="--json of a run at another size: print the growth against it")
    args = parser.parse_args()
    settings = resolve()
    if args.participants:
        ensure_generated(settings, args.participants, args.seed)
    driver = open_driver(settings)
    try:
        if args.participants:
            ensure_jobs(settings, driver)
            results = measure(settings, driver, args.repeat, (GENERATED,))
        else:
            ensure_examples(driver, settings.database)
            results = measure(settings, driver, args.repeat)
    finally:
        driver.close()
    if args.compare:
        growth(results, json.loads(args.compare.read_text(encoding="utf-8")))
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps({"repeat": args.repeat, "participants": args.participants,
                                         "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
