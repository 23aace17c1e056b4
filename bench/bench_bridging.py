"""Time the bridging job end to end against per-participant networkx and python-igraph loops.

    python -m bench.bench_bridging [--participants 20000] [--seed 1] [--keep] [--no-networkx]

Builds a generated study with member-member ties (illnet/synth/graph.py) in the
database named by NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD (it WIPES that database first),
then times three ways of computing and writing the same member measures (betweenness
normalised per network, articulation points, constraint, effective size) for wave 0:

  gds       illnet's `bridging_members` job in write mode (per partition of whole networks: project,
            GDS, derive, drop; then write);
  networkx  pull members and ties with Cypher, loop over participants with networkx, UNWIND write;
  igraph    the same loop with python-igraph (constraint from igraph; effective size from the
            igraph adjacency, since igraph has none).

Prints the times, the stages of each, the ratios, and whether the loops' values equal the job's
(every member: normalised betweenness, articulation point, constraint, effective size, to 1e-9;
null constraint and effective size for members without ties). No assertions.
"""

import time
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from illnet.query import algorithms
from bench.generated import generated_study

WRITE = ("UNWIND $rows AS row MATCH (m:NetworkMember {key: row.key}) "
         "SET m.bridgingBetweenness = row.b, m.isArticulationPoint = row.ap, m.constraint = row.c, "
         "m.effectiveSize = row.e, m.bridgingWave = 0")
BATCH = 10_000


@contextmanager
def stage(timings: dict, name: str):
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start  # summed over partitions


def pull(driver, database) -> tuple[pd.DataFrame, pd.DataFrame]:
    members, _, _ = driver.execute_query(
        "MATCH (p:Participant)-[:HAS_MEMBER {wave: 0}]->(m:NetworkMember) RETURN p.participantId AS pid, m.key AS key",
        database_=database)
    ties, _, _ = driver.execute_query(
        "MATCH (p:Participant)-[:HAS_MEMBER {wave: 0}]->(a:NetworkMember)-[:KNOWS {wave: 0}]->(b:NetworkMember) "
        "RETURN p.participantId AS pid, a.key AS a, b.key AS b", database_=database)
    return (pd.DataFrame([r.values() for r in members], columns=["pid", "key"]),
            pd.DataFrame([r.values() for r in ties], columns=["pid", "a", "b"]))


