"""The rows each write of a load sends, made from the canonical tables with column
operations, one batch at a time.

A `WriteRows` is a view on one canonical table: which of its rows a write takes, the node keys
it matches or creates, and which column becomes which property (graph.yaml's `from:`, the
study's attributes under their own names, and the provenance). Nothing is copied up
front: `chunks()` builds each batch's keys and columns when the batch is sent, so a study
is never held a second time as Python objects. The online writer sends each chunk as a
list of maps (`batches()`); the bulk path writes the same chunks as import CSV files.

Row maps hold the properties under their graph names, and the node keys and an extra label
under names that no property can have (':key', ':start', ':end', ':label'): property
names are identifiers.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from illnet.model.keys import SEPARATOR
from illnet.values import row_maps

KEY, START, END, LABEL = ":key", ":start", ":end", ":label"


@dataclass(frozen=True)
class KeyOf:
    """How a row's node key is made: from `columns` of the table, escaped and joined as
    model/keys.py says, or (plain) the one column's value as it is, for vocabulary codes."""

    columns: tuple[str, ...]
    plain: bool = False

    def of(self, chunk: pd.DataFrame) -> pd.Series:
        """The key of every row of a chunk."""
        if self.plain:
            return chunk[self.columns[0]].astype(object)
        parts = [_escaped(chunk[column]) for column in self.columns]
        out = parts[0]
        for part in parts[1:]:
            out = out + SEPARATOR + part
        return out


def _escaped(values: pd.Series) -> pd.Series:
    """model.keys.escape of every value, as column operations."""
    text = values.astype(str)
    if text.str.contains("%", regex=False).any():
        text = text.str.replace("%", "%25", regex=False)
    if text.str.contains(SEPARATOR, regex=False).any():
        text = text.str.replace(SEPARATOR, "%7C", regex=False)
    return text


@dataclass
class WriteRows:
    """The rows one write sends: those of `table` whose columns hold the values of `where`;
    `ids` (':key', or ':start' and ':end') -> how the key is made; `columns` property
    name -> table column; `constants` property name -> one value for every row; `label`
    (column, {value: label}) gives each row the extra label of its value, if any. Rows
    with the same ids and `unique_on` properties are written once
    (the last of them, as a MERGE of each in turn would leave it); `grouped_by` keeps the
    rows of one value of that column together, so that batches sent at the same time
    touch different personal networks."""

    table: pd.DataFrame
    ids: dict[str, KeyOf]
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict = field(default_factory=dict)
    unique_on: tuple[str, ...] = ()
    grouped_by: str | None = None
    where: tuple[tuple[str, object], ...] = ()
    label: tuple[str, dict[str, str]] | None = None

    def __post_init__(self):
        self._order = self._row_order()

    def _row_order(self) -> np.ndarray | None:
        """Positions of the rows to write, in the order to write them (None: all, as they are)."""
        table = self.table
        selected = np.ones(len(table), dtype=bool)
        for column, value in self.where:
            selected &= (table[column] == value).fillna(False).to_numpy(dtype=bool)
        positions = np.flatnonzero(selected)
        id_columns = [column for key_of in self.ids.values() for column in key_of.columns]
        key_columns = list(dict.fromkeys(id_columns + [self.columns[name] for name in self.unique_on]))
        if len(positions):
            positions = positions[~table[key_columns].iloc[positions].duplicated(keep="last").to_numpy()]
        if self.grouped_by and len(positions):
            codes = pd.factorize(table[self.grouped_by].iloc[positions])[0]
            if (np.diff(codes) < 0).any():
                positions = positions[np.argsort(codes, kind="stable")]
        return None if len(positions) == len(table) and (np.diff(positions) > 0).all() else positions

    def __len__(self) -> int:
        return len(self.table) if self._order is None else len(self._order)

    @property
    def names(self) -> list[str]:
        """The property names every row has, in writing order."""
        return list(self.columns) + list(self.constants)

    def column(self, name: str) -> pd.Series:
        """The values of one property over the whole table (a constant: its one value)."""
        if name in self.columns:
            return self.table[self.columns[name]]
        return pd.Series([self.constants[name]], dtype=object)

    def chunks(self, size: int) -> Iterator[pd.DataFrame]:
        """The rows, `size` at a time, as frames of the ids and the properties (typed as the
        table is; missing values as the table holds them)."""
        for start in range(0, len(self), size):
            yield self._chunk(slice(start, start + size))

    def _chunk(self, rows: slice) -> pd.DataFrame:
        part = self.table.iloc[rows] if self._order is None else self.table.iloc[self._order[rows]]
        out = {name: key_of.of(part) for name, key_of in self.ids.items()}
        out |= {name: part[column] for name, column in self.columns.items()}
        out |= {name: pd.Series([value] * len(part), index=part.index, dtype=object)
                for name, value in self.constants.items()}
        if self.label:
            column, labels = self.label
            out[LABEL] = part[column].map(labels).astype(object)
        return pd.DataFrame(out, index=part.index)

    def batches(self, size: int) -> Iterator[list[dict]]:
        """The rows as lists of maps of plain Python values (missing -> None), `size` at a time."""
        for chunk in self.chunks(size):
            yield row_maps(chunk)

    def __getitem__(self, rows: slice) -> list[dict]:
        """The maps of a slice of the rows (for EXPLAIN, and a look at what is sent)."""
        return row_maps(self._chunk(rows))
