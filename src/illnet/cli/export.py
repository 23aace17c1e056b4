"""`illnet export STUDY --to FORMAT --out PATH`: a loaded study written for another tool
(formats: illnet.export.FORMATS). What was written is said on stderr."""

from pathlib import Path

import click
from rich.console import Console

from illnet.cli.options import connection_options
from illnet.errors import ExportError
from illnet.export import FORMATS
from illnet.release import DEFAULT_THRESHOLD

console = Console(stderr=True, highlight=False)


@click.command("export")
@click.argument("study")
@click.option("--to", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="members: one row per participant x member x wave (a .csv or .parquet file), for "
                   "multilevel models; egor, graphml, parquet: a folder of files and a mapping.yaml.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="The file (members) or folder (the other formats; created if missing) to write.")
@click.option("--wave", type=int, default=None, help="members: only this wave (default: every wave).")
@click.option("--pooled", is_flag=True, help="graphml: one file for all participants (default: one each).")
@click.option("--release", "for_release", is_flag=True,
              help="members: participant and member ids replaced by keyed pseudonyms, fit to share.")
@connection_options
def export(study, fmt, out, wave, pooled, for_release, settings):
    """Export STUDY for another tool.

    \b
    Examples:
      illnet export nwe --to members --out members.parquet
      illnet export three --to egor --out egor/
    """
    ignored = [name for name, given, applies in (("--wave", wave is not None, fmt == "members"),
                                                 ("--pooled", pooled, fmt == "graphml"),
                                                 ("--release", for_release, fmt == "members")) if given and not applies]
    if ignored:
        raise ExportError(f"{', '.join(ignored)} does not apply to --to {fmt}",
                          hint="--wave and --release are for --to members, --pooled for --to graphml")
    min_count = DEFAULT_THRESHOLD if for_release else None
    for line in FORMATS[fmt](study, out, settings, wave=wave, pooled=pooled, min_count=min_count):
        console.print(line, soft_wrap=True)
