"""`illnet generate`: write a calibrated synthetic study and its mapping file."""

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from illnet import model
from illnet.synth.generate import stream_study

console = Console(highlight=False)


def _codes(vocabulary: str):
    """Click callback: a comma-separated list of codes of `vocabulary` ("all" for every code)."""

    def parse(ctx, param, value):
        if value is None:
            return None
        known = list(model.vocabulary(vocabulary))
        codes = known if value == "all" else [v.strip() for v in value.split(",") if v.strip()]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise click.BadParameter(f"unknown {vocabulary} code(s) {', '.join(unknown)}; use {', '.join(known)} or all")
        return tuple(codes)

    return parse


@click.command()
@click.option("--participants", type=click.IntRange(min=1), required=True, help="Number of participants.")
@click.option("--seed", type=int, required=True, help="Random seed (same seed, same study).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the source files and mapping.yaml.")
@click.option("--waves", type=click.IntRange(1, 21), default=1, show_default=True, help="Waves (1 = baseline only).")
@click.option("--countries", default="GB", show_default=True, callback=_codes("country"),
              help="Comma-separated country codes, or all (e.g. GB,NL,NO,ES,BG,GR).")
@click.option("--area-types", callback=_codes("area_type"),
              help="Comma-separated area types, or all (EU-WISE design).")
@click.option("--member-ties/--no-member-ties", default=False, show_default=True,
              help="Also generate ties between the members of each network.")
@click.option("--resources/--no-resources", default=False, show_default=True,
              help="Also generate shared GP practices, groups and services.")
@click.option("--members-total", type=click.IntRange(min=1), help="Exact number of members named at baseline.")
@click.option("--layout", type=click.Choice(["long", "wide"]), default="long", show_default=True,
              help="long: members.csv with one row per member and wave; wide: one survey row with member slots.")
@click.option("--study-id", default="synthetic", show_default=True, help="Study identifier.")
@click.option("--name", default="Synthetic illness-work network study", show_default=True, help="Study title.")
@click.option("--profile", type=click.Choice(["nwe", "euwise"]),
              help="Calibration preset (default: euwise with area types or several countries, else nwe).")
def generate(participants, seed, out, waves, countries, area_types, member_ties, resources, members_total,
             layout, study_id, name, profile):
    """Generate a synthetic illness-work network study calibrated to the published figures.

    The long layout is written in chunks of participants, so memory stays bounded at any size."""
    mapping, counts = stream_study(participants, seed, out, layout=layout, waves=waves, countries=countries,
                                   area_types=area_types, member_ties=member_ties, resources=resources,
                                   members_total=members_total, study_id=study_id, name=name, profile=profile)
    summary = Table(title=f"synthetic study {study_id!r} ({layout} layout)")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for table, rows in counts.items():
        summary.add_row(table, f"{rows:,}")
    console.print(summary)
    console.print(f"mapping: {mapping}")
