"""Read one source file (CSV/TSV, Excel, SPSS, Stata, Parquet) into a table of strings.

Everything is read as text, so type checks happen later and say which cell is wrong.
Rows keep their spreadsheet-style number: the header is row 1, the first data row 2.
Problems that belong to the file itself (empty, ragged or truncated rows, bytes that are
not valid in the encoding) are returned with the table, never raised.
"""

import csv
import io
import re
from dataclasses import dataclass, field

import charset_normalizer
import numpy as np
import pandas as pd

from illnet.load import file_checks, formats
from illnet.load.mapping import FileSpec
from illnet.load.problems import Problem
from illnet.load.tables import categorical, joined, objects, per_value
from illnet.values import as_text

DELIMITERS = (",", ";", "\t", "|")
UNSUPPORTED = {".xls": "save the workbook as .xlsx (or CSV)", ".ods": "save the spreadsheet as .xlsx (or CSV)",
               ".por": "save the SPSS file as .sav", ".sas7bdat": "export the data as .sav, .dta, .parquet or CSV"}
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
SURROGATES = re.compile("[\udc80-\udcff]")  # bytes the encoding could not decode (surrogateescape)


@dataclass
class RawTable:
    """A source file as strings: `frame` has the file's columns, index = row number."""

    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # column -> variable label (SPSS, Stata)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> code -> label
    cells_checked: bool = False  # the reader knows no cell holds NUL bytes or is oversized


def read_source(spec: FileSpec, compact: bool = False) -> RawTable:
    """Read the file of one mapping entry; format chosen by the file's suffix. With compact,
    the columns of a plain CSV file are categoricals of the same strings (each distinct
    string held once, a small integer code per cell) rather than object columns."""
    suffix = spec.full_path.suffix.lower()
    if spec.format or suffix in formats.SUFFIXES:
        return _read_format(spec)
    readers = {".xlsx": _read_excel, ".xlsm": _read_excel, ".sav": _read_stat, ".zsav": _read_stat,
               ".dta": _read_stat, ".parquet": _read_parquet, ".pq": _read_parquet}
    if suffix in UNSUPPORTED:
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, None, f"{suffix} files cannot be read", UNSUPPORTED[suffix])])
    reader = readers.get(suffix, _read_text)
    try:
        wrong_format = file_checks.format_problem(spec.full_path, spec.path, spec.key, spec.encoding)
        if wrong_format:
            return RawTable(spec.path, pd.DataFrame(), [wrong_format])
        table = _read_text(spec, compact) if reader is _read_text else reader(spec)
    except Exception as exc:  # any parser failure of a corrupt file is a problem, not a crash
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, None, f"cannot read the file as {suffix or 'text'}: {exc}",
            "check that the file is complete and its suffix matches its format")])
    _check_cells(table)
    if not table.problems and table.frame.columns.empty:
        table.problems.append(Problem(spec.path, None, None, None, "the file is empty",
                                      "export the data again with a header row and data rows"))
    elif not table.problems and table.frame.empty:
        table.problems.append(Problem(spec.path, None, None, None, "the file has a header but no data rows",
                                      "export the data rows too, or remove the file from the mapping"))
    return table


def _check_cells(table: RawTable) -> None:
    """Repeated column names (the first column of a name is kept), NUL bytes, oversized cells."""
    repeated = file_checks.duplicate_headers(table.file, table.frame)
    if repeated:
        table.frame = table.frame.loc[:, ~table.frame.columns.duplicated()]
    table.problems.extend(repeated + ([] if table.cells_checked else file_checks.bad_cells(table.file, table.frame)))


def _read_format(spec: FileSpec) -> RawTable:
    """A file of another tool's export, through its format's reader (illnet.load.formats)."""
    if not spec.format:
        fmt = formats.SUFFIXES[spec.full_path.suffix.lower()]
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, None, f"a {spec.full_path.suffix} file is not a table",
            f"add `format: {fmt}` to files.{spec.label or spec.key}, or write the mapping with "
            f"`illnet mapping init --from {fmt} ...`")])
    try:
        return formats.reader(spec.format)(spec)
    except Exception as exc:  # a corrupt or foreign file is a problem of that file, not a crash
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, None, f"cannot read the file as {spec.format}: {exc}",
            f"check that the file is a complete {spec.format} export")])


