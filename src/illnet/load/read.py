"""Public entry point: read a whole study through its mapping file, checked before any write.

    result = read_study("study/mapping.yaml")
    if not result.ok: ...            # write nothing; result.problems says what to fix
    result.tables                     # StudyTables with typed columns
    result.reconciliation             # per source file: rows read = loaded + rejected
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from illnet.load import checks, layouts, validate
from illnet.load.mapping import Mapping, MappingInvalid, load_mapping
from illnet.load.problems import Problem, write_rejects
from illnet.load.sources import RawTable, read_source
from illnet.load.tables import PRIVATE, StudyTables, empty, row_numbers, typed_frame

__all__ = ["FileReport", "ReadResult", "read_study", "write_rejects"]


@dataclass(frozen=True)
class FileReport:
    """Reconciliation of one source file: rows_read == rows_loaded + rows_rejected."""

    file: str
    key: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int


@dataclass
class ReadResult:
    """What `read_study` found: the tables, every problem, and the per-file reconciliation."""

    tables: StudyTables
    problems: list[Problem] = field(default_factory=list)
    reconciliation: list[FileReport] = field(default_factory=list)
    mapping: Mapping | None = None
    warnings: list[Problem] = field(default_factory=list)  # worth a look; they reject nothing
    rows_before_skip: dict[str, int] = field(default_factory=dict)  # with skip_invalid: rows per table read

    @property
    def ok(self) -> bool:
        """True when there is no problem at all (only then may a writer write everything)."""
        return not self.problems


def read_study(mapping: str | Path | Mapping, *, skip_invalid: bool = False, strict: bool = False,
               allow_outside: bool = False) -> ReadResult:
    """Read, map and validate every file of a study, given its mapping file or the Mapping
    parsed from it. Never raises for bad input: problems are returned (a mapping that cannot
    be used leaves `mapping` None). With skip_invalid the tables hold only the valid rows.
    Warnings (unmapped source columns, ids that differ only by case...) reject nothing,
    unless strict, which makes each of them a problem. Source files outside the mapping's
    folder are refused unless allow_outside."""
    if not isinstance(mapping, Mapping):
        try:
            mapping = load_mapping(mapping, allow_outside=allow_outside)
        except MappingInvalid as exc:
            return ReadResult(StudyTables(""), exc.problems)
    raws = {key: read_source(spec, compact=True) for key, spec in mapping.files.items()}
    tables, layout_problems, warnings = layouts.build(mapping, raws)
    warnings += checks.id_spellings(tables, raws)
    for raw in raws.values():  # from here on only the row numbers of a source file are needed
        raw.frame = pd.DataFrame(index=raw.frame.index)
    problems = [p for raw in raws.values() for p in raw.problems] + layout_problems
    if strict:
        problems, warnings = problems + warnings, []
    problems = _first_per_cell(problems + validate.validate(tables) + checks.self_loops(tables))
    valid, cascaded = validate.cascade(tables, problems)
    problems = _ordered(problems + cascaded, mapping)
    counts = tables.counts() if skip_invalid else {}
    text_tables = valid if skip_invalid else tables
    del tables, valid  # the text tables are released as they are typed
    return ReadResult(typed(text_tables), problems, reconcile(raws, problems), mapping, warnings, counts)


def _first_per_cell(problems: list[Problem]) -> list[Problem]:
    """One problem per cell: a formula-like or undecodable cell is not also 'missing'."""
    seen, kept = set(), []
    for p in problems:
        cell = (p.file, p.row, p.column)
        if p.column is not None and cell in seen:
            continue
        seen.add(cell)
        kept.append(p)
    return kept


def _ordered(problems: list[Problem], mapping: Mapping) -> list[Problem]:
    order = {spec.path: i for i, spec in enumerate(mapping.files.values())}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.row or 0))


def reconcile(raws: dict[str, RawTable], problems: list[Problem]) -> list[FileReport]:
    """Rows read, loaded and rejected per source file."""
    rejected = validate.rejected_rows(problems)
    reports = []
    for key, raw in raws.items():
        rows = raw.frame.index  # row numbers, each once
        if raw.file not in rejected:
            bad = 0
        elif rejected[raw.file] is validate.WHOLE_FILE:
            bad = len(rows)
        else:
            bad = int(rows.isin(list(rejected[raw.file])).sum())
        reports.append(FileReport(raw.file, key, len(rows), len(rows) - bad, bad))
    return reports


def typed(tables: StudyTables) -> StudyTables:
    """Text tables -> the dtypes of schema/tables.yaml and of the study's attributes (see
    typed_frame; source_row: int32, or int64 past 2**31 rows), private columns dropped. Each text table of `tables` is released (left empty) once it is typed."""
    out = replace(tables, tables={})
    for name in list(tables.tables):
        frame = typed_frame(name, tables[name].drop(columns=[PRIVATE], errors="ignore"), tables.attributes_of(name))
        tables[name] = empty(name)
        frame["source_row"] = row_numbers(frame["source_row"].to_numpy(dtype="int64"))
        out[name] = frame
    return out
