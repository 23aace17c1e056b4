"""The data of egograms, read with Cypher (values always as parameters): each participant's
members at a wave with their relationship, tie class, ring value and the work they do, the
member-member ties among them, and the rings to draw (the circles, or a closeness variable
the study declares). Core fields are read as coalesce(h.field, m.field), per the model."""

import random
from dataclasses import dataclass

import neo4j

from illnet import model
from illnet.db import Settings, session_for
from illnet.errors import PlotError
from illnet.plot.layout import natural_key
from illnet.query.catalogue import close_names
from illnet.query.runner import execute
from illnet.values import is_missing

CIRCLE = "circle"
UNPLACED = "unplaced"
SECTOR_FIELDS = ("relationshipType", "tieClass")

_PARTICIPANTS = ("MATCH (p:Participant {studyId: $study}) "
                 "RETURN p.participantId AS participantId, "
                 "EXISTS { (p)-[h:HAS_MEMBER]->() WHERE h.wave = $wave } AS named")
_MEMBERS = """
UNWIND $participants AS participantId
MATCH (p:Participant {studyId: $study, participantId: participantId})-[h:HAS_MEMBER]->(m:NetworkMember)
WHERE h.wave IN $waves
RETURN participantId, h.wave AS wave, m.memberId AS memberId,
       coalesce(h.relationshipType, m.relationshipType) AS relationshipType,
       coalesce(h.relationshipRaw, m.relationshipRaw) AS relationshipRaw,
       coalesce(h.tieClass, m.tieClass) AS tieClass,
       coalesce(h[$rings], m[$rings]) AS ring,
       COUNT { (m)-[w:PROVIDES]->(p) WHERE w.wave = h.wave } AS work
"""
_TIES = """
UNWIND $participants AS participantId
MATCH (p:Participant {studyId: $study, participantId: participantId})-[ha:HAS_MEMBER]->(a:NetworkMember)
      -[k:KNOWS]-(b:NetworkMember)<-[hb:HAS_MEMBER]-(p)
WHERE k.wave IN $waves AND ha.wave = k.wave AND hb.wave = k.wave AND a.memberId < b.memberId
RETURN participantId, k.wave AS wave, a.memberId AS a, b.memberId AS b, max(coalesce(k.weight, 1.0)) AS weight
"""
_WAVES = ("MATCH (p:Participant {studyId: $study})-[h:HAS_MEMBER]->() "
          "RETURN collect(DISTINCT h.wave) AS waves")
_ATTRIBUTE = ("MATCH (:Study {studyId: $study})-[:DECLARES]->(a:Attribute) "
              "WHERE a.element IN ['HAS_MEMBER', 'NetworkMember'] "
              "RETURN a.name AS name, a.label AS label ORDER BY name")


@dataclass(frozen=True)
class Member:
    """One member as an egogram shows it."""

    member_id: str
    relationship_type: str | None
    relationship_raw: str | None
    tie_class: str | None
    ring: object          # the value of the ring variable; None = not recorded
    work: int             # support flows (PROVIDES) from the member to the participant at the wave

    def group(self, sectors: str) -> str | None:
        """The member's sector: its relationship type or tie class."""
        return self.relationship_type if sectors == "relationshipType" else self.tie_class


@dataclass(frozen=True)
class Ego:
    """One participant's personal network at one wave."""

    study: str
    participant: str
    wave: int
    members: tuple[Member, ...]
    ties: tuple[tuple[str, str, float], ...]   # (memberId, memberId, weight), each pair once


@dataclass(frozen=True)
class Rings:
    """The rings of a picture, innermost first; members whose value is in none of them
    (unplaced, or not recorded) sit on a last, dashed ring."""

    variable: str
    label: str
    values: tuple

    def index(self, value) -> int:
        return self.values.index(value) if value in self.values else len(self.values)

    def names(self) -> list[str]:
        return [str(value) for value in self.values] + [UNPLACED if self.variable == CIRCLE else "not recorded"]


def sample(study: str, count: int, seed: int = 1, wave: int = 0, settings: Settings | None = None,
           driver: neo4j.Driver | None = None) -> list[str]:
    """`count` participants of the study who named members at the wave, drawn with the seed, in id order."""
    with session_for(settings, driver) as session:
        frame = execute(session, _PARTICIPANTS, {"study": study, "wave": wave})
    named = sorted(frame[frame["named"].astype(bool)]["participantId"], key=natural_key)
    if not named:
        raise PlotError(f"no participant of study {study!r} named members at wave {wave}",
                        hint="check the study id (`illnet cypher \"MATCH (s:Study) RETURN s.studyId\"`) and the wave")
    return sorted(random.Random(seed).sample(named, min(count, len(named))), key=natural_key)


