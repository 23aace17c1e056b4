"""Time `illnet load --bulk` end to end against raw neo4j-admin import of the same files,
and against the online loader, on one generated study, in one run.

    python -m bench.bench_bulk [--participants 2000] [--seed 1]

Needs the MANAGED server (it is stopped, its database replaced, and started again, several
times): the one of `illnet server start` in $ILLNET_HOME, with NEO4J_* unset or pointing at it.
It WIPES that database. Three timings, each from an empty database:

  online    load_study: validate, then batched MERGE writes (the default `illnet load`);
  bulk      bulk_load: validate, write the import files, stop, neo4j-admin import, start,
            schema, LoadRun and derived facts;
  raw       the same import files through neo4j-admin alone (stop, import, start): the floor
            a bulk load cannot beat, as the issue's baseline "raw neo4j-admin import".

Prints the three times, their ratios and the peak memory of this process. No assertions.
"""

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from illnet import managed
from illnet.browser import serve
from illnet.db import erase_all, open_driver, resolve
from illnet.load.bulk import bulk_load, write_import_files
from illnet.load.pipeline import identity, load_study, open_mapping, read_plan
from illnet.load.report import DEFAULT_MAX_SKIP
from illnet.load.writer import Writer
from illnet.server import process
from illnet.synth.generate import generate, write_study


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
    with open_driver(settings) as driver:
        steps = Writer(driver, settings.database, progress=False).steps(plan.tables, run_id)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = resolve()
    with tempfile.TemporaryDirectory(prefix="illnet-bench-bulk-") as folder:
        tables = generate(args.participants, args.seed, waves=2, member_ties=True, resources=True,
                          study_id="bench", name="bench_bulk study")
        mapping_path = write_study(tables, folder)
        rows = sum(tables.counts().values())
        print(f"{args.participants:,} participants, {rows:,} rows in the canonical tables")
        with open_driver(settings) as driver:
            erase_all(driver, settings.database)
            online = timed(lambda: load_study(driver, mapping_path, database=settings.database, progress=False))
            erase_all(driver, settings.database)
        bulk = timed(lambda: bulk_load(mapping_path, settings, configure=serve.configure))
        with open_driver(settings) as driver:
            erase_all(driver, settings.database)
        raw = raw_import(mapping_path, settings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"online load       {online:8.1f} s   {rows / online:9,.0f} rows/s")
    print(f"bulk load         {bulk:8.1f} s   {rows / bulk:9,.0f} rows/s   (end to end)")
    print(f"raw admin import  {raw:8.1f} s   (stop, import, start; files already written)")
    print(f"ratios: bulk / raw = {bulk / raw:.2f}, online / bulk = {online / bulk:.2f}; "
          f"peak memory of this process {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
