"""Parameters checked against what is loaded, before a question runs: the study, the wave and
the participant named must exist, and the error lists what does (never an empty table for a typo).

    check(session, {"study": "NWE", "wave": 0})
    QueryError: there is no study 'NWE' (hint: did you mean 'nwe'? the loaded studies are nwe, euwise)

Used by canned queries and algorithm jobs alike; parameters that are absent or null are not checked.
`preflight` reads, in one statement, the loaded studies (their waves and the release threshold their
mappings set), whether the participant exists, and any further checks a caller adds (the canned
queries' `needs:`), so a question pays one round trip before it runs.
"""

from dataclasses import dataclass

import neo4j

from illnet.errors import QueryError
from illnet.query.catalogue import close_names

STUDIES = "COLLECT { MATCH (s:Study) RETURN s {.studyId, .waves, .releaseMinCount} AS study }"
PARTICIPANT = ("EXISTS { MATCH (p:Participant {participantId: $participant}) "
               "WHERE $study IS NULL OR p.studyId = $study }")
SOME_PARTICIPANTS = ("MATCH (p:Participant) WHERE $study IS NULL OR p.studyId = $study "
                     "WITH p.participantId AS id ORDER BY id RETURN count(*) AS n, collect(id)[..3] AS first")
SHOWN = 3  # participant ids shown in a hint


@dataclass(frozen=True)
class Study:
    """What the scope checks need of a loaded study."""

    waves: list[int] | None  # None when the study does not record them
    release_min_count: int | None  # every result released with this threshold (privacy.release_min_count)


def _rows(session: neo4j.Session, statement: str, params: dict | None = None) -> list[dict]:
    return session.execute_read(lambda tx: [record.data() for record in tx.run(statement, params or {})])


def preflight(session: neo4j.Session, params: dict, checks: dict[str, str] | None = None
              ) -> tuple[dict[str, Study], dict[str, bool]]:
    """(studyId -> Study, check name -> its value), in one statement: the loaded studies, whether
    the participant exists (check 'participant', when one is given) and each of `checks`, a
    Cypher expression over $study, $wave and $participant (e.g. EXISTS { ... })."""
    checks = dict(checks or {})
    if params.get("participant") is not None:
        checks["participant"] = PARTICIPANT
    columns = [f"{STUDIES} AS studies", *(f"{expression} AS check{i}" for i, expression in enumerate(checks.values()))]
    values = {name: params.get(name) for name in ("study", "wave", "participant")}
    found = _rows(session, "RETURN " + ", ".join(columns), values)[0]
    studies = {row["studyId"]: Study(row["waves"], row["releaseMinCount"])
               for row in sorted(found["studies"], key=lambda row: row["studyId"])}
    return studies, {name: found[f"check{i}"] for i, name in enumerate(checks)}


def loaded_studies(session: neo4j.Session) -> dict[str, Study]:
    """studyId -> its loaded waves and release threshold."""
    return preflight(session, {})[0]


def release_min_count(studies: dict[str, Study], study: str | None) -> int | None:
    """The largest threshold the mappings of `study` (None: of every loaded study) set for their results."""
    counts = [found.release_min_count for name, found in studies.items()
              if study is None or name == study]
    return max((count for count in counts if count is not None), default=None)


def _as_list(values) -> str:
    return ", ".join(str(value) for value in values)


def check_study(studies: dict, study: str) -> None:
    """Raise QueryError unless `study` is loaded, listing the loaded studies."""
    if study in studies:
        return
    if not studies:
        raise QueryError(f"there is no study {study!r}: no study is loaded",
                         hint="load one with `illnet load MAPPING`, or the examples with `illnet demo`")
    close = close_names(study, list(studies)) or [name for name in studies if name.lower() == study.lower()]
    guess = f"did you mean {close[0]!r}? " if close else ""
    raise QueryError(f"there is no study {study!r}", hint=f"{guess}the loaded studies are {_as_list(studies)}")


def check_wave(studies: dict, study: str | None, wave: int) -> None:
    """Raise QueryError unless the study (or, with no study, any loaded study) has the wave."""
    chosen = {study: studies[study]} if study else studies
    known = sorted({w for found in chosen.values() if found.waves is not None for w in found.waves})
    if not known or wave in known:
        return
    where = f"study {study!r} has" if study else "the loaded studies have"
    raise QueryError(f"{where} no wave {wave}",
                     hint=f"its waves are {_as_list(known)} (0 = baseline)" if study
                     else f"their waves are {_as_list(known)} (0 = baseline)")


def refuse_participant(session: neo4j.Session, study: str | None, participant: str) -> None:
    """Raise QueryError naming some of the study's participants (one that was not found)."""
    params = {"study": study, "participant": participant}
    some = _rows(session, SOME_PARTICIPANTS, params)[0]
    where = f" in study {study!r}" if study else ""
    raise QueryError(f"there is no participant {participant!r}{where}",
                     hint=f"there are {some['n']} participants{where}, e.g. {_as_list(some['first'])}")


def require(session: neo4j.Session, study: str, wave: int | None = None) -> None:
    """Raise QueryError unless the study (and the wave, when given) is loaded: the one check
    of every command that names a study (queries, jobs, exports, the report, the dictionary)."""
    studies = loaded_studies(session)
    check_study(studies, study)
    if wave is not None:
        check_wave(studies, study, wave)


def check_found(session: neo4j.Session, params: dict, studies: dict[str, Study], found: dict[str, bool]) -> None:
    """Check the study, wave and participant parameters (when given) against what preflight found."""
    study, wave, participant = params.get("study"), params.get("wave"), params.get("participant")
    if study is not None:
        check_study(studies, study)
    if wave is not None:
        check_wave(studies, study, wave)
    if participant is not None and not found["participant"]:
        refuse_participant(session, study, participant)


def check(session: neo4j.Session, params: dict) -> None:
    """Check the study, wave and participant parameters (when given) against the loaded data."""
    if all(params.get(name) is None for name in ("study", "wave", "participant")):
        return
    check_found(session, params, *preflight(session, params))
