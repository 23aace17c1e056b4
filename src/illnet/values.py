"""The one set of rules for plain values, shared by readers, validation, the writer, the
query runner and the output layer: what counts as missing, how a value reads as text,
which words mean yes and no, and how a frame becomes JSON-ready rows.

numpy and pandas are not imported here: a value can only be one of theirs (a numpy scalar,
pandas NA or NaT) in a process that has imported them, so the checks look them up in
sys.modules, and the command line's query path, which never loads them, does not pay for them."""

import json
import math
import sys

# Words read as yes / no (case-insensitive) in source cells and command-line parameters.
YES = frozenset({"true", "t", "yes", "y", "1"})
NO = frozenset({"false", "f", "no", "n", "0"})


def _numpy():
    """numpy if this process has imported it (else no value can be a numpy one), or None."""
    return sys.modules.get("numpy")


def _pandas():
    """pandas when a value may be one of its or numpy's (either is imported), or None."""
    if sys.modules.get("pandas") is None and _numpy() is None:
        return None
    import pandas

    return pandas


def is_missing(value) -> bool:
    """True for None, NaN, pandas NA/NaT and the empty string (lists and dicts are values)."""
    if type(value) is str:  # most cells: decided before the module lookups below
        return not value
    np = _numpy()
    if value is None or isinstance(value, (list, tuple, dict)) or (np and isinstance(value, np.ndarray)):
        return value is None
    if isinstance(value, str):
        return value == ""
    pd = _pandas()
    if pd is None:
        return isinstance(value, float) and math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_text(value) -> str:
    """A value as the text a CSV cell would hold: '' when missing, 'true'/'false' for
    booleans, 3 for 3.0, ISO 8601 for dates and times."""
    if is_missing(value):
        return ""
    np = _numpy()
    if isinstance(value, bool) or (np and isinstance(value, np.bool_)):
        return "true" if value else "false"
    if (isinstance(value, float) or (np and isinstance(value, np.floating))) and float(value).is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def as_boolean(value) -> bool | None:
    """A yes/no word (YES, NO) or a bool -> bool; anything else -> None."""
    np = _numpy()
    if isinstance(value, bool) or (np and isinstance(value, np.bool_)):
        return bool(value)
    word = str(value).strip().lower()
    return True if word in YES else False if word in NO else None


def plain(value):
    """A JSON-ready Python value: NaN, pandas NA and NaT become None; numpy scalars and arrays
    become Python values."""
    if isinstance(value, float) and math.isnan(value):
        return None
    pd, np = sys.modules.get("pandas"), _numpy()
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    if np is not None and isinstance(value, np.ndarray):
        return plain(value.tolist())
    if np is not None and isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def records(frame) -> list[dict]:
    """The rows of a frame as plain dicts (JSON-ready)."""
    return [{column: plain(value) for column, value in zip(frame.columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)]


def column_values(values) -> list:
    """A pandas column as plain Python values, None where missing (column-wise: for many rows)."""
    return values.astype(object).where(values.notna(), None).tolist()


def row_maps(frame) -> list[dict]:
    """One map per row of a frame, column -> plain Python value, None where missing (column-wise:
    the writer's batches; `records` converts value by value, for results)."""
    names = list(frame.columns)
    columns = [column_values(frame[name]) for name in names]
    return [dict(zip(names, values)) for values in zip(*columns)]


def number_text(value: float, digits: int) -> str:
    """A float rounded to `digits` decimals and written out (1234567.5, not 1.23457e+06); a tiny
    non-zero value keeps its significant digits (1.25e-05) instead of reading as 0."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("0", "-0") and value != 0:
        return f"{value:.{digits}g}"  # a tiny value is not shown as zero
    return text


def cell_text(value, digits: int | None = None) -> str:
    """One value as the text of a table cell (table, CSV, Markdown, HTML): '' when null,
    true/false, floats rounded to `digits` when given, lists as 'a; b', dicts as JSON."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and digits is not None:
        return number_text(value, digits)
    if isinstance(value, list):
        return "; ".join(cell_text(item, digits) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    return str(value)
