"""Read-only that holds: classify a Cypher statement before it runs, and refuse in a
read-only run what Neo4j's read transactions let through.

A read transaction stops writes to the graph, but not: administration commands
(TERMINATE TRANSACTIONS, SHOW TRANSACTIONS, which shows other sessions' queries and
parameters; users, roles, databases), GDS procedures that change the in-memory graph
catalogue or write files, APOC procedures that load, export or run other Cypher,
procedures that change or reveal the server (dbms.setConfigValue, db.stats.retrieve),
and LOAD CSV, which reads files and URLs outside the graph. Without --write (write=False)
those are refused here, with the reason; with --write they go to the server, whose own
configuration (the procedure allowlist, the URL blocklist) still applies.

The check reads the statement's words with string literals and comments removed, so a
quoted 'TERMINATE' or a property named `show` does not count.
"""

import re
from dataclasses import dataclass

from illnet.errors import StatementRejected

# Comments, string literals and backtick-quoted names, in the order they start.
_LEXEMES = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.DOTALL)
# A name as Cypher writes it: words joined by dots, each word plain or in backticks.
_WORD = r"(?:`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)"
_NAME = rf"{_WORD}(?:\s*\.\s*{_WORD})*"
_PROCEDURE_CALL = re.compile(rf"\bCALL\s+({_NAME})", re.IGNORECASE)
_FUNCTION_CALL = re.compile(rf"(?<![.\w`$:])({_NAME})\s*\(")

# Clauses and commands (matched on the statement with literals removed, not after a dot,
# a colon or a dollar sign: property keys, labels and parameters do not count).
_NOT_A_KEY = r"(?<![.\w`$:])"
ADMIN_PATTERNS = (
    rf"{_NOT_A_KEY}TERMINATE\s+TRANSACTIONS?\b",
    rf"{_NOT_A_KEY}SHOW\s+(?:ALL\s+|USER\s+\S+\s+)?TRANSACTIONS?\b",
    rf"{_NOT_A_KEY}(?:SHOW|CREATE|DROP|ALTER|RENAME)\s+(?:(?:OR\s+REPLACE|IF\s+NOT\s+EXISTS|ALL|POPULATED|"
    r"COMPOSITE|STANDARD|CURRENT|REMOTE|LOCAL)\s+)*(?:USERS?|ROLES?|DATABASES?|ALIAS(?:ES)?|SERVERS?|PRIVILEGES?)\b",
    rf"{_NOT_A_KEY}(?:GRANT|DENY|REVOKE)\s+\w",
    rf"{_NOT_A_KEY}(?:START|STOP)\s+DATABASE\b",
    rf"{_NOT_A_KEY}SHOW\s+(?:ALL\s+)?SETTINGS?\b",  # the server's configuration: paths, the allowlist
    rf"{_NOT_A_KEY}SHOW\s+(?:DEFAULT|HOME)\s+DATABASES?\b",
    rf"{_NOT_A_KEY}(?:ENABLE|DEALLOCATE|REALLOCATE)\s+(?:SERVER|DATABASES?)\b",
)
_ADMIN = re.compile("|".join(ADMIN_PATTERNS), re.IGNORECASE)
_LOAD_CSV = re.compile(rf"{_NOT_A_KEY}LOAD\s+CSV\b", re.IGNORECASE)

# Procedures a read-only run may call: built-ins that only read the graph's own schema or
# the server's version, GDS calls that stream, estimate or list, and pure APOC functions.
READ_ONLY_PROCEDURES = {
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.info", "db.ping",
    "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
    "db.index.vector.querynodes", "db.index.vector.queryrelationships", "db.namefromelementid",
    "dbms.components", "dbms.info", "dbms.showcurrentuser",
    "gds.version", "gds.list", "gds.graph.list", "gds.graph.exists", "gds.debug.sysinfo",
    "apoc.version",
}
READ_ONLY_SUFFIXES = (".stream", ".stats", ".estimate")
READ_ONLY_PREFIXES = ("gds.util.", "apoc.coll.", "apoc.text.", "apoc.map.", "apoc.convert.", "apoc.math.",
                      "apoc.number.", "apoc.date.", "apoc.temporal.", "apoc.agg.", "apoc.meta.")
# Function namespaces that can do more than compute a value (others, such as date. or
# point., are Neo4j's own and only compute).
_CHECKED_FUNCTION_NAMESPACES = ("gds.", "apoc.", "db.", "dbms.")

WRITE_HINT = "pass --write (write=True in Python) if you mean to do this"


@dataclass(frozen=True)
class Verdict:
    """What a statement does beyond reading the graph: None when nothing, else why it is refused read-only."""

    reason: str | None

    @property
    def read_only(self) -> bool:
        """True when the statement may run without --write."""
        return self.reason is None


def _blank(lexeme: re.Match) -> str:
    text = lexeme.group()
    return text if text.startswith("`") else " " if text.startswith("/") else "''"


def _bare(statement: str) -> str:
    """The statement with comments and string literals blanked out (quoted names kept)."""
    return _LEXEMES.sub(_blank, statement)


def _name(text: str) -> str:
    """A dotted name as one lower-case string, backticks and spaces removed."""
    return re.sub(r"[`\s]", "", text).lower()


def _read_only_name(name: str) -> bool:
    return (name in READ_ONLY_PROCEDURES or name.startswith(READ_ONLY_PREFIXES)
            or (name.startswith("gds.") and name.endswith(READ_ONLY_SUFFIXES)))


def classify(statement: str) -> Verdict:
    """Whether a statement may run in a read-only run, and if not, why."""
    bare = _bare(statement)
    admin = _ADMIN.search(bare)
    if admin:
        command = " ".join(admin.group().split()).upper()
        return Verdict(f"{command}... is an administration command")
    if _LOAD_CSV.search(bare):
        return Verdict("LOAD CSV reads files or URLs outside the graph")
    for match in _PROCEDURE_CALL.finditer(bare):
        name = _name(match.group(1))
        if not _read_only_name(name):
            return Verdict(f"procedure {name} may change the server, its graph catalogue or files, "
                           "or reach outside the graph")
    for match in _FUNCTION_CALL.finditer(bare):
        name = _name(match.group(1))
        if name.startswith(_CHECKED_FUNCTION_NAMESPACES) and not _read_only_name(name):
            return Verdict(f"function {name} may change the GDS graph catalogue or reach outside the graph")
    return Verdict(None)


def check(statement: str, write: bool) -> None:
    """Raise StatementRejected when a read-only run (write=False) would do more than read the graph."""
    if write:
        return
    verdict = classify(statement)
    if not verdict.read_only:
        raise StatementRejected(f"refused in a read-only run: {verdict.reason}", hint=WRITE_HINT)
