"""Load-time pseudonymisation, for studies whose graph must never hold raw ids
(`privacy: {pseudonymise: true}` in the mapping, or `illnet load --pseudonymise`).

After the whole study has been validated on its raw ids (so that problems name the rows
a researcher can find), every participant id and member id is replaced by its keyed
pseudonym, the same HMAC that `--release` uses (illnet.release: a per-study secret kept
outside the graph, mode 0600), before anything is written. A member id is keyed together
with its participant's raw id, as member ids repeat across networks.
"""

from dataclasses import replace

from illnet.load.tables import StudyTables
from illnet.release import pseudonym, study_key

MEMBER_COLUMNS = ("member_id", "member_a", "member_b")


def pseudonymise(tables: StudyTables) -> StudyTables:
    """A copy of the study with participant and member ids replaced by pseudonyms."""
    key = study_key(tables.study_id)
    out = replace(tables, tables={})
    for name, frame in tables.tables.items():
        frame = frame.copy()
        if "participant_id" in frame.columns:
            raw = list(frame["participant_id"])
            for column in (c for c in MEMBER_COLUMNS if c in frame.columns):
                frame[column] = [pseudonym(key, value, participant) for value, participant in zip(frame[column], raw)]
            frame["participant_id"] = [pseudonym(key, value) for value in raw]
        out[name] = frame
    return out
