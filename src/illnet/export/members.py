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
  out, from the `bridging_members` GDS job (checked against networkx in its tests): degree,
  betweenness (unnormalised), normalisedBetweenness (over (n-1)(n-2)/2), constraint and
  effectiveSize (Burt; NaN for a member without ties, as networkx), articulationPoint. They are
  null at a wave where the study records no member ties, never 0;
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
from illnet.query import jobs, scope
from illnet.query.algorithms import run_bound_job
from illnet.query.params import bind
from illnet.query.runner import execute, has
from illnet.release import release as released

IDS = ["studyId", "participantId", "memberId", "wave"]
LEFT_OUT = {"key", "studyId", "participantId", "memberId", "wave", "loadRunId", "sourceFile", "sourceRow",
            *derived.PROPERTIES}  # the work columns below count the same flows
STRUCTURE = {"degree": "degree", "betweenness": "betweenness", "normalisedBetweenness": "normalisedBetweenness",
             "constraint": "constraint", "effectiveSize": "effectiveSize", "isArticulationPoint": "articulationPoint"}
WRITERS = {".csv": lambda frame, out: frame.to_csv(out, index=False),
           ".parquet": lambda frame, out: frame.to_parquet(out, index=False)}

_WAVES = "MATCH (s:Study {studyId: $study}) RETURN s.waves AS waves"
_ROWS = """
MATCH (s:Study {studyId: $study})<-[:IN_STUDY]-(p:Participant)-[h:HAS_MEMBER]->(m:NetworkMember)
WHERE $wave IS NULL OR h.wave = $wave
RETURN m.key AS key, s.studyId AS studyId, p.participantId AS participantId, m.memberId AS memberId,
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


def _structure(session: neo4j.Session, driver: neo4j.Driver, settings: Settings, study: str,
               waves: list[int]) -> pd.DataFrame:
    """Member structural measures per wave (key, wave), for the waves with member ties."""
    frames = []
    for wave in waves:
        if has(session, "member_ties", study, wave):
            job = jobs.get("bridging_members")
            frame = run_bound_job(job, bind(job, {"study": study, "wave": wave}), settings, driver=driver)
            frames.append(frame.assign(wave=wave)[["key", "wave", *STRUCTURE]].rename(columns=STRUCTURE))
    return pd.concat(frames) if frames else pd.DataFrame(columns=["key", "wave", *STRUCTURE.values()])


def member_table(study: str, wave: int | None = None, settings: Settings | None = None,
                 driver: neo4j.Driver | None = None) -> pd.DataFrame:
    """The member-level table of one study (all waves, or one)."""
    with driver_for(settings, driver) as (resolved, usable), usable.session(database=resolved.database) as session:
        scope.require(session, study, wave)
        found = execute(session, _WAVES, {"study": study})
        waves = list(found.iloc[0]["waves"] or [])
        rows = execute(session, _ROWS, {"study": study, "wave": wave})
        structure = _structure(session, usable, resolved, study, [wave] if wave is not None else waves)
    if rows.empty:
        raise ExportError(f"study {study!r} has no members{f' at wave {wave}' if wave is not None else ''}")
    member, tie = _properties(rows["member"]), _properties(rows["tie"])
    attributes = tie.combine_first(member)[list(dict.fromkeys([*member.columns, *tie.columns]))]
    participant = _properties(rows["participant"], prefix="participant_")
    table = pd.concat([rows[["key", *IDS]], attributes, _work(rows["work"]), rows[["tasksGiven"]], participant],
                      axis=1).merge(structure, on=["key", "wave"], how="left")
    first = [column for column in table.columns if column not in participant.columns and column != "key"]
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
