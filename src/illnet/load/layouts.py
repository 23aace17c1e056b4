"""Long and wide layouts -> canonical StudyTables (values still text, checked by validate).

Cells are cleaned here: missing-value codes become empty, formula-like cells are
rejected, `codes:` and vocabulary spellings are translated, constants filled in and
tie_class / work_type derived. Every row carries source_file, source_row and a private
`_columns` dict (canonical field -> source column) so problems can name the source column.
"""

import difflib
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pandas as pd

from illnet import model
from illnet.load.mapping import FILE_KINDS, FileSpec, Mapping, field_type, field_vocabulary, outside
from illnet.load.problems import Problem
from illnet.load.sources import RawTable
from illnet.load.tables import (ATTRIBUTE_PREFIX, PRIVATE, TABLE_NAMES, Attribute, StudyTables, as_float,
                                as_integer, columns)
from illnet.values import as_boolean, as_text

FORMULA = re.compile(r"^[\t\r ]*(=|[+\-@][A-Za-z_|(])")
CONSTANT = "constants."


def normalise(value: str) -> str:
    """Spelling-insensitive form of a code: case, spaces and hyphens ignored."""
    return re.sub(r"[\s\-]+", "_", value.strip()).casefold()


def translate(field: str, value: str, codes: dict[str, str], study_codes: tuple[str, ...] = ()) -> str:
    """A cleaned source value -> canonical code (unchanged when nothing matches). Vocabulary
    codes match whatever the spelling; the study's own codes (declared relationship types)
    too; a country may also be given by name or alpha-3 code."""
    if value in codes:
        return codes[value]
    numeric = code_number(value) if codes else None
    if numeric is not None:
        for code, canonical in codes.items():
            if code_number(code) == numeric:
                return canonical
    folded = {normalise(k): v for k, v in codes.items()}
    value = folded.get(normalise(value), value)
    vocabulary = field_vocabulary(field)
    if vocabulary:
        spelled = _spellings(vocabulary).get(normalise(value)) or _study_spellings(study_codes).get(normalise(value))
        if spelled is None and vocabulary == "country":
            spelled = _country(value)
        return spelled or value
    if field_type(field) == "boolean":
        answer = as_boolean(value)
        return value if answer is None else as_text(answer)
    return value


def code_number(text: str) -> str | None:
    """The number a numeric code stands for ('3', '3.0', '03' -> '3'), None for other text,
    so that a pandas-written '3.0' matches the code 3 of a mapping."""
    number = as_integer(text)
    return None if number is None else str(number)


@cache
def _spellings(vocabulary: str) -> dict[str, str]:
    return {normalise(str(code)): code for code in model.vocabulary(vocabulary)}


@cache
def _study_spellings(study_codes: tuple[str, ...]) -> dict[str, str]:
    return {normalise(code): code for code in study_codes}


@cache
def _country(value: str) -> str | None:
    """The alpha-2 code of a country given by name or alpha-3 code (pycountry), else None."""
    import pycountry

    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        return None


class Cells:
    """The cleaned cells of one source file; problems with cells go to `problems`."""

    def __init__(self, spec: FileSpec, raw: RawTable, problems: list[Problem], study_codes: tuple[str, ...] = ()):
        self.spec, self.frame, self.problems, self.study_codes = spec, raw.frame, problems, study_codes
        self.rows = dict(zip(raw.frame.index, raw.frame.to_dict("records")))

    def text(self, row: int, column: str) -> str | None:
        """The cell, or None when empty, a missing-value code, or formula-like (a problem)."""
        value = self.rows[row][column]
        value = "" if value is None else str(value)
        if value.strip().lower() in self.spec.missing_values:
            return None
        if FORMULA.match(value):
            self.problems.append(Problem(self.spec.path, row, column, value,
                                         "formula-like cell rejected as unsafe input",
                                         "type the value itself, without a leading =, +, - or @"))
            return None
        return value.strip()

    def record(self, row: int, fields: dict[str, str], constants: dict[str, str],
               codes: dict[str, dict[str, str]], attributes: dict[str, Attribute] | None = None) -> dict:
        """One canonical row from the mapped columns, constants and attributes of a source row
        (`attributes` default: the file's; a slot passes its own, with slot column names)."""
        out = {"source_file": self.spec.path, "source_row": row, PRIVATE: {}}
        for name, value in constants.items():
            out[name] = translate(name, value, codes.get(name, {}), self.study_codes)
            out[PRIVATE][name] = CONSTANT + name
        for name, column in fields.items():
            text = self.text(row, column)
            out[name] = None if text is None else translate(name, text, codes.get(name, {}), self.study_codes)
            out[PRIVATE][name] = column
        for attribute in (self.spec.attributes if attributes is None else attributes).values():
            text = self.text(row, attribute.source_column) if attribute.source_column in self.rows[row] else None
            out[attribute.column] = None if text is None else dict(attribute.codes).get(text, text)
            out[PRIVATE][attribute.column] = attribute.source_column
        return out

    def flag(self, row: int, column: str, yes: set[str], no: set[str]) -> bool:
        """A yes/no task cell; anything else is a problem (and counts as no)."""
        text = self.text(row, column)
        text = text if text is None or code_number(text) is None else code_number(text)
        if text is None or text.lower() in no:
            return False
        if text.lower() in yes:
            return True
        self.problems.append(Problem(self.spec.path, row, column, text, "not a yes/no value",
                                     f"use one of {sorted(yes)} for yes, or add it to "
                                     f"files.{self.spec.key}.yes_values / no_values"))
        return False


