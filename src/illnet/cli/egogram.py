"""`illnet egogram`: concentric-circles pictures of personal networks (illnet.plot)."""

import click

from illnet.cli.options import connection_options
from illnet.errors import PlotError


@click.command("egogram")
@click.argument("study")
@click.argument("participants", nargs=-1)
@click.option("--wave", type=int, default=0, show_default=True, help="Wave to draw (0 = baseline).")
@click.option("--compare-waves", is_flag=True, help="Draw the wave and the next side by side, lost and new members marked.")
@click.option("--sample", type=int, default=None, help="Draw a grid of this many participants, drawn with --seed.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of --sample.")
@click.option("--sectors", type=click.Choice(["relationshipType", "tieClass"]), default="relationshipType",
              show_default=True, help="What the sectors group members by.")
@click.option("--rings", default="circle", show_default=True,
              help="The circles, or a member attribute the study declares (e.g. a closeness scale).")
@click.option("--ring-order", default=None, metavar="A,B,...",
              help="Values of --rings from the innermost ring out (default: numbers high to low).")
@click.option("--labels/--no-labels", default=None, help="Label members (default: when at most four participants).")
@click.option("--columns", type=int, default=None, help="Panels per row of a grid.")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Picture file: .png, .svg or .pdf.")
@click.option("--dpi", type=int, default=150, show_default=True, help="Resolution of a PNG.")
@connection_options
def egogram(study, participants, wave, compare_waves, sample, seed, sectors, rings, ring_order, labels, columns,
            out, dpi, settings):
    """Draw the egogram of PARTICIPANT in STUDY, or a grid for several (or --sample N).

    \b
    Examples:
      illnet egogram nwe P001 --out p001.png
      illnet egogram nwe P001 --compare-waves --out p001-waves.svg
      illnet egogram nwe --sample 100 --seed 1 --out grid.png
    """
    from illnet import plot
    from illnet.plot.files import image_format

    image_format(out)
    order = ring_order.split(",") if ring_order else None
    common = {"wave": wave, "sectors": sectors, "rings": rings, "ring_order": order, "settings": settings}
    if compare_waves and (sample or len(participants) != 1):
        raise PlotError("--compare-waves draws one participant", hint="name exactly one participant")
    if len(participants) == 1 and not sample:
        figure = plot.egogram(study, participants[0], compare_waves=compare_waves,
                              labels=True if labels is None else labels, **common)
    else:
        figure = plot.grid(study, list(participants) or None, sample=sample, seed=seed, labels=labels,
                           columns=columns, **common)
    plot.save(figure, out, dpi=dpi)
    click.echo(f"wrote {out}")
