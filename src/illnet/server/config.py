"""neo4j.conf for the managed server: loopback only, authentication on, memory sized for
the machine, only the GDS and APOC procedures illnet uses, no outbound URL access, usage
reports off. `SECURITY` is also the source of docker-compose.yml (illnet.server.compose)."""

import os
from dataclasses import dataclass
from pathlib import Path

GIB = 1024 ** 3

# JVM options of the official 5.26 neo4j.conf, without -XX:+AlwaysPreTouch (it makes
# start-up slow with a large heap and buys nothing on a shared analyst machine).
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


# Every GDS and APOC procedure or function illnet calls (queries/, queries/algo/, src/, the
# graphdatascience smoke test); nothing else of the two plugins is loaded. GDS export,
# generation, filtering, .mutate and .write procedures are absent, so not even `--write`
# reaches them. tests/unit/test_server_config.py keeps this list equal to what is used.
PROCEDURES = (
    "apoc.coll.sort", "apoc.version",
    "apoc.create.vNode", "apoc.create.vRelationship", "apoc.map.fromPairs",  # the guide's one-participant slide
    "gds.articulationPoints.stream", "gds.articulationPoints.stream.estimate",
    "gds.betweenness.stream", "gds.betweenness.stream.estimate",
    "gds.bridges.stream", "gds.bridges.stream.estimate",
    "gds.debug.sysInfo",
    "gds.degree.stream", "gds.degree.stream.estimate",
    "gds.graph.drop", "gds.graph.exists", "gds.graph.list", "gds.graph.project",
    "gds.graph.relationships.stream",
    "gds.kmeans.stream", "gds.kmeans.stream.estimate", "gds.listProgress",
    "gds.louvain.stream", "gds.louvain.stream.estimate",
    "gds.nodeSimilarity.stream", "gds.nodeSimilarity.stream.estimate",
    "gds.util.asNode", "gds.util.asNodes", "gds.util.nodeProperty",
    "gds.version",
    "gds.wcc.stream", "gds.wcc.stream.estimate",
)

# Hardening shared by the managed server and docker-compose.yml.
SECURITY = {
    "dbms.security.auth_enabled": "true",
    "dbms.security.procedures.allowlist": ",".join(PROCEDURES),
    "dbms.security.procedures.unrestricted": ",".join(PROCEDURES),
    # Neo4j 5.26's name for the Cypher IP blocklist (GraphDatabaseInternalSettings): every
    # IPv4 and IPv6 address, so LOAD CSV and APOC cannot fetch (or send data to) any URL.
    "internal.dbms.cypher_ip_blocklist": "0.0.0.0/0,::/0",
    "dbms.usage_report.enabled": "false",
    "client.allow_telemetry": "false",
}


@dataclass(frozen=True)
class ServerConfig:
    """What varies between starts: ports, memory and folders."""

    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "4g"
    pagecache: str = "2g"


def total_memory_bytes() -> int:
    """Physical memory of this machine."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def default_memory(total: int | None = None) -> tuple[str, str]:
    """Heap and page cache for a machine shared with Python and pandas.

    Heap: a sixth of RAM (GDS projections live on the heap), between 1 and 8 GiB.
    Page cache: a twelfth of RAM (in 512 MiB steps), between 512 MiB and 4 GiB. On 24 GiB:
    4g and 2g,
    leaving about 18 GiB for the analyst's own work.
    """
    total = total or total_memory_bytes()
    heap_gib = min(8, max(1, round(total / (6 * GIB))))
    cache_mib = min(4096, max(512, round(total / (12 * 512 * 1024 ** 2)) * 512))
    return f"{heap_gib}g", f"{cache_mib // 1024}g" if cache_mib % 1024 == 0 else f"{cache_mib}m"


def render(config: ServerConfig, runtime: Path, instance: Path, extra: list[str] = ()) -> str:
    """The text of neo4j.conf."""
    lines = [
        "# Written by `illnet server start`; edits are overwritten at the next start.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{config.bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{config.bolt_port}",
        "server.http.enabled=true",
        f"server.http.listen_address=127.0.0.1:{config.http_port}",
        f"server.http.advertised_address=127.0.0.1:{config.http_port}",
        "server.https.enabled=false",
        *(f"{key}={value}" for key, value in SECURITY.items()),
        f"server.memory.heap.initial_size={config.heap}",
        f"server.memory.heap.max_size={config.heap}",
        f"server.memory.pagecache.size={config.pagecache}",
        "db.tx_log.rotation.retention_policy=2 days 1G",
        # Bolt's network threads otherwise wait a quiet period of 5 s, twice, for work that
        # cannot come (every connection is closed by then): a stop took 10 s, now under 1 s.
        # An internal setting of Neo4j 5 (its own test servers set it so); a runtime that no
        # longer knows it refuses to start (strict validation), so it cannot lapse unseen.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        f"server.directories.lib={runtime / 'lib'}",
        f"server.directories.plugins={runtime / 'plugins'}",
        f"server.directories.data={instance / 'data'}",
        f"server.directories.logs={instance / 'logs'}",
        f"server.directories.run={instance / 'run'}",
        f"server.directories.import={instance / 'import'}",
        *(f"server.jvm.additional={option}" for option in JVM_OPTIONS),
        *extra,
    ]
    return "\n".join(lines) + "\n"
