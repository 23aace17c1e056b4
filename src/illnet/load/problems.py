"""One problem with the study input: where it is, what is wrong and how to fix it."""

import csv
from dataclasses import dataclass
from pathlib import Path

REJECTS_HEADER = ("file", "row", "column", "value", "problem", "fix")


@dataclass(frozen=True)
class Problem:
    """A problem in a source or mapping file. `row` is spreadsheet-style (header = 1);
    None means the whole file. `column` is the source column (or mapping key)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}:" if self.row is not None else f"{self.file}:"
        what = []
        if self.column is not None:
            what.append(f"column '{self.column}'")
        if self.value is not None:
            what.append(f"value '{_shorten(self.value)}'")
        subject = f" {' '.join(what)}:" if what else ""
        return f"{where}{subject} {self.message}; fix: {self.fix}"


def _shorten(value: str, limit: int = 60) -> str:
    """One-line, bounded rendering of a cell value."""
    text = value.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def write_rejects(problems: list[Problem], path: str | Path) -> Path:
    """Write every problem as one CSV row: file,row,column,value,problem,fix."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REJECTS_HEADER)
        for p in problems:
            writer.writerow([p.file, "" if p.row is None else p.row, p.column or "",
                             "" if p.value is None else p.value, p.message, p.fix])
    return path
