"""The canonical study tables (schema/tables.yaml) as one in-memory object.

Every reader returns a `StudyTables`; the validator checks it; the writer consumes it.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from illnet import model
from illnet.values import as_boolean, is_missing

TABLE_NAMES: tuple[str, ...] = tuple(model.load("tables").keys())
PROVENANCE = ("source_file", "source_row")
# Canonical fields that are derived, never mapped: field -> what it is derived from.
DERIVED = {"study_id": "study.id", "tie_class": "relationship_type", "kind": "relationship_type",
           "work_type": "task"}
# Column of the readers' working frames that holds, per row, the source column each
# canonical field came from (for problem messages); dropped before the tables are typed.
PRIVATE = "_columns"
# Study attributes travel in their table as extra columns "attribute:<name>".
ATTRIBUTE_PREFIX = "attribute:"
ATTRIBUTE_TYPES = ("string", "integer", "float", "boolean", "date", "category")


@dataclass(frozen=True)
class Attribute:
    """A study-declared attribute: a source column kept as a typed property of the
    graph element its table becomes (see `element`)."""

    name: str
    table: str
    type: str
    source_column: str
    label: str = ""
    codes: tuple[tuple[str, str], ...] = ()  # (value in the file, label stored), for categories

    @property
    def column(self) -> str:
        """The attribute's column in its canonical table."""
        return ATTRIBUTE_PREFIX + self.name

    @property
    def element(self) -> str:
        """The node label or relationship type that carries the attribute."""
        return element_of(self.table)


def element_of(table: str) -> str:
    """The label or relationship type a canonical table's rows become (schema/graph.yaml)."""
    graph = model.load("graph")
    for section in ("nodes", "relationships"):
        for name, spec in graph[section].items():
            if spec.get("table") == table and (section == "nodes" or spec.get("writes")):
                return name
    raise KeyError(f"no graph element is written from table {table!r}")


def columns(table: str) -> list[str]:
    """Canonical columns of a table, provenance columns last."""
    return list(model.load("tables")[table]["fields"]) + list(PROVENANCE)


def empty(table: str) -> pd.DataFrame:
    """An empty DataFrame with the canonical columns of `table`."""
    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns(table)})


@dataclass
class StudyTables:
    """A whole study: metadata from the mapping plus one DataFrame per canonical table."""

    study_id: str
    name: str = ""
    design: str = "cross-sectional"
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    attributes: list[Attribute] = field(default_factory=list)
    # Codes the study adds to a vocabulary (its declared relationship types, its age bands).
    study_codes: dict[str, set[str]] = field(default_factory=dict)
    release_min_count: int | None = None  # the study's results are always released (privacy:)

    def __post_init__(self):
        for name in TABLE_NAMES:
            self.tables.setdefault(name, empty(name))

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def __setitem__(self, table: str, frame: pd.DataFrame) -> None:
        if table not in TABLE_NAMES:
            raise KeyError(f"not a canonical table: {table}")
        self.tables[table] = frame

    def codes(self, vocabulary: str) -> set[str]:
        """The valid codes of a vocabulary in this study: the model's and the study's own."""
        return set(map(str, model.vocabulary(vocabulary))) | self.study_codes.get(vocabulary, set())

    def attributes_of(self, table: str) -> list[Attribute]:
        """The study attributes carried by one table."""
        return [attribute for attribute in self.attributes if attribute.table == table]

    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {name: len(frame) for name, frame in self.tables.items()}


def field_types(table: str) -> dict[str, str]:
    """Column -> type (string, integer or boolean) of a canonical table, provenance columns included."""
    types = {name: spec["type"] for name, spec in model.load("tables")[table]["fields"].items()}
    return {**types, "source_file": "string", "source_row": "integer"}


WHOLE_NUMBER = re.compile(r"[+-]?\d+(\.0*)?")  # '3' and '3.0' (as pandas writes it), not '1e0' or '1.5'


def as_integer(value) -> int | None:
    """'3', '3.0', 3, 3.0 -> 3; '1e0', '1.5', 'one' and anything else -> None."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text.split(".")[0]) if WHOLE_NUMBER.fullmatch(text) else None


def as_float(value) -> float | None:
    """'2.5', '3', 2.5 -> float; anything else -> None."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def as_date(value) -> date | None:
    """An ISO 8601 date (2024-03-01, or a datetime's date part) -> date; anything else -> None."""
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def as_string(value) -> str | None:
    """Text of a value; None, NaN and NA -> None ('' stays '')."""
    if type(value) is str:
        return value
    return "" if isinstance(value, str) and not value else None if is_missing(value) else str(value)


