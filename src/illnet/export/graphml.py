"""`illnet export STUDY --to graphml --out DIR [--pooled]`: one GraphML file per participant
(or one pooled file) holding the graph of illnet.export.graphs (all waves), plus
mapping.yaml to load the files back (`format: graphml`)."""

import re
from datetime import date
from pathlib import Path

from illnet.export.graphs import build
from illnet.export.study import StudyData
from illnet.export.tables import COMPUTED, header, mapping_text, rows

# Columns the GraphML reader gives besides the exported rows' (ignored when read back).
EXTRA = ["role", "study", "directed", *sorted(COMPUTED)]
IDS = {"participants": {"participant": "participant"}, "members": {"participant": "participant", "member": "member"},
       "member_ties": {"participant": "participant", "source": "source", "target": "target"}}


def _writable(graph):
    """The graph without None values and with dates as ISO text (GraphML has neither)."""
    for values in [v for _, v in graph.nodes(data=True)] + [v for *_, v in graph.edges(data=True)]:
        for name in list(values):
            if values[name] is None:
                del values[name]
            elif isinstance(values[name], date):
                values[name] = values[name].isoformat()
    return graph


def write(data: StudyData, out: Path, pooled: bool = False) -> list[Path]:
    """Write the GraphML file(s) and mapping.yaml into `out`; returns their paths."""
    import networkx as nx

    out.mkdir(parents=True, exist_ok=True)
    if pooled:
        graphs = {f"{data.study_id}.graphml": build(data, None, None)}
    else:
        graphs = {_file_name(p["participantId"]): build(data, p["participantId"], None) for p in data.participants}
    for name, graph in graphs.items():
        nx.write_graphml(_writable(graph), out / name)
    found, entries = rows(data), []
    path = list(graphs)  # the files written, never a glob that would take in older files
    for kind in ("participants", "members"):
        entries.append({"key": kind, "path": path, "format": "graphml", "ids": IDS[kind],
                        "header": header(found[kind], kind, data) + EXTRA})
    for directed in (False, True):
        part = [r for r in found["member_ties"] if r["directed"] == directed]
        if part:
            kind = "undirected" if not directed else "directed"
            entries.append({"key": "member_ties", "path": path, "format": f"{{name: graphml, edges: {kind}}}",
                            "directed": directed, "ids": IDS["member_ties"],
                            "header": header(part, "member_ties", data) + EXTRA})
    (out / "mapping.yaml").write_text(mapping_text(data, entries), encoding="utf-8")
    return [out / name for name in graphs] + [out / "mapping.yaml"]


def _file_name(participant: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", participant) + ".graphml"
