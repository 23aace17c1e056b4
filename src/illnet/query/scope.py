"""Parameters checked against what is loaded, before a question runs: the study, the wave and
the participant named must exist, and the error lists what does (never an empty table for a typo).

    check(session, {"study": "NWE", "wave": 0})
    QueryError: there is no study 'NWE' (hint: did you mean 'nwe'? the loaded studies are nwe, euwise)

Used by canned queries and algorithm jobs alike; parameters that are absent or null are not checked.
"""

import neo4j

from illnet.errors import QueryError
from illnet.query.catalogue import close_names

STUDIES = "MATCH (s:Study) RETURN s.studyId AS studyId, s.waves AS waves ORDER BY studyId"
PARTICIPANT = ("MATCH (p:Participant {participantId: $participant}) WHERE $study IS NULL OR p.studyId = $study "
               "RETURN count(p) AS found")
SOME_PARTICIPANTS = ("MATCH (p:Participant) WHERE $study IS NULL OR p.studyId = $study "
                     "WITH p.participantId AS id ORDER BY id RETURN count(*) AS n, collect(id)[..3] AS first")
SHOWN = 3  # participant ids shown in a hint


def _rows(session: neo4j.Session, statement: str, params: dict | None = None) -> list[dict]:
    return session.execute_read(lambda tx: [record.data() for record in tx.run(statement, params or {})])


def loaded_studies(session: neo4j.Session) -> dict[str, list[int] | None]:
    """studyId -> its loaded waves (None when the study does not record them)."""
    return {row["studyId"]: row["waves"] for row in _rows(session, STUDIES)}


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
    known = sorted({w for waves in chosen.values() if waves is not None for w in waves})
    if not known or wave in known:
        return
    where = f"study {study!r} has" if study else "the loaded studies have"
    raise QueryError(f"{where} no wave {wave}",
                     hint=f"its waves are {_as_list(known)} (0 = baseline)" if study
                     else f"their waves are {_as_list(known)} (0 = baseline)")


def check_participant(session: neo4j.Session, study: str | None, participant: str) -> None:
    """Raise QueryError unless the participant exists (in the study, when one is given)."""
    params = {"study": study, "participant": participant}
    if _rows(session, PARTICIPANT, params)[0]["found"]:
        return
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


def check(session: neo4j.Session, params: dict) -> None:
    """Check the study, wave and participant parameters (when given) against the loaded data."""
    study, wave, participant = params.get("study"), params.get("wave"), params.get("participant")
    if study is None and wave is None and participant is None:
        return
    studies = loaded_studies(session)
    if study is not None:
        check_study(studies, study)
    if wave is not None:
        check_wave(studies, study, wave)
    if participant is not None:
        check_participant(session, study, participant)
