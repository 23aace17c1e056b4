"""Write a study as source files that look like survey exports, plus their mapping.yaml.

Layouts (loaders/MAPPING.md): `long` (participants.csv + members.csv with one row per
participant x member x wave and per-task yes/no columns) or `wide` (one survey.csv row per
participant and wave with numbered member slots m1_..., m2_...). Both add the optional
member_ties, resources, participation and resource_links files when the study has them.
Some fields are numeric codes with a code list in the mapping; -9 marks a missing value.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import yaml

from illnet import model
from illnet.errors import InputError
from illnet.load.tables import StudyTables
from illnet.synth.draw import object_strings

MISSING = -9
TASKS = list(model.vocabulary("task"))
WRITERS = {
    "csv": lambda frame, path: _csv(frame, path),
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
    with StudyWriter(out_dir, tables.study_id, tables.name, tables.design, layout, file_format) as writer:
        writer.add(tables.tables)
    return writer.mapping_path


class StudyWriter:
    """Source files written part by part (each part: canonical tables of some participants, in
    participant order), then mapping.yaml on close. Which participant columns and reciprocal-task
    columns a file has is settled by the first part (reciprocal_tasks fixes the latter up front);
    the wide layout and Excel files take one part only."""

    def __init__(self, out_dir, study_id: str, name: str, design: str, layout: str = "long",
                 file_format: str = "csv", reciprocal_tasks: tuple[str, ...] | None = None):
        if layout not in ("long", "wide"):
            raise InputError(f"unknown layout {layout!r}", hint="use long or wide")
        if file_format not in WRITERS:
            raise InputError(f"unknown file format {file_format!r}", hint=f"use one of {', '.join(WRITERS)}")
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.study = {"id": study_id, "name": name, "design": design}
        self.layout, self.file_format, self.reciprocal_tasks = layout, file_format, reciprocal_tasks
        self.files: dict[str, dict] = {}
        self.columns: dict[str, list[str]] = {}
        self.mapping_path = self.out / "mapping.yaml"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()

    def add(self, tables: dict[str, pd.DataFrame]) -> None:
        """Append one part (the canonical tables it has; absent or empty optional tables are skipped)."""
        if self.files and (self.layout == "wide" or self.file_format != "csv"):
            raise InputError("the wide layout and Excel files are written in one part", hint="use the long layout and CSV")
        with object_strings():
            frames, specs = (_long if self.layout == "long" else _wide)(tables, self.reciprocal_tasks)
        for table, column_map in OPTIONAL_FILES.items():
            if table in tables and len(tables[table]):
                frames[table] = tables[table][list(column_map)].rename(columns=column_map)
                specs[table] = {"columns": dict(column_map)}
        for table, frame in frames.items():
            name = f"{'survey' if table == 'participants' and self.layout == 'wide' else table}.{self.file_format}"
            path = self.out / name
            if table in self.files:
                _append(frame.reindex(columns=self.columns[table], fill_value=""), path)
            else:
                WRITERS[self.file_format](frame, path)
                self.files[table] = {"path": name, **specs[table]}
                self.columns[table] = list(frame.columns)

    def close(self) -> None:
        """Write mapping.yaml for the files written."""
        order = ["participants", "members", *OPTIONAL_FILES]
        mapping = {"version": 1, "study": self.study, "layout": self.layout, "missing_values": ["", str(MISSING)],
                   "synthetic": True, "files": {table: self.files[table] for table in order if table in self.files}}
        self.mapping_path.write_text("# Written by illnet generate (synthetic data).\n"
                                     + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _append(frame: pd.DataFrame, path: Path) -> None:
    _csv(frame, path, append=True)


def _csv(frame: pd.DataFrame, path: Path, append: bool = False) -> None:
    """Write (or append) a CSV file: with pyarrow, about ten times faster than pandas, when no value
    needs quotes and every column has one type; else with pandas (the same text either way)."""
    with open(path, "ab" if append else "wb") as out:
        start = out.tell()
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if not append:
                out.write((",".join(frame.columns) + "\n").encode())
            pa_csv.write_csv(table, out, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
            return
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            out.truncate(start)
    frame.to_csv(path, index=False, header=not append, mode="a", lineterminator="\n")


def _codes(field: str) -> dict[int, str]:
    return {number: code for number, code in enumerate(model.vocabulary(NUMBERED[field]), start=1)}


def _numbered(values: pd.Series, field: str) -> pd.Series:
    numbers = values.map({code: number for number, code in _codes(field).items()})
    unknown = numbers.isna() & values.notna()
    if unknown.any():
        raise InputError(f"{field} {values[unknown].iloc[0]!r} is not in the {NUMBERED[field]} vocabulary")
    return numbers.fillna(MISSING).astype(int)


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


def _member_waves(tables, reciprocal_tasks=None) -> pd.DataFrame:
    """One row per tie (participant x member x wave) with member fields and task flags: help_<task>
    for every task, gives_<task> for the reciprocal tasks given (default: those that occur)."""
    key = ["participant_id", "member_id", "wave"]
    rows = tables["ties"].merge(tables["members"][["participant_id", "member_id", "relationship_type",
                                                   "relationship_raw"]], on=["participant_id", "member_id"])
    rows = rows.sort_values(["participant_id", "wave", "member_id"]).reset_index(drop=True)
    support = tables["support"]
    where = pd.MultiIndex.from_frame(rows[key].astype(object)).get_indexer(
        pd.MultiIndex.from_frame(support[key].astype(object)))
    if (where < 0).any():
        first = support.iloc[int(np.flatnonzero(where < 0)[0])]
        raise InputError(f"support for {first.participant_id}/{first.member_id} in wave {first.wave} has no tie row",
                         hint="a member must be named in a wave to give or receive support in it")
    task_index = {task: i for i, task in enumerate(TASKS)}
    for direction, prefix in (("to_participant", "help_"), ("to_member", "gives_")):
        flows = (support["direction"] == direction).to_numpy()
        flags = np.zeros((len(rows), len(TASKS)), dtype=np.int8)
        flags[where[flows], support.loc[flows, "task"].map(task_index).to_numpy()] = 1
        if direction == "to_participant":
            shown = TASKS
        elif reciprocal_tasks is not None:
            shown = [t for t in TASKS if t in reciprocal_tasks]
        else:
            shown = [t for t in TASKS if flags[:, task_index[t]].any()]
        for task in shown:
            rows[prefix + task] = flags[:, task_index[task]].astype(int)
    return rows


def _task_columns(rows: pd.DataFrame, prefix: str) -> list[str]:
    return [column for column in rows.columns if column.startswith(prefix)]


def _member_codes(fields) -> dict:
    return {field: _codes(field) for field in fields}


def _long(tables, reciprocal_tasks=None) -> tuple[dict, dict]:
    people, people_spec = _participant_frame(tables)
    rows = _member_waves(tables, reciprocal_tasks)
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


def _wide(tables, reciprocal_tasks=None) -> tuple[dict, dict]:
    people, people_spec = _participant_frame(tables)
    rows = _member_waves(tables, reciprocal_tasks)
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
