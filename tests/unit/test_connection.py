"""Connection settings: options, then environment, then the managed server (no database)."""

import json

import pytest

from illnet.db import resolve
from illnet.errors import ConnectionFailed
from illnet.load.writer import fingerprint


@pytest.fixture
def managed(tmp_path, monkeypatch):
    """A managed-server state on port 17001 with password 'managed-secret'."""
    monkeypatch.setenv("ILLNET_HOME", str(tmp_path))
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "state.json").write_text(json.dumps({"bolt_port": 17001, "http_port": 17002}))
    (tmp_path / "password").write_text("managed-secret\n")
    return tmp_path


def test_the_managed_server_is_the_last_resort(managed):
    settings = resolve()
    assert (settings.uri, settings.user, settings.password) == ("bolt://127.0.0.1:17001", "neo4j", "managed-secret")
    assert "managed-secret" not in repr(settings)


def test_environment_wins_over_the_managed_server(managed, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example.org:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "env-secret")
    assert (resolve().uri, resolve().password) == ("bolt://db.example.org:7687", "env-secret")
    assert resolve(uri="bolt://127.0.0.1:9999", password="flag").password == "flag"


def test_the_managed_password_is_never_sent_to_another_server(managed):
    with pytest.raises(ConnectionFailed):
        resolve(uri="bolt://db.example.org:7687")


def test_a_load_with_skip_invalid_is_a_different_run():
    checksums = ["a" * 64]
    assert fingerprint("m", checksums) == fingerprint("m", checksums)
    assert fingerprint("m", checksums, skip_invalid=True) != fingerprint("m", checksums)
    assert fingerprint("m", ["b" * 64]) != fingerprint("m", checksums)
