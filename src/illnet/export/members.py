"""The member-level table for multilevel models: one row per participant x member x wave.

    illnet export nwe --to members --out members.parquet      # or .csv
    from illnet.export.members import member_table; frame = member_table("nwe")

Members (level 1) nested in participants (level 2), the standard layout for mixed models of
tie-level outcomes (a tie retained at follow-up, support received). Columns, in this order:

- studyId, participantId, memberId, wave;
- the member's attributes and those of its tie to the participant at that wave (every property
  of NetworkMember and HAS_MEMBER, core and study-declared, under its own name; a property on
  both is read as coalesce(h[name], m[name]), the HAS_MEMBER value of the wave first), e.g.
  relationshipType, tieClass, circle, contactFrequency, status, nextWaveStatus;
- work received from the member at that wave: tasksReceived and one count per work type
  (illnessTasks, everydayTasks, emotionalTasks), and tasksGiven (the participant's help to it);
- the member's place in the network of member-member ties at that wave, the participant left
  out, as the load stored it on HAS_MEMBER (illnet.model.structure, checked against networkx):
  degree, betweenness (unnormalised), normalisedBetweenness (over (n-1)(n-2)/2, n = members
  named at the wave; 0 when n < 3), constraint and effectiveSize (Burt; NaN for a member
  without ties, as networkx), articulationPoint, networkBrokeredPairs, networkStrength and
  networkDyadicConstraint (networkComponent is left out: its numbers follow the members'
  ids). They are null at a wave where the study records no member ties, never 0;
- the participant's attributes, prefixed participant_ (participant_country, participant_sex, ...).

Provenance (loadRunId, sourceFile, sourceRow), node keys and the work summaries a load derives
(illnet.load.derived, counted here from the flows themselves) are left out.
"""

from pathlib import Path

import neo4j
import pandas as pd

from illnet import model
from illnet.db import Settings, driver_for
from illnet.errors import ExportError
from illnet.load import derived
from illnet.model import structure
from illnet.query import scope
from illnet.query.runner import execute
from illnet.release import release as released

IDS = ["studyId", "participantId", "memberId", "wave"]
LEFT_OUT = {"key", "studyId", "participantId", "memberId", "wave", "loadRunId", "sourceFile", "sourceRow",
            *derived.PROPERTIES,  # the work columns below count the same flows
            *structure.STRUCTURE_COLUMNS}  # in their own columns, in the order below
# The stored structure's properties under the export's column names (the first five as this table
# named them before the load stored them), and normalisedBetweenness after betweenness.
STRUCTURE = {"networkDegree": "degree", "networkBetweenness": "betweenness", "networkConstraint": "constraint",
             "networkEffectiveSize": "effectiveSize", "networkArticulationPoint": "articulationPoint",
             "networkBrokeredPairs": "networkBrokeredPairs", "networkStrength": "networkStrength",
             "networkDyadicConstraint": "networkDyadicConstraint"}
# networkComponent is left out: its numbers follow the members' ids, which a released table must not order.
COLUMNS = ["degree", "betweenness", "normalisedBetweenness", "constraint", "effectiveSize", "articulationPoint",
           "networkBrokeredPairs", "networkStrength", "networkDyadicConstraint"]
WRITERS = {".csv": lambda frame, out: frame.to_csv(out, index=False),
           ".parquet": lambda frame, out: frame.to_parquet(out, index=False)}

_ROWS = """
MATCH (s:Study {studyId: $study})<-[:IN_STUDY]-(p:Participant)-[h:HAS_MEMBER]->(m:NetworkMember)
WHERE $wave IS NULL OR h.wave = $wave
RETURN s.studyId AS studyId, p.participantId AS participantId, m.memberId AS memberId,
       h.wave AS wave, properties(m) AS member, properties(h) AS tie, properties(p) AS participant,
       [(m)-[w:PROVIDES]->(p) WHERE w.wave = h.wave | w.workType] AS work,
       COUNT { (p)-[g:PROVIDES]->(m) WHERE g.wave = h.wave } AS tasksGiven
ORDER BY participantId, memberId, wave
"""


def _properties(column: pd.Series, prefix: str = "") -> pd.DataFrame:
    """A column of property maps as columns (identifiers and provenance left out); integer and
    yes/no properties keep their type where values are missing (Int64, boolean), not float."""
    frame = pd.DataFrame([{k: v for k, v in props.items() if k not in LEFT_OUT} for props in column],
                         index=column.index, dtype=object)
    for name in frame.columns:
        present = frame[name].dropna()
        if len(present) and all(isinstance(v, bool) for v in present):
            frame[name] = frame[name].astype("boolean")
        elif len(present) and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            frame[name] = frame[name].astype("Int64")
        elif len(present) and all(isinstance(v, float) for v in present):
            frame[name] = frame[name].astype(float)
    return frame.add_prefix(prefix)


def _work(column: pd.Series) -> pd.DataFrame:
    """Counts of tasks received, in all and per work type of the vocabulary."""
    work = {"tasksReceived": column.map(len)}
    for code in model.vocabulary("work_type"):
        work[f"{code}Tasks"] = column.map(lambda types, code=code: types.count(code))
    return pd.DataFrame(work, index=column.index)


def _structure(rows: pd.DataFrame) -> pd.DataFrame:
    """The stored structure of each row's member (typed as schema/graph.yaml types it), with
    betweenness also normalised within its network."""
    stored = pd.DataFrame([[props.get(name) for name in STRUCTURE] for props in rows["tie"]],
                          index=rows.index, columns=list(STRUCTURE), dtype=object)
    typed = stored.astype({name: structure.DTYPES[name] for name in STRUCTURE}).rename(columns=STRUCTURE)
    size = rows.groupby(["participantId", "wave"])["memberId"].transform("size")  # the members named at the wave
    typed["normalisedBetweenness"] = structure.normalised_betweenness(typed["betweenness"], size)
    return typed[COLUMNS]


def member_table(study: str, wave: int | None = None, settings: Settings | None = None,
                 driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """The member-level table of one study (all waves, or one)."""
    with driver_for(settings, driver) as (resolved, usable), usable.session(database=resolved.database) as session:
        scope.require(session, study, wave)
        rows = execute(session, _ROWS, {"study": study, "wave": wave})
    if rows.empty:
        raise ExportError(f"study {study!r} has no members{f' at wave {wave}' if wave is not None else ''}")
    member, tie = _properties(rows["member"]), _properties(rows["tie"])
    attributes = tie.combine_first(member)[list(dict.fromkeys([*member.columns, *tie.columns]))]
    participant = _properties(rows["participant"], prefix="participant_")
    table = pd.concat([rows[IDS], attributes, _work(rows["work"]), rows[["tasksGiven"]], _structure(rows),
                       participant], axis=1)
    first = [column for column in table.columns if column not in participant.columns]
    return table[first + list(participant.columns)]


def export(study: str, out: Path, settings: Settings | None = None, driver: neo4j.Driver | None = None,
           wave: int | None = None, release: bool = False) -> pd.DataFrame:
    """Write the member-level table to out (.csv or .parquet, by its suffix); return it.
    With release, participant and member ids are keyed pseudonyms (illnet.release)."""
    out = Path(out)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ExportError(f"cannot write {out.name}: the member table is written as .csv or .parquet",
                          hint="name the output file e.g. members.csv or members.parquet")
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: the folder {out.parent} does not exist",
                          hint="create it first, or choose another --out")
    table = member_table(study, wave, settings, driver)
    if release:
        table = released(table, study)
    writer(table, out)
    return table
