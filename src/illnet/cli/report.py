"""`illnet report`: a self-contained HTML report of a study (illnet.report)."""

import click

from illnet.cli.options import connection_options


@click.command("report")
@click.argument("study")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, writable=True),
              help="Folder to write STUDY.html into (made if missing).")
@click.option("--sample", type=int, default=4, show_default=True, help="Participants in the sample of egograms.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the sample.")
@connection_options
def report(study, out, sample, seed, settings):
    """Write the report of STUDY: its summary, every canned question's table and chart, egograms.

    \b
    Example:
      illnet report nwe --out reports/
    """
    from illnet.report import build

    click.echo(f"wrote {build(study, out, sample=sample, seed=seed, settings=settings)}")
