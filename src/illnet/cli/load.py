"""`illnet load MAPPING`: validate the whole study, then write it."""

from pathlib import Path

import click
from rich.console import Console

from illnet.cli.options import connection_options
from illnet.db import open_driver
from illnet.cli.mapping import print_problems, print_result, print_skip_shares
from illnet.browser import serve
from illnet.errors import InputError
from illnet.load.bulk import bulk_load
from illnet.load.pipeline import StudyInvalid, load_study
from illnet.load.writer import DEFAULT_WORKERS
from illnet.load.report import DEFAULT_MAX_SKIP, skip_shares

console = Console(highlight=False)
DEFAULT_BATCH = 5000


@click.command()
@click.argument("mapping_file", metavar="MAPPING", type=click.Path(path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and report the rest.")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every problem to this CSV (file,row,column,value,problem,fix).")
@click.option("--replace", is_flag=True, help="Delete the study's nodes first, then load.")
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, help="Rows per write transaction.")
@click.option("--workers", type=click.IntRange(1, 16), default=DEFAULT_WORKERS, show_default=True,
              help="Write transactions sent at the same time (batches of different personal networks).")
@click.option("--max-skip", type=click.FloatRange(0, 1), default=DEFAULT_MAX_SKIP, show_default=True,
              help="With --skip-invalid: refuse (write nothing) if more than this share of any table "
                   "would be dropped; 1 loads whatever is valid.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. ids differing only by case) as problems.")
@click.option("--allow-outside", is_flag=True,
              help="Let the mapping name files outside its own folder (refused by default).")
@click.option("--pseudonymise", is_flag=True,
              help="Replace participant and member ids by keyed pseudonyms before anything is written.")
@click.option("--bulk", is_flag=True,
              help="Fill an empty managed database with neo4j-admin import (stops and restarts the server).")
@connection_options
def load(mapping_file, skip_invalid, rejects, replace, batch_size, workers, max_skip, strict, allow_outside, pseudonymise,
         bulk, settings):
    """Load a study described by a mapping file into Neo4j (nothing is written if any row is invalid)."""
    options = dict(skip_invalid=skip_invalid, rejects=rejects, strict=strict, allow_outside=allow_outside,
                   max_skip=max_skip, pseudonymise=pseudonymise)
    if bulk and (replace or batch_size != DEFAULT_BATCH or workers != DEFAULT_WORKERS):
        raise InputError("--replace, --batch-size and --workers are for the online load; "
                         "--bulk always fills an empty database",
                         hint="drop them, or load without --bulk")
    try:
        if bulk:
            report = bulk_load(mapping_file, settings, configure=serve.configure, **options)
        else:
            settings = settings.resolved()
            with open_driver(settings) as driver:
                report = load_study(driver, mapping_file, database=settings.database, replace=replace,
                                    batch_size=batch_size, workers=workers, **options)
    except StudyInvalid as exc:
        print_result(exc.result)
        print_skip_shares(skip_shares(exc.result), max_skip)
        raise
    print_problems(report.warnings, "[yellow]warning:[/]")
    print_problems(report.problems, "[yellow]skipped[/]")
    print_skip_shares(report.dropped, max_skip)
    if report.skipped:
        console.print(f"study {report.study_id!r}: already loaded from these exact files (run {report.run_id}); "
                      "nothing to do")
        return
    written = ", ".join(f"{name} {count}" for name, count in report.written.items() if count)
    console.print(f"study {report.study_id!r} loaded (run {report.run_id}): {written}")
    for r in report.reconciliation:
        console.print(f"  {r.file}: read {r.rows_read} = loaded {r.rows_loaded} + rejected {r.rows_rejected}")
