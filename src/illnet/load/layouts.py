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

import numpy as np
import pandas as pd

from illnet import model
from illnet.load.mapping import FILE_KINDS, FileSpec, Mapping, field_type, field_vocabulary, outside
from illnet.load.problems import Problem
from illnet.load.sources import RawTable
from illnet.load.tables import (ATTRIBUTE_PREFIX, PRIVATE, TABLE_NAMES, Attribute, StudyTables, as_float,
                                as_integer, categorical, columns, constant, distinct, filled, objects, per_value,
                                repeats, row_numbers)
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
    return translator(field, codes, study_codes)(value)


def translator(field: str, codes: dict[str, str], study_codes: tuple[str, ...] = ()):
    """`translate` of one field as a function of the value, with what does not depend on
    the value (numeric codes, folded spellings, the field's vocabulary) worked out once."""
    numbers: dict[str, str] = {}
    for code, canonical in codes.items():
        numbers.setdefault(code_number(code), canonical)
    numbers.pop(None, None)
    folded = {normalise(k): v for k, v in codes.items()}
    vocabulary = field_vocabulary(field)
    boolean = field_type(field) == "boolean"

    def one(value: str) -> str:
        if value in codes:
            return codes[value]
        numeric = code_number(value) if codes else None
        if numeric in numbers:
            return numbers[numeric]
        value = folded.get(normalise(value), value)
        if vocabulary:
            spelled = _spellings(vocabulary).get(normalise(value)) or _study_spellings(study_codes).get(
                normalise(value))
            if spelled is None and vocabulary == "country":
                spelled = _country(value)
            return spelled or value
        if boolean:
            answer = as_boolean(value)
            return value if answer is None else as_text(answer)
        return value

    return one


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
    """The cleaned cells of one source file, column by column; problems with cells go to
    `problems`. Each distinct value of a column is cleaned, translated or checked once.
    `rows` arguments are positions in the file (None: every row)."""

    def __init__(self, spec: FileSpec, raw: RawTable, problems: list[Problem], study_codes: tuple[str, ...] = ()):
        self.spec, self.frame, self.problems, self.study_codes = spec, raw.frame, problems, study_codes
        self.numbers = row_numbers(raw.frame.index.to_numpy())  # the spreadsheet row number of every position
        self._columns: dict[str, tuple] = {}

    def _cleaned(self, column: str) -> tuple:
        """(per row: its distinct value's number, per distinct value (missing last): the raw
        text, the cleaned text or None, and whether it is formula-like). A categorical column's
        own codes are kept (`distinct`)."""
        if column not in self._columns:
            codes, uniques = distinct(self.frame[column])
            raw = ["" if value is None else str(value) for value in uniques] + [""]
            texts = filled(len(raw), None)
            formula = np.zeros(len(raw), dtype=bool)
            for i, value in enumerate(raw):
                if value.strip().lower() in self.spec.missing_values:
                    continue
                if FORMULA.match(value):
                    formula[i] = True
                else:
                    texts[i] = value.strip()
            self._columns[column] = (codes, raw, texts, formula)
        return self._columns[column]

    def values(self, column: str, function=None, rows: np.ndarray | None = None) -> np.ndarray:
        """function(text) of every cell in `rows` (None where the cell is empty, a missing-value
        code, or formula-like: a problem); the text itself without a function."""
        mapped, codes = self._mapped(column, function, rows)
        return mapped[codes]

    def _mapped(self, column: str, function, rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """(function(text) per distinct value, the distinct value of every row in `rows`);
        formula-like cells in `rows` are reported."""
        codes, raw, texts, formula = self._cleaned(column)
        codes = codes if rows is None else codes[rows]
        if formula.any():
            for position in np.flatnonzero(formula[codes]):
                self.problems.append(Problem(self.spec.path, self.number(position, rows), column,
                                             raw[codes[position]], "formula-like cell rejected as unsafe input",
                                             "type the value itself, without a leading =, +, - or @"))
        if function is None:
            return texts, codes
        mapped = filled(len(texts), None)
        for i, text in enumerate(texts):
            if text is not None:
                mapped[i] = function(text)
        return mapped, codes

    def categorical(self, column: str, function=None, rows: np.ndarray | None = None) -> pd.Categorical:
        """`values` as a categorical: each distinct result held once, a small code per row."""
        mapped, codes = self._mapped(column, function, rows)
        return categorical(codes, mapped)

    def number(self, position: int, rows: np.ndarray | None = None) -> int:
        """The row number of a position among `rows`."""
        return int(self.numbers[position if rows is None else rows[position]])

    def record(self, rows: np.ndarray | None, fields: dict[str, str], constants: dict[str, str],
               codes: dict[str, dict[str, str]], attributes: dict[str, Attribute] | None = None) -> pd.DataFrame:
        """The canonical rows from the mapped columns, constants and attributes of the source
        rows (`attributes` default: the file's; a slot passes its own, with slot column names)."""
        count = len(self.numbers) if rows is None else len(rows)
        data: dict[str, pd.Categorical] = {}
        for name, value in constants.items():
            data[name] = constant(count, translator(name, codes.get(name, {}), self.study_codes)(value))
        for name, column in fields.items():
            data[name] = self.categorical(column, translator(name, codes.get(name, {}), self.study_codes), rows)
        for attribute in (self.spec.attributes if attributes is None else attributes).values():
            labels = dict(attribute.codes)
            data[attribute.column] = (self.categorical(attribute.source_column, lambda text: labels.get(text, text),
                                                       rows)
                                      if attribute.source_column in self.frame.columns else constant(count, None))
        attributes = self.spec.attributes if attributes is None else attributes
        return self.rows_frame(rows, data, names(fields, constants, attributes))

    def rows_frame(self, rows: np.ndarray | None, data: dict, private) -> pd.DataFrame:
        """A working frame of canonical rows: `data` (categoricals, or object arrays),
        provenance and the private source-column names (one dict for every row, or an array of them)."""
        numbers = self.numbers if rows is None else self.numbers[rows]
        frame = pd.DataFrame({name: pd.Series(values, copy=False) if isinstance(values, pd.Categorical)
                              else objects(values) for name, values in data.items()},
                             index=pd.RangeIndex(len(numbers)), copy=False)
        frame["source_file"] = constant(len(numbers), self.spec.path)
        frame["source_row"] = row_numbers(numbers)
        frame[PRIVATE] = objects(private if isinstance(private, np.ndarray) else filled(len(numbers), private))
        return frame

    def flags(self, column: str, rows: np.ndarray | None, yes: set[str], no: set[str]) -> np.ndarray:
        """Yes/no task cells as booleans; anything else is a problem (and counts as no)."""
        def answer(text: str):
            text = text if code_number(text) is None else code_number(text)
            return False if text.lower() in no else True if text.lower() in yes else text

        answers, codes = self._mapped(column, answer, rows)
        wrong = np.array([isinstance(a, str) for a in answers], dtype=bool)
        for position in np.flatnonzero(wrong[codes]):
            self.problems.append(Problem(self.spec.path, self.number(position, rows), column, answers[codes[position]],
                                         "not a yes/no value", f"use one of {sorted(yes)} for yes, or add it to "
                                         f"files.{self.spec.key}.yes_values / no_values"))
        return np.array([a is True for a in answers], dtype=bool)[codes]


def names(fields: dict[str, str], constants: dict[str, str], attributes: dict[str, Attribute]) -> dict[str, str]:
    """Canonical field -> the source column (or constant) it comes from."""
    private = {name: CONSTANT + name for name in constants}
    private |= fields
    return private | {attribute.column: attribute.source_column for attribute in attributes.values()}


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
    """All source tables -> one StudyTables (text values, private `_columns`), problems and
    warnings. Once a file is built, its raw frame keeps only its id columns (`id_columns`)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_NAMES}
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
        BUILDERS[spec.key](mapping, spec, Cells(spec, raw, problems, study_codes), parts)
        header = [str(c) for c in raw.frame.columns]
        raw.frame = raw.frame[[c for c in dict.fromkeys(id_columns(spec, header)) if c in header]]
    tables = StudyTables(mapping.study_id, mapping.name, mapping.design, attributes=_declared(specs),
                         release_min_count=mapping.release_min_count)
    tables.study_codes = {"relationship_type": set(study_codes),
                          "age_band": set(age_band_labels(mapping.age_bands))}
    for name in TABLE_NAMES:
        tables[name] = _frame(name, parts.pop(name), mapping, tables.attributes_of(name))
    if mapping.layout == "wide":
        tables["participants"] = consolidate(tables["participants"], ["participant_id"], problems)
        tables["conditions"] = consolidate(tables["conditions"], ["participant_id", "condition"], problems)
    tables["members"] = consolidate(tables["members"], ["participant_id", "member_id"], problems)
    _derive(tables, mapping)
    return tables, problems, warnings


def id_columns(spec: FileSpec, header: list[str]) -> list[str]:
    """The source columns of a file's participant, member and resource ids (member ids of
    every slot of a wide file): what checks.id_spellings reads of the file after build."""
    ids = ("participant_id", "member_id", "resource_id")
    found = [spec.columns[name] for name in ids if name in spec.columns]
    if spec.slots is not None and "member_id" in spec.slots.columns:
        found += [spec.slots.column(n, spec.slots.columns["member_id"]) for n in range(1, slot_count(spec, header) + 1)]
    return found


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


def _frame(name: str, parts: list[pd.DataFrame], mapping: Mapping, attributes: list[Attribute]) -> pd.DataFrame:
    """One canonical table from its working frames: its columns in order (absent ones empty),
    the study id, and `synthetic` from the mapping where no column gives it."""
    wanted = columns(name) + [a.column for a in attributes] + [PRIVATE]
    parts = [pd.DataFrame({c: part[c] if c in part.columns else objects(filled(len(part), None), part.index)
                           for c in wanted}, copy=False) for part in parts]
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {c: objects([]) for c in wanted})
    frame["study_id"] = constant(len(frame), mapping.study_id)
    if "synthetic" in frame.columns:
        default = "true" if mapping.synthetic else "false"
        frame["synthetic"] = objects(np.where(frame["synthetic"].isna().to_numpy(), default,
                                              frame["synthetic"].to_numpy()))
    if len(frame) == 0:
        frame["source_row"] = frame["source_row"].astype("int32")
    return frame


def consolidate(frame: pd.DataFrame, key: list[str], problems: list[Problem]) -> pd.DataFrame:
    """Keep the first row of every key (a member named in several waves); a later row
    that disagrees on an attribute is a problem."""
    if frame.empty:
        return frame
    compare = [c for c in frame.columns if c not in key and c not in ("source_file", "source_row", PRIVATE)
               and c != "study_id"]
    later, first = repeats([distinct(frame[name])[0] for name in key])
    complete = frame[key].notna().to_numpy()[later].all(axis=1)  # a key with a missing part repeats nothing
    later, first = later[complete], first[complete]
    if len(later) and compare:
        here = frame[compare].to_numpy()[later]
        there = frame[compare].to_numpy()[first]
        differ = pd.notna(here) & pd.notna(there) & (here != there)
        for i in np.flatnonzero(differ.any(axis=1)):
            j = int(np.argmax(differ[i]))
            position, earlier = later[i], first[i]
            name = compare[j]
            attribute = name.startswith(ATTRIBUTE_PREFIX)
            shown = name.removeprefix(ATTRIBUTE_PREFIX)
            ident = "/".join(map(str, frame[key].iloc[position]))
            problems.append(Problem(
                frame["source_file"].iat[position], int(frame["source_row"].iat[position]),
                frame[PRIVATE].iat[position].get(name, name), str(here[i, j]),
                f"{ident} has {'attribute ' if attribute else ''}{shown} '{there[i, j]}' "
                f"at row {frame['source_row'].iat[earlier]} but '{here[i, j]}' here",
                f"declare {shown} with per_wave: true if it may change between waves" if attribute else
                "use the same value in every row of this id, or give different ids"))
    keep = np.ones(len(frame), dtype=bool)
    keep[later] = False
    return frame[keep].reset_index(drop=True)


def _derive(tables: StudyTables, mapping: Mapping) -> None:
    """tie_class and kind from relationship_type, work_type from task (only for valid codes);
    circle from closeness and age_band from age where the study declares cut points;
    undirected member ties ordered so that member_a < member_b."""
    members = tables["members"]
    members["tie_class"] = per_value(members["relationship_type"], mapping.tie_classes.get, "category")
    kinds = {code: spec.get("kind") for code, spec in model.vocabulary("relationship_type").items()}
    kinds |= {code: spec["kind"] for code, spec in mapping.relationship_types.items()}
    members["kind"] = per_value(members["relationship_type"], kinds.get, "category")
    if mapping.circle_cuts:
        ties = tables["ties"]
        derived = per_value(ties["closeness"], lambda c: _circle(c, mapping.circle_cuts))
        ties["circle"] = objects(np.where(ties["circle"].notna().to_numpy(), ties["circle"].to_numpy(),
                                          derived.to_numpy()))
    if mapping.age_bands:
        people = tables["participants"]
        derived = per_value(people["age"], lambda a: _band(a, mapping.age_bands))
        people["age_band"] = objects(np.where(people["age_band"].notna().to_numpy(), people["age_band"].to_numpy(),
                                              derived.to_numpy()))
    _order_undirected(tables["member_ties"])
    support = tables["support"]
    tasks = model.vocabulary("task")
    support["work_type"] = per_value(support["task"], lambda t: tasks[t]["work_type"] if t in tasks else None,
                                     "category")


def _order_undirected(ties: pd.DataFrame) -> None:
    """Undirected member ties with member_a > member_b get their ends (and source columns) swapped."""
    a, b = ties["member_a"].to_numpy(), ties["member_b"].to_numpy()
    both = np.flatnonzero(pd.notna(a) & pd.notna(b) & (ties["directed"].to_numpy() != "true"))
    if not len(both):
        return
    swap = both[a[both].astype(str) > b[both].astype(str)]
    if not len(swap):
        return
    ties["member_a"] = objects(np.where(np.isin(np.arange(len(a)), swap), b, a))
    ties["member_b"] = objects(np.where(np.isin(np.arange(len(a)), swap), a, b))
    swapped: dict[int, dict] = {}
    private = ties[PRIVATE].to_numpy().copy()
    for position in swap:
        names_ = private[position]
        if id(names_) not in swapped:
            swapped[id(names_)] = {**names_, "member_a": names_.get("member_b"), "member_b": names_.get("member_a")}
        private[position] = swapped[id(names_)]
    ties[PRIVATE] = objects(private)


# -- one builder per file key ----------------------------------------------------------------------

def _plain(mapping: Mapping, spec: FileSpec, cells: Cells, parts: dict[str, list[pd.DataFrame]]) -> None:
    """A file that fills exactly one canonical table."""
    (table,) = FILE_KINDS[spec.key][0]
    constants = dict(spec.constants)
    if table == "support":
        constants.setdefault("direction", "to_participant")
    if table == "member_ties":
        constants.setdefault("type", "knows")
        constants["directed"] = "true" if spec.directed else "false"
    parts[table].append(cells.record(None, spec.columns, constants, spec.codes))


def _participants(mapping: Mapping, spec: FileSpec, cells: Cells, parts: dict[str, list[pd.DataFrame]]) -> None:
    own = {k: v for k, v in spec.columns.items() if k != "wave"}
    own_constants = {k: v for k, v in spec.constants.items() if k != "wave"}
    participant = cells.record(None, own, own_constants, spec.codes)
    parts["participants"].append(participant)
    _conditions(spec, cells, participant, parts)
    if spec.slots is None:
        return
    wave = cells.record(None, {k: v for k, v in spec.columns.items() if k == "wave"},
                        {k: v for k, v in spec.constants.items() if k == "wave"}, spec.codes, {})
    waves = wave["wave"] if "wave" in wave.columns else objects(filled(len(wave), None))
    ident = pd.DataFrame({"participant_id": participant["participant_id"], "wave": waves})
    later, first = repeats([distinct(ident[name])[0] for name in ident.columns])
    complete = ident.notna().to_numpy()[later].all(axis=1)  # no participant id or wave: not a repeat
    later, first = later[complete], first[complete]
    column = own.get("participant_id", "participant_id")
    for position, earlier in zip(later, first):
        cells.problems.append(Problem(spec.path, cells.number(position), column,
                                      str(ident["participant_id"].iat[position]),
                                      f"participant appears twice for wave {ident['wave'].iat[position]} "
                                      f"(first at row {cells.number(earlier)})",
                                      "keep one row per participant and wave"))
    twice = np.zeros(len(ident), dtype=bool)
    twice[later] = True
    count = slot_count(spec, [str(c) for c in cells.frame.columns])
    _slots(spec, cells, np.flatnonzero(~twice), count, participant, waves,
           {"participant_id": names(own, own_constants, {}).get("participant_id"),
            "wave": names({k: v for k, v in spec.columns.items() if k == "wave"},
                          {k: v for k, v in spec.constants.items() if k == "wave"}, {}).get("wave")}, parts)


def _conditions(spec: FileSpec, cells: Cells, participant: pd.DataFrame, parts: dict) -> None:
    if "conditions" not in spec.multi:
        return
    column, separator = spec.multi["conditions"]
    texts = objects(cells.values(column)).dropna()
    found = texts.str.split(separator, regex=False).explode().str.strip()
    found = found[found.str.len() > 0]
    found = found[~pd.DataFrame({"row": found.index, "part": found.to_numpy()}).duplicated().to_numpy()]
    positions = found.index.to_numpy()
    condition = per_value(objects(found.to_numpy()), translator("condition", spec.codes.get("condition", {})))
    private = {"condition": column, "participant_id": names(
        {k: v for k, v in spec.columns.items() if k == "participant_id"},
        {k: v for k, v in spec.constants.items() if k == "participant_id"}, {}).get("participant_id")}
    parts["conditions"].append(cells.rows_frame(positions, {
        "participant_id": participant["participant_id"].to_numpy()[positions],
        "condition": condition.to_numpy()}, private))


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


IDENTITY = ("member_id", "relationship_type", "relationship_raw")


def _slots(spec: FileSpec, cells: Cells, rows: np.ndarray, count: int, participant: pd.DataFrame,
           waves: pd.Series, owner: dict[str, str | None], parts: dict) -> None:
    """Members, ties and support of the wide `rows`, slot by slot; slots with no member id
    or relationship are skipped. Rows come out in file order, slot by slot within a row."""
    slots = spec.slots
    header = set(map(str, cells.frame.columns))
    found: dict[str, list[pd.DataFrame]] = {"members": [], "ties": [], "support": []}
    for n in range(1, count + 1):
        fields = {f: slots.column(n, s) for f, s in slots.columns.items() if slots.column(n, s) in header}
        identity = [c for f, c in fields.items() if f in IDENTITY]
        if not identity:
            continue
        named = np.zeros(len(rows), dtype=bool)
        for column in identity:
            named |= pd.notna(cells.values(column, rows=rows))
        present = rows[named]
        attributes = {name: replace(a, source_column=slots.column(n, a.source_column))
                      for name, a in slots.attributes.items()}
        member = cells.record(present, fields, {}, slots.codes, attributes)
        member["participant_id"] = objects(participant["participant_id"].to_numpy()[present])
        if "member_id" not in fields:
            member["member_id"] = objects(filled(len(present), f"m{n}"))
        member["wave"] = objects(waves.to_numpy()[present])
        private = names(fields, {}, attributes) | owner
        member[PRIVATE] = objects(filled(len(present), private))
        _member_rows(member, found, {a.column for a in slots.attributes.values() if a.table == "ties"})
        _task_flows(cells, present, member, private, {t: slots.column(n, s) for t, s in slots.tasks.items()},
                    {t: slots.column(n, s) for t, s in slots.reciprocal_tasks.items()}, found)
    for table, frames in found.items():
        if frames:
            parts[table].append(_in_file_order(frames))


def _in_file_order(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames as one, rows in source row order (stable: the frames' order within a row)."""
    frame = pd.concat(frames, ignore_index=True)
    return frame.iloc[np.argsort(frame["source_row"].to_numpy(), kind="stable")].reset_index(drop=True)


