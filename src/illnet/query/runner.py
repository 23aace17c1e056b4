"""Run canned queries by name and ad-hoc Cypher, in read transactions, into pandas DataFrames.

    from illnet import queries
    frame = queries.run("network_size", study="nwe")        # canned, by name
    frame = queries.cypher("MATCH (p:Participant) RETURN count(p) AS n")   # ad hoc
    frame.attrs.get("note")   # set when the data lacks what the question needs

Values are always sent as Cypher parameters, never formatted into the statement; numpy and
pandas scalars are taken as the values they hold. Everything runs in a READ transaction; an
ad-hoc statement that writes is refused (QueryError) unless write=True. A canned query's
study, wave and participant are checked against what is loaded first (illnet.query.scope),
then its `needs:` by a cheap check each; when the data lacks what it needs, the result is
empty (with the declared columns) and carries a note. Columns take the types of the
`returns:` header, also when the result is empty.

A note is both `frame.attrs["note"]` and a NoteWarning; the server's notifications about a
statement (an unknown label, relationship type or property, a deprecated feature) are
`frame.attrs["warnings"]` and ServerWarnings. Both show in a notebook; the CLI prints them.
Parameters declared `known:` are checked against the study too (illnet.query.known).
"""

import warnings

import neo4j
import pandas as pd
from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired

from illnet.db import Settings, session_for
from illnet.errors import ConnectionFailed, NoteWarning, QueryError, ServerWarning, StatementRejected, first_line
from illnet.query import guard, scope
from illnet.query.canned import Column, Query, get
from illnet.query.known import check_known
from illnet.query.params import bind, plain_value

_IN_STUDY_WAVE = "($study IS NULL OR p.studyId = $study) AND ($wave IS NULL OR {rel}.wave = $wave)"
_RUN_JOB = ("the {job} job has not written its results{study}{wave}; run "
            "`illnet algo run {job}{args} --mode write` first")

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
    "support_flows": (
        ("RETURN EXISTS { MATCH (:NetworkMember)-[w:PROVIDES]->(p:Participant) WHERE "
         + _IN_STUDY_WAVE.format(rel="w") + " } AS ok"),
        ("no support flows (who does which task) are recorded{study}{wave}; this question needs them, "
         "and without them every count of work would read as zero"),
    ),
    "circles": (
        ("RETURN EXISTS { MATCH (p:Participant)-[h:HAS_MEMBER]->() WHERE "
         + _IN_STUDY_WAVE.format(rel="h") + " AND h.circle IS NOT NULL } AS ok"),
        "no circles (inner, middle, outer) are recorded{study}{wave}; this question needs them",
    ),
    "contact_frequency": (
        ("RETURN EXISTS { MATCH (p:Participant)-[h:HAS_MEMBER]->() WHERE "
         + _IN_STUDY_WAVE.format(rel="h") + " AND h.contactFrequency IS NOT NULL } AS ok"),
        "no contact frequencies are recorded{study}{wave}; this question needs them",
    ),
    "job:bridging_members": (
        ("RETURN EXISTS { MATCH (m:NetworkMember) WHERE ($study IS NULL OR m.studyId = $study) "
         "AND m.bridgingWave = coalesce($wave, m.bridgingWave) } AS ok"),
        _RUN_JOB,
    ),
    "job:network_types": (
        ("RETURN EXISTS { MATCH (p:Participant) WHERE ($study IS NULL OR p.studyId = $study) "
         "AND p.networkTypeWave = coalesce($wave, p.networkTypeWave) AND p.networkType IS NOT NULL } AS ok"),
        _RUN_JOB,
    ),
    "job:resource_communities": (
        ("RETURN EXISTS { MATCH (p:Participant) WHERE ($study IS NULL OR p.studyId = $study) "
         "AND p.resourceWave = coalesce($wave, p.resourceWave) AND p.resourceCommunity IS NOT NULL } AS ok"),
        _RUN_JOB,
    ),
}

# Declared column type -> pandas dtype (and the nullable one used when a column holds nulls).
_DTYPES = {"integer": ("int64", "Int64"), "float": ("float64", "float64"), "boolean": ("bool", "boolean"),
           "string": ("str", "str"), "list": ("object", "object")}


_SCALARS = (int, float, str, bool)