def missing_columns(spec: FileSpec, raw: RawTable, study_folder: Path | None = None) -> list[Problem]:
    """Mapped source columns that the file does not have (a header problem: row 1). The
    "did you mean" hint quotes the header only of a file inside `study_folder`."""
    wanted = list(spec.columns.values()) + list(spec.tasks.values()) + list(spec.reciprocal_tasks.values())
    wanted += [column for column, _ in spec.multi.values()] + [a.source_column for a in spec.attributes.values()]
    present = [str(c) for c in raw.frame.columns]
    problems = []
    for column in dict.fromkeys(wanted):
        if column not in present:
            private = study_folder is None or outside(study_folder, spec.full_path)
            close = [] if private else difflib.get_close_matches(column, present, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(spec.path, 1, column, None, "column named in the mapping is not in the file",
                                    f"{hint}correct files.{spec.key}.columns or the file's header"))
    return problems


def unmapped_columns(spec: FileSpec, raw: RawTable) -> list[Problem]:
    """Warnings for the source columns that the mapping neither maps nor declares nor ignores."""
    used = spec.mapped_columns()
    if spec.slots is not None:
        used |= set(_slot_columns(spec, [str(c) for c in raw.frame.columns]))
    return [Problem(spec.path, 1, column, None, "column is neither mapped nor declared, so it is not loaded",
                    f"declare it under files.{spec.key}.attributes, or list it under files.{spec.key}.ignore")
            for column in map(str, raw.frame.columns) if column not in used]


def _slot_columns(spec: FileSpec, header: list[str]) -> list[str]:
    slots = spec.slots
    sources = (list(slots.columns.values()) + list(slots.tasks.values()) + list(slots.reciprocal_tasks.values())
               + [a.source_column for a in slots.attributes.values()])
    return [slots.column(n, source) for n in range(1, slot_count(spec, header) + 1) for source in sources]


