"""`illnet demo`, the README's main job: a running Neo4j, the schema, both bundled example
studies loaded, a first look at the answers, and an HTML report of each study (in the illnet
home's reports/ folder). A second run changes nothing in the graph."""

import os

import click

from rich.console import Console

from illnet import examples
from illnet.browser import serve
from illnet.db import Settings, open_driver, resolve
from illnet.load.pipeline import load_study
from illnet.cli.output import emit
from illnet.query import canned, runner
from illnet.query.params import bind
from illnet.report import build as build_report
from illnet import managed
from illnet.server import process

# (title, canned query, parameters) shown after loading.
SUMMARY = [
    ("North West England: composition by tie class (baseline)", "composition_by_tie_class", {"study": "nwe"}),
    ("North West England: who does which work (baseline)", "work_share_by_tie_class", {"study": "nwe"}),
    ("North West England: tie durability between the waves", "tie_durability", {"study": "nwe"}),
    ("EU-WISE six countries: network size by country", "network_size", {"study": "euwise", "wave": 0}),
]
COUNTS = ("MATCH (n) UNWIND labels(n) AS label RETURN 'node' AS element, label AS name, count(*) AS count "
          "UNION ALL MATCH ()-[r]->() RETURN 'relationship' AS element, type(r) AS name, count(*) AS count")


def ensure_server(console: Console) -> Settings:
    """Settings of the database to use: $NEO4J_URI when set, else the managed server,
    installed and started if needed."""
    if os.environ.get("NEO4J_URI"):
        return resolve()
    started = process.start(configure=serve.configure, console=console)
    if not started.get("already_running"):
        console.print(f"Neo4j started in {started['start_seconds']} s at {managed.bolt_uri(started)}")
    return resolve()


def run(console: Console | None = None) -> None:
    """Run the demo and print its summary."""
    console = console or Console(highlight=False)
    settings = ensure_server(console)
    with open_driver(settings) as driver:
        for study in examples.STUDIES:
            report = load_study(driver, examples.mapping_path(study), database=settings.database)
            verb = "already loaded" if report.skipped else "loaded"
            console.print(f"study {study!r} {verb} (run {report.run_id})")
        console.rule("what is in the graph")
        emit(runner.cypher_rows(COUNTS, settings=settings, driver=driver), "table")
        for title, name, params in SUMMARY:
            console.rule(title)
            query = canned.get(name)
            emit(runner.answer_rows(query, bind(query, params), settings, driver), "table")
        console.rule("study reports: summary, every question's table and chart, egograms")
        for study in examples.STUDIES:
            path = build_report(study, managed.home() / "reports", settings=settings, driver=driver)
            console.print(f"report: {path}", soft_wrap=True)
    console.rule("where to look next")
    if os.environ.get("NEO4J_URI"):
        console.print(f"Neo4j Browser: your server's Browser for {settings.uri}")
    else:
        console.print(f"Neo4j Browser: {managed.browser_url()}  (user neo4j, password in {managed.password_file()});"
                      " the illnet guide opens when you connect")
    console.print("all questions: `illnet query list`; run one: `illnet query run NAME -p study=nwe`")


@click.command()
def demo():
    """Start Neo4j if needed, load the two example studies and show first answers."""
    run()
