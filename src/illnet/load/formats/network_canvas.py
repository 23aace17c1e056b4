"""Network Canvas (Interviewer, Fresco) CSV exports: one file per interview and entity.

`<case>_<session>_ego.csv`, `..._attributeList_<NodeType>.csv` and
`..._edgeList_<EdgeType>.csv` are CSV (CRLF, quoted headers and values) that the text
reader already reads. On top of it this reader
- drops the empty trailing column that exports name `null`;
- adds the entity type named in the file name as a column (`networkCanvasNodeType`,
  `networkCanvasEdgeType`), so each edge type becomes a member-tie type;
- folds each categorical variable, exported as one TRUE/FALSE column per option
  (`<variable>_<option>`), back into one column `<variable>` holding the chosen option
  (options joined by ';' when several were chosen, empty when none), as ideanet's
  `nc_read(cat.to.factor = TRUE)` does. Without the protocol file (format option
  `protocol:`), a group is two or more columns sharing the text before their last '_'
  whose values are all true, false or blank; with it, exactly the protocol's categorical
  variables are folded;
- checks the fixed columns of its kind of file (a file that lacks them is not a
  Network Canvas export of that kind).
Layout coordinates (`<variable>_x`, `<variable>_y`) and everything else stay columns.
"""

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from illnet.load.formats import protocol as nc_protocol
from illnet.load.problems import Problem
from illnet.load.sources import read_source

EGO, NODES, EDGES = "ego", "attributeList", "edgeList"
FIXED = {EGO: ("networkCanvasEgoUUID",), NODES: ("networkCanvasEgoUUID", "networkCanvasUUID"),
         EDGES: ("networkCanvasEgoUUID", "networkCanvasSourceUUID", "networkCanvasTargetUUID")}
TYPE_COLUMNS = {NODES: "networkCanvasNodeType", EDGES: "networkCanvasEdgeType"}
FILE_NAME = re.compile(r"(?:^|_)(?:(?P<ego>ego)|(?P<kind>attributeList|edgeList)_(?P<type>.+))\.csv$", re.I)
BOOLEAN = {"true", "false", ""}


def entity(name: str) -> tuple[str, str | None] | None:
    """(kind, entity type) named by an export file name, e.g. ('edgeList', 'Friend'); None if not one."""
    match = FILE_NAME.search(name)
    if not match:
        return None
    return (EGO, None) if match["ego"] else (NODES if match["kind"].lower() == "attributelist" else EDGES,
                                              match["type"])


def read(spec):
    """One export file as a table (see the module docstring)."""
    table = read_source(replace(spec, format=""))
    found = entity(spec.full_path.name)
    if found is None:
        table.problems.append(Problem(spec.path, None, None, None, "not a Network Canvas export file name",
                                      "give the files as exported: *_ego.csv, *_attributeList_<Type>.csv, "
                                      "*_edgeList_<Type>.csv"))
        return table
    kind, type_name = found
    # an interview without alters or ties has a header-only list: that is no problem
    table.problems = [p for p in table.problems if not (p.row is None and "no data rows" in p.message)]
    frame = table.frame.drop(columns=[c for c in table.frame.columns
                                      if c.lower() == "null" and not table.frame[c].fillna("").astype(bool).any()])
    missing = [c for c in FIXED[kind] if c not in frame.columns]
    if missing and not table.problems:
        table.problems.append(Problem(spec.path, 1, missing[0], None,
                                      f"not a Network Canvas {kind} file: column '{missing[0]}' is missing",
                                      "give the files of a Network Canvas CSV export as they were exported"))
    protocol = spec.format_options.get("protocol")
    groups = (nc_protocol.categorical_columns(nc_protocol.load(Path(protocol)),
                                              kind, type_name, list(frame.columns))
              if protocol else categorical_groups(frame))
    frame = fold(frame, groups)
    if kind in TYPE_COLUMNS:
        frame[TYPE_COLUMNS[kind]] = type_name
    table.frame = frame
    return table


def categorical_groups(frame: pd.DataFrame) -> dict[str, list[str]]:
    """variable -> its option columns: 2+ columns `<variable>_<option>` holding only true/false/blank."""
    groups: dict[str, list[str]] = {}
    for column in frame.columns:
        values = {str(v).strip().lower() for v in frame[column].fillna("")}
        if "_" in column and values <= BOOLEAN and values - {""}:
            groups.setdefault(column.rsplit("_", 1)[0], []).append(column)
    return {name: columns for name, columns in groups.items() if len(columns) > 1 and name not in frame.columns}


def fold(frame: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Each group of TRUE/FALSE option columns -> one column with the chosen option(s)."""
    out = frame.copy()
    for name, columns in groups.items():
        options = [c[len(name) + 1:] for c in columns]
        chosen = [";".join(o for o, v in zip(options, row) if str(v).strip().lower() == "true")
                  for row in frame[columns].itertuples(index=False)]
        position = list(out.columns).index(columns[0])
        out = out.drop(columns=columns)
        out.insert(position, name, chosen)
    return out
