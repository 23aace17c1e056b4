"""Measures GDS does not provide, computed from streamed results (vectorised: numpy, pandas, python-igraph).

- Burt's constraint and effective size of every node of a pooled undirected, unweighted graph
  (many personal networks at once), with python-igraph as a load computes them
  (illnet.model.structure), as networkx's `constraint` and `effective_size` define
  them for such graphs: with p(u, v) = 1 / degree(u) for a tie u-v,
      constraint(u)     = sum over contacts v of (p(u, v) + sum over w of p(u, w) p(w, v))^2,
                          w running over contacts of u that are also contacts of v;
      effective size(u) = degree(u) - 2 t(u) / degree(u), t(u) = ties among u's contacts.
  Both are NaN for an isolated node (as in networkx).
- Betweenness normalised within each personal network: GDS betweenness on an undirected graph
  counts each unordered pair once; dividing by (n-1)(n-2)/2, n = members of that participant's
  network at that wave, gives networkx's normalised betweenness (0 when n < 3).
- EU-WISE network types from k-means centroids (see `label_centroids`).

The derivations named in a job's `derive:` are registered in DERIVATIONS.
"""

import re

import numpy as np
import pandas as pd

from illnet.model import structure

NETWORK_TYPES = ("restricted", "weak_ties", "family", "diverse", "minimal_family")
_GDS_PROCEDURE = re.compile(r"^gds(\.[A-Za-z][A-Za-z0-9]*)+$")
_SET_TARGET = re.compile(r"\b(\w+)\.(\w+)\s*=")
_BINDING = re.compile(r"\((\w+):(\w+)|\[(\w+):(\w+)")


def is_gds_procedure(name: str) -> bool:
    """True for a dotted gds.* procedure name (the only text a job formats into Cypher)."""
    return bool(_GDS_PROCEDURE.match(name or ""))


def set_targets(statement: str) -> list[str]:
    """'Label.property' for every `variable.property =` in a statement's SET clauses.

    The label (or relationship type) is the one the variable is bound to in a pattern such as
    (m:NetworkMember ...) or [k:KNOWS ...]."""
    labels = {}
    for node_var, node_label, rel_var, rel_type in _BINDING.findall(statement):
        labels[node_var or rel_var] = node_label or rel_type
    set_clauses = re.findall(r"\bSET\b(.*?)(?=\bWITH\b|\bRETURN\b|\bMATCH\b|\bSET\b|\}|$)", statement, flags=re.S)
    targets = []
    for clause in set_clauses:
        for variable, prop in _SET_TARGET.findall(clause):
            targets.append(f"{labels.get(variable, '?')}.{prop}")
    return targets


def burt_measures(nodes: pd.Index, sources, targets) -> pd.DataFrame:
    """Degree, constraint and effective size of every node (index `nodes`) of an undirected graph,
    as illnet.model.structure computes them at load.

    sources/targets: the ties, in any direction, duplicates and self-loops ignored."""
    codes = pd.Index(nodes)
    a, b = codes.get_indexer(sources), codes.get_indexer(targets)
    keep = (a >= 0) & (b >= 0)
    measures = structure.burt(structure.simple_graph(len(codes), np.column_stack([a[keep], b[keep]])))
    return pd.DataFrame({"degree": measures["degree"].to_numpy(), "constraint": measures["constraint"].to_numpy(),
                         "effectiveSize": measures["effective_size"].to_numpy()}, index=codes)


def normalise_within_networks(betweenness: pd.Series, network: pd.Series) -> pd.Series:
    """Betweenness divided by (n-1)(n-2)/2, n = nodes in the same network (0 when n < 3).

    network: one value per personal network (e.g. "study|participant"), so that networks of two
    studies with the same participant id are apart."""
    return structure.normalised_betweenness(betweenness, network.map(network.value_counts()))


def bridging_members(frames: dict[str, pd.DataFrame], params: dict) -> pd.DataFrame:
    """Per member: degree, raw and normalised betweenness, articulation point, constraint, effective size.

    frames: `members` (every projected node: nodeId and its properties), `betweenness` (nodeId, score),
    `articulation` (nodeIds; none from a graph without ties) and `ties` (source and target nodeIds)."""
    members = frames["members"].set_index("nodeId")
    edges = frames["ties"].reindex(columns=["source", "target"])
    burt = burt_measures(members.index, edges["source"].to_numpy(), edges["target"].to_numpy())
    scores = frames["betweenness"].reindex(columns=["nodeId", "betweenness"]).set_index("nodeId")["betweenness"]
    result = members.join(burt)
    result["betweenness"] = scores.reindex(result.index).fillna(0.0).astype(float)
    network = result["studyId"] + "|" + result["participantId"]
    result["normalisedBetweenness"] = normalise_within_networks(result["betweenness"], network)
    result["networkSize"] = network.map(network.value_counts())
    result["isArticulationPoint"] = result.index.isin(frames["articulation"].reindex(columns=["nodeId"])["nodeId"])
    columns = ["key", "studyId", "participantId", "memberId", "relationshipType", "networkSize", "degree",
               "betweenness", "normalisedBetweenness", "isArticulationPoint", "constraint", "effectiveSize"]
    return result[columns].sort_values(["studyId", "participantId", "memberId"], ignore_index=True)


def label_centroids(centroids: pd.DataFrame) -> dict:
    """Name each k-means cluster (index) with one of the five EU-WISE network types.

    centroids: one row per cluster with columns sizeScaled, weakShare, partnerShare, familyShare.
    Greedy rule, each step choosing among the clusters not yet named:
      1. restricted     - the smallest mean network size;
      2. weak_ties      - the largest weak-tie share;
      3. family         - the largest partner + family share;
      4. diverse        - the largest mean network size of the two left;
      5. minimal_family - the last one.
    With fewer than five clusters the later names are not used; ties go to the lower cluster id.
    The names are ranks among clusters, so they need clusters that differ: when every centroid
    is the same (uniform networks, or one cluster), no cluster is named (its type is null),
    rather than calling, say, large uniform networks "restricted".
    """
    left = centroids.sort_index()
    if len(left.drop_duplicates()) < 2:
        return {}
    kinship = left["partnerShare"] + left["familyShare"]
    choices = [("restricted", left["sizeScaled"], min), ("weak_ties", left["weakShare"], max),
               ("family", kinship, max), ("diverse", left["sizeScaled"], max),
               ("minimal_family", left["sizeScaled"], min)]
    names = {}
    for name, score, pick in choices:
        remaining = score.drop(list(names))
        if remaining.empty:
            break
        names[remaining.idxmin() if pick is min else remaining.idxmax()] = name
    return names


def network_types(frames: dict[str, pd.DataFrame], params: dict, features: list[str]) -> pd.DataFrame:
    """Per participant: k-means cluster, its EU-WISE network type, and the composition features."""
    result = frames["kmeans"].copy()
    values = pd.DataFrame(result.pop("features").tolist(), columns=features, index=result.index)
    result = result.join(values)
    names = label_centroids(values.groupby(result["cluster"]).mean())
    result["networkType"] = result["cluster"].map(names)
    result = result.sort_values("participantId", ignore_index=True)
    if not names:
        result.attrs["note"] = ("network_types: the participants' networks do not differ in size or composition, "
                                "so no network type can be named by comparison; networkType is null")
    return result


DERIVATIONS = {"bridging_members": bridging_members, "network_types": network_types}
