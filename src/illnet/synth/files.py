"""Write a study as source files that look like survey exports, plus their mapping.yaml.

Layouts (loaders/MAPPING.md): `long` (participants.csv + members.csv with one row per
participant x member x wave and per-task yes/no columns) or `wide` (one survey.csv row per
participant and wave with numbered member slots m1_..., m2_...). Both add the optional
member_ties, resources, participation and resource_links files when the study has them.
Some fields are numeric codes with a code list in the mapping; -9 marks a missing value.
"""

from pathlib import Path

import pandas as pd
import yaml

from illnet import model
from illnet.errors import InputError
from illnet.load.tables import StudyTables

MISSING = -9
TASKS = list(model.vocabulary("task"))
WRITERS = {
    "csv": lambda frame, path: frame.to_csv(path, index=False, lineterminator="\n"),
    "xlsx": lambda frame, path: frame.to_excel(path, index=False),
}
NUMBERED = {  # canonical field: vocabulary written as numbers 1, 2, ... in vocabulary order
    "sex": "sex", "age_band": "age_band", "contact_frequency": "contact_frequency",
    "distance_band": "distance_band", "relationship_type": "relationship_type", "circle": "circle",
}
PARTICIPANT_COLUMNS = {"participant_id": "pid", "country": "country", "area_type": "area",
                       "sex": "sex", "age_band": "age_grp", "has_partner": "partner"}
MEMBER_COLUMNS = {"member_id": "id", "relationship_type": "rel", "relationship_raw": "reltxt", "circle": "circle",
                  "contact_frequency": "contact", "distance_band": "travel"}
OPTIONAL_FILES = {  # table: canonical field -> source column
    "member_ties": {"participant_id": "pid", "member_a": "mid_a", "member_b": "mid_b", "wave": "wave"},
    "resources": {"resource_id": "rid", "resource_type": "type", "name": "name"},
    "participation": {"participant_id": "pid", "resource_id": "rid", "wave": "wave"},
    "resource_links": {"participant_id": "pid", "member_id": "mid", "resource_id": "rid", "wave": "wave"},
}