def _plain(value):
    """Graph values (nodes, relationships, paths, temporal types) as plain Python values; a path
    is the list node, relationship, node, ... with the relationships' properties."""
    if value is None or type(value) in _SCALARS:  # most values: returned at once
        return value
    if isinstance(value, neo4j.graph.Node):
        return {"_labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        walk = [value.start_node]
        for relationship, node in zip(value.relationships, value.nodes[1:], strict=True):
            walk += [relationship, node]
        return [_plain(item) for item in walk]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _notification(status) -> str:
    """One line for a server notification: its description and where in the statement."""
    text = status.status_description
    if text.startswith("warn:") and ". " in text:
        text = text.split(". ", 1)[1]  # 'warn: label does not exist. The label `X` does not exist. ...'
    position = status.position
    return f"Neo4j: {text}" + (f" (line {position.line}, column {position.column})" if position else "")


def fetch(tx, statement: str, params: dict) -> pd.DataFrame:
    """Run a statement on a transaction or session; the rows as a DataFrame of plain values, the
    server's warnings about the statement in attrs['warnings']."""
    result = tx.run(statement, params)
    rows = [[_plain(value) for value in record.values()] for record in result]
    frame = pd.DataFrame(rows, columns=list(result.keys()), dtype=object if not rows else None)
    summary = result.consume()
    notes = [_notification(status) for status in summary.gql_status_objects
             if status.is_notification and status.severity == neo4j.NotificationSeverity.WARNING]
    if notes:
        frame.attrs["warnings"] = list(dict.fromkeys(notes))
    return frame


def execute(session: neo4j.Session, statement: str, params: dict, write: bool = False) -> pd.DataFrame:
    """Run one statement in a read (or, with write=True, write) transaction into a DataFrame."""
    guard.check(statement, write)  # what a read transaction lets through (illnet.query.guard)
    work = session.execute_write if write else session.execute_read
    try:
        return work(fetch, statement, params)
    except (ServiceUnavailable, SessionExpired) as exc:
        raise ConnectionFailed(f"lost the connection to Neo4j while the statement ran: {first_line(exc)}",
                               hint="is the server still running? check `illnet server status`, "
                                    "then run the command again") from None
    except ClientError as exc:
        if exc.code == "Neo.ClientError.Statement.AccessMode":
            raise StatementRejected("the statement writes to the graph and was refused: queries run read-only",
                             hint="pass --write (write=True in Python) if you mean to change the graph") from None
        raise StatementRejected(f"Neo4j rejected the statement: {first_line(exc)}",
                         hint="check the Cypher; `illnet query show NAME` shows a canned query") from None


def _scope_words(params: dict) -> dict:
    """The words a need's note is filled in with: where, which wave, the job and its command."""
    study, wave = params.get("study"), params.get("wave")
    args = "".join(f" -p {name}={params[name]}" for name in ("study", "wave") if params.get(name) is not None)
    return {"study": f" in study {study!r}" if study else "", "wave": f" at wave {wave}" if wave is not None else "",
            "number": wave, "args": args}


def unmet_need(session: neo4j.Session, query: Query, params: dict) -> str | None:
    """A note naming the first thing the data lacks for this query, or None."""
    words = _scope_words(params)
    for need in query.needs:
        if not need.applies(params):
            continue
        if not has(session, need.name, params.get("study"), params.get("wave")):
            note = _NEED_CHECKS[need.name][1]
            job = need.name.removeprefix("job:")
            return f"{query.name}: " + note.format(job=job, **words) + "; the result is empty"
    return None


def has(session: neo4j.Session, need: str, study: str | None, wave: int | None) -> bool:
    """True when the data has what a `needs:` entry names (study and wave None: any)."""
    return bool(execute(session, _NEED_CHECKS[need][0], {"study": study, "wave": wave}).iloc[0]["ok"])


def typed(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    """The frame with each declared column cast to its declared type (nullable where it holds
    nulls); a column whose values do not fit is left as it came."""
    for column in columns:
        if column.name not in frame.columns:
            continue
        series = frame[column.name]
        values = series.dropna()
        if column.type == "string" and len(series):
            continue  # pandas infers text itself (and pandas 2 would write a null as 'None')
        if column.type not in _DTYPES:
            continue  # "any": values of an attribute, whatever its type, stay as they came
        plain_type, nullable = _DTYPES[column.type]
        try:
            frame[column.name] = series.astype(nullable if len(values) < len(series) else plain_type)
        except (TypeError, ValueError):
            continue
    return frame


def announce(frame: pd.DataFrame, stacklevel: int) -> pd.DataFrame:
    """Issue the frame's note and server warnings as Python warnings (shown in a notebook, printed
    by the CLI); stacklevel counts from the caller of announce."""
    for text in frame.attrs.get("warnings", []):
        warnings.warn(text, ServerWarning, stacklevel=stacklevel + 1)
    if frame.attrs.get("note"):
        warnings.warn(frame.attrs["note"], NoteWarning, stacklevel=stacklevel + 1)
    return frame


def answer(query: Query, params: dict, settings: Settings | None = None,
           driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """Check the parameters against the data, then the needs, then run the query; an unmet need
    gives an empty frame with a note. Nothing is announced (see run_query)."""
    with session_for(settings, driver) as session:
        scope.check(session, params)
        check_known(session, query, params)
        note = unmet_need(session, query, params)
        if note:
            frame = typed(pd.DataFrame(columns=[column.name for column in query.returns]), query.returns)
            frame.attrs["note"] = note
            return frame
        return typed(execute(session, query.body, params), query.returns)


def run_query(query: Query, params: dict, settings: Settings | None = None,
              driver: neo4j.Driver | None = None, stacklevel: int = 1) -> pd.DataFrame:
    """Run a catalogue query with bound parameters (see answer); its note and warnings are announced."""
    return announce(answer(query, params, settings, driver), stacklevel + 1)


def run(name: str, *, settings: Settings | None = None, driver: neo4j.Driver | None = None,
        **params) -> pd.DataFrame:
    """Run the canned query `name` with keyword parameters (defaults from its header)."""
    query = get(name)
    return run_query(query, bind(query, params), settings, driver, stacklevel=2)


def cypher(statement: str, *, settings: Settings | None = None, driver: neo4j.Driver | None = None,
           write: bool = False, **params) -> pd.DataFrame:
    """Run ad-hoc Cypher with keyword parameters, read-only unless write=True."""
    if not statement or not statement.strip():
        raise QueryError("no Cypher statement given", hint="pass a statement, -f FILE, or - to read stdin")
    values = {name: plain_value(name, value) for name, value in params.items()}
    with session_for(settings, driver) as session:
        return announce(execute(session, statement, values, write=write), stacklevel=2)
