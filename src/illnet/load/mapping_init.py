"""`illnet mapping init`: guess a starter mapping file from the headers of a study's files.

The guess recognises common column names (id/pid/participant, relation/relationship,
circle, freq/frequency, wave...), numbered member slots of wide exports
(member3_relation) and per-task yes/no columns. Every other column is proposed as a
study attribute, with a type guessed from its values, so that nothing is left out
unmentioned; whatever it cannot guess becomes a TODO comment for the user to fill in.
Several files of one kind (one per interview, say) become one key with a list of entries.
"""

import os
import re
from collections import Counter
from pathlib import Path

from illnet import model
from illnet.load.mapping import FILE_KINDS, SLOT_FIELDS, FileSpec
from illnet.load.sources import read_source
from illnet.load.tables import as_date, as_float, as_integer
from illnet.values import as_boolean, is_missing

CATEGORY_LIMIT = 12  # a column with at most this many distinct values is proposed as a category

SYNONYMS = {
    "participant_id": ["participant_id", "pid", "participant", "id", "ego", "ego_id", "respondent", "resp_id",
                       "case_id", "caseid", "subject", "patient_id"],
    "member_id": ["member_id", "mid", "member", "alter", "alter_id", "alterid", "id"],
    "relationship_type": ["relationship_type", "relation", "relationship", "rel", "role", "tie_type"],
    "circle": ["circle", "ring", "placement"],
    "contact_frequency": ["contact_frequency", "freq", "frequency", "contact"],
    "distance_band": ["distance_band", "distance", "travel", "travel_time"],
    "wave": ["wave", "round", "time", "followup"],
    "country": ["country", "cntry", "nation"],
    "area_type": ["area_type", "area", "stratum"],
    "sex": ["sex", "gender"],
    "age": ["age", "age_years", "ageyears"],
    "age_band": ["age_band", "ageband", "age_group"],
    "closeness": ["closeness", "close", "closeness_scale"],
    "weight": ["weight", "strength", "tie_strength"],
    "type": ["edge_type", "tie_kind", "tietype"],
    "has_partner": ["has_partner", "partner", "married"],
    "resource_id": ["resource_id", "rid", "resource", "org_id", "group_id"],
    "resource_type": ["resource_type", "type", "kind"],
    "name": ["name", "label"],
    "member_a": ["member_a", "from", "source", "alter1", "ego_alter1"],
    "member_b": ["member_b", "to", "target", "alter2", "ego_alter2"],
    "task": ["task", "help", "work"],
    "direction": ["direction"],
}
SLOT = re.compile(r"^(?P<prefix>[A-Za-z]+)(?P<n>\d+)(?P<sep>[_.]?)(?P<field>[A-Za-z][A-Za-z_]*)$")
NAME_HINTS = [("member_ties", ("tie", "edge", "knows")), ("resource_links", ("link",)),
              ("participation", ("participation", "uses", "attend")), ("support", ("support", "flow")),
              ("resources", ("resource", "organisation", "organization", "group", "service")),
              ("members", ("member", "alter", "network")), ("participants", ("participant", "ego", "survey"))]


