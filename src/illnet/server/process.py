"""Start, stop and inspect the managed Neo4j.

The server is started with Neo4j's own launcher (`Neo4jCommand start`, what the
official `bin/neo4j start` runs), which builds the server JVM's command line from
neo4j.conf and leaves the server running in the background after illnet exits.

Private by default: the launcher (and so the server JVM it starts) runs with umask 077,
the instance's folders already there are made 0700 and its files 0600 at every start, the
illnet home is 0700 (managed.private_home), and neither the
password nor NEO4J_PASSWORD reaches the server's command line or environment.
"""

import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from illnet.errors import ServerError
from illnet.server import config as conf
from illnet import managed
from illnet.server import install

READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60
LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"
SERVER_MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
UMASK = 0o077
# Never handed to the server: it has no use for them, and its environment is readable
# (by the same user) in /proc.
SECRET_VARIABLES = ("NEO4J_PASSWORD", "NEO4J_AUTH")


def pid() -> int | None:
    """PID of the running managed server, or None."""
    try:
        value = int((managed.instance_dir() / "run" / "neo4j.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return value if is_server_process(value, managed.instance_dir()) else None


def is_server_process(candidate: int, instance: Path) -> bool:
    """True when the process is a Neo4j server JVM of this instance: its executable is
    `java`, its main class Neo4j's entry point, and its home argument this instance (whole
    arguments compared, so a stale pid file naming another process cannot match)."""
    try:
        executable = Path(os.readlink(f"/proc/{candidate}/exe"))
        arguments = Path(f"/proc/{candidate}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return (executable.name == "java" and SERVER_MAIN_CLASS in arguments
            and f"--home-dir={instance}" in arguments)


def is_running() -> bool:
    """True when the managed server's process is alive."""
    return pid() is not None


def start(bolt_port: int | None = None, http_port: int | None = None, heap: str | None = None,
          pagecache: str | None = None, configure: Callable[[int], list[str]] | None = None,
          console: Console | None = None) -> dict:
    """Start the server in the background and wait until Bolt answers; return its state.

    A second start while running changes nothing and returns {"already_running": True, ...}.
    Ports and memory not given are those of the last start (then ILLNET_HEAP and
    ILLNET_PAGECACHE, then defaults for the machine's memory, for memory), so that a
    restart (as `load --bulk` does) keeps them.
    `configure`, when given, is called with the HTTP port once the runtime is installed and
    the instance folders exist; it returns extra neo4j.conf lines (the Browser content of
    illnet.browser.serve, say). The server itself knows nothing of what they are for.
    """
    saved = managed.read_state()
    if is_running():
        return {**saved, "already_running": True}
    default_heap, default_cache = conf.default_memory()
    cfg = conf.ServerConfig(
        bolt_port=bolt_port or saved.get("bolt_port", 7687),
        http_port=http_port or saved.get("http_port", 7474),
        heap=heap or os.environ.get("ILLNET_HEAP") or saved.get("heap") or default_heap,
        pagecache=pagecache or os.environ.get("ILLNET_PAGECACHE") or saved.get("pagecache") or default_cache,
    )
    for port, role in ((cfg.bolt_port, "Bolt"), (cfg.http_port, "HTTP")):
        _require_free(port, role)
    if not install.is_installed():
        with console_or_default(console).status("installing the Neo4j runtime from Maven Central (once) ..."):
            install.install()
    java = install.java_binary()
    runtime, instance = install.runtime_dir(), managed.instance_dir()
    managed.private_home()
    for sub in ("conf", "data", "logs", "run", "import"):
        (instance / sub).mkdir(parents=True, exist_ok=True)
    extra_lines = configure(cfg.http_port) if configure else []
    (instance / "conf" / "neo4j.conf").write_text(conf.render(cfg, runtime, instance, extra_lines))
    _ensure_password(java, runtime, instance)
    new_state = {"bolt_port": cfg.bolt_port, "http_port": cfg.http_port, "heap": cfg.heap,
                 "pagecache": cfg.pagecache, "runtime": str(runtime), "pins": install.pins().__dict__}
    managed.write_state(new_state)
    make_private(instance)
    started = time.monotonic()
    result = _launcher(java, runtime, instance, "start")
    if result.returncode != 0:
        raise ServerError(f"Neo4j refused to start: {_last_line(result.stdout + result.stderr)}",
                          hint=f"see {instance / 'logs'}; `illnet server logs` shows the tail")
    _wait_until_ready(new_state, console)
    new_state["start_seconds"] = round(time.monotonic() - started, 1)
    new_state["pid"] = pid()
    return new_state


def stop(timeout: float = STOP_TIMEOUT_S) -> bool:
    """Stop the server gracefully (SIGTERM), forcing it (SIGKILL) after `timeout` seconds.

    Returns False when it was not running."""
    running = pid()
    if running is None:
        return False
    os.kill(running, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid() is None:
            break
        time.sleep(0.2)
    else:
        os.kill(running, signal.SIGKILL)
        while pid() is not None:
            time.sleep(0.1)
    (managed.instance_dir() / "run" / "neo4j.pid").unlink(missing_ok=True)
    return True


def reset(configure: Callable[[int], list[str]] | None = None) -> bool:
    """Wipe the database (all data and transaction logs). Restarts the server if it ran
    (with `configure` as in start)."""
    was_running = stop()
    shutil.rmtree(managed.instance_dir() / "data", ignore_errors=True)
    if was_running:
        start(configure=configure)
    return was_running


def make_private(root: Path) -> None:
    """Folders 0700 and files 0600 (executable bits kept for the owner) under root (symlinks
    not followed): for instances created before illnet made them private."""
    for folder, _, file_names in os.walk(root):
        path = Path(folder)
        path.chmod(0o700)
        for name in file_names:
            item = path / name
            if not item.is_symlink():
                item.chmod(item.stat().st_mode & 0o700)


def log_tail(lines: int = 40, debug: bool = False) -> list[str]:
    """The last lines of neo4j.log (or debug.log)."""
    path = managed.instance_dir() / "logs" / ("debug.log" if debug else "neo4j.log")
    try:
        with path.open(errors="replace") as handle:
            return [line.rstrip("\n") for line in deque(handle, maxlen=lines)]
    except FileNotFoundError:
        return []


def _require_free(port: int, role: str) -> None:
    """ServerError naming the port when another program holds it on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            option = "--bolt-port" if role == "Bolt" else "--http-port"
            raise ServerError(f"port {port} ({role}) is already in use by another program",
                              hint=f"stop that program or choose another port with `illnet server start {option} N`"
                              ) from None


def new_password() -> str:
    """32 random letters and digits (190 bits): nothing a shell or an option parser reads
    as special, such as a leading "-"."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def _ensure_password(java: str, runtime: Path, instance: Path) -> None:
    """Generate a password on first start (0600 file) and set it before the database exists."""
    path = managed.password_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(new_password() + "\n")
    os.chmod(path, 0o600)
    if (instance / "data" / "databases" / "system").exists():
        return
    # The password goes in an @-file (0600), not on the command line where `ps` shows it.
    argument_file = instance / "run" / "initial-password.args"
    fd = os.open(argument_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        # `--` ends the options, so that a password beginning with "-" is not read as one.
        handle.write(f"dbms\nset-initial-password\n--\n{managed.read_password()}\n")
    try:
        result = subprocess.run([java, "-cp", f"{runtime / 'lib'}/*", ADMIN, f"@{argument_file}"],
                                env=_env(instance), capture_output=True, text=True, umask=UMASK)
    finally:
        argument_file.unlink(missing_ok=True)
    if result.returncode != 0:
        raise ServerError(f"could not set the initial password: {_last_line(result.stdout + result.stderr)}",
                          hint="run `illnet server reset --yes` and start again")


def import_full(nodes: list[tuple[str, Path]], relationships: list[tuple[str, Path]]) -> str:
    """Replace the managed server's `neo4j` database by the given CSV files, with
    `neo4j-admin database import full` (the server must be stopped: ServerError otherwise).
    `nodes` are (labels, file) pairs, `relationships` (type, file) pairs; returns the
    importer's last line of output."""
    if is_running():
        raise ServerError("the managed server is running; a bulk import needs it stopped",
                          hint="stop it with `illnet server stop` (illnet load --bulk does so itself)")
    java, runtime, instance = install.java_binary(), install.runtime_dir(), managed.instance_dir()
    # The database name comes first: --nodes and --relationships take several files each.
    arguments = ["database", "import", "full", "neo4j", "--overwrite-destination=true", "--id-type=string",
                 "--multiline-fields=true", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
                 f"--report-file={instance / 'logs' / 'import.report'}",
                 *(f"--nodes={labels}={path}" for labels, path in nodes),
                 *(f"--relationships={rel_type}={path}" for rel_type, path in relationships)]
    result = subprocess.run([java, "-cp", f"{runtime / 'lib'}/*", ADMIN, *arguments], env=_env(instance),
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, umask=UMASK)
    if result.returncode != 0:
        raise ServerError(f"neo4j-admin import failed: {_last_line(result.stdout + result.stderr)}",
                          hint=f"see {instance / 'logs'}; the previous database is left as it was only if "
                               "the import stopped before writing")
    return _last_line(result.stdout)


def _launcher(java: str, runtime: Path, instance: Path, command: str) -> subprocess.CompletedProcess:
    """Run Neo4j's launcher with a small heap of its own."""
    return subprocess.run(
        [java, "-Xmx128m", "-cp", f"{runtime / 'lib'}/*", f"-Dbasedir={instance}", LAUNCHER, command],
        env=_env(instance), capture_output=True, text=True, stdin=subprocess.DEVNULL, umask=UMASK)


def _env(instance: Path) -> dict:
    """The launcher's environment: ours without JVM overrides and secrets, plus the instance."""
    dropped = ("JAVA_OPTS", "HEAP_SIZE", *SECRET_VARIABLES)
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**env, "NEO4J_HOME": str(instance), "NEO4J_CONF": str(instance / "conf")}


def _wait_until_ready(saved: dict, console: Console | None) -> None:
    """Poll Bolt until the server answers; ServerError with the log tail if it dies or hangs."""
    import neo4j

    uri = managed.bolt_uri(saved)
    deadline = time.monotonic() + READY_TIMEOUT_S
    with console_or_default(console).status(f"waiting for Neo4j on {uri} ..."):
        while time.monotonic() < deadline:
            if not is_running():
                time.sleep(0.5)  # the pid file may lag the process by a moment
                if not is_running():
                    tail = "\n".join(log_tail(15))
                    raise ServerError(f"Neo4j stopped during start-up; last lines of its log:\n{tail}",
                                      hint="fix the cause above (memory settings, ports, disk) and start again")
            try:
                with neo4j.GraphDatabase.driver(uri, auth=(managed.USER, managed.read_password())) as driver:
                    driver.verify_connectivity()
                return
            except Exception:  # not ready yet: connection refused or still starting
                time.sleep(0.5)
    raise ServerError(f"Neo4j did not answer on {uri} within {READY_TIMEOUT_S} s",
                      hint="see `illnet server logs`")


def console_or_default(console: Console | None) -> Console:
    """The caller's console, or one on stderr."""
    return console or Console(stderr=True)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"
