"""Run canned queries by name and ad-hoc Cypher, in read transactions, into pandas DataFrames.

    from illnet import queries
    frame = queries.run("network_size", study="nwe")        # canned, by name
    frame = queries.cypher("MATCH (p:Participant) RETURN count(p) AS n")   # ad hoc
    frame.attrs.get("note")   # set when the data lacks what the question needs

Values are always sent as Cypher parameters, never formatted into the statement; numpy and
pandas scalars are taken as the values they hold. Everything runs in a READ transaction; an
ad-hoc statement that writes is refused (QueryError) unless write=True. Before a canned
query runs, one statement (illnet.query.scope.preflight) reads the loaded studies, whether the
participant exists and a cheap check of each `needs:` entry; the study, wave and participant
are checked against it, and when the data lacks what the query needs, the result is empty
(with the declared columns) and carries a note. Columns take the types of the `returns:`
header, also when the result is empty.

The rows come as plain Python first (illnet.query.rows.Rows, what the command line prints
without importing pandas); the functions here that return DataFrames build them from those. A
canned query's rows are sent 10,000 to a record, column by column (chunked), since receiving
one record per row cost more than computing a large result.

A note is both `frame.attrs["note"]` and a NoteWarning; the server's notifications about a
statement (an unknown label, relationship type or property, a deprecated feature) are
`frame.attrs["warnings"]` and ServerWarnings. Both show in a notebook; the CLI prints them
from the attrs (illnet.cli.output.emit), as it does a job's.
Parameters declared `known:` are checked against the study too (illnet.query.known).
"""

from __future__ import annotations

import warnings
from itertools import chain
from typing import TYPE_CHECKING

import neo4j
from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired

from illnet.db import Settings, session_for
from illnet.errors import ConnectionFailed, NoteWarning, QueryError, ServerWarning, StatementRejected, first_line
from illnet.query import guard, scope
from illnet.query.canned import Query, get
from illnet.query.known import check_known
from illnet.query.params import bind, plain_value
from illnet.query.rows import Rows, gc_paused

if TYPE_CHECKING:
    import pandas as pd

_IN_STUDY_WAVE = "($study IS NULL OR p.studyId = $study) AND ($wave IS NULL OR {rel}.wave = $wave)"
_RUN_JOB = ("the {job} job has not written its results{study}{wave}; run "
            "`illnet algo run {job}{args} --mode write` first")

# Cheap existence checks behind the `needs:` header: a Cypher expression (true when the data has it,
# over $study and $wave), and the note shown when not.
_NEED_CHECKS = {
    "member_ties": (
        ("EXISTS { MATCH (a:NetworkMember)-[k:KNOWS]->(:NetworkMember) "
         "WHERE ($study IS NULL OR a.studyId = $study) AND ($wave IS NULL OR k.wave = $wave) }"),
        ("no member-member ties (KNOWS) are recorded{study}{wave}; this question needs them "
         "(surveys like the original ones do not record ties between members)"),
    ),
    "resources": (
        ("EXISTS { MATCH (r:Resource)<-[:PARTICIPATES_IN|LINKS_TO]-() "
         "WHERE $study IS NULL OR r.studyId = $study }"),
        ("no groups, organisations or services (Resource nodes linked to participants or members) "
         "are recorded{study}; this question needs them"),
    ),
    "next_wave": (
        ("EXISTS { MATCH (p:Participant)-[h:HAS_MEMBER]->() "
         "WHERE ($study IS NULL OR p.studyId = $study) AND h.wave = $wave + 1 }"),
        "no members are named at the wave after wave {number}{study}; this question compares two waves",
    ),
    "support_flows": (
        ("EXISTS { MATCH (:NetworkMember)-[w:PROVIDES]->(p:Participant) WHERE "
         + _IN_STUDY_WAVE.format(rel="w") + " }"),
        ("no support flows (who does which task) are recorded{study}{wave}; this question needs them, "
         "and without them every count of work would read as zero"),
    ),
    "circles": (
        ("EXISTS { MATCH (p:Participant)-[h:HAS_MEMBER]->() WHERE "
         + _IN_STUDY_WAVE.format(rel="h") + " AND h.circle IS NOT NULL }"),
        "no circles (inner, middle, outer) are recorded{study}{wave}; this question needs them",
    ),
    "contact_frequency": (
        ("EXISTS { MATCH (p:Participant)-[h:HAS_MEMBER]->() WHERE "
         + _IN_STUDY_WAVE.format(rel="h") + " AND h.contactFrequency IS NOT NULL }"),
        "no contact frequencies are recorded{study}{wave}; this question needs them",
    ),
    "job:bridging_members": (
        ("EXISTS { MATCH (m:NetworkMember) WHERE ($study IS NULL OR m.studyId = $study) "
         "AND m.bridgingWave = coalesce($wave, m.bridgingWave) }"),
        _RUN_JOB,
    ),
    "job:network_types": (
        ("EXISTS { MATCH (p:Participant) WHERE ($study IS NULL OR p.studyId = $study) "
         "AND p.networkTypeWave = coalesce($wave, p.networkTypeWave) AND p.networkType IS NOT NULL }"),
        _RUN_JOB,
    ),
    "job:resource_communities": (
        ("EXISTS { MATCH (p:Participant) WHERE ($study IS NULL OR p.studyId = $study) "
         "AND p.resourceWave = coalesce($wave, p.resourceWave) AND p.resourceCommunity IS NOT NULL }"),
        _RUN_JOB,
    ),
}