def _frame(header: list, rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    columns = [as_text(h).strip() for h in header]
    return pd.DataFrame([values for _, values in rows], columns=columns, dtype=object,
                        index=pd.Index([number for number, _ in rows], name="row"))


def _from_pandas(spec: FileSpec, data: pd.DataFrame) -> RawTable:
    """A typed table (SPSS, Stata, Parquet) as text: each distinct value written once, except
    in object columns, which may mix values that pandas takes for equal (1 and True)."""
    frame = pd.DataFrame({i: objects([as_text(v) for v in data.iloc[:, i]]) if data.dtypes.iloc[i] == object
                          else per_value(data.iloc[:, i].reset_index(drop=True), as_text)
                          for i in range(data.shape[1])}, index=pd.RangeIndex(len(data)))
    frame.columns = [as_text(h).strip() for h in data.columns]
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return RawTable(spec.path, frame)


# -- text files ---------------------------------------------------------------------------------

def decode(data: bytes, declared: str) -> tuple[str, str | None]:
    """Bytes -> text. Returns (text, encoding); bytes the encoding cannot decode are kept
    as surrogate escapes (reported per cell later); encoding is None when nothing fits.
    A byte-order mark decides a Unicode encoding and is always stripped."""
    declared = declared.lower().replace("_", "-")
    codec = next((c for bom, c in BOMS if data.startswith(bom)), None)
    if codec is None or declared not in ("auto", "utf-8", "utf8", "utf-8-sig", "utf-16", "utf-32"):
        codec = declared
    if codec == "auto":
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(data).best()
            if best is None:
                return "", None
            codec = best.encoding
    try:
        text = data.decode(codec, errors="surrogateescape")
    except UnicodeDecodeError:  # multi-byte codecs such as UTF-16 cannot escape single bytes
        text = data.decode(codec, errors="replace")
    return text.removeprefix("\ufeff"), codec


def sniff_delimiter(header_line: str, suffix: str) -> str:
    """The candidate delimiter that occurs most in the header line (tab for .tsv)."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_text(spec: FileSpec, compact: bool = False) -> RawTable:
    try:
        text, encoding = decode(spec.full_path.read_bytes(), spec.encoding)
    except LookupError:
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, spec.encoding, "unknown encoding name",
            f"set files.{spec.key}.encoding to auto or a codec such as utf-8, latin-1, cp1252")])
    if encoding is None:
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, None, "the bytes fit no known text encoding",
            f"save the file as UTF-8 or declare files.{spec.key}.encoding")])
    delimiter = spec.delimiter if spec.delimiter != "auto" else sniff_delimiter(
        text.split("\n", 1)[0], spec.full_path.suffix.lower())
    delimiter = "\t" if delimiter in ("\\t", "tab") else delimiter
    fast = _plain_csv(spec, text, delimiter, compact)
    if fast is not None:
        return fast
    records, problems = _parse_csv(spec, text, delimiter)
    if not records:
        return RawTable(spec.path, pd.DataFrame(), problems)
    header, width = records[0][1], len(records[0][1])
    rows = []
    for number, values in records[1:]:
        if not values:
            continue  # blank line: nothing to load
        if len(values) != width:
            problems.append(_ragged(spec, number, values, width, delimiter))
            values = (values + [""] * width)[:width]
        rows.append((number, values))
    table = RawTable(spec.path, _frame(header, rows), problems)
    if SURROGATES.search(text):
        table.problems.extend(_undecodable(table, encoding, spec.key))
    return table


def _plain_csv(spec: FileSpec, text: str, delimiter: str, compact: bool = False) -> RawTable | None:
    """The table of a plain file through pandas' C parser, or None when the file needs the
    exact, slower reader of _parse_csv: a plain file has no quote, NUL, lone carriage return,
    undecodable byte or blank line, and every row has the header's number of fields (so
    each line is one record, and the cell checks of read_source are all it needs; none of
    them when no line is longer than a cell may be). With compact the columns are categoricals."""
    if delimiter in ('"', "\n", "\r") or len(delimiter.encode("utf-8")) != 1:
        return None
    text = text.replace("\r\n", "\n") if "\r" in text else text
    if any(mark in text for mark in ('"', "\r", "\x00", "\n\n")) or text.startswith("\n") or SURROGATES.search(text):
        return None
    lines = text.count("\n") + (not text.endswith("\n"))
    header = text[:text.find("\n")].split(delimiter)
    if lines < 2 or text.count(delimiter) != (len(header) - 1) * lines:
        return None  # a header alone, or rows with fewer fields than the header
    data = text.encode("utf-8")
    try:
        frame = _parsed(data, delimiter, compact)
    except pd.errors.ParserError:
        return None  # a row with more fields than the first
    if frame.shape[1] != len(header):
        return None  # the first row has more fields than the header (and a later one fewer)
    frame.columns = [as_text(h).strip() for h in header]
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return RawTable(spec.path, frame, cells_checked=longest_line(data) <= file_checks.MAX_CELL_CHARS)


COMPACT_ROWS = 200_000  # rows parsed at a time as text before they become categoricals


def _parsed(data: bytes, delimiter: str, compact: bool) -> pd.DataFrame:
    """The data rows of a plain file (pandas' C parser, every cell as text); with compact,
    COMPACT_ROWS at a time, each column turned into a categorical of its strings."""
    options = dict(encoding="utf-8", sep=delimiter, header=None, skiprows=1, dtype=object, keep_default_na=False,
                   na_filter=False, quoting=csv.QUOTE_NONE, skip_blank_lines=False, engine="c")
    if not compact:
        return pd.read_csv(io.BytesIO(data), **options)
    columns: dict[int, list[pd.Categorical]] = {}
    with pd.read_csv(io.BytesIO(data), chunksize=COMPACT_ROWS, **options) as chunks:
        for chunk in chunks:
            for number, values in chunk.items():
                codes, uniques = pd.factorize(values.to_numpy())
                columns.setdefault(number, []).append(categorical(codes, uniques))
    return pd.DataFrame({number: pd.Series(joined(parts)) for number, parts in columns.items()})


SCAN_BYTES = 1 << 24  # of a file's bytes looked at at once by longest_line


def longest_line(data: bytes) -> int:
    """The bytes of the longest line of `data`, + 1 (its line end), read SCAN_BYTES at a
    time so that the scan holds a small part of a large file's size."""
    longest, start = 0, -1  # start: the position of the line end before the current line
    view = np.frombuffer(data, dtype=np.uint8)
    for offset in range(0, len(data), SCAN_BYTES):
        ends = np.flatnonzero(view[offset:offset + SCAN_BYTES] == ord("\n")) + offset
        if len(ends):
            longest = max(longest, int(ends[0] - start), int(np.diff(ends).max(initial=0)))
            start = int(ends[-1])
    return max(longest, len(data) - start)


def _parse_csv(spec: FileSpec, text: str, delimiter: str) -> tuple[list, list[Problem]]:
    """Records numbered from 1; an unterminated quote becomes a problem at its row."""
    records, problems = [], []
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # long cells are named by bad_cells
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for values in reader:
            records.append((len(records) + 1, values))
    except csv.Error as exc:
        problems.append(Problem(spec.path, len(records) + 1, None, None,
                                f"the file is truncated or badly quoted ({exc})",
                                "close the quote or export the file again in full"))
    return records, problems


def _ragged(spec: FileSpec, number: int, values: list[str], width: int, delimiter: str) -> Problem:
    shown = delimiter.join(values)
    if len(values) < width:
        return Problem(spec.path, number, None, shown, f"row has {len(values)} fields but the header has {width} "
                       "(truncated row?)", "complete the row or export the file again in full")
    return Problem(spec.path, number, None, shown, f"row has {len(values)} fields but the header has {width}",
                   f"quote cells that contain '{delimiter}' or declare files.{spec.key}.delimiter")


def _undecodable(table: RawTable, encoding: str, key: str) -> list[Problem]:
    """One problem per cell holding bytes that the encoding could not decode."""
    problems = []
    for column in table.frame.columns:
        for number, value in table.frame[column].items():
            if isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value):
                shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                problems.append(Problem(table.file, number, column, shown,
                                        f"bytes that are not valid {encoding}",
                                        f"declare files.{key}.encoding (e.g. latin-1 or cp1252) or save as UTF-8"))
                table.frame.at[number, column] = value.encode("utf-8", "surrogateescape").decode("latin-1")
    if any(isinstance(c, str) and any("\udc80" <= ch <= "\udcff" for ch in c) for c in table.frame.columns):
        problems.append(Problem(table.file, 1, None, None, f"header has bytes that are not valid {encoding}",
                                f"declare files.{key}.encoding or save as UTF-8"))
    return problems


