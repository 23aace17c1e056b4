"""neo4j.conf rendering, memory sizing, version pins and start-up pre-checks (no server)."""

import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from illnet.errors import ServerError
from illnet.query import jobs
from illnet.server import config, install, process

GIB = 1024 ** 3
ROOT = Path(__file__).resolve().parents[2]


def settings_of(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def test_conf_listens_on_loopback_only_with_auth_only_the_procedures_used_and_no_urls(tmp_path):
    text = config.render(config.ServerConfig(bolt_port=17001, http_port=17002, heap="1g", pagecache="512m"),
                         tmp_path / "rt", tmp_path / "inst")
    conf = settings_of(text)
    for key in ("server.default_listen_address", "server.bolt.listen_address", "server.http.listen_address"):
        assert conf[key][0].startswith("127.0.0.1"), key
    assert conf["server.bolt.listen_address"] == ["127.0.0.1:17001"]
    assert conf["server.http.listen_address"] == ["127.0.0.1:17002"]
    assert conf["server.https.enabled"] == ["false"]
    assert conf["dbms.security.auth_enabled"] == ["true"]
    allowed = ",".join(config.PROCEDURES)
    assert conf["dbms.security.procedures.allowlist"] == [allowed]
    assert conf["dbms.security.procedures.unrestricted"] == [allowed]
    assert "*" not in allowed and "gds.graph.export" not in allowed and "apoc.load" not in allowed
    assert conf["internal.dbms.cypher_ip_blocklist"] == ["0.0.0.0/0,::/0"]
    assert conf["dbms.usage_report.enabled"] == ["false"]
    assert conf["client.allow_telemetry"] == ["false"]
    assert conf["server.memory.heap.max_size"] == ["1g"]
    assert conf["server.memory.pagecache.size"] == ["512m"]
    assert "-XX:+AlwaysPreTouch" not in conf["server.jvm.additional"]
    assert conf["internal.dbms.bolt.netty_server_shutdown_quiet_period"] == ["0"]  # a stop in under 1 s, not 10


# What the graphdatascience client calls on the server in tests/integration/test_server.py
# (projection, betweenness and its progress, as_nodes, list, drop, version) and through
# illnet.gds() in test_formats_roundtrip.py (a Cypher projection, exists, degree); its
# gds.debug.arrow probe is allowed to fail.
CLIENT_CALLS = {"gds.graph.project", "gds.betweenness.stream", "gds.listProgress", "gds.util.asNodes",
                "gds.graph.list", "gds.graph.drop", "gds.version", "gds.graph.exists"}
CALLED = re.compile(r"\b((?:gds|apoc)(?:\.[A-Za-z]\w*)+)\s*\(")


def procedures_used() -> set[str]:
    """GDS and APOC procedures and functions called in the query library, the job files
    (with the .estimate of each call that estimates) and the package source (its Python and
    the Browser guide's own Cypher)."""
    used = set(CLIENT_CALLS)
    for path in [*(ROOT / "queries").rglob("*.cypher"), *(ROOT / "queries").rglob("*.yaml"),
                 *(ROOT / "src").rglob("*.py"), *(ROOT / "src").rglob("*.cypher")]:
        used |= set(CALLED.findall(path.read_text(encoding="utf-8")))
    for job in jobs.JOBS.all().values():
        for call in job.calls:
            used |= {call.procedure, *([f"{call.procedure}.estimate"] if call.estimate else [])}
    return used


def test_the_allowlist_is_exactly_what_illnet_calls():
    assert set(config.PROCEDURES) == procedures_used()


@pytest.mark.parametrize("total, heap, cache", [
    (24 * GIB, "4g", "2g"),     # this project's machines
    (8 * GIB, "1g", "512m"),    # small laptop: floors
    (64 * GIB, "8g", "4g"),     # big workstation: caps
    (2 * GIB, "1g", "512m"),
])
def test_default_memory(total, heap, cache):
    assert config.default_memory(total) == (heap, cache)


def test_pins_come_from_the_pom_and_are_the_5_26_line():
    pins = install.pins()
    assert pins.neo4j.startswith("5.26.")
    assert pins.gds.startswith("2.13.")
    assert pins.apoc.startswith("5.26.")
    assert pins.runtime_name == f"neo4j-{pins.neo4j}_gds-{pins.gds}_apoc-{pins.apoc}_browser-{pins.browser}"


def fake_java(tmp_path: Path, version_line: str) -> Path:
    java_home = tmp_path / "jdk"
    (java_home / "bin").mkdir(parents=True)
    java = java_home / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return java_home


def test_wrong_java_version_is_refused_with_a_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(fake_java(tmp_path, 'openjdk version "11.0.2" 2019-01-15')))
    with pytest.raises(ServerError) as err:
        install.java_binary()
    assert "Java 11" in err.value.message and "17" in err.value.hint


def test_java_17_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(fake_java(tmp_path, 'openjdk version "17.0.15" 2025-04-15')))
    assert install.java_binary().endswith("bin/java")


def test_missing_java_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(ServerError) as err:
        install.java_binary()
    assert "Java was not found" in err.value.message


def test_missing_maven_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError) as err:
        install.maven_binary()
    assert "Maven" in err.value.message and "apt-get install maven" in err.value.hint


def test_port_taken_names_the_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(ServerError) as err:
            process._require_free(port, "Bolt")
    assert f"port {port} (Bolt)" in err.value.message and "--bolt-port" in err.value.hint


def test_cli_error_is_one_line_with_hint_and_exit_code_1(tmp_path):
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "nowhere"), "ILLNET_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "illnet", "server", "install"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: Java was not found") and lines[1].startswith("hint:")
    assert "Traceback" not in result.stderr


def test_make_private_closes_an_old_instance_to_others_and_follows_no_symlink(tmp_path):
    instance, outside = tmp_path / "neo4j", tmp_path / "outside.txt"
    (instance / "data" / "dbms").mkdir(parents=True)
    auth, tool = instance / "data" / "dbms" / "auth.ini", instance / "run.sh"
    for path, mode in ((auth, 0o644), (tool, 0o755), (outside, 0o644)):
        path.write_text("x")
        path.chmod(mode)
    (instance / "data").chmod(0o755)
    (instance / "link").symlink_to(outside)
    process.make_private(instance)
    assert [stat.S_IMODE(p.stat().st_mode) for p in (instance, instance / "data", auth, tool)] == [
        0o700, 0o700, 0o600, 0o700]
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644


def test_server_process_check_needs_java_main_class_and_this_home(tmp_path):
    assert not process.is_server_process(os.getpid(), tmp_path)  # python, not Neo4j
    assert not process.is_server_process(2 ** 22 + 1, tmp_path)  # no such process


def test_generated_passwords_are_long_random_letters_and_digits():
    passwords = {process.new_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9]{32}", password) for password in passwords)
