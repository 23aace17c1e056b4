"""The structure of every personal network, computed at load and stored on each HAS_MEMBER,
so that questions about it (structural_bridges, ego_measures) read one relationship per
member instead of walking the member ties (Cypher list arithmetic per network took seconds
at 20,000 participants).

A network is a participant's members named at one wave, joined by the member ties (KNOWS)
of that wave between them: every tie type, a pair once whatever its types and directions,
the participant left out. These are the networks structural_bridges and ego_measures
describe when tieType and minWeight are null; other selections are computed by the
queries themselves. Each HAS_MEMBER carries (schema/graph.yaml; the `network` prefix keeps
them apart from a study's own tie attributes, such as a rated `strength`):

- `networkDegree`: members it knows; `networkEffectiveSize`, d - 2t/d, and `networkConstraint`,
  Burt's (unweighted), null for a member without ties; `networkBrokeredPairs`, d(d-1)/2 - t
  (t: ties among its d contacts);
- `networkBetweenness`: over the pairs of other members (each once), the share of their
  shortest paths that pass through it, added up;
- `networkArticulationPoint`: without it, two of its contacts would no longer be connected;
- `networkComponent`: its connected component among the members (an isolate is one),
  numbered 0, 1, ... within the network in the order of the members' ids;
- `networkStrength`: the sum of the weights of its member ties (each tie of each type and
  direction; a missing weight counts 1), so the network's weightSum is half their sum;
- `networkDyadicConstraint`: Burt's dyadic constraint on the participant by the member, in
  the network with the participant tied to every member (n of them):
  (1/n + sum over its contacts q of 1/n / (degree(q) + 1))^2; the participant's
  constraint (egor ego_constraint) is their sum.

At a wave at which the study records no member ties, none is set (not recorded is no 0).

The computation runs with python-igraph on a graph of all of a study's networks at once (of
20,000 participants at a time when they are read back from the database). The networks are
disjoint, so betweenness, articulation points and components stay within each, at a cost
linear in the study's size. A study new to the database gets the values from
its tables, as columns of the rows written (`member_structure`); one already there (a
follow-up wave, a resumed load) reads its networks back from the database (`derive`), and
so does schema migration 007 for studies loaded before. It lives with the model, not the
loader, because both the loader and the migrations use it.
"""

from concurrent.futures import ThreadPoolExecutor

import igraph
import neo4j
import numpy as np
import pandas as pd

from illnet import model
from illnet.values import row_maps

# Property -> column of `member_structure`, what a load writes onto each HAS_MEMBER.
STRUCTURE_COLUMNS = {"networkDegree": "degree", "networkEffectiveSize": "effective_size",
                     "networkConstraint": "constraint", "networkBrokeredPairs": "brokered_pairs",
                     "networkBetweenness": "betweenness", "networkArticulationPoint": "articulation_point",
                     "networkComponent": "component", "networkStrength": "strength",
                     "networkDyadicConstraint": "participant_constraint"}
# The pandas type of each property, from its graph.yaml type: nullable integers and booleans,
# since none is set at a wave without member ties.
DTYPES = {name: {"integer": "Int64", "boolean": "boolean", "float": "float64"}[
    model.load("graph")["relationships"]["HAS_MEMBER"]["properties"][name]["type"]] for name in STRUCTURE_COLUMNS}
WRITE_BATCH = 10_000
WRITERS = 2  # write transactions at a time when the database's study is derived again


def burt(graph: igraph.Graph) -> pd.DataFrame:
    """Degree, ties among the contacts, Burt's constraint and effective size of every vertex
    of a simple undirected graph (networkx's definitions; NaN for an isolated vertex)."""
    degree = np.asarray(graph.degree(), dtype="int64")
    corners = np.asarray(graph.list_triangles(), dtype="int64").reshape(-1)
    contact_ties = np.bincount(corners, minlength=graph.vcount())
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(degree > 0, degree - 2.0 * contact_ties / degree, np.nan)
    constraint = np.asarray(graph.constraint(), dtype=float)
    constraint[degree == 0] = np.nan
    return pd.DataFrame({"degree": degree, "contact_ties": contact_ties, "constraint": constraint,
                         "effective_size": effective})


def normalised_betweenness(betweenness: pd.Series, size: pd.Series) -> pd.Series:
    """Betweenness divided by (n-1)(n-2)/2, n = `size`, the members of the network (networkx's
    normalisation for undirected graphs); 0 when n < 3, missing where betweenness is."""
    pairs = (size.astype(float) - 1) * (size.astype(float) - 2) / 2
    return (betweenness.astype(float) / pairs.where(pairs > 0)).fillna(0.0).where(betweenness.notna())


