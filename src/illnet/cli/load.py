"""`illnet load MAPPING`: validate the whole study, then write it."""

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from illnet.cli.options import connection_options
from illnet.db import open_driver
from illnet.cli.mapping import print_result
from illnet.load.pipeline import StudyInvalid, load_study

console = Console(highlight=False)


@click.command()
@click.argument("mapping_file", metavar="MAPPING", type=click.Path(path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and report the rest.")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every problem to this CSV (file,row,column,value,problem,fix).")
@click.option("--replace", is_flag=True, help="Delete the study's nodes first, then load.")
@click.option("--batch-size", default=5000, show_default=True, help="Rows per write transaction.")
@connection_options
def load(mapping_file, skip_invalid, rejects, replace, batch_size, settings):
    """Load a study described by a mapping file into Neo4j (nothing is written if any row is invalid)."""
    settings = settings.resolved()
    with open_driver(settings) as driver:
        try:
            report = load_study(driver, mapping_file, database=settings.database, skip_invalid=skip_invalid,
                                rejects=rejects, replace=replace, batch_size=batch_size)
        except StudyInvalid as exc:
            print_result(exc.result)
            raise
    for problem in report.problems[:20]:
        console.print(f"[yellow]skipped[/] {escape(str(problem))}", soft_wrap=True)
    if report.skipped:
        console.print(f"study {report.study_id!r}: already loaded from these exact files (run {report.run_id}); "
                      "nothing to do")
        return
    written = ", ".join(f"{name} {count}" for name, count in report.written.items() if count)
    console.print(f"study {report.study_id!r} loaded (run {report.run_id}): {written}")
    for r in report.reconciliation:
        console.print(f"  {r.file}: read {r.rows_read} = loaded {r.rows_loaded} + rejected {r.rows_rejected}")