DTYPES = {"integer": (as_integer, "Int64"), "float": (as_float, "Float64"), "boolean": (as_boolean, "boolean"),
          "string": (as_string, "category"), "category": (as_string, "category"), "date": (as_date, object)}
# The nullable integer dtypes a typed column may take, smallest first: the first whose range holds its values.
INTEGER_DTYPES = ("Int8", "Int16", "Int32", "Int64")


def small_integers(values: pd.Series) -> pd.Series:
    """A nullable integer column in the smallest of INTEGER_DTYPES that holds its values."""
    present = values.dropna()
    low, high = (int(present.min()), int(present.max())) if len(present) else (0, 0)
    for dtype in INTEGER_DTYPES:
        bounds = np.iinfo(dtype.lower())
        if bounds.min <= low and high <= bounds.max:
            return values.astype(dtype)
    return values


def row_numbers(values) -> np.ndarray:
    """Row numbers as int32 (int64 for a file of more than 2**31 rows)."""
    values = np.asarray(values)
    return values.astype(np.int32 if not len(values) or int(values.max()) < 2 ** 31 else np.int64)


def objects(values, index=None) -> pd.Series:
    """An object Series of `values` (pandas would otherwise infer its own string dtype). An
    object array is taken as it is, not copied (pandas 3 copies by default): callers hand
    over arrays that nothing changes afterwards, and a read-only view (Series.to_numpy) makes
    a Series that cannot be written in place."""
    return pd.Series(values, index=index, dtype=object, copy=False)


def categorical(codes: np.ndarray, values) -> pd.Categorical:
    """The categorical of values[codes] (numpy indexing: code -1 is the last value): `values`
    may repeat and hold None (missing), each distinct string becomes one category. Categories
    are sorted (when they can be compared), so that sorting the cells sorts them as text."""
    numbers, found = pd.factorize(np.asarray(values, dtype=object))
    try:
        order = np.argsort(found, kind="stable")
    except TypeError:  # values of several types that do not compare: in order of appearance
        order = np.arange(len(found))
    rank = np.empty(len(found) + 1, dtype=np.int64)
    rank[order], rank[-1] = np.arange(len(found)), -1  # index -1: missing stays missing
    numbers, found = rank[numbers], found[order]
    numbers = numbers.astype(np.min_scalar_type(-len(found) - 1))  # int8 for a few codes
    return pd.Categorical.from_codes(numbers[codes], categories=_objects_index(found))


def _objects_index(values) -> pd.Index:
    """Categories held as Python objects: a categorical's cells are then references to them
    (pandas' own string dtype would make new string objects whenever the cells are read)."""
    return pd.Index(np.asarray(values, dtype=object), dtype=object)


def joined(parts: list[pd.Categorical]) -> pd.Categorical:
    """The categoricals one after the other, as one (categories: those of all the parts)."""
    values = np.concatenate([np.asarray(part.categories, dtype=object) for part in parts])
    numbers, found = pd.factorize(values)
    numbers = np.append(numbers, -1)  # index -1: a missing cell stays missing
    offsets = np.cumsum([0] + [len(part.categories) for part in parts[:-1]])
    codes = np.concatenate([np.where(part.codes >= 0, numbers[np.maximum(part.codes, 0) + offset], -1)
                            for part, offset in zip(parts, offsets)])
    return pd.Categorical.from_codes(codes.astype(np.min_scalar_type(-len(found) - 1)), _objects_index(found))


def constant(length: int, value) -> pd.Categorical:
    """A categorical of `length` times one value (all missing for None)."""
    return categorical(np.zeros(length, dtype=np.int8), [value])


def filled(length: int, value) -> np.ndarray:
    """An object array holding `length` references to one value."""
    array = np.empty(length, dtype=object)
    array.fill(value)
    return array


def distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(per cell: the number of its value, -1 when missing (None, NaN); the values by number,
    as an object array). A categorical's own codes and categories (some may be unused), else
    pd.factorize's; codes in the smallest integer dtype that holds them."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), np.asarray(values.cat.categories, dtype=object)
    codes, uniques = pd.factorize(values)
    return codes.astype(np.min_scalar_type(-len(uniques) - 1)), np.asarray(uniques, dtype=object)


def flagged(values: pd.Series, function) -> tuple[np.ndarray, list]:
    """(the positions of the cells for which function(cell) is not None, those results), the
    function called once per distinct value (missing cells: once, with None)."""
    codes, uniques = distinct(values)
    results = [function(value) for value in uniques] + [function(None)]  # code -1: the last
    bad = [number if number < len(uniques) else -1 for number, result in enumerate(results) if result is not None]
    if not bad:
        return np.array([], dtype=np.int64), []
    positions = np.flatnonzero(np.isin(codes, bad))
    return positions, [results[code] for code in codes[positions]]


