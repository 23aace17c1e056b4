"""`illnet server ...` and `illnet ping`: thin wrappers over illnet.server and illnet.db."""

import json
import shlex

import click
from rich.console import Console

from illnet.browser import serve
from illnet.cli.options import connection_options
from illnet.db import resolve, versions
from illnet.errors import IllnetError
from illnet.server import install as installer
from illnet import managed
from illnet.server import process

console = Console(highlight=False)


@click.group()
def server():
    """Install and run the managed Neo4j (Neo4j 5.26 + GDS + APOC + Browser, no Docker)."""


@server.command()
@click.option("--force", is_flag=True, help="Re-install even if the runtime is complete.")
def install(force):
    """Fetch Neo4j, GDS, APOC and Browser from Maven Central into the illnet home."""
    with console.status("resolving Neo4j, GDS, APOC and Browser from Maven Central ..."):
        summary = installer.install(force=force)
    if summary["already_installed"]:
        console.print(f"already installed: {summary['runtime']}")
    else:
        console.print(f"installed {summary['megabytes']} MB of jars in {summary['seconds']} s: {summary['runtime']}")


@server.command()
@click.option("--bolt-port", type=int, help="Bolt port on 127.0.0.1 (default 7687, or the last one used).")
@click.option("--http-port", type=int, help="HTTP/Browser port on 127.0.0.1 (default 7474, or the last one used).")
@click.option("--heap", help="JVM heap, e.g. 4g (default: a sixth of RAM, 1g..8g; or $ILLNET_HEAP).")
@click.option("--pagecache", help="Page cache, e.g. 2g (default: a twelfth of RAM; or $ILLNET_PAGECACHE).")
def start(bolt_port, http_port, heap, pagecache):
    """Start the managed Neo4j in the background and wait until it answers."""
    result = process.start(bolt_port, http_port, heap, pagecache, configure=serve.configure, console=console)
    if result.get("already_running"):
        console.print(f"Neo4j is already running (pid {process.pid()}) at {managed.bolt_uri(result)}")
    else:
        console.print(f"Neo4j started in {result['start_seconds']} s (pid {result['pid']}, "
                      f"heap {result['heap']}, page cache {result['pagecache']})")
    _print_where(result)


@server.command()
@click.option("--timeout", default=process.STOP_TIMEOUT_S, show_default=True,
              help="Seconds to wait for a graceful stop before forcing it.")
def stop(timeout):
    """Stop the managed Neo4j (data is kept)."""
    console.print("Neo4j stopped" if process.stop(timeout) else "Neo4j was not running")


@server.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json):
    """Say whether the managed Neo4j runs, with versions and URLs."""
    saved = managed.read_state()
    info = {"running": process.is_running(), "pid": process.pid(), "home": str(managed.instance_dir()),
            "bolt_uri": managed.bolt_uri(saved), "browser_url": managed.browser_url(saved),
            "user": managed.USER, "password_file": str(managed.password_file()),
            "installed": installer.is_installed(), "pins": installer.pins().__dict__}
    if info["running"]:
        try:
            info.update({k: v for k, v in versions(resolve(info["bolt_uri"], managed.USER,
                                                           managed.read_password())).items() if k != "uri"})
        except IllnetError as exc:
            info["error"] = exc.message
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    if not info["running"]:
        console.print("Neo4j is not running" + ("" if info["installed"] else " (not installed)"))
        return
    console.print(f"Neo4j {info.get('version')} {info.get('edition')} is running (pid {info['pid']}); "
                  f"GDS {info.get('gds')}, APOC {info.get('apoc')}")
    _print_where(saved)


@server.command()
@click.option("-n", "--lines", default=40, show_default=True, help="Number of lines.")
@click.option("--debug", is_flag=True, help="Show debug.log instead of neo4j.log.")
def logs(lines, debug):
    """Show the tail of the server log."""
    for line in process.log_tail(lines, debug):
        click.echo(line)


@server.command()
def env():
    """Print export lines: eval "$(illnet server env)". The password is read from its file,
    never printed."""
    saved = managed.read_state()
    if not saved:
        raise IllnetError("the managed server was never started", hint="run `illnet server start`")
    click.echo(f"export NEO4J_URI={shlex.quote(managed.bolt_uri(saved))}")
    click.echo(f"export NEO4J_USERNAME={managed.USER}")
    click.echo(f'export NEO4J_PASSWORD="$(cat {shlex.quote(str(managed.password_file()))})"')
    click.echo("export NEO4J_DATABASE=neo4j")


@server.command()
@click.option("--yes", is_flag=True, help="Confirm that all data is to be deleted.")
def reset(yes):
    """Wipe the database (all nodes, relationships and indexes)."""
    if not yes:
        raise IllnetError("reset deletes every node and relationship", hint="repeat with --yes to confirm")
    process.reset(configure=serve.configure)
    console.print("database wiped")


def _print_where(saved: dict) -> None:
    console.print(f"  Bolt:     {managed.bolt_uri(saved)}")
    console.print(f"  Browser:  {managed.browser_url(saved)}")
    console.print(f"  user:     {managed.USER}")
    console.print(f"  password: in {managed.password_file()} (mode 0600)")


@click.command()
@connection_options
def ping(settings):
    """Check the connection and print the server, GDS and APOC versions."""
    info = versions(settings)
    console.print(f"connected to {info['uri']}: {info['server']} {info['version']} {info['edition']}")
    for plugin, name in (("gds", "Graph Data Science"), ("apoc", "APOC")):
        if info[plugin]:
            console.print(f"  {name}: {info[plugin]}")
        else:
            console.print(f"  [yellow]{name}: not available[/] (hint: the managed server brings it; "
                          f"on your own server install the plugin and allow {plugin}.* procedures)")
