"""CLI for the graph-algorithm jobs: `illnet algo list|show|run`."""

import sys

import click

from illnet.cli.options import add_catalogue_commands, connection_options, param_option
from illnet.cli.output import emit, output_options
from illnet.query import algorithms, jobs
from illnet.query.params import bind, parse_assignments


@click.group("algo")
def algo():
    """Graph-algorithm jobs (Graph Data Science): bridging, communities, similarity, network types."""


add_catalogue_commands(
    algo, jobs.JOBS, ["name", "procedures", "writes", "question"],
    lambda job: (job.name, ", ".join(call.procedure for call in job.calls),
                 ", ".join(job.written_properties()) or "-", job.question),
    list_help="List the jobs (name, GDS procedures, write-back, question).",
    show_help="Print a job's declaration (projection, GDS calls, write-back).")


@algo.command("run")
@click.argument("name")
@param_option
@click.option("--mode", type=click.Choice(algorithms.MODES), default="stream", show_default=True,
              help="stream: print the results; write: also write the job's properties to the graph.")
@output_options
@connection_options
def run(name, params, mode, fmt, out, settings):
    """Run the job NAME; the projection is always dropped afterwards.

    \b
    Example:
      illnet algo run bridging_members -p study=nwe -p wave=0 --format csv
      illnet algo run network_types -p study=euwise --mode write
    """
    job = jobs.get(name)
    values = bind(job, parse_assignments(params), from_text=True)
    frame = algorithms.run_bound_job(job, values, settings, mode, progress=sys.stderr.isatty())
    note = frame.attrs.get("note")
    if "written" in frame.attrs:
        written = ", ".join(job.written_properties())
        note = f"wrote {written} for {frame.attrs['written']} rows" + (f"; {note}" if note else "")
    emit(frame, fmt, out, notes=[note])
