"""The canonical study tables (schema/tables.yaml) as one in-memory object.

Every reader returns a `StudyTables`; the validator checks it; the writer consumes it.
"""

from dataclasses import dataclass, field

import pandas as pd

from illnet import schema

TABLE_NAMES: tuple[str, ...] = tuple(schema.load("tables").keys())
PROVENANCE = ("source_file", "source_row")


def columns(table: str) -> list[str]:
    """Canonical columns of a table, provenance columns last."""
    return list(schema.load("tables")[table]["fields"]) + list(PROVENANCE)


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


def records(table: str, frame: pd.DataFrame) -> list[dict]:
    """Rows of a canonical table as dicts of plain Python values typed per tables.yaml
    (integer -> int, boolean -> bool, string -> str, empty -> None)."""
    fields = {**schema.load("tables")[table]["fields"],
              "source_file": {"type": "string"}, "source_row": {"type": "integer"}}
    casts = {"integer": int, "boolean": _boolean, "string": str}
    out = []
    for row in frame.to_dict("records"):
        out.append({name: (None if _missing(value) else casts[fields[name]["type"]](value))
                    if name in fields else value for name, value in row.items()})
    return out


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (list, dict)) and pd.isna(value)) or value == ""


def _boolean(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "y")
    return bool(value)
