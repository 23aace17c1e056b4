"""Checks of a source file's bytes and cells that no parser makes: the file's content is
the format its suffix promises (sniffed from the first bytes), text is not UTF-16 without
a byte-order mark, no column name repeats, and no cell holds NUL bytes or is oversized.
Each finding is a Problem naming the file (and row and column where there is one)."""

from pathlib import Path

import pandas as pd

from illnet.load.problems import Problem

MAX_CELL_CHARS = 64 * 1024  # a longer cell is not survey data (a pasted file, a runaway quote)
SNIFF_BYTES = 4096
# (leading bytes, what they are, the suffixes that may hold them)
SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (e.g. an .xlsx workbook)", (".xlsx", ".xlsm")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (e.g. an .xls workbook)", ()),
    (b"PAR1", "a Parquet file", (".parquet", ".pq")),
    (b"$FL2", "an SPSS .sav file", (".sav", ".zsav")),
    (b"$FL3", "an SPSS .zsav file", (".sav", ".zsav")),
    (b"<stata_dta>", "a Stata .dta file", (".dta",)),
    (b"\x1f\x8b", "a gzip-compressed file", ()),
    (b"%PDF", "a PDF document", ()),
)
BINARY_SUFFIXES = {".xlsx": "an .xlsx workbook", ".xlsm": "an .xlsm workbook", ".sav": "an SPSS .sav file",
                   ".zsav": "an SPSS .zsav file", ".dta": "a Stata .dta file", ".parquet": "a Parquet file",
                   ".pq": "a Parquet file"}
FITS = {what: suffixes for _, what, suffixes in SIGNATURES}
SHOWN_CHARS = 200  # of a bad cell, in the problem (and the --rejects file)


def sniff(path: Path) -> str | None:
    """What the first bytes of a file say it is (None: nothing recognised, e.g. plain text)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for magic, what, _ in SIGNATURES:
        if head.startswith(magic):
            return what
    if len(head) >= 2 and head[0] in range(0x66, 0x78) and head[1] in (1, 2) and b"\x00" in head[:8]:
        return "a Stata .dta file"  # the binary formats before Stata 13 start with their version byte
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 or UTF-32 with a byte-order mark: decoded as such
    if b"\x00" in head:
        return _nul_pattern(head)  # None for a few stray NULs: bad_cells names their cells
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "GraphML" if b"graphml" in text[:1000].lower() else "XML or HTML"
    if text[:1] == b"{" or (text[:1] == b"[" and text[1:].lstrip()[:1] in (b"{", b"[", b'"', b"]")):
        return "JSON"
    return None


CONTROL_BYTES = frozenset(range(9)) | {11, 12} | frozenset(range(14, 32)) - {27}


def _nul_pattern(head: bytes) -> str | None:
    """Text in UTF-16 without a byte-order mark has a NUL in every other byte (ASCII text);
    a binary file has many control bytes; text with a few NULs is neither."""
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "UTF-16 (little-endian) text without a byte-order mark"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "UTF-16 (big-endian) text without a byte-order mark"
    if sum(byte in CONTROL_BYTES for byte in head) > 0.1 * len(head):
        return "a binary file"
    return None


def format_problem(path: Path, label: str, key: str, encoding: str) -> Problem | None:
    """A problem when the file's content is not what its suffix (its slot) expects."""
    suffix = path.suffix.lower()
    found = sniff(path)
    expected = BINARY_SUFFIXES.get(suffix)
    if expected:
        if suffix not in FITS.get(found, ()):
            return Problem(label, None, None, None, f"the file holds {found or 'text or unknown data'}, "
                           f"not {expected} as its suffix says",
                           "export the data again, or name the file with the suffix of its format")
        return None
    if found is None or encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        return None
    if found.startswith("UTF-16"):
        endian = "le" if "little" in found else "be"
        return Problem(label, None, None, None, f"the file looks like {found}",
                       f"declare files.{key}.encoding: utf-16-{endian}, or save the file as UTF-8")
    return Problem(label, None, None, None, f"the file holds {found}, not a text table (CSV/TSV)",
                   "export the table as CSV, or name the file with the suffix of its format "
                   "(.xlsx, .sav, .dta, .parquet)")


def duplicate_headers(label: str, frame: pd.DataFrame) -> list[Problem]:
    """One problem per column name that the header holds more than once (empty names aside)."""
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(map(str, frame.columns), 1):
        if name:
            positions.setdefault(name, []).append(number)
    return [Problem(label, 1, name, None, f"the header names this column {len(where)} times "
                    f"(columns {', '.join(map(str, where))}), so one would silently replace the other",
                    "rename or remove the repeated columns")
            for name, where in positions.items() if len(where) > 1]


def bad_cells(label: str, frame: pd.DataFrame) -> list[Problem]:
    """Cells holding NUL bytes, and cells longer than MAX_CELL_CHARS."""
    problems = []
    for column in frame.columns:
        text = frame[column].astype(object)
        for number, value in text[text.str.contains("\x00", regex=False, na=False)].items():
            problems.append(Problem(label, number, str(column), value.replace("\x00", "\\0")[:SHOWN_CHARS],
                                    "the cell holds NUL bytes (\\0)",
                                    "remove them; a file full of them is binary or UTF-16 (declare its encoding)"))
        for number, value in text[text.str.len().fillna(0) > MAX_CELL_CHARS].items():
            problems.append(Problem(label, number, str(column), value[:SHOWN_CHARS],
                                    f"the cell holds {len(value):,} characters (more than {MAX_CELL_CHARS:,})",
                                    "shorten the cell; if it swallowed other rows, close the quote that opens it"))
    return problems