_SCALARS = (int, float, str, bool)
_SIMPLE = {int, float, str, bool, type(None)}
_CHUNK = 10_000  # rows per record when a canned query's rows come column by column (see chunked)
_WRAP = "CALL () { "  # chunked() puts this before the statement's first line


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


def _plain_column(values: list) -> list:
    """A column of values as _plain gives them; at once when it holds only plain values, or lists
    of them (most columns)."""
    kinds = {type(value) for value in values}
    if kinds <= _SIMPLE or (kinds <= _SIMPLE | {list}
                            and {type(item) for value in values if type(value) is list for item in value} <= _SIMPLE):
        return values
    return [_plain(value) for value in values]


def chunked(statement: str, columns: list[str]) -> str:
    """The statement wrapped so that its rows (with these columns, in its order) come column by
    column, one record per _CHUNK rows holding one list per column. The driver's cost is per record
    (socket reads, a Record object) and per nested list, and a result of one row per member cost
    more to receive than to compute."""
    row = ", ".join(f"`{column}`" for column in columns)
    split = ", ".join(f"[row IN part | row[{index}]] AS `{column}`" for index, column in enumerate(columns))
    return (f"{_WRAP}{statement}\n}}\nWITH collect([{row}]) AS rows\n"
            f"UNWIND range(0, size(rows) - 1, {_CHUNK}) AS start\n"
            f"WITH rows[start..start + {_CHUNK}] AS part\nRETURN {split}")


def _notification(status, shift: int = 0) -> str:
    """One line for a server notification: its description and where in the statement (`shift`:
    characters put before the statement's first line, see chunked)."""
    text = status.status_description
    if text.startswith("warn:") and ". " in text:
        text = text.split(". ", 1)[1]  # 'warn: label does not exist. The label `X` does not exist. ...'
    position = status.position
    if not position:
        return f"Neo4j: {text}"
    column = position.column - shift if position.line == 1 else position.column
    return f"Neo4j: {text} (line {position.line}, column {column})"


def fetch_rows(tx, statement: str, params: dict, columns: list[str] | None = None) -> Rows:
    """Run a statement on a transaction or session; the rows as plain values, the server's
    warnings about the statement in attrs['warnings']. Given the statement's `columns`, its rows
    are fetched in chunks (see chunked)."""
    with gc_paused():
        if columns:
            result = tx.run(chunked(statement, columns), params)
            parts = [record.values() for record in result]
            values = [_plain_column(list(chain.from_iterable(part[index] for part in parts)))
                      for index in range(len(columns))]
            rows = Rows(list(columns), [list(row) for row in zip(*values)])
        else:
            result = tx.run(statement, params)
            rows = Rows(list(result.keys()), [[_plain(value) for value in record.values()] for record in result])
    summary = result.consume()
    shift = len(_WRAP) if columns else 0
    notes = [_notification(status, shift) for status in summary.gql_status_objects
             if status.is_notification and status.severity == neo4j.NotificationSeverity.WARNING]
    if notes:
        rows.attrs["warnings"] = list(dict.fromkeys(notes))
    return rows


def fetch(tx, statement: str, params: dict) -> pd.DataFrame:
    """fetch_rows as a DataFrame."""
    return fetch_rows(tx, statement, params).frame()


