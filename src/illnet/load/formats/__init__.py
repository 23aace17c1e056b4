"""Readers for other tools' exports that need real parsing, one module per format.

A mapping names one with `format:` on a file entry (`format: graphml`, or
`format: {name: network-canvas, protocol: study.netcanvas}` with the reader's options).
Each reader returns the file as a table of strings (a `RawTable`), so that the usual
columns, attributes and checks of the mapping apply to it; a new format is a new module
here and an entry in READERS, nothing else.
"""

import importlib

# format name -> module in this package (each has `read(spec) -> RawTable`)
READERS = {"network-canvas": "network_canvas", "graphml": "graphml", "egor-one-file": "egor_one_file",
           "egoweb": "egoweb"}
NAMES = tuple(READERS)
# Suffixes that are never a table: read only through a format.
SUFFIXES = {".graphml": "graphml", ".netcanvas": "network-canvas", ".zip": "network-canvas"}


def reader(name: str):
    """The `read(spec) -> RawTable` function of a format."""
    return importlib.import_module(f"illnet.load.formats.{READERS[name]}").read