def per_value(values: pd.Series, function, dtype=object) -> pd.Series:
    """function(cell) for every cell of `values`, called once per distinct value (missing
    cells, None or NaN: once, with None); the results as a Series of `dtype`, same index."""
    codes, uniques = distinct(values)
    results = [function(value) for value in uniques] + [function(None) if (codes < 0).any() else None]
    if dtype == "category":
        return pd.Series(categorical(codes, results), index=values.index)
    if dtype is not object:
        return pd.Series(pd.array(results, dtype=dtype).take(codes), index=values.index)
    array = np.empty(len(results), dtype=object)
    for i, result in enumerate(results):
        array[i] = result
    return objects(array[codes], values.index)


def value_codes(values: pd.Series, function=str) -> tuple[np.ndarray, np.ndarray]:
    """(per cell: the number of function(cell), -1 when the cell is missing or the function
    gives None; the results by number). The function is called once per distinct value;
    cells with equal results share a number; numbers in the smallest integer dtype that holds them."""
    codes, uniques = distinct(values)
    results = filled(len(uniques), None)
    for i, value in enumerate(uniques):
        results[i] = None if is_missing(value) else function(value)
    numbers, found = pd.factorize(results)
    return (np.append(numbers, -1).astype(np.min_scalar_type(-len(found) - 1))[codes],
            np.asarray(found, dtype=object))


def group_codes(columns: list[np.ndarray]) -> np.ndarray:
    """A number per row, the same for the rows that hold the same values in every column
    (missing values are equal to each other; an integer column holds codes, -1 = missing).
    int32 when every combination fits, else int64; a column of one value adds nothing."""
    parts = []
    for column in columns:
        if np.issubdtype(column.dtype, np.integer):
            parts.append((column, int(column.max()) + 2 if len(column) else 1))
        else:
            codes, uniques = pd.factorize(column)
            parts.append((codes, len(uniques) + 1))
    parts = [(codes, size) for codes, size in parts if size > 2 or (len(codes) and codes.min() != codes.max())]
    dtype = np.int32 if math.prod(size for _, size in parts) < 2 ** 31 else np.int64
    combined, span = np.zeros(len(columns[0]), dtype=dtype), 1
    for codes, size in parts:
        if span * size >= 2 ** 62:  # renumber the groups found so far before they overflow
            combined, found = pd.factorize(combined)
            span = len(found)
        combined *= size
        combined += codes
        combined += 1
        span *= size
    return combined


def repeats(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(the positions of the rows holding the same values in `columns` as an earlier row, in
    row order; for each, the position of the first such row). Sorts the rows' group numbers
    (a stable sort keeps the rows of one group in row order) rather than hashing them."""
    groups = group_codes(columns)
    order = np.argsort(groups, kind="stable")
    groups = groups[order]
    later = np.flatnonzero(groups[1:] == groups[:-1]) + 1  # sorted positions that repeat the one before
    if not len(later):
        return later, later
    starts = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    del groups
    run_start = np.concatenate(([0], starts))[np.searchsorted(starts, later, side="right")]
    positions, firsts = order[later], order[run_start]
    row_order = np.argsort(positions, kind="stable")
    return positions[row_order], firsts[row_order]


def typed_frame(table: str, frame: pd.DataFrame, attributes: list[Attribute] = ()) -> pd.DataFrame:
    """A copy of `frame` with every column of `table` (provenance included) and of its study
    attributes cast to their type: integer -> the smallest nullable integer dtype that holds
    its values (Int8 ... Int64), float -> Float64, boolean -> boolean, string and category ->
    pandas category (each distinct string held once; missing is NaN), date -> datetime.date
    objects. Columns of
    `table` absent from `frame` are added empty; other columns are kept as they are. Each
    distinct value is cast once."""
    out = frame.copy(deep=False)
    kinds = field_types(table) | {attribute.column: attribute.type for attribute in attributes}
    for name, kind in kinds.items():
        cast, dtype = DTYPES[kind]
        values = frame[name] if name in frame else objects(filled(len(frame), None), frame.index)
        if kind == "integer" and pd.api.types.is_integer_dtype(values.dtype):
            out[name] = small_integers(values)  # integers already (the row numbers): none to cast one by one
            continue
        out[name] = per_value(values, cast, dtype)
        if kind == "integer":
            out[name] = small_integers(out[name])
    return out
