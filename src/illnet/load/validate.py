"""Check a whole study before anything is written.

`validate(tables)` checks every cell (required, vocabulary, type, range), every key
(duplicates: the same participant, tie in one wave or support flow twice) and every
reference (members of unknown participants, ties to unknown members...). It works on any
StudyTables; rows may carry a private `_columns` dict naming the source column of each
field (set by loaders.layouts), otherwise problems name the canonical field.

`cascade(tables, problems)` rejects the rows that depend on rejected rows, each with its
own problem, and returns the tables with only the valid rows.
"""

from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from illnet import model
from illnet.load.problems import Problem
from illnet.load.tables import (DERIVED, PRIVATE, StudyTables, as_date, as_float, as_integer, distinct, filled,
                                flagged, group_codes, objects, repeats, value_codes)
from illnet.values import as_boolean, is_missing

WHOLE_FILE = None  # rejected-row marker: every row of the file
KNOCK_ON = "was rejected, so this row is too"  # the end of every cascaded problem's message
REPORTED_KEY = {"ties": "member_id", "support": "task", "member_ties": "member_b",
                "participation": "resource_id", "resource_links": "resource_id"}
DUPLICATE_MESSAGES = {
    "ties": "the same tie twice in one wave",
    "support": "the same support flow twice",
    "member_ties": "the same member-member tie twice in one wave",
}


def _spec(table: str) -> dict:
    return model.load("tables")[table]["fields"]


def _label(private, name: str) -> str:
    """The source column of a field, from a row's private names (the field itself without them)."""
    return private.get(name, name) if isinstance(private, dict) else name


def _where(frame: pd.DataFrame, position: int, name: str) -> tuple[str, int | None, str]:
    """(file, row, source column) of a field of the row at `position`."""
    private = frame[PRIVATE].iat[position] if PRIVATE in frame.columns else None
    return (str(frame["source_file"].iat[position]), _int_or_none(frame["source_row"].iat[position]),
            _label(private, name))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column of the frame, all missing when the frame has none of that name."""
    return frame[name] if name in frame.columns else objects(filled(len(frame), None), frame.index)


def validate(tables: StudyTables) -> list[Problem]:
    """Every problem of the study (cells, keys, references)."""
    return (check_cells(tables.tables, tables.codes) + check_attributes(tables) + check_keys(tables.tables)
            + check_references(tables))


# -- cells ------------------------------------------------------------------------------------------

def check_cells(frames: dict[str, pd.DataFrame], codes=None) -> list[Problem]:
    """Required, vocabulary, type and range problems of every cell, row by row and field by field;
    `frames` = table -> its frame; `codes(vocabulary)` gives the valid codes (default: the
    model's; StudyTables.codes adds the study's). Each distinct value of a column is checked once."""
    # once per vocabulary, not per cell (the open country vocabulary alone has 249 codes)
    codes = cache(codes or (lambda vocabulary: set(map(str, model.vocabulary(vocabulary)))))
    problems = []
    for table, frame in frames.items():
        found = []  # (row position, field number, problem)
        fields = [(n, s) for n, s in _spec(table).items() if n != "study_id"]
        for number, (name, spec) in enumerate(fields):
            values = _column(frame, name)
            if name in DERIVED:
                positions, verdicts = _derived_verdicts(frame, name, values)
            else:
                positions, verdicts = flagged(values, lambda value: _verdict(value, name, spec, codes))
            for position, verdict in zip(positions, verdicts):
                value = values.iat[position]
                file, row, column = _where(frame, position, name)
                found.append((position, number, Problem(file, row, column, None if is_missing(value) else str(value),
                                                        *verdict)))
        problems += [problem for *_, problem in sorted(found, key=lambda item: item[:2])]
    return problems


ATTRIBUTE_CHECKS = {"integer": (as_integer, "not a whole number"), "float": (as_float, "not a number"),
                    "boolean": (as_boolean, "not a yes/no value"), "date": (as_date, "not a date (YYYY-MM-DD)")}


def check_attributes(tables: StudyTables) -> list[Problem]:
    """Values of the study's attributes that do not fit their declared type or code list."""
    problems = []
    for attribute in tables.attributes:
        frame = tables.tables.get(attribute.table)
        if frame is None or attribute.column not in frame.columns:
            continue
        labels = {label for _, label in attribute.codes}
        check = ATTRIBUTE_CHECKS.get(attribute.type)

        def verdict(value):
            if is_missing(value):
                return None
            if check and check[0](value) is None:
                return (f"{check[1]} (attribute {attribute.name}, {attribute.type})",
                        f"correct the value or declare {attribute.name} with another type")
            if labels and value not in labels:
                return (f"not a code of attribute {attribute.name}",
                        f"add it under attributes: {attribute.name}: codes:, or use one of {', '.join(sorted(labels))}")
            return None

        positions, verdicts = flagged(frame[attribute.column], verdict)
        for position, found in zip(positions, verdicts):
            problems.append(Problem(*_where(frame, position, attribute.column),
                                    str(frame[attribute.column].iat[position]), *found))
    return problems


