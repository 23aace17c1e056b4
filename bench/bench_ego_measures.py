"""Time `ego_measures` in one call against the loop an analyst would write, with networkx and python-igraph.

    python -m bench.bench_ego_measures [--participants 20000] [--seed 1] [--keep]

Builds a generated study with member-member ties (illnet/synth/graph.py) in the database named by
NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD (it WIPES that database first, unless --keep), then computes
the same per-participant measures of wave 0 (size, ties, density, weighted density, components,
isolates, mean and max degree, the participant's constraint, effective size and efficiency with the
participant included, members per tie class) three ways:

  ego_measures  illnet.queries.run("ego_measures", wave=0): one call, one read transaction;
  networkx      for each participant, pull its members and ties with the driver (one query each,
                as an analyst's loop does), then compute with networkx;
  igraph        the same pulled networks, computed with python-igraph (effective size from the
                formula n - 2t/n, since igraph has none).

The pull is timed once and counted in both loops. A second baseline pulls every network in one
query before looping (the fastest an analyst can do by hand). Prints the times, the ratios, and
the largest difference between illnet's answers and each baseline's. No assertions.
"""

import time

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from illnet.queries import run
from bench.generated import generated_study

STUDY = "bench"
REPEAT = 3  # ego_measures is timed this many times (median); each loop once, being long
CLASSES = ("strong", "weak", "professional", "non_human")
NETWORK = """
RETURN p.participantId AS participantId,
       [(p)-[:HAS_MEMBER {wave: 0}]->(m:NetworkMember) | [m.memberId, m.tieClass]] AS members,
       [(p)-[:HAS_MEMBER {wave: 0}]->(a:NetworkMember)-[k:KNOWS {wave: 0}]->(b:NetworkMember) |
        [a.memberId, b.memberId, k.weight]] AS ties
"""
ONE_NETWORK = "MATCH (p:Participant {key: $key})" + NETWORK
ALL_NETWORKS = "MATCH (:Study {studyId: $study})<-[:IN_STUDY]-(p:Participant)" + NETWORK


def pull_one_by_one(driver, database) -> dict:
    """participantId -> (members [(id, tieClass)], ties [(a, b, weight)]), one query per participant."""
    keys = [r["key"] for r in driver.execute_query(
        "MATCH (:Study {studyId: $study})<-[:IN_STUDY]-(p:Participant) RETURN p.key AS key",
        study=STUDY, database_=database).records]
    networks = {}
    with driver.session(database=database) as session:
        for key in keys:
            record = session.run(ONE_NETWORK, key=key).single()
            networks[record["participantId"]] = (record["members"], record["ties"])
    return networks


def pull_at_once(driver, database) -> dict:
    records, _, _ = driver.execute_query(ALL_NETWORKS, study=STUDY, database_=database)
    return {r["participantId"]: (r["members"], r["ties"]) for r in records}


def _common(members, ties) -> dict:
    n = len(members)
    pairs = {tuple(sorted((a, b))) for a, b, _ in ties}
    weight = sum(1.0 if w is None else w for _, _, w in ties)
    possible = n * (n - 1) / 2
    classes = [c for _, c in members]
    return {"size": n, "ties": len(pairs), "density": len(pairs) / possible if n > 1 else None,
            "weightedDensity": weight / possible if n > 1 else None,
            **{c: classes.count(c) for c in CLASSES}}


def with_networkx(networks: dict) -> pd.DataFrame:
    rows = []
    for pid, (members, ties) in networks.items():
        graph = nx.Graph()
        graph.add_nodes_from(m for m, _ in members)
        graph.add_edges_from((a, b) for a, b, _ in ties)
        row = {"participantId": pid, **_common(members, ties)}
        n = row["size"]
        if n:
            degrees = [d for _, d in graph.degree]
            ego = nx.Graph(graph)
            ego.add_edges_from(("EGO", m) for m in graph)
            effective = nx.effective_size(ego, nodes=["EGO"])["EGO"]
            row |= {"components": nx.number_connected_components(graph), "isolates": nx.number_of_isolates(graph),
                    "meanDegree": sum(degrees) / n, "maxDegree": max(degrees),
                    "constraint": nx.constraint(ego, nodes=["EGO"])["EGO"], "effectiveSize": effective,
                    "efficiency": effective / n}
        rows.append(row)
    return pd.DataFrame(rows)