def read(study: str, participants: list[str], waves: list[int], rings: str = CIRCLE,
         ring_order: list | None = None, settings: Settings | None = None,
         driver: neo4j.Driver | None = None) -> tuple[dict[tuple[str, int], Ego], Rings]:
    """Every (participant, wave) network asked for, and the rings they share."""
    with session_for(settings, driver) as session:
        _check_participants(session, study, participants, waves)
        label = _ring_label(session, study, rings)
        params = {"study": study, "participants": list(participants), "waves": list(waves), "rings": rings}
        members = execute(session, _MEMBERS, params)
        ties = execute(session, _TIES, params)
    egos = {}
    for participant in participants:
        for wave in waves:
            rows = members[(members["participantId"] == participant) & (members["wave"] == wave)]
            links = ties[(ties["participantId"] == participant) & (ties["wave"] == wave)]
            egos[participant, wave] = Ego(
                study, participant, wave,
                tuple(sorted((Member(r.memberId, r.relationshipType, r.relationshipRaw, r.tieClass, _ring(r.ring),
                                     int(r.work))
                              for r in rows.itertuples()), key=lambda m: natural_key(m.member_id))),
                tuple((t.a, t.b, float(t.weight)) for t in links.itertuples()))
    values = {m.ring for ego in egos.values() for m in ego.members} - {None}
    return egos, Rings(rings, label, _ring_values(rings, values, ring_order))


def _ring(value):
    """A ring value as stored: None when missing (NaN in a numeric column), 5 rather than 5.0."""
    if is_missing(value):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _check_participants(session, study: str, participants: list[str], waves: list[int]) -> None:
    known = execute(session, _PARTICIPANTS, {"study": study, "wave": waves[0]})["participantId"].tolist()
    if not known:
        raise PlotError(f"no study {study!r} with participants in the graph",
                        hint="load it first (`illnet load MAPPING`); `illnet demo` loads nwe and euwise")
    for participant in participants:
        if participant not in known:
            close = close_names(participant, known)
            raise PlotError(f"no participant {participant!r} in study {study!r}",
                            hint=f"did you mean {', '.join(close)}?" if close else
                            f"the study has {len(known)} participants, e.g. {', '.join(sorted(known, key=natural_key)[:3])}")
    recorded = set(execute(session, _WAVES, {"study": study}).iloc[0]["waves"])
    for wave in waves:
        if wave not in recorded:
            raise PlotError(f"study {study!r} has no members named at wave {wave}",
                            hint=f"its waves are {', '.join(map(str, sorted(recorded)))}"
                                 + ("; --compare-waves needs the wave after the one asked for" if len(waves) > 1 else ""))


def _ring_label(session, study: str, rings: str) -> str:
    """What the rings show: the circles, or a closeness variable the study declares."""
    if rings == CIRCLE:
        return "circle"
    declared = execute(session, _ATTRIBUTE, {"study": study})
    match = declared[declared["name"] == rings]
    if not len(match):
        names = ", ".join(declared["name"]) or "none"
        raise PlotError(f"study {study!r} declares no member attribute {rings!r} to draw as rings",
                        hint=f"use the circles (the default) or one of its member attributes: {names}")
    return match.iloc[0]["label"] or rings


def _ring_values(rings: str, found: set, order: list | None) -> tuple:
    """Ring values, innermost first: the circle vocabulary; else `order`, or numbers high to
    low (a higher closeness sits nearer the participant), or text in sorted order."""
    if rings == CIRCLE:
        return tuple(code for code in model.vocabulary("circle") if code != UNPLACED)
    if order:
        order = [_same_type(value, found) for value in order]
        missing = sorted(map(str, found - set(order)))
        if missing:
            raise PlotError(f"the ring order leaves out values of {rings!r}: {', '.join(missing)}",
                            hint="list every value, innermost ring first")
        return tuple(order)
    if all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in found):
        return tuple(sorted(found, reverse=True))
    return tuple(sorted(found, key=str))


def _same_type(value, found: set):
    """A ring-order value given as text, as the type the graph stores (5 for '5' when values are numbers)."""
    for known in found:
        if str(known) == str(value):
            return known
    return value