def _verdict(value, name: str, spec: dict, codes) -> tuple[str, str] | None:
    """(message, fix) of a cell value of a canonical field, None when it is fine."""
    if is_missing(value):
        return ("required value is missing", f"fill in the {name}") if spec.get("required") else None
    if spec.get("vocabulary"):
        valid = codes(spec["vocabulary"])
        if str(value) not in valid:
            shown = ", ".join(sorted(valid)[:12]) + (", ..." if len(valid) > 12 else "")
            return (f"unknown {spec['vocabulary']} code",
                    f"map it under codes: {name} in the mapping, or use one of: {shown}")
    if spec["type"] == "integer":
        number = as_integer(value)
        if number is None:
            return "not a whole number", f"write {name} as a whole number such as 0 or 1"
        low, high = spec.get("min"), spec.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return f"out of range {low}..{high}", f"use a {name} between {low} and {high} (0 = baseline)"
    if spec["type"] == "float" and as_float(value) is None:
        return "not a number", f"write {name} as a number such as 3 or 2.5"
    if spec["type"] == "boolean" and str(value) not in ("true", "false"):
        return "not a yes/no value", f"map it under codes: {name} to true or false"
    return None


def _derived_verdicts(frame: pd.DataFrame, name: str, values: pd.Series) -> tuple[np.ndarray, list]:
    """(positions, verdicts) of a derived field (its `values`) left empty although its source
    holds a code of the source's vocabulary."""
    vocabulary = model.vocabulary(DERIVED[name])
    positions, verdicts = flagged(_column(frame, DERIVED[name]),
                                  lambda source: None if is_missing(source) or source not in vocabulary else (
                                      f"no {name} for {DERIVED[name]} '{source}'",
                                      f"add '{source}' under tie_classes: in the mapping"))
    codes, uniques = distinct(values)
    empty = np.array([is_missing(value) for value in uniques] + [True], dtype=bool)[codes[positions]]
    return positions[empty], [verdict for verdict, keep in zip(verdicts, empty) if keep]


def _int_or_none(value) -> int | None:
    return None if is_missing(value) else int(value)


# -- keys ------------------------------------------------------------------------------------------

def key_fields(table: str) -> list[str]:
    return [n for n, s in _spec(table).items() if s.get("key")]


