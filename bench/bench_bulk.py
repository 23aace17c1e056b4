"""Time `illnet load --bulk` end to end against raw neo4j-admin import of the same files,
and against the online loader, on one generated study, in one run.

    python -m bench.bench_bulk [--participants 2000] [--seed 1]

Needs the MANAGED server (it is stopped, its database replaced, and started again, several
times): the one of `illnet server start` in $ILLNET_HOME, with NEO4J_* unset or pointing at it.
It WIPES that database. Three timings, each from a wiped database:

  online    load_study: validate, then batched MERGE writes (the default `illnet load`);
  bulk      bulk_load: validate, stop (in the background), write the import files, neo4j-admin
            import, start, schema, LoadRun and derived facts;
  raw       the same import files through neo4j-admin alone (stop, import, start): the floor
            a bulk load cannot beat, as the issue's baseline "raw neo4j-admin import".

Each runs in a process of its own (`--modes` picks them); printed: its time and phases, its
peak resident memory, the size of the data folder after it, and the ratios. No assertions.
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

from illnet import managed
from illnet.browser import serve
from illnet.db import open_driver
from illnet.load import bulk as bulk_module, derived, pipeline as pipeline_module
from illnet.load.bulk import bulk_load, write_import_files
from illnet.load.pipeline import identity, load_study, open_mapping, read_plan
from illnet.load.report import DEFAULT_MAX_SKIP
from illnet.load.writer import Writer, study_steps
from illnet.model import structure
from illnet.server import process
from illnet.synth.generate import stream_study

from bench.bench_load import timing


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def raw_import(mapping_path: Path, settings) -> float:
    """Seconds of stop + neo4j-admin import + start for the files a bulk load would write."""
    mapping = open_mapping(mapping_path)
    run_id, sources, checksums = identity(mapping, False)
    plan, _, _ = read_plan(mapping, run_id, sources, checksums, skip_invalid=False, strict=False, rejects=None,
                           max_skip=DEFAULT_MAX_SKIP)
    steps = study_steps(plan.tables, run_id, derive=True)
    folder = Path(tempfile.mkdtemp(dir=managed.home()))
    try:
        nodes, relationships = write_import_files(steps, folder)
        start = time.perf_counter()
        process.stop()
        process.import_full(nodes, relationships)
        process.start(configure=serve.configure)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PHASES = [("read and validate", pipeline_module, "read_plan"), ("read and validate", bulk_module, "read_plan"),
          ("derived facts from the tables", derived, "tie_facts"),
          ("network structure from the tables", structure, "member_structure"),
          ("import files", bulk_module, "write_import_files"), ("stop server", process, "stop"),
          ("neo4j-admin import", process, "import_full"), ("start server", process, "start"),
          ("schema", bulk_module.schema_apply, "apply"), ("empty task lists", derived, "fill_no_work"),
          ("LoadRun and derived facts", Writer, "complete")]


def measure(mode: str, mapping_path: Path) -> dict:
    """One mode, in this process: seconds in all and per phase, and the peak resident memory."""
    settings = bulk_module.managed_settings(None)  # refused unless NEO4J_* point at the managed server
    # Every mode starts from the same state, a wiped database (as after `illnet server reset
    # --yes`), untimed: an import over a full store also deletes it, and an erased store
    # leaves its stop a large checkpoint.
    process.reset(configure=serve.configure)
    timings = defaultdict(float)
    with ExitStack() as stack:
        for label, owner, attribute in PHASES:
            stack.enter_context(timing(timings, owner, attribute, label))
        if mode == "online":
            with open_driver(settings) as driver:
                seconds = timed(lambda: load_study(driver, mapping_path, database=settings.database, progress=False))
        elif mode == "bulk":
            seconds = timed(lambda: bulk_load(mapping_path, settings, configure=serve.configure))
        else:
            seconds = raw_import(mapping_path, settings)
    return {"seconds": seconds, "phases": dict(timings), "store_mib": store_mib(),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", default="online,bulk,raw", help="comma-separated: online, bulk, raw")
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "MAPPING"),
                        help="run one mode on an existing study (its mapping file), in this process; print JSON")
    parser.add_argument("--generate", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    if args.generate:
        mapping_path, counts = stream_study(args.participants, args.seed, args.generate, waves=2, member_ties=True,
                                            resources=True)
        print(json.dumps(sum(counts.values())))
        return
    with tempfile.TemporaryDirectory(prefix="illnet-bench-bulk-") as folder:
        # Generated in a process of its own: Linux carries a process's peak memory over exec, so
        # the modes' processes would otherwise report the generator's peak when it is higher.
        rows = json.loads(subprocess.run([sys.executable, "-m", "bench.bench_bulk", "--participants",
                                          str(args.participants), "--seed", str(args.seed), "--generate", folder],
                                         stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()[-1])
        mapping_path = Path(folder) / "mapping.yaml"
        print(f"{args.participants:,} participants, {rows:,} rows in the canonical tables")
        results = {}
        for mode in args.modes.split(","):
            done = subprocess.run([sys.executable, "-m", "bench.bench_bulk", "--measure", mode, str(mapping_path)],
                                  stdout=subprocess.PIPE, text=True, check=True)
            results[mode] = json.loads(done.stdout.splitlines()[-1])
    for mode, result in results.items():
        print(f"{mode:6s} {result['seconds']:8.1f} s   {rows / result['seconds']:9,.0f} rows/s   "
              f"peak memory {result['peak_mib']:,.0f} MiB   store {result['store_mib']:,.0f} MiB")
        for label, seconds in result["phases"].items():
            print(f"         {label:28s} {seconds:7.1f} s")
    if {"bulk", "raw"} <= set(results):
        print(f"bulk / raw = {results['bulk']['seconds'] / results['raw']['seconds']:.2f}")
    if {"online", "raw"} <= set(results):
        print(f"online / raw = {results['online']['seconds'] / results['raw']['seconds']:.2f}")


def store_mib() -> float:
    """Size of the managed server's data folder (the store and its transaction logs), MiB."""
    data = managed.instance_dir() / "data"
    return sum(path.stat().st_size for path in data.rglob("*") if path.is_file()) / 2**20


if __name__ == "__main__":
    main()
