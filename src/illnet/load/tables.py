"""The canonical study tables (schema/tables.yaml) as one in-memory object.

Every reader returns a `StudyTables`; the validator checks it; the writer consumes it.
"""

import re
from dataclasses import dataclass, field

import pandas as pd

from illnet import model
from illnet.values import as_boolean, is_missing

TABLE_NAMES: tuple[str, ...] = tuple(model.load("tables").keys())
PROVENANCE = ("source_file", "source_row")
# Canonical fields that are derived, never mapped: field -> what it is derived from.
DERIVED = {"study_id": "study.id", "tie_class": "relationship_type", "work_type": "task"}
# Column of the readers' working frames that holds, per row, the source column each
# canonical field came from (for problem messages); dropped before the tables are typed.
PRIVATE = "_columns"


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

    def __post_init__(self):
        for name in TABLE_NAMES:
            self.tables.setdefault(name, empty(name))

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def __setitem__(self, table: str, frame: pd.DataFrame) -> None:
        if table not in TABLE_NAMES:
            raise KeyError(f"not a canonical table: {table}")
        self.tables[table] = frame

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


def as_string(value) -> str | None:
    """Text of a value; None, NaN and NA -> None ('' stays '')."""
    return "" if isinstance(value, str) and not value else None if is_missing(value) else str(value)


DTYPES = {"integer": (as_integer, "Int64"), "boolean": (as_boolean, "boolean"), "string": (as_string, object)}


def typed_frame(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every column of `table` (provenance included) cast to the dtype of
    schema/tables.yaml: integer -> Int64, boolean -> boolean, string -> object with None when missing.
    Columns of `table` absent from `frame` are added empty; other columns are kept as they are."""
    out = frame.copy()
    for name, kind in field_types(table).items():
        cast, dtype = DTYPES[kind]
        values = frame[name].tolist() if name in frame else [None] * len(frame)
        out[name] = pd.Series([cast(value) for value in values], dtype=dtype, index=frame.index)
    return out


def records(table: str, frame: pd.DataFrame) -> list[dict]:
    """Rows of a canonical table as dicts of plain Python values typed per tables.yaml
    (integer -> int, boolean -> bool, string -> str, empty -> None)."""
    types = field_types(table)
    casts = {"integer": int, "boolean": as_boolean, "string": str}
    out = []
    for row in frame.to_dict("records"):
        out.append({name: (None if is_missing(value) else casts[types[name]](value))
                    if name in types else value for name, value in row.items()})
    return out
