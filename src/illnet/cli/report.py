"""`illnet report`: a self-contained HTML report of a study (illnet.report)."""

import click

from illnet.cli.options import connection_options
from illnet.release import DEFAULT_THRESHOLD


@click.command("report")
@click.argument("study")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, writable=True),
              help="Folder to write STUDY.html into (made if missing).")
@click.option("--sample", type=int, default=4, show_default=True, help="Participants in the sample of egograms.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the sample.")
@click.option("--release", "for_release", is_flag=True,
              help="A report fit to share: small counts suppressed, ids pseudonymised, no egograms.")
@click.option("--min-count", default=DEFAULT_THRESHOLD, show_default=True, type=click.IntRange(1),
              help="With --release: the smallest count shown.")
@connection_options
def report(study, out, sample, seed, for_release, min_count, settings):
    """Write the report of STUDY: its summary, every canned question's table and chart, egograms.

    \b
    Example:
      illnet report nwe --out reports/
    """
    from illnet.report import build

    path = build(study, out, sample=sample, seed=seed, settings=settings, min_count=min_count if for_release else None)
    click.echo(f"wrote {path}")
