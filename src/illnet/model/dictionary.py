"""The data dictionary: graph.yaml (and the algorithm write-back properties in
algorithms.yaml, when present) flattened into rows for `illnet schema show`."""


from illnet import content, model

COLUMNS = ("element", "name", "property", "type", "allowed values", "source", "description")


def allowed(vocabulary: str | None) -> str:
    """Comma-separated codes of a vocabulary, or ''."""
    return ", ".join(map(str, model.vocabulary(vocabulary))) if vocabulary else ""


def rows() -> list[dict]:
    """One row per label, relationship type and property."""
    graph = model.load("graph")
    out = []
    for element, section in (("node", "nodes"), ("relationship", "relationships")):
        for name, spec in graph[section].items():
            out.append({"element": element, "name": name, "property": "", "type": "",
                        "allowed values": "", "source": spec.get("table", ""),
                        "description": " ".join(spec["description"].split())})
            for prop, attrs in spec.get("properties", {}).items():
                out.append({"element": element, "name": name, "property": prop, "type": attrs["type"],
                            "allowed values": allowed(attrs.get("vocabulary")),
                            "source": attrs.get("from", "derived"), "description": attrs["description"]})
    for prop, attrs in graph["provenance"].items():
        out.append({"element": "all", "name": "(every loaded node and relationship)", "property": prop,
                    "type": attrs["type"], "allowed values": "", "source": "writer",
                    "description": attrs["description"]})
    if (content.folder("schema") / "algorithms.yaml").is_file():
        for entry in model.load("algorithms").get("properties", []):
            out.append({"element": "algorithm", "name": entry["label"], "property": entry["property"],
                        "type": entry["type"], "allowed values": "", "source": f"job {entry['job']}",
                        "description": entry["description"]})
    return out
