"""egor's one-file format (`onefile_to_egor`, the Allbus/GESIS layout): one row per ego,
alter attributes in numbered slots (alter-wise, named by a pattern such as
`alter{n}.{field}`, format option `alters:`) and alter-alter pairs in columns named
`1 to 2`, `1_2` or `1-2` whose value is the tie (its weight; empty, NA or 0: no tie).

One reader serves three entries, by key: participants (the ego columns), members (one
row per filled slot: the ego id column `id:` (default egoID), `alterID` = the slot
number, and the slot's fields) and member_ties (`Source`, `Target`, `weight`). Their rows
are numbered in reading order from 2, like a file's: the first ego's members first.
"""

import re
from dataclasses import replace

import pandas as pd

from illnet.load.problems import Problem
from illnet.load.sources import read_source

PAIR = re.compile(r"^(?P<src>\d+)\s*(?:to|_|-)\s*(?P<tgt>\d+)$", re.I)
NO_TIE = {"", "na", "0", "0.0"}


def slot_regex(pattern: str) -> re.Pattern:
    """`alter{n}.{field}` -> a regex capturing n and field."""
    parts = re.split(r"(\{n\}|\{field\})", pattern)
    return re.compile("^" + "".join("(?P<n>\\d+)" if p == "{n}" else "(?P<field>.+)" if p == "{field}"
                                    else re.escape(p) for p in parts) + "$")


def read(spec):
    """The participants, members or member_ties table of a one-file export (by the entry's key)."""
    table = read_source(replace(spec, format=""))
    if table.problems:
        return table
    frame, ego = table.frame, str(spec.format_options.get("id", "egoID"))
    pattern = str(spec.format_options.get("alters", ""))
    if ego not in frame.columns or "{n}" not in pattern or "{field}" not in pattern:
        table.problems.append(Problem(spec.path, 1, ego, None,
                                      f"not an egor one-file table: no ego id column '{ego}' or no alters pattern",
                                      "set format: {name: egor-one-file, id: <ego id column>, alters: \"alter{n}.{field}\"}"))
        return table
    slots = {c: slot_regex(pattern).match(c) for c in frame.columns}
    slots = {c: (int(m["n"]), m["field"]) for c, m in slots.items() if m}
    pairs = {c: (m["src"], m["tgt"]) for c in frame.columns if (m := PAIR.match(c.strip()))}
    if spec.key == "participants":
        table.frame = frame[[c for c in frame.columns if c not in slots and c not in pairs]]
        return table
    rows = []
    for _, row in frame.iterrows():
        if spec.key == "members":
            for n in sorted({n for n, _ in slots.values()}):
                values = {f: row[c] for c, (k, f) in slots.items() if k == n}
                if any(str(v).strip() for v in values.values()):
                    rows.append({ego: row[ego], "alterID": str(n), **values})
        else:
            for column, (src, tgt) in pairs.items():
                if str(row[column]).strip().lower() not in NO_TIE:
                    rows.append({ego: row[ego], "Source": src, "Target": tgt, "weight": row[column]})
    fields = list(dict.fromkeys(f for _, f in slots.values()))
    columns = [ego, "alterID", *fields] if spec.key == "members" else [ego, "Source", "Target", "weight"]
    table.frame = pd.DataFrame([[r.get(c, "") for c in columns] for r in rows], columns=columns, dtype=object,
                               index=pd.RangeIndex(2, len(rows) + 2, name="row"))
    return table
