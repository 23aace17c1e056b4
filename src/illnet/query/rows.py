"""A result as plain Python rows, and the pandas DataFrame it becomes.

Python callers get DataFrames; the command line prints results without importing pandas,
which costs more than most queries. Both come from one Rows:

- `frame()` is the DataFrame `illnet.queries.run` returns: pandas infers the column types,
  then each column declared in the query's `returns:` header is cast to its type (nullable
  where it holds nulls); a column whose values do not fit is left as it came.
- `stored()` gives, without pandas, the values and numeric columns as that DataFrame holds
  them: a declared float column holds floats, an undeclared column of numbers with a null
  holds floats (as pandas stores it), a null or NaN is None. A column it cannot vouch for (values
  that do not fit the declared type, a query's bug) gives None, and the caller asks the
  DataFrame instead; tests/unit/test_rows.py checks the two against each other.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Declared column type -> pandas dtype (and the nullable one used when a column holds nulls).
_DTYPES = {"integer": ("int64", "Int64"), "float": ("float64", "float64"), "boolean": ("bool", "boolean"),
           "string": ("str", "str"), "list": ("object", "object")}


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused: a large result is hundreds of thousands of new
    lists and rows, none of them garbage, and the collections that their making sets off took
    longer than decoding them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _null(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN


def _as_pandas_infers(values: list) -> tuple[list, bool] | None:
    """(values, numeric) as pandas stores a column of plain values: whole numbers stay ints,
    numbers with a float or a null become floats; None when it is not one of those simple cases."""
    present = [value for value in values if not _null(value)]
    nan = any(isinstance(value, float) for value in values)  # a NaN alone makes a float column too
    if not (present or nan) or not all(_is_number(value) for value in present):
        kinds = {type(value) for value in present}
        simple = len(kinds) <= 1 and not kinds & {int, float}  # one type that is not a number (or none)
        return ([None if _null(value) else value for value in values], False) if simple else None
    if len(present) == len(values) and all(isinstance(value, int) for value in values):
        return values, True
    return [None if _null(value) else float(value) for value in values], True


def _as_declared(values: list, declared: str) -> tuple[list, bool] | None:
    """(values, numeric) of a column cast to its declared type, or None when they do not fit."""
    present = [value for value in values if not _null(value)]
    plain = [None if _null(value) else value for value in values]
    if declared == "integer" and all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return plain, True
    if declared == "float" and all(_is_number(value) for value in present):
        return [None if value is None else float(value) for value in plain], True
    if declared == "boolean" and all(isinstance(value, bool) for value in present):
        return plain, False
    if declared in ("string", "list") and all(isinstance(value, str if declared == "string" else list)
                                             for value in present):
        return plain, False
    return None


@dataclass
class Rows:
    """Column names, rows of plain values (as the driver gave them), attrs as a DataFrame's
    (note, warnings) and the declared columns (a canned query's `returns:`; Column objects)."""

    columns: list[str]
    values: list[list]
    attrs: dict = field(default_factory=dict)
    returns: tuple = ()
    release_min_count: int | None = None
    """The threshold the study's mapping sets for all its results (privacy.release_min_count), read
    with the loaded studies before the query; None: none set."""

    def __len__(self) -> int:
        return len(self.values)

    @property
    def empty(self) -> bool:
        return not self.values

    def frame(self) -> pd.DataFrame:
        """The result as a DataFrame, typed by the declared columns (see the module docstring)."""
        import pandas as pd

        with gc_paused():
            frame = pd.DataFrame(self.values, columns=self.columns, dtype=object if not self.values else None)
            frame.attrs.update(self.attrs)
            return typed(frame, self.returns)

    def stored(self) -> tuple[list[tuple], list[bool]] | None:
        """(rows, numeric per column) as frame() holds them, computed without pandas; None when a
        column is not a simple case (then ask frame())."""
        declared = {column.name: column.type for column in self.returns}
        columns = []
        for index, name in enumerate(self.columns):
            values = [row[index] for row in self.values]
            kind = declared.get(name)
            if kind == "string" and not values:
                kind = None  # an empty string column is still text
            cast = _as_declared(values, kind) if kind in _DTYPES else _as_pandas_infers(values)
            if cast is None:
                return None
            columns.append(cast)
        rows = list(zip(*(values for values, _ in columns), strict=True)) if columns else [() for _ in self.values]
        return rows, [numeric for _, numeric in columns]


def typed(frame: pd.DataFrame, columns: tuple) -> pd.DataFrame:
    """The frame with each declared column cast to its declared type (nullable where it holds
    nulls); a column whose values do not fit is left as it came."""
    for column in columns:
        if column.name not in frame.columns:
            continue
        series = frame[column.name]
        values = series.dropna()
        if column.type == "string" and len(series):
            continue  # pandas infers text itself (and pandas 2 would write a null as 'None')
        if column.type not in _DTYPES:
            continue  # "any": values of an attribute, whatever its type, stay as they came
        plain_type, nullable = _DTYPES[column.type]
        try:
            frame[column.name] = series.astype(nullable if len(values) < len(series) else plain_type)
        except (TypeError, ValueError):
            continue
    return frame
