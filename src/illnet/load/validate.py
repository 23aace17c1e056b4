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

import pandas as pd

from illnet import model
from illnet.load.problems import Problem
from illnet.load.tables import DERIVED, PRIVATE, StudyTables, as_date, as_float, as_integer
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


def _label(row: dict, name: str) -> str:
    names = row.get(PRIVATE)
    return names.get(name, name) if isinstance(names, dict) else name


def validate(tables: StudyTables) -> list[Problem]:
    """Every problem of the study (cells, keys, references)."""
    rows = {table: frame.to_dict("records") for table, frame in tables.tables.items()}
    return (check_cells(rows, tables.codes) + check_attributes(rows, tables) + check_keys(rows)
            + check_references(tables))


# -- cells ------------------------------------------------------------------------------------------

def check_cells(rows: dict[str, list[dict]], codes=None) -> list[Problem]:
    """Required, vocabulary, type and range problems of every cell; `rows` = table -> its rows as dicts;
    `codes(vocabulary)` gives the valid codes (default: the model's; StudyTables.codes adds the study's)."""
    # once per vocabulary, not per cell (the open country vocabulary alone has 249 codes)
    codes = cache(codes or (lambda vocabulary: set(map(str, model.vocabulary(vocabulary)))))
    problems = []
    for table, records in rows.items():
        fields = {n: s for n, s in _spec(table).items() if n != "study_id"}
        for row in records:
            for name, spec in fields.items():
                problem = _check_cell(row, name, spec, codes)
                if problem:
                    problems.append(problem)
    return problems


ATTRIBUTE_CHECKS = {"integer": (as_integer, "not a whole number"), "float": (as_float, "not a number"),
                    "boolean": (as_boolean, "not a yes/no value"), "date": (as_date, "not a date (YYYY-MM-DD)")}


def check_attributes(rows: dict[str, list[dict]], tables: StudyTables) -> list[Problem]:
    """Values of the study's attributes that do not fit their declared type or code list."""
    problems = []
    for attribute in tables.attributes:
        labels = {label for _, label in attribute.codes}
        check = ATTRIBUTE_CHECKS.get(attribute.type)
        for row in rows.get(attribute.table, []):
            value = row.get(attribute.column)
            if is_missing(value):
                continue
            if check and check[0](value) is None:
                message, fix = f"{check[1]} (attribute {attribute.name}, {attribute.type})", \
                    f"correct the value or declare {attribute.name} with another type"
            elif labels and value not in labels:
                message, fix = f"not a code of attribute {attribute.name}", \
                    f"add it under attributes: {attribute.name}: codes:, or use one of {', '.join(sorted(labels))}"
            else:
                continue
            problems.append(Problem(str(row["source_file"]), _int_or_none(row["source_row"]),
                                    _label(row, attribute.column), str(value), message, fix))
    return problems


def _check_cell(row: dict, name: str, spec: dict, codes) -> Problem | None:
    value = row.get(name)
    column = _label(row, name)

    def problem(message: str, fix: str) -> Problem:
        return Problem(str(row["source_file"]), _int_or_none(row["source_row"]), column,
                       None if is_missing(value) else str(value), message, fix)

    if name in DERIVED:
        return _check_derived(row, name, problem)
    if is_missing(value):
        return problem("required value is missing", f"fill in the {name}") if spec.get("required") else None
    if spec.get("vocabulary"):
        valid = codes(spec["vocabulary"])
        if str(value) not in valid:
            shown = ", ".join(sorted(valid)[:12]) + (", ..." if len(valid) > 12 else "")
            return problem(f"unknown {spec['vocabulary']} code",
                           f"map it under codes: {name} in the mapping, or use one of: {shown}")
    if spec["type"] == "integer":
        number = as_integer(value)
        if number is None:
            return problem("not a whole number", f"write {name} as a whole number such as 0 or 1")
        low, high = spec.get("min"), spec.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return problem(f"out of range {low}..{high}", f"use a {name} between {low} and {high} (0 = baseline)")
    if spec["type"] == "float" and as_float(value) is None:
        return problem("not a number", f"write {name} as a number such as 3 or 2.5")
    if spec["type"] == "boolean" and str(value) not in ("true", "false"):
        return problem("not a yes/no value", f"map it under codes: {name} to true or false")
    return None


