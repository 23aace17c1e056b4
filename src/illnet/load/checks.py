"""Checks across the rows of a study that the cell and key checks of validate.py do not
make: member ties from a member to itself (problems), and ids that differ only by case or
surrounding spaces (warnings: they may be one person written two ways, or two people)."""

import pandas as pd

from illnet.load.problems import Problem
from illnet.load.sources import RawTable
from illnet.load.tables import PRIVATE, StudyTables
from illnet.values import is_missing

# (table, id fields: scope first, the id last, noun) of the tables that define ids
ID_TABLES = (("participants", ("participant_id",), "participant"),
             ("ties", ("participant_id", "member_id"), "member"),
             ("resources", ("resource_id",), "resource"))


def _column(row: dict, name: str) -> str:
    names = row.get(PRIVATE)
    return names.get(name, name) if isinstance(names, dict) else name


def self_loops(tables: StudyTables) -> list[Problem]:
    """Member ties whose two ends are the same member."""
    problems = []
    for row in tables["member_ties"].to_dict("records"):
        a, b = row.get("member_a"), row.get("member_b")
        if not is_missing(a) and a == b:
            problems.append(Problem(str(row["source_file"]), int(row["source_row"]), _column(row, "member_b"),
                                    str(b), f"member {b} is tied to itself (both ends of the tie are {b})",
                                    "remove the row, or correct one of the two member ids"))
    return problems


def id_spellings(tables: StudyTables, raws: dict[str, RawTable]) -> list[Problem]:
    """A warning for every spelling of an id that differs from an earlier one only by case
    or surrounding spaces (members compared within their participant)."""
    frames = {raw.file: raw.frame for raw in raws.values()}
    warnings = []
    for table, fields, noun in ID_TABLES:
        first: dict[tuple, dict[str, tuple]] = {}  # scope + folded id -> spelling -> (file, row, column)
        for row in tables[table].to_dict("records"):
            column = _column(row, fields[-1])
            spelling = _raw_cell(frames, row["source_file"], row["source_row"], column)
            if spelling is None or any(is_missing(row.get(name)) for name in fields):
                continue
            group = tuple(str(row[name]) for name in fields[:-1]) + (spelling.strip().casefold(),)
            spellings = first.setdefault(group, {})
            if spelling in spellings:
                continue
            spellings[spelling] = (row["source_file"], int(row["source_row"]), column)
            if len(spellings) > 1:
                warnings.append(_spelling_warning(noun, spelling, next(iter(spellings.items())),
                                                  spellings[spelling], group[:-1]))
    return warnings


def _spelling_warning(noun: str, spelling: str, earlier: tuple, here: tuple, scope: tuple) -> Problem:
    (other, (file, row, _)) = earlier
    where = f"row {row}" if file == here[0] else f"{file} row {row}"
    owner = f" of participant {scope[0]}" if scope else ""
    if spelling.strip() == other.strip():
        outcome = f"only by surrounding spaces: read as the same {noun}"
    else:
        outcome = f"only by case: read as a different {noun}"
    return Problem(here[0], here[1], here[2], spelling,
                   f"{noun} id{owner} differs from '{other}' ({where}) {outcome}",
                   "write each id one way everywhere (or confirm that these are different)")


def _raw_cell(frames: dict[str, pd.DataFrame], file: str, row, column: str) -> str | None:
    """The cell as the source file holds it (None when the id did not come from a column)."""
    frame = frames.get(file)
    if frame is None or column not in frame.columns or row not in frame.index:
        return None
    value = frame.at[row, column]
    return value if isinstance(value, str) and value.strip() else None
