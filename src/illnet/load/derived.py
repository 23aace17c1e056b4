"""Properties derived at load so that canned queries need not scan every support flow.

A study holds about 40 support flows (PROVIDES) per participant and wave, five times its
HAS_MEMBER relationships, and most questions about work only need, per member and wave,
which tasks the member does for the participant and whether the participant helps the
member back. `derive` writes that onto each HAS_MEMBER (schema/graph.yaml):

- `memberTasks`: the tasks of the member's PROVIDES to the participant at that wave, sorted;
- `memberWorkTypes`: the work type of each of those tasks, in the same order;
- `participantTasks`: how many PROVIDES the participant gives the member at that wave.

Written for every HAS_MEMBER of the study, committed per 1,000 participants (an implicit
transaction, as the writer's other finishing steps), so that re-running a load (a new
wave, a resumed run) brings them up to date. The test fixtures written in Cypher call
`derive` after writing (tests/fixture_graph.py); graphs written by illnet.synth.graph, for
the algorithm benchmarks and tests, do not carry these properties.
"""

import neo4j

# What derive() writes: summaries of the support flows, which the exports leave out (they carry, or
# count, the flows themselves).
PROPERTIES = ("memberTasks", "memberWorkTypes", "participantTasks")

DERIVE_WORK = """
MATCH (p:Participant {studyId: $study})
CALL (p) {
  MATCH (p)-[h:HAS_MEMBER]->(m:NetworkMember)
  CALL (p, h, m) {
    OPTIONAL MATCH (m)-[w:PROVIDES]->(p)
    WHERE w.wave = h.wave
    WITH w ORDER BY w.task
    RETURN collect(w.task) AS tasks, collect(w.workType) AS workTypes
  }
  SET h.memberTasks = tasks, h.memberWorkTypes = workTypes,
      h.participantTasks = COUNT { MATCH (p)-[back:PROVIDES]->(m) WHERE back.wave = h.wave }
} IN TRANSACTIONS OF 1000 ROWS
"""


def derive(driver: neo4j.Driver, study: str, database: str = "neo4j") -> None:
    """Write the derived work properties of every HAS_MEMBER of `study`."""
    with driver.session(database=database) as session:
        session.run(DERIVE_WORK, study=study).consume()
