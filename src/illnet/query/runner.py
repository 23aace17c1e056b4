"""Run canned queries by name and ad-hoc Cypher, in read transactions, into pandas DataFrames.

    from illnet import queries
    frame = queries.run("network_size", study="nwe")        # canned, by name
    frame = queries.cypher("MATCH (p:Participant) RETURN count(p) AS n")   # ad hoc
    frame.attrs.get("note")   # set when the data lacks what the question needs

Values are always sent as Cypher parameters, never formatted into the statement. Everything
runs in a READ transaction; an ad-hoc statement that writes is refused (QueryError) unless
write=True. Canned queries that declare `needs:` are preceded by a cheap check; when the data
lacks what they need, the result is empty (with the declared columns) and carries a note.
Parameters declared `known:` are checked against the study first (illnet.query.known).
"""

import neo4j
import pandas as pd
from neo4j.exceptions import ClientError

from illnet.db import Settings, session_for
from illnet.errors import QueryError, StatementRejected
from illnet.query.canned import Query, get
from illnet.query.known import check_known
from illnet.query.params import bind


# Cheap existence checks behind the `needs:` header: Cypher returning `ok`, and the note shown when not ok.
_NEED_CHECKS = {
    "member_ties": (
        ("RETURN EXISTS { MATCH (a:NetworkMember)-[k:KNOWS]->(:NetworkMember) "
         "WHERE ($study IS NULL OR a.studyId = $study) AND ($wave IS NULL OR k.wave = $wave) } AS ok"),
        ("no member-member ties (KNOWS) are recorded{study}{wave}; this question needs them "
         "(surveys like the original ones do not record ties between members)"),
    ),
    "resources": (
        ("RETURN EXISTS { MATCH (r:Resource)<-[:PARTICIPATES_IN|LINKS_TO]-() "
         "WHERE $study IS NULL OR r.studyId = $study } AS ok"),
        ("no groups, organisations or services (Resource nodes linked to participants or members) "
         "are recorded{study}; this question needs them"),
    ),
    "next_wave": (
        ("RETURN EXISTS { MATCH (p:Participant)-[h:HAS_MEMBER]->() "
         "WHERE ($study IS NULL OR p.studyId = $study) AND h.wave = $wave + 1 } AS ok"),
        "no members are named at the wave after wave {number}{study}; this question compares two waves",
    ),
}


_SCALARS = (int, float, str, bool)


def _plain(value):
    """Graph values (nodes, relationships, paths, temporal types) as plain Python values."""
    if value is None or type(value) in _SCALARS:  # most values: returned at once
        return value
    if isinstance(value, neo4j.graph.Node):
        return {"_labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def fetch(tx, statement: str, params: dict) -> pd.DataFrame:
    """Run a statement on a transaction or session; the rows as a DataFrame of plain values."""
    result = tx.run(statement, params)
    rows = [[_plain(value) for value in record.values()] for record in result]
    return pd.DataFrame(rows, columns=list(result.keys()), dtype=object if not rows else None)


def first_line(exc: ClientError) -> str:
    """The first line of a Neo4j error message, for a one-line QueryError."""
    return (exc.message or str(exc)).strip().splitlines()[0]


def execute(session: neo4j.Session, statement: str, params: dict, write: bool = False) -> pd.DataFrame:
    """Run one statement in a read (or, with write=True, write) transaction into a DataFrame."""
    work = session.execute_write if write else session.execute_read
    try:
        return work(fetch, statement, params)
    except ClientError as exc:
        if exc.code == "Neo.ClientError.Statement.AccessMode":
            raise StatementRejected("the statement writes to the graph and was refused: queries run read-only",
                             hint="pass --write (write=True in Python) if you mean to change the graph") from None
        raise StatementRejected(f"Neo4j rejected the statement: {first_line(exc)}",
                         hint="check the Cypher; `illnet query show NAME` shows a canned query") from None


def unmet_need(session: neo4j.Session, query: Query, params: dict) -> str | None:
    """A note naming the first thing the data lacks for this query, or None."""
    study, wave = params.get("study"), params.get("wave")
    scope = {"study": f" in study {study!r}" if study else "", "wave": f" at wave {wave}" if wave is not None else "",
             "number": wave}
    for need in query.needs:
        if not has(session, need, study, wave):
            return f"{query.name}: " + _NEED_CHECKS[need][1].format(**scope) + "; the result is empty"
    return None


def has(session: neo4j.Session, need: str, study: str | None, wave: int | None) -> bool:
    """True when the data has what a `needs:` entry names (study and wave None: any)."""
    return bool(execute(session, _NEED_CHECKS[need][0], {"study": study, "wave": wave}).iloc[0]["ok"])


def run_query(query: Query, params: dict, settings: Settings | None = None,
              driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """Run a catalogue query with bound parameters; an unmet need gives an empty frame with a note."""
    with session_for(settings, driver) as session:
        check_known(session, query, params)
        note = unmet_need(session, query, params)
        if note:
            frame = pd.DataFrame(columns=[column.name for column in query.returns])
            frame.attrs["note"] = note
            return frame
        return execute(session, query.body, params)


def run(name: str, *, settings: Settings | None = None, driver: neo4j.Driver | None = None,
        **params) -> pd.DataFrame:
    """Run the canned query `name` with keyword parameters (defaults from its header)."""
    query = get(name)
    return run_query(query, bind(query, params), settings, driver)


def cypher(statement: str, *, settings: Settings | None = None, driver: neo4j.Driver | None = None,
           write: bool = False, **params) -> pd.DataFrame:
    """Run ad-hoc Cypher with keyword parameters, read-only unless write=True."""
    if not statement or not statement.strip():
        raise QueryError("no Cypher statement given", hint="pass a statement, -f FILE, or - to read stdin")
    with session_for(settings, driver) as session:
        return execute(session, statement, params, write=write)