def _simple(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def guess_field(column: str, allowed: list[str]) -> str | None:
    """The canonical field a column name stands for, among `allowed`."""
    simple = _simple(column)
    for field in allowed:
        if simple in SYNONYMS.get(field, [field]):
            return field
    return None


def guess_task(column: str) -> str | None:
    """A task code named in a yes/no column such as help_medication or Shopping."""
    simple = _simple(column)
    return next((task for task in model.vocabulary("task") if simple == task or simple.endswith("_" + task)), None)


def guess_kind(path: Path, header: list[str], taken: set[str]) -> str:
    """Which `files:` key a file is, from its columns, then its name."""
    fields = {guess_field(c, list(SYNONYMS)) for c in header}
    by_columns = [("member_ties", {"member_a", "member_b"}), ("resource_links", {"resource_id", "member_id"}),
                  ("participation", {"resource_id", "participant_id"}), ("resources", {"resource_id"}),
                  ("support", {"task", "member_id"}), ("members", {"relationship_type"})]
    for kind, needed in by_columns:
        if needed <= fields and kind not in taken:
            return kind
    stem = path.stem.lower()
    for kind, hints in NAME_HINTS:
        if any(h in stem for h in hints) and kind not in taken:
            return kind
    return "participants" if "participants" not in taken else "members"


def find_slots(header: list[str]) -> tuple[str, list[str]] | None:
    """(pattern, source field names) of the most common numbered-slot prefix, if any."""
    groups: Counter = Counter()
    fields: dict[tuple, list[str]] = {}
    for column in header:
        match = SLOT.match(column)
        if match:
            key = (match["prefix"], match["sep"])
            groups[key] += 1
            fields.setdefault(key, [])
            if match["field"] not in fields[key]:
                fields[key].append(match["field"])
    if not groups:
        return None
    (prefix, sep), count = groups.most_common(1)[0]
    return (f"{prefix}{{n}}{sep}{{field}}", fields[(prefix, sep)]) if count >= 2 else None


def guess_type(values: list) -> str:
    """The attribute type a column's values suggest: integer, float, boolean, date, category or string."""
    present = [str(v).strip() for v in values if not is_missing(v) and str(v).strip() not in MISSING_CODES]
    if not present:
        return "string"
    checks = [("integer", as_integer), ("float", as_float), ("boolean", as_boolean),
              ("date", lambda v: as_date(v) if len(v) == 10 else None)]  # a date with a time is no date
    for kind, cast in checks:
        if all(cast(v) is not None for v in present):
            return kind
    return "category" if len(set(present)) <= CATEGORY_LIMIT else "string"


MISSING_CODES = {"NA", "N/A", "-9", "-99", "."}


def _attributes_block(frame, columns: list[str], indent: str, member_key: list[str] | None = None) -> list[str]:
    """An `attributes:` section proposing each of `columns` with a guessed type; in a
    members file (`member_key`: its participant and member id columns) a column whose value
    changes between the rows of one member is proposed per wave."""
    if not columns:
        return []
    varying = set()
    if member_key:
        varying = {c for c in columns if (frame.groupby(member_key)[c].nunique(dropna=False) > 1).any()}
    lines = [f"{indent}attributes:   # every other column, kept as a study attribute: check names and types"]
    for column in columns:
        name = _simple(column) or "column"
        name = name if re.match(r"[a-z_]", name) else f"v_{name}"
        per_wave = ", per_wave: true" if column in varying else ""
        lines.append(f"{indent}  {name}: {{column: {_quote(column)}, type: {guess_type(frame[column].tolist())}"
                     f"{per_wave}}}")
    return lines


def _columns_block(header: list[str], allowed: list[str], required: list[str], indent: str,
                   used_columns: dict[str, str] | None = None) -> list[str]:
    lines, used = [], set()
    for column in header:
        field = guess_field(column, [f for f in allowed if f not in used])
        if field:
            used.add(field)
            if used_columns is not None:
                used_columns[column] = field
            lines.append(f"{indent}{field}: {_quote(column)}")
            if field == "relationship_type":
                lines.append(f"{indent}relationship_raw: {_quote(column)}")
    for field in required:
        if field not in used:
            hint = "   # or set it under constants:, e.g. {wave: 0}" if field == "wave" else ""
            lines.append(f"{indent}# TODO {field}: <source column>{hint}")
    return lines


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", text) else '"' + text.replace('"', '\\"') + '"'


def _tasks_block(columns: list[str], indent: str, to_value=lambda c: c) -> list[str]:
    found = [(guess_task(c), c) for c in columns if guess_task(c)]
    if not found:
        return [f"{indent}# TODO tasks: {{<task code>: <yes/no column>}}"]
    return [f"{indent}tasks:"] + [f"{indent}  {task}: {_quote(to_value(c))}" for task, c in found]


def guess_mapping(paths: list[Path], out_dir: Path, layout: str | None = None) -> str:
    """Starter mapping YAML for the given files (paths written relative to out_dir)."""
    frames = {Path(p): read_source(FileSpec(key=Path(p).stem, path=Path(p).name, full_path=Path(p))).frame
              for p in paths}
    headers = {p: [str(c) for c in frame.columns] for p, frame in frames.items()}
    slots = {p: find_slots(h) for p, h in headers.items()}
    layout = layout or ("wide" if any(slots.values()) else "long")
    lines = ["# Starter mapping written by `illnet mapping init`; check every line, fill in the TODOs.",
             "# Format: loaders/MAPPING.md", "version: 1", "study:",
             "  id: TODO_study_id", "  name: TODO study name", "  design: cross-sectional   # or panel",
             f"layout: {layout}", 'missing_values: ["", "NA", "-9", "-99"]', "synthetic: false", "files:"]
    kinds: dict[str, list[Path]] = {}
    taken: set[str] = set()
    for path, header in headers.items():
        kind = "participants" if layout == "wide" and slots[path] and "participants" not in taken else (
            guess_kind(path, header, set()) if guess_kind(path, header, set()) in taken else
            guess_kind(path, header, taken))
        taken.add(kind)
        kinds.setdefault(kind, []).append(path)
    for kind, paths_of_kind in kinds.items():
        lines.append(f"  {kind}:")
        for path in paths_of_kind:
            entry = _file_lines(kind, path, frames[path], slots[path], layout, out_dir)
            if len(paths_of_kind) > 1:  # one key, a list of entries
                entry = ["    - " + entry[0].strip()] + ["  " + line for line in entry[1:]]
            lines += entry
    return "\n".join(lines) + "\n"


def _file_lines(kind: str, path: Path, frame, slots, layout: str, out_dir: Path) -> list[str]:
    """The entry of one file under its `files:` key."""
    header = [str(c) for c in frame.columns]
    _, allowed, required = FILE_KINDS[kind]
    lines = [f"    path: {_quote(os.path.relpath(path, out_dir))}", "    columns:"]
    flat = [c for c in header if not (kind == "participants" and slots and SLOT.match(c))]
    fields: dict[str, str] = {}
    lines += _columns_block(flat, allowed, required + (["wave"] if layout == "wide" and kind == "participants"
                                                      else []), "      ", fields)
    used = set(fields)
    key = [c for c, f in fields.items() if f in ("participant_id", "member_id")] if kind == "members" else None
    if kind == "members":
        lines += _tasks_block(header, "    ")
        used |= {c for c in header if guess_task(c)}
        lines.append("    # codes: {relationship_type: {1: partner, 2: child}}   # TODO if the file holds numbers")
    conditions = [c for c in flat if _simple(c) in ("conditions", "condition", "ltc", "diagnoses")]
    if kind == "participants" and conditions:
        used.add(conditions[0])
        lines += ["    multi:", f"      conditions: {{column: {_quote(conditions[0])}, separator: \";\"}}"]
    if kind == "participants" and layout == "wide":
        lines += _slot_lines(slots)
    lines += _attributes_block(frame, [c for c in flat if c not in used], "    ", key if key and len(key) == 2 else None)
    return lines


def _slot_lines(found: tuple[str, list[str]] | None) -> list[str]:
    if not found:
        return ["    # TODO slots: {pattern: \"member{n}_{field}\", columns: {...}}  (see MAPPING.md)"]
    pattern, fields = found
    lines = ["    slots:", f'      pattern: "{pattern}"', "      count: auto", "      columns:"]
    lines += _columns_block(fields, SLOT_FIELDS, [], "        ")
    lines += _tasks_block(fields, "      ")
    return lines
