"""Where the managed Neo4j lives on disk, and what `illnet server` remembers about it.

Everything sits in one folder outside the repository: $ILLNET_HOME, else
$XDG_CACHE_HOME/illnet, else ~/.cache/illnet. The folder is private (0700): it holds the
database, its logs and the password.

    <home>/runtime/<pins>/{lib,plugins}   jars laid out by `illnet server install`
    <home>/neo4j/{conf,data,logs,run,import}   the server instance (NEO4J_HOME)
    <home>/password                        generated password, mode 0600
    <home>/state.json                      ports and runtime of the last start
    <home>/release-keys/<study>.key        per-study pseudonym secrets, mode 0600 (illnet.release)
"""

import json
import os
from pathlib import Path

USER = "neo4j"


def home() -> Path:
    """The illnet home folder (not created here)."""
    if os.environ.get("ILLNET_HOME"):
        return Path(os.environ["ILLNET_HOME"]).expanduser().resolve()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (cache / "illnet").resolve()


def private_home() -> Path:
    """The illnet home, created if needed and made private to its owner (0700)."""
    path = home()
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def instance_dir() -> Path:
    """NEO4J_HOME of the managed server."""
    return home() / "neo4j"


def password_file() -> Path:
    """File holding the generated password (0600)."""
    return home() / "password"


def state_file() -> Path:
    """JSON file with the ports and runtime of the last start."""
    return home() / "state.json"


def read_state() -> dict:
    """The saved state, or {} when the server was never started."""
    try:
        return json.loads(state_file().read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def write_state(data: dict) -> None:
    """Save the state (no secrets in it, but private like the rest of the home)."""
    private_home()
    state_file().write_text(json.dumps(data, indent=2))
    state_file().chmod(0o600)


def read_password() -> str | None:
    """The generated password, or None if none was generated yet."""
    try:
        return password_file().read_text().strip()
    except FileNotFoundError:
        return None


def bolt_uri(data: dict | None = None) -> str | None:
    """Bolt URI of the managed server from its state."""
    data = read_state() if data is None else data
    return f"bolt://127.0.0.1:{data['bolt_port']}" if "bolt_port" in data else None


def browser_url(data: dict | None = None) -> str | None:
    """Neo4j Browser URL of the managed server from its state."""
    data = read_state() if data is None else data
    return f"http://127.0.0.1:{data['http_port']}/browser/" if "http_port" in data else None


def connection_defaults() -> dict:
    """uri/user/password of the managed server, {} when it was never started."""
    data = read_state()
    password = read_password()
    if not data or not password:
        return {}
    return {"uri": bolt_uri(data), "user": USER, "password": password}