def _check_derived(row: dict, name: str, problem) -> Problem | None:
    source = row.get(DERIVED[name])
    if is_missing(row.get(name)) and not is_missing(source) and source in model.vocabulary(DERIVED[name]):
        return problem(f"no {name} for {DERIVED[name]} '{source}'",
                       f"add '{source}' under tie_classes: in the mapping")
    return None


def _int_or_none(value) -> int | None:
    return None if is_missing(value) else int(value)


# -- keys ------------------------------------------------------------------------------------------

def key_fields(table: str) -> list[str]:
    return [n for n, s in _spec(table).items() if s.get("key")]


def _key_of(row: dict, fields: list[str]) -> tuple | None:
    values = []
    for name in fields:
        value = row.get(name)
        if is_missing(value):
            return None
        values.append(as_integer(value) if name == "wave" else str(value))
    return tuple(values)


def check_keys(rows: dict[str, list[dict]]) -> list[Problem]:
    """Rows repeating the key of an earlier row; `rows` = table -> its rows as dicts."""
    problems = []
    for table, records in rows.items():
        fields = key_fields(table)
        seen: dict[tuple, dict] = {}
        for row in records:
            key = _key_of(row, fields)
            if key is None or None in key:
                continue
            if key in seen:
                first = seen[key]
                where = (f"row {first['source_row']}" if first["source_file"] == row["source_file"]
                         else f"{first['source_file']} row {first['source_row']}")
                shown = REPORTED_KEY.get(table, fields[-1])
                message = DUPLICATE_MESSAGES.get(table, f"duplicate {shown}")
                problems.append(Problem(str(row["source_file"]), _int_or_none(row["source_row"]),
                                        _label(row, shown), str(row[shown]),
                                        f"{message} ({' / '.join(map(str, key[1:]))}; first at {where})",
                                        "remove the repeated row or correct its id"))
            else:
                seen[key] = row
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


def _keys(frame: pd.DataFrame, columns: list[str]) -> set[tuple]:
    if frame.empty:
        return set()
    return set(frame[columns].astype(str).itertuples(index=False, name=None))


def check_references(tables: StudyTables, known: StudyTables | None = None) -> list[Problem]:
    """Rows pointing at a participant, member or resource that does not exist in `tables`;
    when `known` (the unfiltered study) has it, the row is reported as depending on a rejected row."""
    problems = []
    for table, frame in tables.tables.items():
        for name, target, here, there in references(table):
            if frame.empty:
                continue
            present = _keys(tables[target], there)
            columns = [frame[c].map(lambda v: "" if is_missing(v) else str(v)) for c in here]
            dangling = [(i, values) for i, values in enumerate(zip(*columns))
                        if "" not in values and values not in present]
            if not dangling:
                continue
            existing = _keys(known[target], there) if known is not None else present
            owners = _member_owners(tables) if target == "members" else {}
            for i, values in dangling:
                row = frame.iloc[i].to_dict()
                problems.append(_reference_problem(table, row, name, target, values, values in existing, owners))
    return problems


def _member_owners(tables: StudyTables) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for pid, mid in _keys(tables["members"], ["participant_id", "member_id"]):
        owners.setdefault(mid, set()).add(pid)
    return owners


def _reference_problem(table, row, name, target, values, rejected, owners) -> Problem:
    noun = {"participants": "participant", "members": "member", "resources": "resource"}[target]
    value = values[-1]

    def problem(message: str, fix: str) -> Problem:
        return Problem(str(row["source_file"]), _int_or_none(row["source_row"]), _label(row, name), value,
                       message, fix)

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


def is_rejected(rejected: dict[str, set | None], file: str, row) -> bool:
    if file not in rejected:
        return False
    rows = rejected[file]
    return rows is WHOLE_FILE or _int_or_none(row) in rows


def keep_valid(tables: StudyTables, problems: list[Problem]) -> StudyTables:
    """A copy of the study without the rows that have problems."""
    rejected = rejected_rows(problems)
    kept = replace(tables, tables={})
    for name, frame in tables.tables.items():
        mask = [not is_rejected(rejected, f, r) for f, r in zip(frame["source_file"], frame["source_row"])]
        kept[name] = frame[mask].reset_index(drop=True) if len(frame) else frame
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
