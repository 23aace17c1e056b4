"""Checks across the rows of a study that the cell and key checks of validate.py do not
make: member ties from a member to itself (problems), and ids that differ only by case or
surrounding spaces (warnings: they may be one person written two ways, or two people)."""

import numpy as np
import pandas as pd

from illnet.load.problems import Problem
from illnet.load.sources import RawTable
from illnet.load.tables import PRIVATE, StudyTables, filled, objects, per_value
from illnet.values import is_missing

# (table, id fields: scope first, the id last, noun) of the tables that define ids
ID_TABLES = (("participants", ("participant_id",), "participant"),
             ("ties", ("participant_id", "member_id"), "member"),
             ("resources", ("resource_id",), "resource"))


def _column(private, name: str) -> str:
    return private.get(name, name) if isinstance(private, dict) else name


def self_loops(tables: StudyTables) -> list[Problem]:
    """Member ties whose two ends are the same member."""
    ties = tables["member_ties"]
    if ties.empty:
        return []
    a, b = ties["member_a"].to_numpy(), ties["member_b"].to_numpy()
    present = ~per_value(ties["member_a"], is_missing).to_numpy(dtype=bool)
    problems = []
    for position in np.flatnonzero(present & (a == b)):
        private = ties[PRIVATE].iat[position] if PRIVATE in ties.columns else None
        value = b[position]
        problems.append(Problem(str(ties["source_file"].iat[position]), int(ties["source_row"].iat[position]),
                                _column(private, "member_b"), str(value),
                                f"member {value} is tied to itself (both ends of the tie are {value})",
                                "remove the row, or correct one of the two member ids"))
    return problems


def id_spellings(tables: StudyTables, raws: dict[str, RawTable]) -> list[Problem]:
    """A warning for every spelling of an id that differs from an earlier one only by case
    or surrounding spaces (members compared within their participant)."""
    frames = {raw.file: raw.frame for raw in raws.values()}
    warnings = []
    for table, fields, noun in ID_TABLES:
        rows = _spellings(tables[table], fields, frames)
        if rows.empty:
            continue
        group = [f"scope{i}" for i in range(len(fields) - 1)] + ["folded"]
        rows = rows.drop_duplicates(subset=group + ["spelling"])  # the first row of every spelling
        rows = rows[rows.duplicated(subset=group, keep=False)]  # ids written more than one way
        rank = rows.groupby(group, sort=False).cumcount().to_numpy()
        first = {tuple(row[:len(group)]): row[len(group):] for row in
                 rows.iloc[np.flatnonzero(rank == 0)][group + ["spelling", "file", "row"]].itertuples(index=False)}
        for here in rows.iloc[np.flatnonzero(rank > 0)].itertuples(index=False):
            key = tuple(getattr(here, name) for name in group)
            spelling, file, row = first[key]
            warnings.append(_spelling_warning(noun, here.spelling, (spelling, (file, int(row), None)),
                                              (here.file, int(here.row), here.column), key[:-1]))
    return warnings


def _spellings(frame: pd.DataFrame, fields: tuple[str, ...], raws: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of a table whose id came from a source column: scope fields as text, the id's
    spelling in the source file, its folded form, and where it is (file, row, column)."""
    if frame.empty:
        return pd.DataFrame()
    complete = np.ones(len(frame), dtype=bool)
    for name in fields:
        complete &= ~per_value(frame[name], is_missing).to_numpy(dtype=bool)
    private = frame[PRIVATE].to_numpy() if PRIVATE in frame.columns else filled(len(frame), None)
    files, numbers = frame["source_file"].to_numpy(), frame["source_row"].to_numpy()
    spelling, column = filled(len(frame), None), filled(len(frame), None)
    groups = pd.DataFrame({"file": files, "names": [id(names) for names in private]}).groupby(
        ["file", "names"], sort=False).indices
    for (file, _), positions in groups.items():
        name = _column(private[positions[0]], fields[-1])
        raw = raws.get(file)
        if raw is None or name not in raw.columns or raw.empty:
            continue
        found = raw.index.get_indexer(numbers[positions])
        cells = raw[name].to_numpy()[np.maximum(found, 0)]
        spelling[positions] = np.where(found >= 0, cells, None)
        column[positions] = name
    texts = objects(spelling)
    usable = complete & (texts.str.strip().str.len().fillna(0).to_numpy() > 0)
    keep = np.flatnonzero(usable)
    out = {f"scope{i}": per_value(frame[name], str).to_numpy()[keep] for i, name in enumerate(fields[:-1])}
    out["folded"] = per_value(texts.iloc[keep], lambda value: value.strip().casefold()).to_numpy()
    out |= {"spelling": spelling[keep], "file": files[keep], "row": numbers[keep].astype(int), "column": column[keep]}
    return pd.DataFrame({name: objects(values) if name != "row" else values for name, values in out.items()})


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
