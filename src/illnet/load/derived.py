"""Facts derived at load: the study's countries and waves, each tie's status between
waves, and each member's work, so that canned queries need not scan every support flow.

A study holds about 40 support flows (PROVIDES) per participant and wave, five times its
HAS_MEMBER relationships, and most questions about work only need, per member and wave,
which tasks the member does for the participant and whether the participant helps the
member back. Each HAS_MEMBER carries (schema/graph.yaml):

- `status`: 'baseline' at the study's first wave, else 'retained' when the member was also
  named at the previous wave, else 'new';
- `nextWaveStatus`: 'retained' or 'lost' at the next wave, null while it is not loaded;
- `memberTasks`: the tasks of the member's PROVIDES to the participant at that wave, sorted;
- `memberWorkTypes`: the work type of each of those tasks, in the same order;
- `participantTasks`: how many PROVIDES the participant gives the member at that wave.

Two ways to the same facts. A study new to the database gets them from its tables, as
columns of the rows the writer creates or imports (`tie_facts`, `study_facts`). A study
already there (a follow-up wave, a resumed load) gets them in Cypher over the whole study
(`TIE_STATUS`, `DERIVE_WORK`), since its earlier waves are in the database only; a test
checks that both give the same graph. The test fixtures written in Cypher call `derive_work`
after writing (tests/fixture_graph.py); graphs written by illnet.synth.graph, for the
algorithm benchmarks and tests, do not carry the work properties.
"""

from typing import NamedTuple

import neo4j
import numpy as np
import pandas as pd

from illnet.load.tables import StudyTables

# The work properties (what the exports leave out: they carry, or count, the flows themselves).
PROPERTIES = ("memberTasks", "memberWorkTypes", "participantTasks")
# Property -> column of `tie_facts`: what a load writes onto each HAS_MEMBER besides its table's columns.
TIE_COLUMNS = {"status": "status", "nextWaveStatus": "next_wave_status", "memberTasks": "member_tasks",
               "memberWorkTypes": "member_work_types", "participantTasks": "participant_tasks"}
TIE = ["participant_id", "member_id", "wave"]

# The status of every tie between waves, for the waves in the database ($waves, sorted);
# committed per 1,000 participants (implicit transaction).
TIE_STATUS = """
MATCH (p:Participant {studyId: $study})
CALL (p) {
  MATCH (p)-[r:HAS_MEMBER]->(m)
  OPTIONAL MATCH (p)-[previous:HAS_MEMBER {wave: r.wave - 1}]->(m)
  OPTIONAL MATCH (p)-[next:HAS_MEMBER {wave: r.wave + 1}]->(m)
  WITH r, previous, next
  SET r.status = CASE WHEN r.wave = $waves[0] THEN 'baseline'
                      WHEN previous IS NULL THEN 'new' ELSE 'retained' END,
      r.nextWaveStatus = CASE WHEN NOT (r.wave + 1) IN $waves THEN null
                              WHEN next IS NULL THEN 'lost' ELSE 'retained' END
} IN TRANSACTIONS OF 1000 ROWS
"""

# Each member's work per wave onto its HAS_MEMBER (schema migration 006 runs the same SET on
# studies loaded before the loader derived it; a test checks that the two agree).
WORK_OF_MEMBER = """
  MATCH (p)-[h:HAS_MEMBER]->(m:NetworkMember)
  CALL (p, h, m) {
    OPTIONAL MATCH (m)-[w:PROVIDES]->(p)
    WHERE w.wave = h.wave
    WITH w ORDER BY w.task
    RETURN collect(w.task) AS tasks, collect(w.workType) AS workTypes
  }
  SET h.memberTasks = tasks, h.memberWorkTypes = workTypes,
      h.participantTasks = COUNT { MATCH (p)-[back:PROVIDES]->(m) WHERE back.wave = h.wave }
"""
DERIVE_WORK = f"MATCH (p:Participant {{studyId: $study}})\nCALL (p) {{{WORK_OF_MEMBER}}} IN TRANSACTIONS OF 1000 ROWS"

# A bulk import cannot write an empty list (an empty cell is no property): the ties of members
# who do no work get theirs here.
NO_WORK = """
MATCH (p:Participant {studyId: $study})
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER]->() WHERE h.memberTasks IS NULL
  SET h.memberTasks = [], h.memberWorkTypes = []
} IN TRANSACTIONS OF 1000 ROWS
"""


def _run(driver: neo4j.Driver, database: str, statement: str, **params) -> None:
    # An implicit transaction: the statements commit per 1,000 participants (IN TRANSACTIONS).
    with driver.session(database=database) as session:
        session.run(statement, **params).consume()


def derive_tie_status(driver: neo4j.Driver, study: str, waves: list[int], database: str = "neo4j") -> None:
    """Write the status of every HAS_MEMBER of `study` (in the database), given its waves."""
    _run(driver, database, TIE_STATUS, study=study, waves=waves)


def derive_work(driver: neo4j.Driver, study: str, database: str = "neo4j") -> None:
    """Write the work properties of every HAS_MEMBER of `study` (in the database)."""
    _run(driver, database, DERIVE_WORK, study=study)


