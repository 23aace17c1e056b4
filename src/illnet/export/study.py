"""One study read back from Neo4j: everything the exports write, provenance left out."""

from dataclasses import dataclass, field

from illnet.db import Settings, session_for
from illnet.load import derived
from illnet.model import structure
from illnet.query import scope

CONDITIONS = "conditions"  # a participant's condition codes, joined by ';' (as a multi-value column)
PROVENANCE = {"loadRunId", "sourceFile", "sourceRow", "key"}
# provenance, what a load derives from support flows, and the network structure it computes
LEFT_OUT = PROVENANCE | set(derived.PROPERTIES) | set(structure.STRUCTURE_COLUMNS)
QUERIES = {
    "study": "MATCH (s:Study {studyId: $study}) RETURN properties(s) AS s",
    "participants": "MATCH (p:Participant {studyId: $study}) "
                    "RETURN properties(p) AS p, COLLECT { MATCH (p)-[:HAS_CONDITION]->(c) RETURN c.code ORDER BY c.code } "
                    "AS conditions ORDER BY p.participantId",
    "visits": "MATCH (p:Participant {studyId: $study})-[h:HAS_MEMBER]->(m:NetworkMember) "
              "RETURN properties(m) AS m, properties(h) AS h ORDER BY p.participantId, m.memberId, h.wave",
    "knows": "MATCH (a:NetworkMember {studyId: $study})-[k:KNOWS]->(b:NetworkMember) "
             "RETURN a.participantId AS participant, a.memberId AS a, b.memberId AS b, properties(k) AS k "
             "ORDER BY participant, a, b, k.wave, k.type",
    "left_out": "MATCH (p:Participant {studyId: $study}) RETURN "
                "COUNT { (p)-[:PROVIDES]-() } AS `support flows`, "
                "COUNT { (p)-[:PARTICIPATES_IN]->() } AS `resource uses`, "
                "COUNT { (p)-[:HAS_MEMBER]->()-[:LINKS_TO]->() } AS `resource links`",
    "attributes": "MATCH (:Study {studyId: $study})-[:DECLARES]->(a:Attribute) RETURN properties(a) AS a "
                  "ORDER BY a.element, a.name",
}


@dataclass
class StudyData:
    """A study as plain dicts of graph properties (provenance and keys removed)."""

    study: dict
    participants: list[dict] = field(default_factory=list)
    visits: list[tuple[dict, dict]] = field(default_factory=list)  # (member, HAS_MEMBER) per wave
    knows: list[tuple[str, str, str, dict]] = field(default_factory=list)  # (participant, a, b, KNOWS)
    attributes: list[dict] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # what the exports do not carry: how many

    @property
    def study_id(self) -> str:
        return self.study["studyId"]


def _plain(props: dict) -> dict:
    return {k: (v.to_native() if hasattr(v, "to_native") else v) for k, v in props.items() if k not in LEFT_OUT}


def read_study_graph(study: str, settings: Settings | None = None, driver=None) -> StudyData:
    """The study's participants, members per wave, member ties and declared attributes."""
    with session_for(settings, driver) as session:
        scope.require(session, study)
        found = session.run(QUERIES["study"], study=study).single()
        data = StudyData(_plain(found["s"]))
        data.participants = [_plain(r["p"]) | ({CONDITIONS: ";".join(r["conditions"])} if r["conditions"] else {})
                             for r in session.run(QUERIES["participants"], study=study)]
        data.visits = [(_plain(r["m"]), _plain(r["h"])) for r in session.run(QUERIES["visits"], study=study)]
        data.knows = [(r["participant"], r["a"], r["b"], _plain(r["k"]))
                      for r in session.run(QUERIES["knows"], study=study)]
        data.attributes = [_plain(r["a"]) for r in session.run(QUERIES["attributes"], study=study)]
        for record in session.run(QUERIES["left_out"], study=study):
            for name, count in record.items():
                data.left_out[name] = data.left_out.get(name, 0) + count
    return data
