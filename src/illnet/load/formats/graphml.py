"""GraphML (one graph per participant, or one pooled graph) read as the tables of a study.

One reader serves three file entries, chosen by the entry's key:
- participants: one row per graph (a column `participant` plus the graph's own data,
  which Network Canvas uses for ego attributes, and its nc: attributes: case and session
  ids, protocol, session times), or, in a pooled graph, one row per participant: the data of the
  node marked `role: ego` when there is one;
- members: one row per member node (`participant`, `member` and the node's data),
  joined with the data of each ego-to-member edge (`role: has_member`, one per wave)
  when the graph has them, as illnet's own export writes;
- member_ties: one row per edge between two members (`participant`, `source`, `target`
  and the edge's data); format option `edges: directed` or `edges: undirected` keeps one
  kind only (an edge is directed by its `directed` attribute or the graph's edgedefault).
A graph is pooled when its nodes carry a `participant` value; otherwise the participant
is the graph's `participant` data, else its networkCanvasEgoUUID, nc:sessionUUID, id
attribute or the file name. Data values are read as text with the key's default; a key the
mapping names that no element of the file has is an empty column (GraphML leaves absent
values out).
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pandas as pd

from illnet.load.problems import Problem
from illnet.load.sources import RawTable

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
NC = "{http://schema.networkcanvas.com/xmlns}"
# Network Canvas's namespaced attributes (on <graphml> in older exports, on <graph> in newer
# ones) -> the column names of its CSV export
NC_ATTRIBUTES = {"caseID": "networkCanvasCaseID", "caseId": "networkCanvasCaseID",
                 "sessionUUID": "networkCanvasSessionID", "protocolUUID": "networkCanvasProtocolUUID",
                 "protocolUID": "networkCanvasProtocolUUID", "protocolName": "networkCanvasProtocolName",
                 "sessionStartTime": "sessionStart", "sessionFinishTime": "sessionFinish",
                 "sessionExportTime": "sessionExported"}
EDGE_KINDS = ("directed", "undirected")


@dataclass
class Graph:
    """One <graph> element: its participant, data, nodes {id: data} and edges [(source, target, directed, data)]."""

    participant: str
    data: dict = field(default_factory=dict)
    nodes: dict = field(default_factory=dict)
    edges: list = field(default_factory=list)


def parse(path) -> list[Graph]:
    """Every graph of a GraphML file."""
    root = ET.parse(path).getroot()
    if root.tag != GRAPHML + "graphml":
        raise ValueError(f"the root element is <{root.tag.split('}')[-1]}>, not <graphml>")
    keys, defaults = {}, {}
    for key in root.iter(GRAPHML + "key"):
        keys[key.get("id")] = key.get("attr.name") or key.get("id")
        default = key.find(GRAPHML + "default")
        if default is not None:
            defaults.setdefault(key.get("for", "all"), {})[keys[key.get("id")]] = (default.text or "").strip()

    def meta(element):
        return {column: element.get(NC + name) for name, column in NC_ATTRIBUTES.items() if element.get(NC + name)}

    def data(element, kind):
        values = {**defaults.get("all", {}), **defaults.get(kind, {})}
        values.update({keys.get(d.get("key"), d.get("key")): (d.text or "").strip()
                       for d in element.findall(GRAPHML + "data")})
        return values

    graphs = []
    for number, element in enumerate(root.findall(GRAPHML + "graph"), start=1):
        own = {**meta(root), **meta(element), **data(element, "graph")}
        fallback = path.stem if len(root.findall(GRAPHML + "graph")) == 1 else f"{path.stem}-{number}"
        participant = (own.get("participant") or own.get("networkCanvasEgoUUID") or own.get("networkCanvasSessionID")
                       or element.get("id") or fallback)
        graph = Graph(participant, own)
        directed_default = element.get("edgedefault", "directed") == "directed"
        for node in element.findall(GRAPHML + "node"):
            graph.nodes[node.get("id")] = data(node, "node")
        for edge in element.findall(GRAPHML + "edge"):
            values = data(edge, "edge")
            directed = edge.get("directed")
            directed = directed_default if directed is None else directed == "true"
            if "directed" in values:
                directed = values["directed"].lower() == "true"
            graph.edges.append((edge.get("source"), edge.get("target"), directed, values))
        graphs.append(graph)
    return graphs


def _is_ego(values: dict) -> bool:
    return values.get("role") == "ego"


def _owner(graph: Graph, node_id: str) -> str:
    return graph.nodes.get(node_id, {}).get("participant") or graph.participant


def _member(graph: Graph, node_id: str) -> str:
    return graph.nodes.get(node_id, {}).get("member") or node_id


def participant_rows(graph: Graph) -> list[dict]:
    egos = [values for values in graph.nodes.values() if _is_ego(values)]
    pooled = any(values.get("participant") for values in graph.nodes.values())
    if egos:
        return [{**graph.data, **values, "participant": values.get("participant") or graph.participant}
                for values in egos]
    if pooled:
        return [{"participant": p} for p in dict.fromkeys(_owner(graph, n) for n in graph.nodes)]
    return [{**graph.data, "participant": graph.participant}]


def member_rows(graph: Graph) -> list[dict]:
    visits = {}
    for source, target, _, values in graph.edges:
        if _is_ego(graph.nodes.get(source, {})):
            visits.setdefault(target, []).append(values)
    rows = []
    for node_id, values in graph.nodes.items():
        if _is_ego(values):
            continue
        base = {**values, "participant": _owner(graph, node_id), "member": _member(graph, node_id)}
        rows += [{**edge, **base} for edge in visits.get(node_id, [{}])]
    return rows


def tie_rows(graph: Graph, kind: str | None) -> list[dict]:
    rows = []
    for source, target, directed, values in graph.edges:
        if _is_ego(graph.nodes.get(source, {})) or _is_ego(graph.nodes.get(target, {})):
            continue
        if kind is None or directed == (kind == "directed"):
            rows.append({**values, "participant": _owner(graph, source), "source": _member(graph, source),
                         "target": _member(graph, target)})
    return rows


def read(spec):
    """The participants, members or member_ties table of a GraphML file (by the entry's key)."""

    kind = spec.format_options.get("edges")
    if kind is not None and kind not in EDGE_KINDS:
        return RawTable(spec.path, pd.DataFrame(), [Problem(spec.path, None, None, str(kind), "unknown edges option",
                                                            "write edges: directed or edges: undirected")])
    graphs = parse(spec.full_path)
    rows, fixed = {"participants": (participant_rows, ["participant"]),
                   "members": (member_rows, ["participant", "member"]),
                   "member_ties": (lambda g: tie_rows(g, kind), ["participant", "source", "target"])}[spec.key]
    found = [row for graph in graphs for row in rows(graph)]
    # GraphML leaves out the data of a value that is absent: a mapped key no element has is empty
    columns = list(dict.fromkeys(fixed + [name for row in found for name in row] + sorted(spec.mapped_columns())))
    frame = pd.DataFrame([[row.get(c, "") for c in columns] for row in found], columns=columns, dtype=object,
                         index=pd.RangeIndex(2, len(found) + 2, name="row"))
    return RawTable(spec.path, frame)