def with_igraph(networks: dict) -> pd.DataFrame:
    rows = []
    for pid, (members, ties) in networks.items():
        index = {m: i for i, (m, _) in enumerate(members)}
        n = len(members)
        graph = ig.Graph(n=n, edges=[(index[a], index[b]) for a, b, _ in ties]).simplify()
        row = {"participantId": pid, **_common(members, ties)}
        if n:
            degrees = graph.degree()
            ego = graph.copy()
            ego.add_vertices(1)
            ego.add_edges([(i, n) for i in range(n)])
            t = graph.ecount()
            row |= {"components": len(graph.connected_components()), "isolates": degrees.count(0),
                    "meanDegree": sum(degrees) / n, "maxDegree": max(degrees),
                    "constraint": ego.constraint([n])[0], "effectiveSize": n - 2 * t / n,
                    "efficiency": (n - 2 * t / n) / n}
        rows.append(row)
    return pd.DataFrame(rows)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def largest_difference(ours: pd.DataFrame, theirs: pd.DataFrame, column: str) -> float:
    joined = ours[["participantId", column]].merge(theirs[["participantId", column]], on="participantId",
                                                   suffixes=("", "_other"))
    return float(np.nanmax(np.abs(joined[column].astype(float) - joined[f"{column}_other"].astype(float))))


def main() -> None:
    args, settings, driver = generated_study(__doc__.splitlines()[0], 20_000, study_id=STUDY)
    database = settings.database
    counts = driver.execute_query(
        "MATCH (p:Participant {studyId: $study}) WITH count(p) AS participants "
        "MATCH (:Participant {studyId: $study})-[:HAS_MEMBER {wave: 0}]->(m) WITH participants, count(m) AS members "
        "MATCH (:NetworkMember {studyId: $study})-[k:KNOWS {wave: 0}]->() "
        "RETURN participants, members, count(k) AS ties", study=STUDY, database_=database).records[0]
    print(f"{counts['participants']} participants, {counts['members']} members and {counts['ties']} member ties "
          "at wave 0")
    run("ego_measures", settings=settings, driver=driver, study=STUDY, wave=0)  # warm-up
    calls = [timed(lambda: run("ego_measures", settings=settings, driver=driver, study=STUDY, wave=0))
             for _ in range(REPEAT)]
    ours, t_ours = calls[0][0], float(np.median([seconds for _, seconds in calls]))
    networks, t_pull = timed(pull_one_by_one, driver, database)
    _, t_pull_once = timed(pull_at_once, driver, database)
    by_nx, t_nx = timed(with_networkx, networks)
    by_ig, t_ig = timed(with_igraph, networks)
    print(f"ego_measures, one call (median of {REPEAT})      {t_ours:7.2f} s  ({len(ours)} rows)")
    print(f"pull each network (one query each)         {t_pull:7.2f} s")
    print(f"pull every network in one query            {t_pull_once:7.2f} s")
    print(f"compute with networkx                      {t_nx:7.2f} s")
    print(f"compute with python-igraph                 {t_ig:7.2f} s")
    print(f"analyst's loop, networkx (pull + compute)  {t_pull + t_nx:7.2f} s   "
          f"ratio to ego_measures {(t_pull + t_nx) / t_ours:.1f}x")
    print(f"analyst's loop, igraph (pull + compute)    {t_pull + t_ig:7.2f} s   "
          f"ratio to ego_measures {(t_pull + t_ig) / t_ours:.1f}x")
    print(f"bulk pull + networkx                       {t_pull_once + t_nx:7.2f} s   "
          f"ratio to ego_measures {(t_pull_once + t_nx) / t_ours:.1f}x")
    print(f"bulk pull + igraph                         {t_pull_once + t_ig:7.2f} s   "
          f"ratio to ego_measures {(t_pull_once + t_ig) / t_ours:.1f}x")
    for name, theirs in (("networkx", by_nx), ("igraph", by_ig)):
        print(f"largest |difference| to {name}: constraint {largest_difference(ours, theirs, 'constraint'):.2e}, "
              f"components {largest_difference(ours, theirs, 'components'):.0f}, "
              f"density {largest_difference(ours, theirs, 'density'):.2e}")
    driver.close()


if __name__ == "__main__":
    main()
