"""Disclosure control for results that leave the analyst's hands (`--release`).

    from illnet.release import release
    shared = release(frame, study="nwe", threshold=5)    # a new DataFrame; shared.attrs["note"] says what was done

One rule set for any result table (a canned query's, an export's, a report's):

- Person identifiers (participantId, memberId, columns ending in ParticipantId or MemberId,
  lists of them, and columns whose declared description starts with participantIds or
  memberIds) are replaced by keyed pseudonyms: HMAC-SHA-256 of the id (a member's together
  with its participant's, as member ids repeat across networks) under a secret of the
  study, so the same person gets the same pseudonym in every release of that study and
  nobody without the secret can reverse or recompute it. The secret is a random 256-bit key
  in <illnet home>/release-keys/<study>.key (mode 0600), outside the graph, made on first use.
  A table with person identifiers is record-level: it is pseudonymised, not suppressed.
- In a table without person identifiers (an aggregate), every integer column is a count
  (except the wave and community columns, which say which group a row is), and:
  - counts of 1 to threshold-1 are suppressed (primary suppression; zeros are shown);
  - secondary suppression: within every set of cells that add up to a margin (the rows that
    agree on all grouping columns but one, or the whole column when there is one grouping
    column), a single suppressed cell would be the margin minus the others, so the smallest
    other non-zero cell is suppressed too, until no such set has exactly one;
  - statistics (float columns, and columns named min*, max*, mean*, median*, share*, *Share)
    of a row with a suppressed count are suppressed, so a mean, median, minimum or maximum
    over fewer than threshold people is never shown.
  Column types come from a canned query's header (`declared`), else from the values.
  Suppressed cells are null, and the note counts them.

pandas is imported by the suppression that needs it, not with the module: the command line's
options read DEFAULT_THRESHOLD without loading it.
"""

from __future__ import annotations

import hashlib
import hmac
import numbers
import os
import re
import secrets
import stat
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from illnet import managed
from illnet.errors import QueryError

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_THRESHOLD = 5
_PERSON_ID = re.compile(r"(?:^|[a-z])(?:[pP]articipantIds?|[mM]emberIds?)$")
_PERSON_ID_DESCRIPTION = re.compile(r"^(?:participantIds?|memberIds?)\b")
_MEMBER = re.compile(r"(?:^|[a-z])[mM]emberIds?$|^memberIds?\b")
_GROUPING_INTEGER = re.compile(r"^(?:wave|atWave)$|(?:Community|Wave)$")
_STATISTIC = re.compile(r"^(?:min|max|mean|median|avg|share)(?:[A-Z]|$)|Share$")


def threshold(asked: int | None, required: int | None) -> int | None:
    """The release threshold to apply: the larger of the one asked for (--release --min-count)
    and the one a study's mapping sets for all its results (privacy.release_min_count,
    illnet.query.scope.release_min_count); None when neither asks for a release."""
    return max(asked or 0, required or 0) or None


def threshold_for(study: str | None, asked: int | None, settings=None, driver=None) -> int | None:
    """The release threshold for a result of `study` (None: all studies), reading the study's
    own from the loaded studies (see threshold)."""
    from illnet.db import session_for  # a release without the database needs no driver
    from illnet.query import scope

    with session_for(settings, driver) as session:
        required = scope.release_min_count(scope.loaded_studies(session), study)
    return threshold(asked, required)


def keys_dir() -> Path:
    """Folder of the per-study pseudonym secrets (0700)."""
    return managed.home() / "release-keys"


def study_key(study: str) -> bytes:
    """The study's pseudonym secret, made (0600) on first use; QueryError when others can read it."""
    managed.private_home()
    folder = keys_dir()
    folder.mkdir(exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    path = folder / f"{quote(study, safe='')}.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise QueryError(f"the pseudonym secret {path} is readable by other users",
                             hint=f"chmod 600 {path} (and check who may have copied it)") from None
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text().strip())


def pseudonym(key: bytes, value, participant=None) -> str | None:
    """The keyed pseudonym of one id (None stays None). A member id is only unique within
    its participant's network, so it is keyed with the participant's id when one is known."""
    if value is None or (isinstance(value, float) and value != value):  # NaN: the one float unequal to itself
        return None
    text = str(value) if participant is None else f"{participant}\x1f{value}"
    return "px" + hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:16]


def person_columns(frame: pd.DataFrame, declared: dict[str, tuple[str, str]]) -> list[str]:
    """Columns holding participant or member ids (or lists of them)."""
    return [column for column in frame.columns
            if _PERSON_ID.search(column) or _PERSON_ID_DESCRIPTION.match(declared.get(column, ("", ""))[1])]


def declared_columns(columns) -> dict[str, tuple[str, str]]:
    """name -> (type, description) of declared result columns (a canned query's `returns`)."""
    return {column.name: (column.type, column.description) for column in columns}


