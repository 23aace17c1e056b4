"""Serve the illnet style sheet and guide from the managed server's own Neo4j Browser.

Neo4j 5.26 serves /browser/ from the first `browser/` folder on its classpath, and its
launcher puts `<NEO4J_HOME>/conf/*` on the classpath before `lib/*`. So a jar in the
instance's conf folder holding the stock Browser plus `browser/illnet/` (guide.html,
illnet.grass) is served instead of the stock jar, from the same origin as the Browser
(no second server, no CORS): http://127.0.0.1:<http>/browser/illnet/guide.html.
The shared runtime is left untouched. neo4j.conf then tells the Browser, through the only
browser.* settings Neo4j 5.26 declares, to apply the style and open the guide on connect.

Every `:style` command opens a frame showing the style sheet. So the post-connect commands are
`:style <the sheet as JSON>` (applied at once, without fetching), `:clear` (removes that frame,
and the login frame, before anything else can appear) and `:play <guide>`: on connect the
style is applied and the guide is the one frame. The Browser splits the setting at
semicolons outside quotes; the JSON form has none.
"""

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

from illnet.browser.guide import guide_for_library
from illnet.browser.style import GRASS_FILE, grass_json, grass_text
from illnet.errors import ServerError
from illnet import managed
from illnet.server import install

JAR_NAME = "illnet-browser.jar"
BROWSER_JAR_GLOB = "org.neo4j.client.neo4j-browser-*.jar"
CONTENT_PATH = "browser/illnet"
GUIDE_FILE = "guide.html"
# Hosts the Browser may fetch guides and styles from (the Neo4j default plus the loopback IP).
ALLOWED_HOSTS = "guides.neo4j.com,localhost,127.0.0.1"


def content_url(http_port: int, file_name: str) -> str:
    """URL of one illnet file as the managed server serves it."""
    return f"http://127.0.0.1:{http_port}/{CONTENT_PATH}/{file_name}"


def conf_lines(http_port: int) -> list[str]:
    """neo4j.conf lines that make the Browser apply the style and open the guide on connect."""
    return [
        f"browser.post_connect_cmd=style {grass_json()}; clear; play {content_url(http_port, GUIDE_FILE)}",
        f"browser.remote_content_hostname_whitelist={ALLOWED_HOSTS}",
    ]


def configure(http_port: int) -> list[str]:
    """The `configure` hook of illnet.server.process.start for the managed server: writes
    the Browser jar into its instance and returns the neo4j.conf lines."""
    return install_browser_content(managed.instance_dir(), install.runtime_dir() / "lib", http_port)


def install_browser_content(neo4j_home: Path, lib_dir: Path, http_port: int,
                            queries_root: Path | None = None) -> list[str]:
    """Write <neo4j_home>/conf/illnet-browser.jar (when its content changed) and return the
    neo4j.conf lines to add. Call before the server starts."""
    stock = _stock_browser_jar(Path(lib_dir))
    files = {
        f"{CONTENT_PATH}/{GUIDE_FILE}": guide_for_library(queries_root).encode(),
        f"{CONTENT_PATH}/{GRASS_FILE}": grass_text().encode(),
    }
    target = Path(neo4j_home) / "conf" / JAR_NAME
    stamp = _stamp(stock, files)
    if not _is_current(target, stamp):
        _write_jar(stock, files, target, stamp)
    return conf_lines(http_port)


def _stock_browser_jar(lib_dir: Path) -> Path:
    jars = sorted(lib_dir.glob(BROWSER_JAR_GLOB))
    if not jars:
        raise ServerError(f"the Neo4j Browser jar ({BROWSER_JAR_GLOB}) is missing from {lib_dir}",
                          hint="re-install the runtime with `illnet server install --force`")
    return jars[-1]


def _stamp(stock: Path, files: dict[str, bytes]) -> bytes:
    """Digest of everything the jar is built from, kept as the jar's comment."""
    digest = hashlib.sha256(f"{stock.name}:{stock.stat().st_size}".encode())
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest().encode()


def _is_current(target: Path, stamp: bytes) -> bool:
    try:
        with zipfile.ZipFile(target) as jar:
            return jar.comment == stamp
    except (FileNotFoundError, zipfile.BadZipFile):
        return False


def _write_jar(stock: Path, files: dict[str, bytes], target: Path, stamp: bytes) -> None:
    """Copy the stock Browser jar and append the illnet files; replace the target atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(stock, partial)
    with zipfile.ZipFile(partial, "a", compression=zipfile.ZIP_DEFLATED) as jar:
        for name, data in files.items():
            jar.writestr(name, data)
        jar.comment = stamp
    os.replace(partial, target)