def write(driver, database, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        driver.execute_query(WRITE, rows=rows[start:start + BATCH], database_=database)


def networkx_rows(members: pd.DataFrame, ties: pd.DataFrame) -> list[dict]:
    rows, ties_of = [], dict(tuple(ties.groupby("pid")))
    for pid, group in members.groupby("pid"):
        graph = nx.Graph()
        graph.add_nodes_from(group["key"])
        if pid in ties_of:
            graph.add_edges_from(ties_of[pid][["a", "b"]].itertuples(index=False))
        b, ap = nx.betweenness_centrality(graph), set(nx.articulation_points(graph))
        c, e = nx.constraint(graph), nx.effective_size(graph)
        rows += [{"key": n, "b": b[n], "ap": n in ap, "c": c[n], "e": e[n]} for n in graph]
    return rows


def igraph_rows(members: pd.DataFrame, ties: pd.DataFrame) -> list[dict]:
    rows, ties_of = [], dict(tuple(ties.groupby("pid")))
    for pid, group in members.groupby("pid"):
        keys = list(group["key"])
        index = {key: i for i, key in enumerate(keys)}
        edges = [(index[a], index[b]) for a, b in ties_of[pid][["a", "b"]].itertuples(index=False)] \
            if pid in ties_of else []
        graph = ig.Graph(n=len(keys), edges=edges)
        n = len(keys)
        scale = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
        b = [value / scale for value in graph.betweenness(directed=False)]
        ap = set(graph.articulation_points())
        c = graph.constraint()
        neighbours = graph.get_adjlist()
        for i, key in enumerate(keys):
            degree = len(neighbours[i])
            if degree:
                among = sum(1 for x in neighbours[i] for y in neighbours[x] if y in neighbours[i]) / 2
                size = degree - 2 * among / degree
            else:
                size = c[i] = None
            rows.append({"key": key, "b": b[i], "ap": i in ap, "c": c[i], "e": size})
    return rows


def loop(driver, database, compute) -> tuple[float, dict, pd.DataFrame]:
    timings = {}
    with stage(timings, "pull"):
        members, ties = pull(driver, database)
    with stage(timings, "compute"):
        rows = compute(members, ties)
    with stage(timings, "write"):
        write(driver, database, rows)
    return sum(timings.values()), timings, pd.DataFrame(rows).set_index("key")


def differences(job: pd.DataFrame, other: pd.DataFrame) -> int:
    """Members whose four values differ between the job's frame and a loop's (NaN equals null)."""
    job = job.set_index("key").rename(columns={"normalisedBetweenness": "b", "isArticulationPoint": "ap",
                                               "constraint": "c", "effectiveSize": "e"})
    if set(job.index) != set(other.index):
        return len(set(job.index) ^ set(other.index))
    other = other.loc[job.index]
    bad = job["ap"].astype(bool).to_numpy() != other["ap"].astype(bool).to_numpy()
    for column in ("b", "c", "e"):
        mine, theirs = job[column].astype(float).to_numpy(), other[column].astype(float).to_numpy()
        bad |= ~(np.isclose(mine, theirs, rtol=0, atol=1e-9) | (np.isnan(mine) & np.isnan(theirs)))
    return int(bad.sum())


def gds(driver, settings) -> tuple[float, dict, pd.DataFrame]:
    timings = {}
    originals = {name: getattr(algorithms, name) for name in ("check_memory", "write_back", "combine")}

    def timed(name, label):
        def wrapper(*args, **kwargs):
            with stage(timings, label):
                return originals[name](*args, **kwargs)
        return wrapper

    algorithms.check_memory = timed("check_memory", "count + estimate")
    algorithms.combine = timed("combine", "derive (pandas)")
    algorithms.write_back = timed("write_back", "write")
    try:
        start = time.perf_counter()
        frame = algorithms.run_job("bridging_members", settings, mode="write", driver=driver, wave=0)
        total = time.perf_counter() - start
    finally:
        for name, original in originals.items():
            setattr(algorithms, name, original)
    timings["needs, partitions, project + GDS calls + drop"] = total - sum(timings.values())
    return total, timings, frame


def main() -> None:
    args, settings, driver = generated_study(__doc__.splitlines()[0], 20_000,
                                             flags={"--no-networkx": "leave out the (slowest) networkx loop"})
    database = settings.database
    counts = driver.execute_query(
        "MATCH (m:NetworkMember) WITH count(m) AS members MATCH ()-[k:KNOWS {wave: 0}]->() "
        "RETURN members, count(k) AS ties", database_=database).records[0]
    print(f"{args.participants} participants, {counts['members']} members, {counts['ties']} wave-0 member ties")
    results = {"gds": gds(driver, settings), "igraph": loop(driver, database, igraph_rows)}
    if not args.no_networkx:
        results["networkx"] = loop(driver, database, networkx_rows)
    for name, (total, timings, _) in results.items():
        parts = ", ".join(f"{stage_name} {seconds:.2f}" for stage_name, seconds in timings.items())
        print(f"{name:9s} {total:7.2f} s   ({parts})")
    base, job_frame = results["gds"][0], results["gds"][2]
    for name in results.keys() - {"gds"}:
        print(f"{name} / gds = {results[name][0] / base:.2f}; members whose values differ from the job's: "
              f"{differences(job_frame, results[name][2])} of {len(job_frame)}")
    driver.close()


if __name__ == "__main__":
    main()
