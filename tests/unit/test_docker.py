"""docker-compose.yml and docker/guide.html are what illnet.docker generates from the managed
server's sources, and that is the managed server's database: same versions and plugin
jars (its own POM), same hardening, memory and Browser content (no Docker needed here)."""

from pathlib import Path

import yaml

from illnet import docker
from illnet.browser.serve import conf_lines
from illnet.server import config, install

ROOT = Path(__file__).resolve().parents[2]


def test_generated_files_have_not_drifted():
    for relative, text in docker.generated().items():
        assert (ROOT / relative).read_text(encoding="utf-8") == text, (
            f"{relative} drifted from its sources: run `python -m illnet.docker --write`")


def test_compose_runs_the_managed_servers_versions_jars_and_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    plugins, neo4j = compose["services"]["plugins"], compose["services"]["neo4j"]
    assert neo4j["image"] == f"neo4j:{install.pins().neo4j}-community"
    assert "./src/illnet/server/pom.xml:/recipe/pom.xml:ro" in plugins["volumes"]  # the pins' one place
    assert "./src/illnet/browser/illnet.grass:/extras/illnet.grass:ro" in plugins["volumes"]
    env = neo4j["environment"]
    assert "NEO4J_PLUGINS" not in env  # the image would pick its own versions
    assert "NEO4J_AUTH" not in env and env["NEO4J_AUTH_FILE"] == "/run/secrets/neo4j_auth"
    expected = {**config.SECURITY, "server.memory.heap.max_size": config.ServerConfig().heap,
                "server.memory.pagecache.size": config.ServerConfig().pagecache,
                **dict(line.split("=", 1) for line in conf_lines(7474))}
    for setting, value in expected.items():
        assert str(env[docker.env_name(setting)]).lower() == value.lower(), setting
    assert env["NEO4J_internal_dbms_cypher__ip__blocklist"] == "0.0.0.0/0,::/0"
    assert all(port.startswith("127.0.0.1:") for port in neo4j["ports"])
    assert neo4j["depends_on"]["plugins"]["condition"] == "service_completed_successfully"
    for script in ("resolve-plugins.sh", "start-neo4j.sh"):
        assert (ROOT / "docker" / script).exists()


def test_env_names_follow_the_images_convention():
    assert docker.env_name("dbms.security.procedures.allowlist") == "NEO4J_dbms_security_procedures_allowlist"
    assert docker.env_name("server.memory.heap.max_size") == "NEO4J_server_memory_heap_max__size"
