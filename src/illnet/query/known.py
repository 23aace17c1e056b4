"""The checks behind the `known:` header of canned queries (kinds in illnet.query.canned.KNOWN).

A parameter declared `// known: attribute (member attribute)` must name something the study
has; the check runs before the query, so a misspelt name is a QueryError that lists the
known names (closest first) instead of a table of nulls. A wave or tie type of null means
"all" and passes; an attribute must be given.

Attributes are the core properties of schema/graph.yaml and the attributes a study declares,
`(:Study)-[:DECLARES]->(:Attribute {studyId, element, name, type})`, element being the label
or relationship type that carries them. Member attributes live on NetworkMember or, per wave,
on HAS_MEMBER (queries read them as coalesce(h[$attribute], m[$attribute])).
"""

import neo4j

from illnet import model
from illnet.errors import QueryError
from illnet.query.canned import KNOWN, Query
from illnet.query.catalogue import close_names

ELEMENTS = {"member": ("NetworkMember", "HAS_MEMBER"), "participant": ("Participant",), "tie": ("KNOWS",)}
NUMERIC = ("integer", "float")
IDENTIFIERS = ("key", "studyId", "participantId", "memberId", "wave")  # core properties that are no attributes
SHOWN = 12  # known names listed in a hint

_WAVES = ("MATCH (s:Study) WHERE $study IS NULL OR s.studyId = $study "
          "UNWIND s.waves AS wave RETURN DISTINCT wave AS name, 'integer' AS type")
_TIE_TYPES = ("MATCH (s:Study)<-[:IN_STUDY]-(:Participant)-[:HAS_MEMBER]->(:NetworkMember)-[k:KNOWS]->() "
              "WHERE $study IS NULL OR s.studyId = $study "
              "RETURN DISTINCT coalesce(k.type, 'knows') AS name, 'string' AS type")
_DECLARED = ("MATCH (s:Study)-[:DECLARES]->(a:Attribute) "
             "WHERE ($study IS NULL OR s.studyId = $study) AND a.element IN $elements "
             "RETURN DISTINCT a.name AS name, a.type AS type")


def core_attributes(elements: tuple[str, ...]) -> dict[str, str]:
    """name -> type of the core properties of these labels or relationship types (graph.yaml)."""
    graph = model.load("graph")
    specs = {**graph["nodes"], **graph["relationships"]}
    names: dict[str, str] = {}
    for element in elements:
        names |= {name: prop["type"] for name, prop in specs[element].get("properties", {}).items()
                  if name not in IDENTIFIERS}
    return names


def _rows(session: neo4j.Session, statement: str, **params) -> dict[str, str]:
    return {record["name"]: record["type"] for record in session.run(statement, params)}


def known_names(session: neo4j.Session, kind: str, study: str | None) -> dict[str, str]:
    """What a value of this kind may be, in the study (all studies if None): name -> type."""
    if kind == "wave":
        return _rows(session, _WAVES, study=study)
    if kind == "tie type":
        return _rows(session, _TIE_TYPES, study=study)
    elements = ELEMENTS[kind.split()[-2]]
    names = core_attributes(elements) | _rows(session, _DECLARED, study=study, elements=list(elements))
    if kind.startswith("numeric"):
        names = {name: type_ for name, type_ in names.items() if type_ in NUMERIC}
    return names


def _scope(study: str | None) -> str:
    return f" in study {study!r}" if study else " in any study"


def check_known(session: neo4j.Session, query: Query, params: dict) -> None:
    """Raise QueryError when a `known:` parameter names nothing the study has."""
    study = params.get("study")
    for name, kind in query.known.items():
        value = params.get(name)
        if value is None:
            if kind in ("wave", "tie type"):
                continue
            raise QueryError(f"query {query.name} needs parameter {name}: {KNOWN[kind]}",
                             hint=f"pass it, e.g. -p {name}=... (`illnet query show {query.name}`)")
        known = known_names(session, kind, study)
        if value in known:
            continue
        if kind.startswith("numeric") and value in known_names(session, kind.removeprefix("numeric "), study):
            raise QueryError(f"query {query.name}: {name} {value!r} is not numeric{_scope(study)}",
                             hint=f"{query.name} summarises numbers; numeric ones: {_listing(value, known)}")
        raise QueryError(f"query {query.name}: {name} {value!r} is not {KNOWN[kind]}{_scope(study)}",
                         hint=f"known: {_listing(value, known)}")


def _listing(value, known: dict[str, str]) -> str:
    """The known names, the closest to `value` first, at most SHOWN of them."""
    if not known:
        return "none"
    names = sorted(known, key=str)
    close = close_names(str(value), [str(name) for name in names])
    ordered = close + [str(name) for name in names if str(name) not in close]
    more = f" and {len(ordered) - SHOWN} more" if len(ordered) > SHOWN else ""
    return ", ".join(ordered[:SHOWN]) + more