def fill_no_work(driver: neo4j.Driver, study: str, database: str = "neo4j") -> None:
    """Give the ties of `study` without work properties empty ones (after a bulk import)."""
    _run(driver, database, NO_WORK, study=study)


class StudyFacts(NamedTuple):
    """What the Study node holds of its data: its participants' countries and its ties' waves, sorted."""

    countries: list[str]
    waves: list[int]


def study_facts(tables: StudyTables) -> StudyFacts:
    """The study's countries and waves, from its tables."""
    countries = tables["participants"]["country"].dropna().unique()
    waves = tables["ties"]["wave"].dropna().unique()
    return StudyFacts(sorted(map(str, countries)), sorted(map(int, waves)))


def tie_facts(tables: StudyTables) -> pd.DataFrame:
    """The derived columns of every row of the ties table (same index), as the Cypher
    above would set them on a study holding these tables only."""
    ties, support = tables["ties"], tables["support"]
    keys = _index(ties)
    waves = np.sort(ties["wave"].dropna().unique().astype("int64"))
    wave = ties["wave"].to_numpy(dtype="int64")
    named_before = _shifted(keys, -1).isin(keys)
    named_after = _shifted(keys, 1).isin(keys)
    status = np.where(wave == waves[0], "baseline", np.where(named_before, "retained", "new")) if len(ties) else []
    next_status = np.where(named_after, "retained", "lost").astype(object)
    next_status[~np.isin(wave + 1, waves)] = None
    flows = support.drop_duplicates(TIE + ["task", "direction"], keep="last")
    tasks, work_types = _work_lists(flows[flows["direction"] == "to_participant"], keys)
    back = flows[flows["direction"] == "to_member"]
    given = _per_tie(pd.Series(1, index=back.index), back, keys)
    return pd.DataFrame({"status": pd.Series(status, index=ties.index, dtype=object),
                         "next_wave_status": pd.Series(next_status, index=ties.index, dtype=object), "member_tasks": tasks, "member_work_types": work_types,
                         "participant_tasks": pd.array(given, dtype="Int64")}, index=ties.index)


def _index(frame: pd.DataFrame) -> pd.MultiIndex:
    """(participant, member, wave) of every row, as an index to look rows up by (categorical ids
    stay codes: looking up matches values, whatever the categories of each table)."""
    return pd.MultiIndex.from_arrays([frame["participant_id"].array, frame["member_id"].array,
                                      frame["wave"].to_numpy(dtype="int64")], names=TIE)


def _shifted(keys: pd.MultiIndex, waves: int) -> pd.MultiIndex:
    """The same (participant, member) `waves` later (earlier when negative): only the wave
    level's values move, so the ids are not looked up again."""
    return keys.set_levels(keys.levels[2] + waves, level="wave")


def _per_tie(values: pd.Series, flows: pd.DataFrame, ties: pd.MultiIndex) -> np.ndarray:
    """The sum of `values` (one per flow) over the flows of each tie, in `ties` order (0: none)."""
    sums = pd.Series(values.to_numpy(), index=_index(flows)).groupby(level=TIE, sort=False).sum()
    return sums.reindex(ties, fill_value=0).to_numpy(dtype="int64")


def _work_lists(flows: pd.DataFrame, ties: pd.MultiIndex) -> tuple[pd.Categorical, pd.Categorical]:
    """Per tie (in `ties` order): the tuple of the tasks of its flows, sorted, and the tuple of
    their work types in that order; () for a tie without flows. Categorical, since a few
    hundred combinations repeat over the whole study.

    A tie's flows have distinct tasks, so its tasks are a set: each (task, work type) pair
    is one bit, a tie's combination the sum of its bits, and the pairs are numbered in task
    order, so that a combination's tuples come out sorted."""
    pairs = pd.MultiIndex.from_arrays([flows["task"].astype(object), flows["work_type"].astype(object)])
    numbered = pairs.unique().sort_values()
    if len(numbered) > 63:
        raise ValueError(f"{len(numbered)} (task, work type) pairs: more than one 64-bit combination holds")
    bits = pd.Series(np.left_shift(1, numbered.get_indexer(pairs), dtype="int64"), index=flows.index)
    of_tie = _per_tie(bits, flows, ties)
    combinations, codes = np.unique(of_tie, return_inverse=True)
    pair_list = numbered.tolist()
    members = [[pair_list[i] for i in range(len(pair_list)) if int(mask) >> i & 1] for mask in combinations]
    task_lists = pd.Index([tuple(task for task, _ in pairs_) for pairs_ in members], dtype=object, tupleize_cols=False)
    type_lists = [tuple(work_type for _, work_type in pairs_) for pairs_ in members]
    tasks = pd.Categorical.from_codes(codes, categories=task_lists)
    # Two task combinations may share their work types: the work-type categories must be unique.
    type_index = pd.Index(list(dict.fromkeys(type_lists)), dtype=object, tupleize_cols=False)
    work_types = pd.Categorical.from_codes(type_index.get_indexer(pd.Index(type_lists, dtype=object,
                                                                            tupleize_cols=False))[codes],
                                           categories=type_index)
    return tasks, work_types
