"""A fingerprint of everything in the graph, to prove that an operation changed nothing
(or that two ways of loading give the same graph)."""

import hashlib
import json

from illnet.model.structure import STRUCTURE_COLUMNS

NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
RELATIONSHIPS = ("MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
                 "coalesce(a.key, a.code, a.runId, a.id) AS start, coalesce(b.key, b.code, b.runId, b.id) AS end")




def remove_from_ties(properties) -> str:
    """Cypher removing these properties from every HAS_MEMBER (as a load that derived none leaves it)."""
    return "MATCH ()-[h:HAS_MEMBER]->() REMOVE " + ", ".join(f"h.{name}" for name in properties)


REMOVE_STRUCTURE = remove_from_ties(STRUCTURE_COLUMNS)


def _plain(value):
    return value.iso_format() if hasattr(value, "iso_format") else value


def snapshot(driver, database: str = "neo4j", ignore: tuple[str, ...] = ()) -> dict:
    """Counts per label and type, plus a SHA-256 over all labels, types and properties.
    `ignore` names properties left out (e.g. timestamps of LoadRun)."""
    nodes = [json.dumps([sorted(r["labels"]), {k: _plain(v) for k, v in sorted(r["props"].items())
                                               if k not in ignore}], sort_keys=True, default=str)
             for r in driver.execute_query(NODES, database_=database).records]
    rels = [json.dumps([r["type"], r["start"], r["end"], {k: _plain(v) for k, v in sorted(r["props"].items())
                                                         if k not in ignore}], sort_keys=True, default=str)
            for r in driver.execute_query(RELATIONSHIPS, database_=database).records]
    digest = hashlib.sha256("\n".join(sorted(nodes) + ["--"] + sorted(rels)).encode()).hexdigest()
    labels = driver.execute_query("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c ORDER BY l",
                                  database_=database).records
    types = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c ORDER BY t",
                                 database_=database).records
    return {"labels": {r["l"]: r["c"] for r in labels}, "types": {r["t"]: r["c"] for r in types},
            "sha256": digest}
