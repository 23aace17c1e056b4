"""The data dictionary: graph.yaml (and the algorithm write-back properties in
algorithms.yaml, when present) flattened into rows for `illnet schema show`."""


import json

from illnet import content, model

COLUMNS = ("element", "name", "property", "type", "allowed values", "source", "description")


def allowed(vocabulary: str | None) -> str:
    """Comma-separated codes of a vocabulary (a description for an open one), or ''."""
    if not vocabulary:
        return ""
    if model.load("vocabularies")[vocabulary].get("source") == "iso3166":
        return "any ISO 3166-1 alpha-2 code"
    return ", ".join(map(str, model.vocabulary(vocabulary)))


STUDY_ATTRIBUTES = """
MATCH (s:Study {studyId: $study})-[:DECLARES]->(a:Attribute)
RETURN a.element AS element, a.name AS property, a.type AS type, a.codes AS codes,
       a.sourceColumn AS source, a.label AS label
ORDER BY element, property
"""


def study_rows(driver, database: str, study: str) -> list[dict]:
    """One row per attribute the study declares."""
    with driver.session(database=database) as session:
        found = session.run(STUDY_ATTRIBUTES, study=study).data()
    graph = model.load("graph")
    return [{"element": "node" if row["element"] in graph["nodes"] else "relationship", "name": row["element"],
             "property": row["property"], "type": row["type"],
             "allowed values": ", ".join(json.loads(row["codes"]).values()) if row["codes"] else "",
             "source": row["source"], "description": row["label"] or f"study attribute ({study})"}
            for row in found]



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
