"""`illnet server install`: resolve Neo4j, GDS, APOC and Browser from Maven Central
through the POM kept next to this module, and lay the jars out as a Neo4j runtime.

The runtime folder is named after the pins, so a version bump installs side by side and
an existing runtime makes install a quick no-op.
"""

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from illnet.errors import ServerError
from illnet import managed

POM = files("illnet.server").joinpath("pom.xml")
SUPPORTED_JAVA = (17, 21)
# Jars that Neo4j must find as plugins (procedures are only loaded from the plugins folder).
PLUGIN_PREFIXES = ("org.neo4j.gds.", "org.neo4j.procedure.apoc")
MAVEN_NETWORK_ERRORS = re.compile(
    r"Could not transfer|Unknown host|UnknownHostException|Connection refused|"
    r"connect timed out|Network is unreachable|No route to host|Could not resolve host|"
    r"Could not find artifact|Failed to read artifact descriptor", re.IGNORECASE)


@dataclass(frozen=True)
class Pins:
    """Versions of the managed server, read from the POM's <properties>."""

    neo4j: str
    gds: str
    apoc: str
    browser: str

    @property
    def runtime_name(self) -> str:
        """Folder name of the runtime for these pins."""
        return f"neo4j-{self.neo4j}_gds-{self.gds}_apoc-{self.apoc}_browser-{self.browser}"


@cache
def pins() -> Pins:
    """The pinned versions (one place: the POM)."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    props = ET.fromstring(POM.read_text()).find("m:properties", ns)

    def prop(name: str) -> str:
        return props.find(f"m:{name}", ns).text.strip()

    return Pins(prop("neo4j.version"), prop("gds.version"), prop("apoc.version"), prop("browser.version"))


def runtime_dir() -> Path:
    """Folder of the installed runtime for the current pins."""
    return managed.home() / "runtime" / pins().runtime_name


def java_binary() -> str:
    """Path of a Java 17 or 21 binary ($JAVA_HOME first, then PATH); ServerError otherwise."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise ServerError("Java was not found (Neo4j 5.26 needs Java 17)",
                          hint="install OpenJDK 17 (Debian: apt-get install openjdk-17-jre-headless) "
                               "or set JAVA_HOME")
    output = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', output)
    feature = int(match.group(1)) if match else 0
    if feature == 1 and match.group(2):  # "1.8.0" style
        feature = int(match.group(2))
    if feature not in SUPPORTED_JAVA:
        raise ServerError(f"{java} is Java {feature or 'of unknown version'}; Neo4j 5.26 needs Java 17 or 21",
                          hint="install OpenJDK 17 and point JAVA_HOME at it")
    return java


def maven_binary() -> str:
    """Path of `mvn`; ServerError when Maven is missing."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError("Maven (mvn) was not found; it is needed to fetch Neo4j from Maven Central",
                          hint="install Maven 3.8+ (Debian: apt-get install maven)")
    return mvn


def is_installed() -> bool:
    """True when the runtime for the current pins is complete."""
    return (runtime_dir() / ".complete").exists()


def install(force: bool = False) -> dict:
    """Install the runtime if needed; return a summary (path, size, seconds, pins)."""
    target = runtime_dir()
    if is_installed() and not force:
        return {"runtime": str(target), "already_installed": True, "pins": pins().__dict__}
    java_binary()
    mvn = maven_binary()
    started = time.monotonic()
    managed.private_home()
    with tempfile.TemporaryDirectory(prefix="illnet-mvn-") as build:
        build_dir = Path(build)
        (build_dir / "pom.xml").write_text(POM.read_text())
        stage = build_dir / "stage"
        command = [mvn, "-B", "-q", "package", f"-Dillnet.stage={stage}",
                   *shlex.split(os.environ.get("ILLNET_MAVEN_ARGS", ""))]
        result = subprocess.run(command, cwd=build_dir, capture_output=True, text=True)
        if result.returncode != 0:
            log = managed.home() / "maven-install.log"
            log.write_text(result.stdout + result.stderr)
            raise _maven_error(result.stdout + result.stderr, log)
        _lay_out(stage, target)
    size = sum(f.stat().st_size for f in target.rglob("*.jar"))
    return {"runtime": str(target), "already_installed": False, "pins": pins().__dict__,
            "seconds": round(time.monotonic() - started, 1), "megabytes": round(size / 1e6, 1)}


def _lay_out(stage: Path, target: Path) -> None:
    """Split staged jars into lib/ and plugins/ and mark the runtime complete."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "lib").mkdir(parents=True)
    (partial / "plugins").mkdir()
    for jar in stage.glob("*.jar"):
        folder = "plugins" if jar.name.startswith(PLUGIN_PREFIXES) else "lib"
        shutil.move(str(jar), partial / folder / jar.name)
    (partial / ".complete").write_text(pins().runtime_name + "\n")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def _maven_error(output: str, log: Path) -> ServerError:
    """Turn Maven's output into one clear error."""
    last = [line for line in output.splitlines() if "ERROR" in line][:1]
    detail = last[0].replace("[ERROR]", "").strip() if last else output.strip()[-300:]
    if MAVEN_NETWORK_ERRORS.search(output):
        return ServerError(f"Maven Central cannot be reached to download Neo4j: {detail}",
                           hint=f"check the network or proxy (~/.m2/settings.xml), then run "
                                f"`illnet server install` again; Maven's output is in {log}")
    return ServerError(f"Maven failed to resolve the Neo4j runtime: {detail}",
                       hint=f"Maven's output is in {log}")