def simple_graph(vertices: int, ends: np.ndarray) -> igraph.Graph:
    """The undirected graph of `vertices` vertices joined by the pairs of `ends` (an array of
    [a, b] vertex numbers), each pair once; self-loops are left out."""
    ends = ends[ends[:, 0] != ends[:, 1]]
    low, high = ends.min(axis=1), ends.max(axis=1)
    pairs = np.unique(low * vertices + high)  # a pair as one number: a 1-D unique is the fast one
    graph = igraph.Graph(n=vertices)
    graph.add_edges(np.column_stack([pairs // vertices, pairs % vertices]))
    return graph


def member_structure(ties: pd.DataFrame, member_ties: pd.DataFrame) -> pd.DataFrame:
    """The STRUCTURE_COLUMNS of every row of `ties` (participant_id, member_id, wave: one row
    per member named at a wave; same index), from the `member_ties` (participant_id,
    member_a, member_b, wave, weight) of the same study.

    The members are numbered in the order of their ids and the ties sorted, so that the values,
    sums of floats, do not depend on the order of the rows (a table, or the database). Ids
    become integer codes (in the order of the ids, shared by both tables), so a study of a
    million participants is sorted and looked up as numbers, not as text."""
    participants = _sorted_ids(ties["participant_id"], member_ties["participant_id"])
    members = _sorted_ids(ties["member_id"], member_ties["member_a"], member_ties["member_b"])
    participant = _codes(ties["participant_id"], participants)
    member = _codes(ties["member_id"], members)
    waves, tie_waves = ties["wave"].to_numpy(dtype="int64"), member_ties["wave"].to_numpy(dtype="int64")
    span = 1 + max(waves.max(initial=0), tie_waves.max(initial=0))
    named = _key(participant, member, waves, len(members), span)
    order = np.argsort(named, kind="stable")
    named, participant, member = named[order], participant[order], member[order]
    tied = _codes(member_ties["participant_id"], participants)
    a, b = (_position(named, _key(tied, _codes(member_ties[end], members), tie_waves, len(members), span))
            for end in ("member_a", "member_b"))
    # A wave records member ties when a tie of that wave starts or ends at a member named then.
    recorded_waves = np.unique(tie_waves[(a >= 0) | (b >= 0)])
    within = (a >= 0) & (b >= 0) & (a != b)
    weights = pd.to_numeric(member_ties["weight"], errors="coerce").to_numpy(dtype=float)[within]
    weights = np.where(np.isnan(weights), 1.0, weights)
    a, b = a[within], b[within]
    sorted_ties = np.lexsort((weights, b, a))
    a, b, weights = a[sorted_ties], b[sorted_ties], weights[sorted_ties]
    count = len(ties)
    graph = simple_graph(count, np.column_stack([a, b]))
    frame = burt(graph)
    frame["strength"] = np.bincount(a, weights, count) + np.bincount(b, weights, count)
    frame["brokered_pairs"] = frame["degree"] * (frame["degree"] - 1) // 2 - frame["contact_ties"]
    frame["betweenness"] = np.asarray(graph.betweenness(directed=False), dtype=float)
    frame["articulation_point"] = np.isin(np.arange(count), graph.articulation_points())
    network = np.unique(participant * span + waves[order], return_inverse=True)[1].reshape(-1)
    frame["component"] = _numbered_within(np.asarray(graph.connected_components().membership), network, member)
    size = np.bincount(network)[network].astype(float)
    contacts_share = _sum_over_contacts(graph, 1.0 / (frame["degree"].to_numpy() + 1.0))
    frame["participant_constraint"] = ((1.0 + contacts_share) / size) ** 2
    frame.index = ties.index[order]
    frame = frame.drop(columns="contact_ties").reindex(ties.index)
    unrecorded = ~np.isin(waves, recorded_waves)
    return _typed(frame.mask(pd.Series(unrecorded, index=ties.index), axis=0))


def _sorted_ids(*columns: pd.Series) -> pd.Index:
    """Every id of the columns (text; categorical or not), once each, in order."""
    values = [column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else column.unique()
              for column in columns]
    return pd.Index(np.unique(np.concatenate([np.asarray(v, dtype=object).astype(str) for v in values])), dtype=object)


def _codes(column: pd.Series, ids: pd.Index) -> np.ndarray:
    """The position in `ids` of every value of a column (looked up once per distinct value)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        found, codes = ids.get_indexer(column.cat.categories.astype(str)), column.cat.codes.to_numpy()
        return np.where(codes < 0, -1, found[codes]).astype("int64")
    return ids.get_indexer(column.astype(str)).astype("int64")


def _key(participant: np.ndarray, member: np.ndarray, wave, members: int, span: int) -> np.ndarray:
    """One int64 per (participant code, member code, wave), ordered as the triples are (`members`
    member codes, waves below `span`)."""
    return (participant * members + member) * span + np.asarray(wave, dtype="int64")


def _position(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The position of each key in `sorted_keys`, -1 where it is not there."""
    if not len(sorted_keys):
        return np.full(len(keys), -1, dtype="int64")
    found = np.searchsorted(sorted_keys, keys).clip(max=len(sorted_keys) - 1)
    return np.where(sorted_keys[found] == keys, found, -1)


def _sum_over_contacts(graph: igraph.Graph, values: np.ndarray) -> np.ndarray:
    """Per vertex, the sum of `values` over its neighbours."""
    edges = np.asarray(graph.get_edgelist(), dtype="int64").reshape(-1, 2)
    return (np.bincount(edges[:, 0], values[edges[:, 1]], graph.vcount())
            + np.bincount(edges[:, 1], values[edges[:, 0]], graph.vcount()))


def _numbered_within(component: np.ndarray, network: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Components renumbered 0, 1, ... within each network, in the order of their first member
    (`member`: codes in the order of the member ids)."""
    order = pd.DataFrame({"network": network, "component": component, "member": member})
    first = order.groupby(["network", "component"], sort=False)["member"].transform("min")
    return (order.assign(first=first).groupby("network")["first"].rank(method="dense") - 1).to_numpy(dtype="int64")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns in STRUCTURE_COLUMNS order, typed as the graph types them (DTYPES)."""
    return frame.astype({column: DTYPES[name] for name, column in STRUCTURE_COLUMNS.items()})[
        list(STRUCTURE_COLUMNS.values())]


# The networks as stored, a batch of participants ($keys) at a time: every HAS_MEMBER (its
# elementId, to write back to) and every member tie, with the ids `member_structure` reads.
PARTICIPANTS = "MATCH (p:Participant {studyId: $study}) RETURN p.key AS key ORDER BY key"
READ_TIES = """
UNWIND $keys AS key
MATCH (p:Participant {key: key})-[h:HAS_MEMBER]->(m:NetworkMember)
RETURN collect(elementId(h)) AS id, collect(p.participantId) AS participant_id,
       collect(m.memberId) AS member_id, collect(h.wave) AS wave
"""
READ_MEMBER_TIES = """
UNWIND $keys AS key
MATCH (p:Participant {key: key})-[:HAS_MEMBER]->(a:NetworkMember)
WITH DISTINCT p, a
MATCH (a)-[k:KNOWS]->(b:NetworkMember)
RETURN collect(p.participantId) AS participant_id, collect(a.memberId) AS member_a,
       collect(b.memberId) AS member_b, collect(k.wave) AS wave,
       collect(coalesce(k.weight, 1.0)) AS weight  // collect leaves nulls out; a missing weight counts 1
"""
WRITE = ("UNWIND $rows AS row MATCH ()-[h:HAS_MEMBER]->() WHERE elementId(h) = row.id SET "
         + ", ".join(f"h.{name} = row.{name}" for name in STRUCTURE_COLUMNS))
# Participants read, computed and written at a time: a network never crosses participants, so
# each batch is computed on its own, with the same values (a test compares them with the tables').
BATCH_PARTICIPANTS = 20_000


def derive(driver: neo4j.Driver, study: str, database: str = "neo4j") -> None:
    """Compute and store the structure of every network of `study` (in the database)."""
    keys = [record["key"] for record in driver.execute_query(PARTICIPANTS, study=study, database_=database).records]
    for start in range(0, len(keys), BATCH_PARTICIPANTS):
        _derive_batch(driver, keys[start:start + BATCH_PARTICIPANTS], database)


def _derive_batch(driver: neo4j.Driver, keys: list[str], database: str) -> None:
    ties = _frame(driver, READ_TIES, keys, database)
    member_ties = _frame(driver, READ_MEMBER_TIES, keys, database)
    values = member_structure(ties, member_ties).rename(columns={c: p for p, c in STRUCTURE_COLUMNS.items()})
    values.insert(0, "id", ties["id"])
    # Each batch sets the properties of other relationships, so two run at a time without waiting
    # on each other's locks.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(lambda start: driver.execute_query(WRITE, rows=row_maps(values.iloc[start:start + WRITE_BATCH]),
                                                         database_=database), range(0, len(values), WRITE_BATCH)))


def _frame(driver: neo4j.Driver, statement: str, keys: list[str], database: str) -> pd.DataFrame:
    record = driver.execute_query(statement, keys=keys, database_=database).records[0]
    return pd.DataFrame(dict(record.items()))
