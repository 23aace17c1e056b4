"""`illnet demo`."""

import click

from illnet import demo as demo_job


@click.command()
def demo():
    """Start Neo4j if needed, load the two example studies and show first answers."""
    demo_job.run()
