"""A study's networks as networkx and igraph graphs, every property carried.

Nodes: one per participant (`role: ego`, id = participantId) and one per member
(`role: member`, id = "participantId|memberId"), with all their properties; edges: ego ->
member per wave named (`role: has_member`, the HAS_MEMBER properties: wave, circle,
closeness, per-wave attributes) and member -> member ties (`role: knows`: wave, type,
weight, directed and the tie attributes; an undirected tie is one edge from the smaller
to the larger memberId). Provenance (loadRunId, sourceFile, sourceRow) is left out.
"""

from illnet.db import Settings
from illnet.errors import InputError
from illnet.export.study import StudyData, read_study_graph


def member_node(participant: str, member: str) -> str:
    """The node id of a member."""
    return f"{participant}|{member}"


def build(data: StudyData, participant: str | None = None, wave: int | None = 0):
    """A networkx MultiDiGraph of one participant's network (or all, pooled) in one wave (None: all)."""
    import networkx as nx

    graph = nx.MultiDiGraph(study=data.study_id, **({"participant": participant} if participant else {}),
                            **({"wave": wave} if wave is not None else {}))
    chosen = [p for p in data.participants if participant in (None, p["participantId"])]
    if participant is not None and not chosen:
        raise InputError(f"no participant {participant!r} in study {data.study_id!r}",
                         hint="participant ids, e.g. " + ", ".join(p["participantId"] for p in data.participants[:10]))
    for p in chosen:
        graph.add_node(p["participantId"], role="ego", participant=p["participantId"], **p)
    for m, h in data.visits:
        pid = m["participantId"]
        if participant in (None, pid) and wave in (None, h.get("wave")):
            node = member_node(pid, m["memberId"])
            graph.add_node(node, role="member", participant=pid, member=m["memberId"], **m)
            graph.add_edge(pid, node, key=f"has_member:{h.get('wave')}", role="has_member", **h)
    for pid, a, b, k in data.knows:
        if participant in (None, pid) and wave in (None, k.get("wave")):
            graph.add_edge(member_node(pid, a), member_node(pid, b), key=f"{k.get('type')}:{k.get('wave')}",
                           role="knows", **k)
    return graph


def to_networkx(study: str, participant: str | None = None, wave: int | None = 0,
                settings: Settings | None = None, driver=None):
    """The study's graph (one participant's, or all pooled) as a networkx MultiDiGraph."""
    return build(read_study_graph(study, settings, driver), participant, wave)


def to_igraph(study: str, participant: str | None = None, wave: int | None = 0,
              settings: Settings | None = None, driver=None):
    """The same graph as an igraph Graph (vertex attribute `name` holds the node id)."""
    import igraph  # here, as networkx in build: a command that exports no graph does not import it

    graph = to_networkx(study, participant, wave, settings, driver)
    return igraph.Graph.from_networkx(graph, vertex_attr_hashable="name")