def _members(mapping: Mapping, spec: FileSpec, cells: Cells, parts: dict[str, list[pd.DataFrame]]) -> None:
    """Long layout: one row per participant x member x wave, tasks as yes/no columns."""
    member = cells.record(None, spec.columns, spec.constants, spec.codes)
    _member_rows(member, parts, {a.column for a in spec.attributes.values() if a.table == "ties"})
    _task_flows(cells, None, member, names(spec.columns, spec.constants, spec.attributes), spec.tasks,
                spec.reciprocal_tasks, parts)


def _member_rows(member: pd.DataFrame, parts: dict, per_wave: set[str]) -> None:
    """A member's rows split into member rows and tie rows (per-wave attributes go with the tie)."""
    for table in ("members", "ties"):
        parts[table].append(member[[k for k in member.columns if k in columns(table) or k == PRIVATE
                                    or (k.startswith(ATTRIBUTE_PREFIX) and (k in per_wave) == (table == "ties"))]])


def _task_flows(cells: Cells, rows: np.ndarray | None, member: pd.DataFrame, private: dict, tasks: dict[str, str],
                reciprocal: dict[str, str], parts: dict) -> None:
    """Support rows of the yes cells of the task columns (`member`: the members of `rows`), in
    row order, tasks in the mapping's order within a row."""
    flows = [(task, direction, column) for direction, columns_of_task in (("to_participant", tasks),
                                                                           ("to_member", reciprocal))
             for task, column in columns_of_task.items() if column in cells.frame.columns]
    if not flows:
        return
    yes = np.column_stack([cells.flags(column, rows, cells.spec.yes_values, cells.spec.no_values)
                           for _, _, column in flows])
    positions, which = _yes_cells(yes)
    del yes
    waves = member["wave"] if "wave" in member.columns else pd.Series(constant(len(member), None))
    names_of_flow = filled(len(flows), None)
    for i, (_, _, column) in enumerate(flows):
        names_of_flow[i] = {**private, "task": column}
    # the ids' .array.take: a categorical stays one (its codes taken), an object column stays objects
    flow = cells.rows_frame(positions if rows is None else rows[positions], {
        "participant_id": member["participant_id"].array.take(positions),
        "member_id": member["member_id"].array.take(positions), "wave": waves.array.take(positions),
        "task": categorical(which, [task for task, _, _ in flows]),
        "direction": categorical(which, [direction for _, direction, _ in flows])}, names_of_flow[which])
    parts["support"].append(flow)


FLOW_ROWS = 1_000_000  # source rows whose yes cells are listed at a time


def _yes_cells(yes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every true cell of a rows x task columns matrix, row by row and in
    column order within a row, as int32 and int16; FLOW_ROWS rows at a time, so that numpy's
    int64 positions are made for a slice of the rows only."""
    rows, columns = [], []
    for start in range(0, len(yes), FLOW_ROWS):
        found_rows, found_columns = np.nonzero(yes[start:start + FLOW_ROWS])
        rows.append((found_rows + start).astype(np.int32))
        columns.append(found_columns.astype(np.int16))
    return (np.concatenate(rows), np.concatenate(columns)) if rows else (np.zeros(0, np.int32), np.zeros(0, np.int16))


BUILDERS = {"participants": _participants, "members": _members, "support": _plain, "member_ties": _plain,
            "resources": _plain, "participation": _plain, "resource_links": _plain}