def release(frame: pd.DataFrame, study: str | None = None, threshold: int = DEFAULT_THRESHOLD,
            declared: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """The frame made fit to share: pseudonyms for person ids, or small-count suppression
    for an aggregate (see the module docstring). `study` keys the pseudonyms when the frame
    has no studyId column; `declared` maps columns to their declared (type, description),
    as a canned query's header gives them (without it, types are read from the values)."""
    if threshold < 1:
        raise QueryError(f"the release threshold must be 1 or more, not {threshold}")
    declared = declared or {}
    people = person_columns(frame, declared)
    released = _pseudonymise(frame, people, study, declared) if people else _suppress(frame, threshold, declared)
    notes = [frame.attrs.get("note"), released.attrs["release_note"]]  # release_note kept: the CLI shows it
    released.attrs["note"] = "; ".join(note for note in notes if note)
    return released


def _pseudonymise(frame: pd.DataFrame, columns: list[str], study: str | None,
                  declared: dict[str, tuple[str, str]]) -> pd.DataFrame:
    row_studies = list(frame["studyId"]) if "studyId" in frame.columns else [None] * len(frame)
    studies = [row_study if isinstance(row_study, str) else study for row_study in row_studies]
    if None in studies:
        raise QueryError("a release replaces participant ids by pseudonyms keyed per study, and the study "
                         "of these rows is not known", hint="pass -p study=ID")
    out = frame.copy()
    keys = {name: study_key(str(name)) for name in set(studies)}
    participants = list(frame["participantId"]) if "participantId" in frame.columns else [None] * len(frame)
    for column in columns:
        members = bool(_MEMBER.search(column)) or bool(_MEMBER.match(declared.get(column, ("", ""))[1]))
        out[column] = [[pseudonym(keys[s], item, p if members else None) for item in value]
                       if isinstance(value, list) else pseudonym(keys[s], value, p if members else None)
                       for s, p, value in zip(studies, participants, frame[column])]
    out.attrs["release_note"] = (f"released: {', '.join(columns)} replaced by pseudonyms keyed per study "
                                 "(record-level rows: share them only where record-level data may go)")
    return out


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)  # numpy's numbers register as Number


def _shown_number(value) -> bool:
    return _is_number(value) and value == value  # not NaN


def _role(frame: pd.DataFrame, column: str, declared: dict[str, tuple[str, str]]) -> str:
    """'grouping', 'count' or 'statistic' for one column of an aggregate table."""
    import pandas as pd

    if _GROUPING_INTEGER.search(column):
        return "grouping"
    if column in declared:
        kind = declared[column][0]
        if kind not in ("integer", "float"):
            return "grouping"
        return "statistic" if kind == "float" or _STATISTIC.search(column) else "count"
    values = frame[column].dropna()
    if values.empty or not all(_is_number(v) for v in values):
        return "grouping"
    # floats are statistics, except whole numbers that pandas stored as floats beside a null
    stored_as_float = pd.api.types.is_float_dtype(frame[column]) and len(values) == len(frame)
    floats = any(isinstance(v, float) for v in values)
    fractions = not all(float(v).is_integer() for v in values)
    if _STATISTIC.search(column) or stored_as_float or (floats and (frame[column].dtype == object or fractions)):
        return "statistic"
    return "count"


def _suppress(frame: pd.DataFrame, threshold: int, declared: dict[str, tuple[str, str]]) -> pd.DataFrame:
    import pandas as pd

    roles = {column: _role(frame, column, declared) for column in frame.columns}
    grouping = [c for c, role in roles.items() if role == "grouping"]
    counts = [c for c, role in roles.items() if role == "count"]
    statistics = [c for c, role in roles.items() if role == "statistic"]
    if statistics and not counts:
        raise QueryError(f"cannot release {', '.join(statistics)}: the result has no count of the people "
                         "they are over, so small groups cannot be found")
    hidden = {c: frame[c].map(lambda v: _is_number(v) and 0 < v < threshold).astype(bool) for c in counts}
    primary = sum(int(cells.sum()) for cells in hidden.values())
    sets = _margin_sets(frame, grouping)
    for column in counts:
        _secondary(frame[column], hidden[column], sets)
    rows = pd.concat(hidden.values(), axis=1).any(axis=1) if counts else pd.Series(False, index=frame.index)
    out = frame.astype(object).where(frame.notna(), None)
    for column in counts:  # whole numbers again where a null made pandas store floats
        out[column] = pd.Series([None if gone or not _shown_number(v) else int(v)
                                 for gone, v in zip(hidden[column], frame[column])], index=frame.index, dtype=object)
    for column in statistics:
        out.loc[rows, column] = None
    secondary = sum(int(cells.sum()) for cells in hidden.values()) - primary
    out.attrs = dict(frame.attrs)
    out.attrs["release_note"] = (
        f"released with threshold {threshold}: {primary} count(s) from 1 to {threshold - 1} suppressed, "
        f"{secondary} more so that none can be recovered from totals"
        + (f", and the statistics of the {int(rows.sum())} row(s) with a suppressed count" if statistics else "")
        + " (suppressed cells are empty)")
    return out


def _margin_sets(frame: pd.DataFrame, grouping: list[str]) -> list[list]:
    """Sets of rows whose cells add up to a margin: for each grouping column, the rows that
    agree on all the other grouping columns (all rows with fewer than two grouping columns)."""
    if len(grouping) < 2:
        return [list(frame.index)]
    keys = frame[grouping].map(lambda v: tuple(v) if isinstance(v, list) else v)
    sets = []
    for varying in grouping:
        fixed = [c for c in grouping if c != varying]
        by = fixed[0] if len(fixed) == 1 else fixed
        sets += [list(rows) for rows in keys.groupby(by, dropna=False, sort=False).groups.values()]
    return sets


def _secondary(values: pd.Series, hidden: pd.Series, sets: list[list]) -> None:
    """Suppress more cells (in `hidden`, in place) until no margin set has exactly one
    suppressed cell: each time the smallest shown non-zero cell of the set."""
    changed = True
    while changed:
        changed = False
        for rows in sets:
            if len(rows) < 2 or int(hidden[rows].sum()) != 1:
                continue
            shown = [row for row in rows if not hidden[row] and _shown_number(values[row])]
            candidates = [row for row in shown if values[row] != 0] or shown
            if candidates:
                hidden[min(candidates, key=lambda row: values[row])] = True
                changed = True