# -- binary formats ----------------------------------------------------------------------------

def _read_excel(spec: FileSpec) -> RawTable:
    import openpyxl

    book = openpyxl.load_workbook(spec.full_path, read_only=True, data_only=False)
    try:
        sheet = book.worksheets[spec.sheet] if isinstance(spec.sheet, int) else (
            book[spec.sheet] if spec.sheet else book.worksheets[0])
        rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    except KeyError:
        return RawTable(spec.path, pd.DataFrame(), [Problem(
            spec.path, None, None, str(spec.sheet), "no such sheet in the workbook",
            f"set files.{spec.key}.sheet to one of: {', '.join(book.sheetnames)}")])
    finally:
        book.close()
    if not rows:
        return RawTable(spec.path, pd.DataFrame())
    header = list(rows[0][1])
    width = len(header)
    data = [(n, [as_text(v) for v in (vals + [None] * width)[:width]]) for n, vals in rows[1:]
            if any(v not in (None, "") for v in vals)]
    return RawTable(spec.path, _frame(header, data))


def _read_stat(spec: FileSpec) -> RawTable:
    import pyreadstat

    read = pyreadstat.read_dta if spec.full_path.suffix.lower() == ".dta" else pyreadstat.read_sav
    data, meta = read(str(spec.full_path), apply_value_formats=spec.use_value_labels)
    table = _from_pandas(spec, data)
    table.labels = {column: label for column, label in (meta.column_names_to_labels or {}).items() if label}
    table.value_labels = {column: {as_text(code): str(label) for code, label in labels.items()}
                          for column, labels in (meta.variable_value_labels or {}).items()}
    return table


def _read_parquet(spec: FileSpec) -> RawTable:
    return _from_pandas(spec, pd.read_parquet(spec.full_path))
