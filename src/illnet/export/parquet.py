"""`illnet export STUDY --to parquet --out DIR`: the study as Parquet tables, one per kind of
file (participants, members per wave, member_ties), with mapping.yaml to load them back."""

from pathlib import Path

import pandas as pd

from illnet.export.study import StudyData
from illnet.export.tables import header, mapping_text, rows

IDS = {"participants": {"participant": "participant"}, "members": {"participant": "participant", "member": "member"},
       "member_ties": {"participant": "participant", "source": "source", "target": "target"}}


def write(data: StudyData, out: Path) -> list[Path]:
    """Write the tables and mapping.yaml into `out` (values as text; types are in the mapping)."""
    out.mkdir(parents=True, exist_ok=True)
    found, entries, written = rows(data), [], []
    parts = [("participants", "participants", found["participants"], False),
             ("members", "members", found["members"], False),
             ("member_ties", "member_ties", [r for r in found["member_ties"] if not r["directed"]], False),
             ("member_ties", "member_ties_directed", [r for r in found["member_ties"] if r["directed"]], True)]
    for kind, name, part, directed in parts:
        if kind == "member_ties" and not part:
            continue
        columns = header(part, kind, data)
        frame = pd.DataFrame([[_text(row.get(c)) for c in columns] for row in part], columns=columns, dtype="string")
        path = out / f"{name}.parquet"
        frame.to_parquet(path, index=False)
        written.append(path)
        entries.append({"key": kind, "path": path.name, "directed": directed, "header": columns, "ids": IDS[kind]})
    (out / "mapping.yaml").write_text(mapping_text(data, entries), encoding="utf-8")
    return written + [out / "mapping.yaml"]


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
