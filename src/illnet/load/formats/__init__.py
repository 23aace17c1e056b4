"""Readers for other tools' exports that need real parsing, one module per format.

A mapping names one with `format:` on a file entry (`format: graphml`, or
`format: {name: network-canvas, protocol: study.netcanvas}` with the reader's options).
Each reader returns the file as a table of strings (a `RawTable`), so that the usual
columns, attributes and checks of the mapping apply to it; a new format is a new module
here and an entry in READERS, nothing else.
"""

import importlib

# format name -> module in this package (each has `read(spec) -> RawTable`)
READERS = {"network-canvas": "network_canvas", "graphml": "graphml"}
NAMES = tuple(READERS)
# Suffixes that are never a table: read only through a format.
SUFFIXES = {".graphml": "graphml", ".netcanvas": "network-canvas", ".zip": "network-canvas"}


def read(spec):
    """The RawTable of one file entry through its format's reader; problems, never exceptions."""
    from illnet.load.problems import Problem
    from illnet.load.sources import RawTable

    if not spec.format:
        hint = SUFFIXES[spec.full_path.suffix.lower()]
        return RawTable(spec.path, _empty(), [Problem(
            spec.path, None, None, None, f"a {spec.full_path.suffix} file is not a table",
            f"add `format: {hint}` to files.{spec.label or spec.key}, or write the mapping with "
            f"`illnet mapping init --from {hint} ...`")])
    module = importlib.import_module(f"illnet.load.formats.{READERS[spec.format]}")
    try:
        return module.read(spec)
    except Exception as exc:  # a corrupt or foreign file is a problem of that file, not a crash
        return RawTable(spec.path, _empty(), [Problem(
            spec.path, None, None, None, f"cannot read the file as {spec.format}: {exc}",
            f"check that the file is a complete {spec.format} export")])


def _empty():
    import pandas as pd

    return pd.DataFrame()