def write_study(tables: StudyTables, out_dir, layout: str = "long", file_format: str = "csv") -> Path:
    """Write `tables` under `out_dir` as source files and mapping.yaml; returns the mapping's path."""
    if layout not in ("long", "wide"):
        raise InputError(f"unknown layout {layout!r}", hint="use long or wide")
    if file_format not in WRITERS:
        raise InputError(f"unknown file format {file_format!r}", hint=f"use one of {', '.join(WRITERS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames, file_specs = (_long if layout == "long" else _wide)(tables)
    for table, columns in OPTIONAL_FILES.items():
        if len(tables[table]):
            frames[table] = tables[table][list(columns)].rename(columns=columns)
            file_specs[table] = {"columns": dict(columns)}
    mapping_files = {}
    for table, frame in frames.items():
        name = f"{'survey' if table == 'participants' and layout == 'wide' else table}.{file_format}"
        WRITERS[file_format](frame, out / name)
        mapping_files[table] = {"path": name, **file_specs[table]}
    mapping = {
        "version": 1,
        "study": {"id": tables.study_id, "name": tables.name, "design": tables.design},
        "layout": layout,
        "missing_values": ["", str(MISSING)],
        "synthetic": True,
        "files": mapping_files,
    }
    path = out / "mapping.yaml"
    path.write_text("# Written by illnet generate (synthetic data).\n"
                    + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _codes(field: str) -> dict[int, str]:
    return {number: code for number, code in enumerate(model.vocabulary(NUMBERED[field]), start=1)}


def _numbered(values: pd.Series, field: str) -> pd.Series:
    numbers = {code: number for number, code in _codes(field).items()}
    return values.map(lambda v: MISSING if v is None or pd.isna(v) else numbers[v]).astype(object)


def _participant_frame(tables: StudyTables) -> tuple[pd.DataFrame, dict]:
    """Participant columns (sex and age band numbered, partner 1/0, conditions joined by ';')."""
    people = tables["participants"]
    used = {field: column for field, column in PARTICIPANT_COLUMNS.items() if people[field].notna().any()}
    frame = pd.DataFrame({column: people[field] for field, column in used.items()})
    for field in ("sex", "age_band"):
        if field in used:
            frame[used[field]] = _numbered(people[field], field)
    if "has_partner" in used:
        frame[used["has_partner"]] = people["has_partner"].map({True: 1, False: 0}).astype(object)
    order = {code: k for k, code in enumerate(model.vocabulary("condition"))}
    conditions = (tables["conditions"].assign(rank=tables["conditions"]["condition"].map(order))
                  .sort_values("rank").groupby("participant_id")["condition"].agg(";".join))
    frame["conditions"] = people["participant_id"].map(conditions).fillna("")
    spec = {
        "columns": used,
        "codes": {**{field: _codes(field) for field in ("sex", "age_band") if field in used},
                  **({"has_partner": {1: True, 0: False}} if "has_partner" in used else {})},
        "multi": {"conditions": {"column": "conditions", "separator": ";"}},
    }
    return frame, spec


def _member_waves(tables: StudyTables) -> pd.DataFrame:
    """One row per tie (participant x member x wave) with member fields and task flags."""
    key = ["participant_id", "member_id", "wave"]
    rows = tables["ties"].merge(tables["members"][["participant_id", "member_id", "relationship_type",
                                                   "relationship_raw"]], on=["participant_id", "member_id"])
    support = tables["support"]
    unmatched = support.merge(rows[key], on=key, how="left", indicator=True)
    if (unmatched["_merge"] == "left_only").any():
        first = unmatched[unmatched["_merge"] == "left_only"].iloc[0]
        raise InputError(f"support for {first.participant_id}/{first.member_id} in wave {first.wave} has no tie row",
                         hint="a member must be named in a wave to give or receive support in it")
    for direction, prefix in (("to_participant", "help_"), ("to_member", "gives_")):
        flows = support[support["direction"] == direction]
        for task in [t for t in TASKS if direction == "to_participant" or (flows["task"] == t).any()]:
            done = flows.loc[flows["task"] == task, key].assign(flag=1)
            rows = rows.merge(done.rename(columns={"flag": prefix + task}), on=key, how="left")
            rows[prefix + task] = rows[prefix + task].fillna(0).astype(int)
    return rows.sort_values(["participant_id", "wave", "member_id"]).reset_index(drop=True)


def _task_columns(rows: pd.DataFrame, prefix: str) -> list[str]:
    return [column for column in rows.columns if column.startswith(prefix)]


def _member_codes(fields) -> dict:
    return {field: _codes(field) for field in fields}


def _long(tables: StudyTables) -> tuple[dict, dict]:
    people, people_spec = _participant_frame(tables)
    rows = _member_waves(tables)
    members = pd.DataFrame({
        "pid": rows["participant_id"], "mid": rows["member_id"], "wave": rows["wave"].astype(int),
        "relation": rows["relationship_type"], "relation_text": rows["relationship_raw"].fillna(""),
        "circle": rows["circle"],
        "contact": _numbered(rows["contact_frequency"], "contact_frequency"),
        "travel": _numbered(rows["distance_band"], "distance_band"),
    })
    members = pd.concat([members, rows[_task_columns(rows, "help_") + _task_columns(rows, "gives_")]], axis=1)
    member_spec = {
        "columns": {"participant_id": "pid", "member_id": "mid", "wave": "wave", "relationship_type": "relation",
                    "relationship_raw": "relation_text", "circle": "circle", "contact_frequency": "contact",
                    "distance_band": "travel"},
        "codes": _member_codes(("contact_frequency", "distance_band")),
        "tasks": {c.removeprefix("help_"): c for c in _task_columns(rows, "help_")},
        "reciprocal_tasks": {c.removeprefix("gives_"): c for c in _task_columns(rows, "gives_")},
    }
    return {"participants": people, "members": members}, {"participants": people_spec, "members": member_spec}


def _wide(tables: StudyTables) -> tuple[dict, dict]:
    people, people_spec = _participant_frame(tables)
    rows = _member_waves(tables)
    slot = tables["members"].groupby("participant_id").cumcount() + 1  # members are sorted by id
    rows["slot"] = rows.merge(tables["members"][["participant_id", "member_id"]].assign(slot=slot),
                              on=["participant_id", "member_id"])["slot"].to_numpy()
    numbered = ("relationship_type", "circle", "contact_frequency", "distance_band")
    fields = {"id": rows["member_id"], "reltxt": rows["relationship_raw"].fillna("")}
    fields.update({MEMBER_COLUMNS[f]: _numbered(rows[f], f) for f in numbered})
    tasks = _task_columns(rows, "help_") + _task_columns(rows, "gives_")
    fields.update({column.removeprefix("help_"): rows[column] for column in tasks})
    values = pd.DataFrame(fields).astype(object).assign(pid=rows["participant_id"], wave=rows["wave"].astype(int),
                                                        slot=rows["slot"])
    wide = values.pivot(index=["pid", "wave"], columns="slot")
    wide.columns = [f"m{n}_{field}" for field, n in wide.columns]
    slots = int(slot.max()) if len(slot) else 0
    order = [f"m{n}_{field}" for n in range(1, slots + 1) for field in fields if f"m{n}_{field}" in wide.columns]
    waves = sorted(tables["ties"]["wave"].unique()) or [0]
    survey = people.rename(columns={"pid": "id"}).merge(pd.DataFrame({"wave": waves}), how="cross")
    survey = survey.merge(wide[order].reset_index().rename(columns={"pid": "id"}), on=["id", "wave"], how="left")
    survey = survey.sort_values(["wave", "id"], kind="stable").astype(object).where(survey.notna(), "")
    survey["wave"] = survey["wave"].astype(int)
    people_spec["columns"] = {field: ("id" if column == "pid" else column)
                              for field, column in people_spec["columns"].items()} | {"wave": "wave"}
    people_spec["slots"] = {
        "pattern": "m{n}_{field}", "count": slots,
        "columns": {"member_id": "id", **{f: MEMBER_COLUMNS[f] for f in ("relationship_type", "relationship_raw",
                                                                         *numbered[1:])}},
        "codes": _member_codes(numbered),
        "tasks": {c.removeprefix("help_"): c.removeprefix("help_") for c in _task_columns(rows, "help_")},
        "reciprocal_tasks": {c.removeprefix("gives_"): c for c in _task_columns(rows, "gives_")},
    }
    return {"participants": survey}, {"participants": people_spec}