def check_keys(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rows repeating the key of an earlier row; `frames` = table -> its frame."""
    problems = []
    for table, frame in frames.items():
        fields = key_fields(table)
        if frame.empty or not fields:
            continue
        keys = [value_codes(_column(frame, name), as_integer if name == "wave" else str) for name in fields]
        complete = np.ones(len(frame), dtype=bool)
        for codes, _ in keys:
            complete &= codes >= 0
        complete = None if complete.all() else np.flatnonzero(complete)  # None: every row, no copy of the keys
        if complete is not None and not len(complete):
            continue
        later, first = repeats([codes if complete is None else codes[complete] for codes, _ in keys])
        if complete is not None:
            later, first = complete[later], complete[first]
        shown = REPORTED_KEY.get(table, fields[-1])
        message = DUPLICATE_MESSAGES.get(table, f"duplicate {shown}")
        files, rows, values = frame["source_file"], frame["source_row"].to_numpy(), _column(frame, shown)
        for position, earlier in zip(later, first):
            where = (f"row {rows[earlier]}" if files.iat[earlier] == files.iat[position]
                     else f"{files.iat[earlier]} row {rows[earlier]}")
            key = " / ".join(str(values_of_key[codes[position]]) for codes, values_of_key in keys[1:])
            problems.append(Problem(*_where(frame, position, shown), str(values.iat[position]),
                                    f"{message} ({key}; first at {where})",
                                    "remove the repeated row or correct its id"))
    return problems


# -- references ---------------------------------------------------------------------------------------

def references(table: str) -> list[tuple[str, str, list[str], list[str]]]:
    """(field, referenced table, columns here, key columns there) for each reference of a table."""
    result = []
    for name, spec in _spec(table).items():
        target = spec.get("references")
        if target:
            there = [k for k in key_fields(target) if k != "study_id"]
            here = there[:-1] + [name]
            result.append((name, target, here, there))
    return result


def _found(here: list[pd.Series], there: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `here`: whether a row of `there` holds the same values as text, and whether
    it has every value (a row with a missing value is found nowhere)."""
    size = len(here[0])
    levels = [value_codes(pd.concat([mine, theirs], ignore_index=True))[0] for mine, theirs in zip(here, there)]
    groups = group_codes(levels)
    complete = np.all([level >= 0 for level in levels], axis=0)
    return np.isin(groups[:size], groups[size:][complete[size:]]) & complete[:size], complete[:size]


def check_references(tables: StudyTables, known: StudyTables | None = None) -> list[Problem]:
    """Rows pointing at a participant, member or resource that does not exist in `tables`;
    when `known` (the unfiltered study) has it, the row is reported as depending on a rejected row."""
    problems = []
    for table, frame in tables.tables.items():
        for name, target, here, there in references(table):
            if frame.empty:
                continue
            columns = [_column(frame, c) for c in here]
            found, complete = _found(columns, [_column(tables[target], c) for c in there])
            dangling = np.flatnonzero(complete & ~found)
            if not len(dangling):
                continue
            mine = [objects(column.to_numpy()[dangling]) for column in columns]
            existing, _ = _found(mine, [_column((tables if known is None else known)[target], c) for c in there])
            owners = _member_owners(tables) if target == "members" else {}
            for i, position in enumerate(dangling):
                problems.append(_reference_problem(table, _where(frame, position, name), target,
                                                   tuple(str(column.iat[i]) for column in mine), bool(existing[i]),
                                                   owners))
    return problems


def _member_owners(tables: StudyTables) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    members = tables["members"]
    for pid, mid in zip(members["participant_id"], members["member_id"]):
        if not is_missing(pid) and not is_missing(mid):  # a member without its ids belongs to no one
            owners.setdefault(str(mid), set()).add(str(pid))
    return owners


def _reference_problem(table, place, target, values, rejected, owners) -> Problem:
    noun = {"participants": "participant", "members": "member", "resources": "resource"}[target]
    value = values[-1]

    def problem(message: str, fix: str) -> Problem:
        return Problem(*place, value, message, fix)

    if rejected:
        return problem(f"{noun} {'/'.join(values)} {KNOCK_ON}",
                       f"fix the problem reported for that {noun} first")
    others = sorted(owners.get(value, set()) - {values[0]}) if target == "members" else []
    if table == "member_ties" and others:
        return problem(f"member {value} belongs to participant {', '.join(others)}, not {values[0]}: "
                       "a member-member tie cannot cross personal networks",
                       "tie members of the same participant only")
    where = f" of participant {values[0]}" if target == "members" else ""
    return problem(f"unknown {noun}{where}", f"add the {noun} to its file or correct the id")


# -- rejection -----------------------------------------------------------------------------------------

def rejected_rows(problems: list[Problem]) -> dict[str, set | None]:
    """file -> rejected row numbers; None means the whole file (a file or header problem)."""
    rejected: dict[str, set | None] = {}
    for p in problems:
        if p.row is None or p.row == 1:
            rejected[p.file] = WHOLE_FILE
        elif rejected.get(p.file, set()) is not WHOLE_FILE:
            rejected.setdefault(p.file, set()).add(p.row)
    return rejected


def keep_valid(tables: StudyTables, problems: list[Problem]) -> StudyTables:
    """A copy of the study without the rows that have problems."""
    rejected = rejected_rows(problems)
    kept = replace(tables, tables={})
    for name, frame in tables.tables.items():
        if not len(frame):
            kept[name] = frame
            continue
        files, rows = frame["source_file"].to_numpy(), frame["source_row"].to_numpy()
        bad = np.zeros(len(frame), dtype=bool)
        for file, numbers in rejected.items():
            in_file = files == file
            bad |= in_file if numbers is WHOLE_FILE else in_file & np.isin(rows, list(numbers))
        kept[name] = frame[~bad].reset_index(drop=True)
    return kept


def cascade(tables: StudyTables, problems: list[Problem]) -> tuple[StudyTables, list[Problem]]:
    """Reject rows whose participant, member or resource was rejected, until nothing changes.
    Returns the valid rows and the new problems."""
    if not problems:
        return tables, []
    added: list[Problem] = []
    while True:
        valid = keep_valid(tables, problems + added)
        new = check_references(valid, known=tables)
        if not new:
            return valid, added
        added.extend(new)