def execute_rows(session: neo4j.Session, statement: str, params: dict, write: bool = False,
                 columns: list[str] | None = None) -> Rows:
    """Run one statement in a read (or, with write=True, write) transaction; `columns` as fetch_rows."""
    guard.check(statement, write)  # what a read transaction lets through (illnet.query.guard)
    work = session.execute_write if write else session.execute_read
    try:
        return work(fetch_rows, statement, params, columns)
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


def execute(session: neo4j.Session, statement: str, params: dict, write: bool = False) -> pd.DataFrame:
    """execute_rows as a DataFrame."""
    return execute_rows(session, statement, params, write).frame()


def _scope_words(params: dict) -> dict:
    """The words a need's note is filled in with: where, which wave, the job and its command."""
    study, wave = params.get("study"), params.get("wave")
    args = "".join(f" -p {name}={params[name]}" for name in ("study", "wave") if params.get(name) is not None)
    return {"study": f" in study {study!r}" if study else "", "wave": f" at wave {wave}" if wave is not None else "",
            "number": wave, "args": args}


def need_checks(query: Query, params: dict) -> dict[str, str]:
    """need name -> its check (a Cypher expression), for the needs that apply to these parameters."""
    return {need.name: _NEED_CHECKS[need.name][0] for need in query.needs if need.applies(params)}


def unmet_need(query: Query, params: dict, found: dict[str, bool]) -> str | None:
    """A note naming the first thing the data lacks for this query (`found`: need name -> whether
    the data has it, as preflight answered need_checks), or None."""
    for name in need_checks(query, params):
        if not found[name]:
            job = name.removeprefix("job:")
            return f"{query.name}: " + _NEED_CHECKS[name][1].format(job=job, **_scope_words(params)) + "; the result is empty"
    return None


def has(session: neo4j.Session, need: str, study: str | None, wave: int | None) -> bool:
    """True when the data has what a `needs:` entry names (study and wave None: any)."""
    return bool(execute_rows(session, f"RETURN {_NEED_CHECKS[need][0]} AS ok", {"study": study, "wave": wave})
                .values[0][0])


def announce(frame: pd.DataFrame, stacklevel: int) -> pd.DataFrame:
    """Issue the frame's note and server warnings as Python warnings (shown in a notebook, printed
    by the CLI); stacklevel counts from the caller of announce."""
    for text in frame.attrs.get("warnings", []):
        warnings.warn(text, ServerWarning, stacklevel=stacklevel + 1)
    if frame.attrs.get("note"):
        warnings.warn(frame.attrs["note"], NoteWarning, stacklevel=stacklevel + 1)
    return frame


def answer_rows(query: Query, params: dict, settings: Settings | None = None,
                driver: neo4j.Driver | None = None) -> Rows:
    """Check the parameters against the data and the needs (one statement, scope.preflight), then
    run the query; an unmet need gives no rows, with a note. Nothing is announced (see run_query)."""
    with session_for(settings, driver) as session:
        studies, found = scope.preflight(session, params, need_checks(query, params))
        scope.check_found(session, params, studies, found)
        check_known(session, query, params)
        note = unmet_need(query, params, found)
        if note:
            rows = Rows([column.name for column in query.returns], [], {"note": note})
        else:
            rows = execute_rows(session, query.body, params, columns=[column.name for column in query.returns])
    rows.returns = query.returns
    rows.release_min_count = scope.release_min_count(studies, params.get("study"))
    return rows


def answer(query: Query, params: dict, settings: Settings | None = None,
           driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """answer_rows as a DataFrame, typed by the query's `returns:` header."""
    return answer_rows(query, params, settings, driver).frame()


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
    return announce(cypher_rows(statement, settings=settings, driver=driver, write=write, **params).frame(),
                    stacklevel=2)


def cypher_rows(statement: str, *, settings: Settings | None = None, driver: neo4j.Driver | None = None,
                write: bool = False, **params) -> Rows:
    """cypher without the DataFrame and without announcing (the command line prints the attrs)."""
    if not statement or not statement.strip():
        raise QueryError("no Cypher statement given", hint="pass a statement, -f FILE, or - to read stdin")
    values = {name: plain_value(name, value) for name, value in params.items()}
    with session_for(settings, driver) as session:
        return execute_rows(session, statement, values, write=write)
