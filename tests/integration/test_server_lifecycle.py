"""Lifecycle of a second managed server in its own illnet home, driven through the CLI:
install, start, data kept across stop/start, status --json, a harmless second start,
private files from the first start, no password in the server's environment, a stale pid
file naming another process, errors for a port taken, a server that dies during start-up,
Maven Central unreachable."""

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

pytestmark = pytest.mark.neo4j


def free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    for sock in socks:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in socks]
    for sock in socks:
        sock.close()
    return ports


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("illnet-home")


def illnet(home, *args, check=True, extra_env=None):
    env = {**os.environ, "ILLNET_HOME": str(home)}
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD"):
        env.pop(name, None)
    env.update(extra_env or {})
    result = subprocess.run([sys.executable, "-m", "illnet", *args], env=env, capture_output=True, text=True,
                            timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"illnet {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def test_lifecycle(home):
    bolt, http, taken = free_ports(3)
    try:
        illnet(home, "server", "install")
        start = illnet(home, "server", "start", "--bolt-port", str(bolt), "--http-port", str(http),
                       "--heap", "512m", "--pagecache", "256m")
        assert f"bolt://127.0.0.1:{bolt}" in start.stdout
        password_file = home / "password"
        assert oct(password_file.stat().st_mode & 0o777) == "0o600"
        password = password_file.read_text().strip()
        assert len(password) >= 24 and password not in start.stdout + start.stderr

        again = illnet(home, "server", "start")
        assert "already running" in again.stdout

        status = json.loads(illnet(home, "server", "status", "--json").stdout)
        assert status["running"] is True and status["bolt_uri"] == f"bolt://127.0.0.1:{bolt}"
        assert status["version"].startswith("5.26.") and status["gds"] and status["apoc"]
        assert password not in json.dumps(status)

        uri = f"bolt://127.0.0.1:{bolt}"
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as drv:
            drv.execute_query("CREATE (:Survivor {name: 'kept'})")
        illnet(home, "server", "stop")
        assert json.loads(illnet(home, "server", "status", "--json").stdout)["running"] is False
        # started from a shell that did `eval "$(illnet server env)"`: the server must not inherit it
        illnet(home, "server", "start", extra_env={"NEO4J_PASSWORD": password})
        # a restart without options keeps the memory of the first start, as it keeps its ports
        assert {k: json.loads((home / "state.json").read_text())[k] for k in ("heap", "pagecache")} == {
            "heap": "512m", "pagecache": "256m"}
        server = json.loads(illnet(home, "server", "status", "--json").stdout)["pid"]
        environment = Path(f"/proc/{server}/environ").read_bytes().decode(errors="replace")
        assert password not in environment and "NEO4J_PASSWORD=" not in environment
        assert password not in Path(f"/proc/{server}/cmdline").read_bytes().decode(errors="replace")
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as drv:
            names = [r["n"] for r in drv.execute_query("MATCH (s:Survivor) RETURN s.name AS n").records]
        assert names == ["kept"]
        assert_private(home)
        env_lines = illnet(home, "server", "env").stdout
        assert f"NEO4J_URI=bolt://127.0.0.1:{bolt}" in env_lines and password not in env_lines

        illnet(home, "server", "reset", "--yes")
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as drv:
            assert drv.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"] == 0
    finally:
        illnet(home, "server", "stop", check=False)


def assert_private(home):
    """The home 0700; every folder and file the server made (store, transaction logs, logs,
    auth.ini) closed to group and others."""
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    instance = home / "neo4j"
    assert (instance / "data" / "dbms" / "auth.ini").exists()
    made = [path for sub in ("data", "logs", "conf", "run") for path in (instance / sub).rglob("*")]
    assert len(made) > 20
    for path in [home / "password", home / "state.json", *made]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is open to others"


def test_stop_leaves_a_process_the_stale_pid_file_names_alone(home):
    instance = home / "neo4j"
    illnet(home, "server", "stop", check=False)
    # A process whose command line names the instance, its home argument and main class,
    # but is not a Java server: the old substring check would have killed it.
    decoy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", str(instance),
                              f"--home-dir={instance}", "org.neo4j.server.CommunityEntryPoint"])
    try:
        (instance / "run").mkdir(parents=True, exist_ok=True)
        (instance / "run" / "neo4j.pid").write_text(f"{decoy.pid}\n")
        result = illnet(home, "server", "stop")
        assert "not running" in result.stdout
        time.sleep(0.5)
        assert decoy.poll() is None, "the decoy was killed"
        assert json.loads(illnet(home, "server", "status", "--json").stdout)["running"] is False
    finally:
        decoy.kill()
        decoy.wait()
        (instance / "run" / "neo4j.pid").unlink(missing_ok=True)


def test_port_taken_is_an_error_naming_the_port(home):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        result = illnet(home, "server", "start", "--bolt-port", str(port), check=False)
    finally:
        holder.close()
    assert result.returncode == 1
    assert f"port {port} (Bolt) is already in use" in result.stderr


def test_server_dying_during_start_shows_its_log(home):
    bolt, http = free_ports(2)
    # Heap + page cache beyond the machine's memory: Neo4j refuses to run.
    result = illnet(home, "server", "start", "--bolt-port", str(bolt), "--http-port", str(http),
                    "--heap", "512m", "--pagecache", "4000g", check=False)
    illnet(home, "server", "stop", check=False)
    assert result.returncode == 1
    assert "error:" in result.stderr and "hint:" in result.stderr
    assert "Neo4j stopped during start-up" in result.stderr or "Neo4j refused to start" in result.stderr


def test_maven_central_unreachable(tmp_path):
    settings = tmp_path / "settings.xml"
    settings.write_text(
        "<settings><mirrors><mirror><id>nowhere</id><mirrorOf>*</mirrorOf>"
        "<url>http://127.0.0.1:9/maven2</url></mirror></mirrors></settings>")
    env_args = f"-s {settings} -Dmaven.repo.local={tmp_path / 'm2'}"
    env = {**os.environ, "ILLNET_HOME": str(tmp_path / "home"), "ILLNET_MAVEN_ARGS": env_args}
    result = subprocess.run([sys.executable, "-m", "illnet", "server", "install"], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "Maven Central cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr
