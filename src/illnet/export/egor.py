"""`illnet export STUDY --to egor --out DIR`: the three files egor's threefiles_to_egor()
reads with its default ID.vars (egos.csv: egoID; alters.csv: egoID, alterID, one row per
member and wave; aaties.csv: egoID, Source, Target; aaties_directed.csv when the study
has directed ties), attribute names kept, plus mapping.yaml to load them back."""

import csv
from pathlib import Path

from illnet.export.study import StudyData
from illnet.export.tables import header, mapping_text, rows
from illnet.values import as_text

NAMES = {"participant": "egoID", "member": "alterID", "source": "Source", "target": "Target"}
FILES = {"participants": "egos.csv", "members": "alters.csv", "member_ties": "aaties.csv"}


def write(data: StudyData, out: Path) -> list[Path]:
    """Write the files into `out`; returns their paths (mapping.yaml last)."""
    out.mkdir(parents=True, exist_ok=True)
    found, entries, written = rows(data), [], []
    parts = [("participants", FILES["participants"], found["participants"], False),
             ("members", FILES["members"], found["members"], False),
             ("member_ties", FILES["member_ties"], [r for r in found["member_ties"] if not r["directed"]], False),
             ("member_ties", "aaties_directed.csv", [r for r in found["member_ties"] if r["directed"]], True)]
    for kind, name, part, directed in parts:
        if kind == "member_ties" and not part:
            continue  # no ties of this kind: no file (a header-only file is a problem on load)
        columns = header(part, kind, data)
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([NAMES.get(c, c) for c in columns])
            writer.writerows([[as_text(row.get(c)) for c in columns] for row in part])
        written.append(path)
        entries.append({"key": kind, "path": name, "directed": directed, "header": [NAMES.get(c, c) for c in columns],
                        "ids": {role: NAMES[role] for role in columns if role in NAMES}})
    (out / "mapping.yaml").write_text(mapping_text(data, entries), encoding="utf-8")
    return written + [out / "mapping.yaml"]