def build(mapping: Mapping, raws: dict[str, RawTable]) -> tuple[StudyTables, list[Problem], list[Problem]]:
    """All source tables -> one StudyTables (text values, private `_columns`), problems and warnings."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    study_codes = tuple(mapping.relationship_types)
    specs = []
    for label, raw in raws.items():
        spec = with_source_labels(mapping.files[label], raw)
        specs.append(spec)
        if raw.problems and raw.frame.empty:
            continue  # a file that could not be read: its own problem says why, its columns are not missing
        header_problems = missing_columns(spec, raw, mapping.path.parent)
        problems.extend(header_problems)
        if header_problems:
            continue
        warnings.extend(unmapped_columns(spec, raw))
        cells = Cells(spec, raw, problems, study_codes)
        BUILDERS[spec.key](mapping, spec, cells, rows)
    tables = StudyTables(mapping.study_id, mapping.name, mapping.design, attributes=_declared(specs),
                         release_min_count=mapping.release_min_count)
    tables.study_codes = {"relationship_type": set(study_codes),
                          "age_band": set(age_band_labels(mapping.age_bands))}
    for name, records in rows.items():
        tables[name] = _frame(name, records, mapping, tables.attributes_of(name))
    if mapping.layout == "wide":
        tables["participants"] = consolidate(tables["participants"], ["participant_id"], problems)
        tables["conditions"] = consolidate(tables["conditions"], ["participant_id", "condition"], problems)
    tables["members"] = consolidate(tables["members"], ["participant_id", "member_id"], problems)
    _derive(tables, mapping)
    return tables, problems, warnings


def with_source_labels(spec: FileSpec, raw: RawTable) -> FileSpec:
    """The spec with its attributes completed from the file's own metadata (SPSS and Stata
    variable and value labels): a label where the mapping gives none, the value labels as
    the codes of a category where the mapping gives no codes."""
    def completed(attribute: Attribute) -> Attribute:
        codes = attribute.codes
        if not codes and attribute.type in ("string", "category"):
            codes = tuple(raw.value_labels.get(attribute.source_column, {}).items())
        kind = "category" if codes and attribute.type == "string" else attribute.type
        return replace(attribute, label=attribute.label or raw.labels.get(attribute.source_column, ""),
                       codes=codes, type=kind)

    if not (raw.labels or raw.value_labels):
        return spec
    return replace(spec, attributes={name: completed(a) for name, a in spec.attributes.items()})


def _declared(specs: list[FileSpec]) -> list[Attribute]:
    """Every attribute the files declare, once per table and name (the first declaration)."""
    found: dict[tuple[str, str], Attribute] = {}
    for spec in specs:
        declared = list(spec.attributes.values())
        if spec.slots:  # described by their column pattern, e.g. alter{n}_sex
            declared += [replace(a, source_column=spec.slots.pattern.replace("{field}", a.source_column))
                         for a in spec.slots.attributes.values()]
        for attribute in declared:
            found.setdefault((attribute.table, attribute.name), attribute)
    return list(found.values())


def age_band_labels(bounds: tuple[int, ...]) -> list[str]:
    """Labels of the bands that start at `bounds`: [18, 40, 60] -> 18-39, 40-59, 60+."""
    return [f"{low}-{high - 1}" for low, high in zip(bounds, bounds[1:])] + ([f"{bounds[-1]}+"] if bounds else [])


def _band(age, bounds: tuple[int, ...]) -> str | None:
    number = as_integer(age) if age is not None else None
    if number is None or not bounds or number < bounds[0]:
        return None
    labels = age_band_labels(bounds)
    return labels[max(i for i, low in enumerate(bounds) if number >= low)]


def _circle(closeness, cuts: tuple[tuple[float, str], ...]) -> str | None:
    number = as_float(closeness) if closeness is not None else None
    if number is None:
        return None
    return next((circle for low, circle in cuts if number >= low), None)


def _frame(name: str, records: list[dict], mapping: Mapping, attributes: list[Attribute]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns(name) + [a.column for a in attributes] + [PRIVATE], dtype=object)
    frame = frame.where(frame.notna(), None)
    frame["study_id"] = mapping.study_id
    if "synthetic" in frame.columns:
        frame["synthetic"] = frame["synthetic"].where(frame["synthetic"].notna(),
                                                      "true" if mapping.synthetic else "false")
    return frame.reset_index(drop=True)


def consolidate(frame: pd.DataFrame, key: list[str], problems: list[Problem]) -> pd.DataFrame:
    """Keep the first row of every key (a member named in several waves); a later row
    that disagrees on an attribute is a problem."""
    if frame.empty:
        return frame
    compare = [c for c in frame.columns if c not in key and c not in ("source_file", "source_row", PRIVATE)
               and c != "study_id"]
    first: dict[tuple, dict] = {}
    keep = []
    for index, row in enumerate(frame.to_dict("records")):
        ident = tuple(row[k] for k in key)
        if any(v is None for v in ident) or ident not in first:
            first.setdefault(ident, row)
            keep.append(index)
            continue
        earlier = first[ident]
        for name in compare:
            if row[name] != earlier[name] and row[name] is not None and earlier[name] is not None:
                attribute = name.startswith(ATTRIBUTE_PREFIX)
                shown = name.removeprefix(ATTRIBUTE_PREFIX)
                problems.append(Problem(
                    row["source_file"], row["source_row"], row[PRIVATE].get(name, name), str(row[name]),
                    f"{'/'.join(map(str, ident))} has {'attribute ' if attribute else ''}{shown} '{earlier[name]}' "
                    f"at row {earlier['source_row']} but '{row[name]}' here",
                    f"declare {shown} with per_wave: true if it may change between waves" if attribute else
                    "use the same value in every row of this id, or give different ids"))
                break
    return frame.iloc[keep].reset_index(drop=True)


def _derive(tables: StudyTables, mapping: Mapping) -> None:
    """tie_class and kind from relationship_type, work_type from task (only for valid codes);
    circle from closeness and age_band from age where the study declares cut points;
    undirected member ties ordered so that member_a < member_b."""
    members = tables["members"]
    members["tie_class"] = members["relationship_type"].map(lambda r: mapping.tie_classes.get(r))
    kinds = {code: spec.get("kind") for code, spec in model.vocabulary("relationship_type").items()}
    kinds |= {code: spec["kind"] for code, spec in mapping.relationship_types.items()}
    members["kind"] = members["relationship_type"].map(lambda r: kinds.get(r))
    if mapping.circle_cuts:
        ties = tables["ties"]
        derived = ties["closeness"].map(lambda c: _circle(c, mapping.circle_cuts))
        ties["circle"] = ties["circle"].where(ties["circle"].notna(), derived)
    if mapping.age_bands:
        people = tables["participants"]
        derived = people["age"].map(lambda a: _band(a, mapping.age_bands))
        people["age_band"] = people["age_band"].where(people["age_band"].notna(), derived)
    ties = tables["member_ties"]
    for index, row in enumerate(ties.to_dict("records")):
        a, b = row["member_a"], row["member_b"]
        if a is not None and b is not None and str(a) > str(b) and row["directed"] != "true":
            names = row[PRIVATE]
            ties.at[index, "member_a"], ties.at[index, "member_b"] = b, a
            ties.at[index, PRIVATE] = {**names, "member_a": names.get("member_b"), "member_b": names.get("member_a")}
    support = tables["support"]
    tasks = model.vocabulary("task")
    support["work_type"] = support["task"].map(lambda t: tasks[t]["work_type"] if t in tasks else None)


# -- one builder per file key ----------------------------------------------------------------------

def _plain(mapping: Mapping, spec: FileSpec, cells: Cells, rows: dict[str, list[dict]]) -> None:
    """A file that fills exactly one canonical table."""
    (table,) = FILE_KINDS[spec.key][0]
    constants = dict(spec.constants)
    if table == "support":
        constants.setdefault("direction", "to_participant")
    if table == "member_ties":
        constants.setdefault("type", "knows")
        constants["directed"] = "true" if spec.directed else "false"
    for row in cells.frame.index:
        rows[table].append(cells.record(row, spec.columns, constants, spec.codes))


def _participants(mapping: Mapping, spec: FileSpec, cells: Cells, rows: dict[str, list[dict]]) -> None:
    own = {k: v for k, v in spec.columns.items() if k != "wave"}
    own_constants = {k: v for k, v in spec.constants.items() if k != "wave"}
    seen: dict[tuple, int] = {}
    count = slot_count(spec, [str(c) for c in cells.frame.columns]) if spec.slots is not None else 0
    for row in cells.frame.index:
        participant = cells.record(row, own, own_constants, spec.codes)
        rows["participants"].append(participant)
        _conditions(spec, cells, row, participant, rows)
        if spec.slots is not None:
            wave = cells.record(row, {k: v for k, v in spec.columns.items() if k == "wave"},
                                {k: v for k, v in spec.constants.items() if k == "wave"}, spec.codes)
            ident = (participant["participant_id"], wave.get("wave"))
            if ident in seen and None not in ident:
                column = own.get("participant_id", "participant_id")
                cells.problems.append(Problem(spec.path, row, column, str(ident[0]),
                                              f"participant appears twice for wave {ident[1]} "
                                              f"(first at row {seen[ident]})", "keep one row per participant and wave"))
                continue
            seen[ident] = row
            _slots(spec, cells, row, count, participant, wave, rows)


def _conditions(spec: FileSpec, cells: Cells, row: int, participant: dict, rows: dict) -> None:
    if "conditions" not in spec.multi:
        return
    column, separator = spec.multi["conditions"]
    text = cells.text(row, column)
    codes = spec.codes.get("condition", {})
    for part in dict.fromkeys(p.strip() for p in (text or "").split(separator) if p.strip()):
        rows["conditions"].append({"participant_id": participant["participant_id"],
                                   "condition": translate("condition", part, codes),
                                   "source_file": spec.path, "source_row": row,
                                   PRIVATE: {"condition": column,
                                             "participant_id": participant[PRIVATE].get("participant_id")}})


def slot_count(spec: FileSpec, header: list[str]) -> int:
    """Highest slot number present in the header for any mapped slot field."""
    slots = spec.slots
    if slots.count:
        return slots.count
    sources = list(slots.columns.values()) + list(slots.tasks.values()) + list(slots.reciprocal_tasks.values())
    found = 0
    for source in sources:
        pattern = re.escape(slots.pattern).replace(re.escape("{n}"), r"(\d+)").replace(
            re.escape("{field}"), re.escape(source))
        for column in header:
            match = re.fullmatch(pattern, column)
            if match:
                found = max(found, int(match.group(1)))
    return found


def _slots(spec: FileSpec, cells: Cells, row: int, count: int, participant: dict, wave: dict,
           rows: dict) -> None:
    """Members, ties and support of one wide row; slots with no member id or relationship are skipped."""
    slots = spec.slots
    header = set(map(str, cells.frame.columns))
    for n in range(1, count + 1):
        fields = {f: slots.column(n, s) for f, s in slots.columns.items() if slots.column(n, s) in header}
        identity = [c for f, c in fields.items() if f in ("member_id", "relationship_type", "relationship_raw")]
        if not identity or all(cells.text(row, c) is None for c in identity):
            continue
        attributes = {name: replace(a, source_column=slots.column(n, a.source_column))
                      for name, a in slots.attributes.items()}
        member = cells.record(row, fields, {}, slots.codes, attributes)
        member["participant_id"] = participant["participant_id"]
        member[PRIVATE]["participant_id"] = participant[PRIVATE].get("participant_id")
        if "member_id" not in fields:
            member["member_id"] = f"m{n}"
        member["wave"] = wave.get("wave")
        member[PRIVATE]["wave"] = wave[PRIVATE].get("wave")
        _member_rows(member, rows, {a.column for a in slots.attributes.values() if a.table == "ties"})
        _task_flows(cells, row, member, {t: slots.column(n, s) for t, s in slots.tasks.items()},
                    {t: slots.column(n, s) for t, s in slots.reciprocal_tasks.items()}, rows)


def _members(mapping: Mapping, spec: FileSpec, cells: Cells, rows: dict[str, list[dict]]) -> None:
    """Long layout: one row per participant x member x wave, tasks as yes/no columns."""
    for row in cells.frame.index:
        member = cells.record(row, spec.columns, spec.constants, spec.codes)
        _member_rows(member, rows, {a.column for a in spec.attributes.values() if a.table == "ties"})
        _task_flows(cells, row, member, spec.tasks, spec.reciprocal_tasks, rows)


def _member_rows(member: dict, rows: dict, per_wave: set[str]) -> None:
    """A member's row split into its member row and its tie row (per-wave attributes go with the tie)."""
    for table in ("members", "ties"):
        rows[table].append({k: v for k, v in member.items() if k in columns(table) or k == PRIVATE
                            or (k.startswith(ATTRIBUTE_PREFIX) and (k in per_wave) == (table == "ties"))})


def _task_flows(cells: Cells, row: int, member: dict, tasks: dict[str, str], reciprocal: dict[str, str],
                rows: dict) -> None:
    for direction, columns_of_task in (("to_participant", tasks), ("to_member", reciprocal)):
        for task, column in columns_of_task.items():
            if column in cells.frame.columns and cells.flag(row, column, cells.spec.yes_values,
                                                            cells.spec.no_values):
                rows["support"].append({
                    "participant_id": member["participant_id"], "member_id": member["member_id"],
                    "wave": member.get("wave"), "task": task, "direction": direction,
                    "source_file": cells.spec.path, "source_row": row,
                    PRIVATE: {**member[PRIVATE], "task": column}})


BUILDERS = {"participants": _participants, "members": _members, "support": _plain, "member_ties": _plain,
            "resources": _plain, "participation": _plain, "resource_links": _plain}
