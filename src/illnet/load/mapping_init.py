"""`illnet mapping init`: guess a starter mapping file from the headers of a study's files.

The guess recognises common column names (id/pid/participant, relation/relationship,
circle, freq/frequency, wave...), numbered member slots of wide exports
(member3_relation) and per-task yes/no columns; whatever it cannot guess becomes a TODO
comment for the user to fill in.
"""

import os
import re
from collections import Counter
from pathlib import Path

from illnet import model
from illnet.load.mapping import FILE_KINDS, SLOT_FIELDS
from illnet.load.sources import read_header

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
    "age_band": ["age_band", "ageband", "age_group", "age"],
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


def _columns_block(header: list[str], allowed: list[str], required: list[str], indent: str) -> list[str]:
    lines, used = [], set()
    for column in header:
        field = guess_field(column, [f for f in allowed if f not in used])
        if field:
            used.add(field)
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
    headers = {Path(p): read_header(Path(p)) for p in paths}
    slots = {p: find_slots(h) for p, h in headers.items()}
    layout = layout or ("wide" if any(slots.values()) else "long")
    lines = ["# Starter mapping written by `illnet mapping init`; check every line, fill in the TODOs.",
             "# Format: loaders/MAPPING.md", "version: 1", "study:",
             "  id: TODO_study_id", "  name: TODO study name", "  design: cross-sectional   # or panel",
             f"layout: {layout}", 'missing_values: ["", "NA", "-9", "-99"]', "synthetic: false", "files:"]
    taken: set[str] = set()
    for path, header in headers.items():
        kind = "participants" if layout == "wide" and slots[path] and "participants" not in taken else (
            guess_kind(path, header, taken))
        taken.add(kind)
        _, allowed, required = FILE_KINDS[kind]
        lines += [f"  {kind}:", f"    path: {_quote(os.path.relpath(path, out_dir))}", "    columns:"]
        flat = [c for c in header if not (kind == "participants" and slots[path] and SLOT.match(c))]
        lines += _columns_block(flat, allowed, required + (["wave"] if layout == "wide" and kind == "participants"
                                                          else []), "      ")
        if kind == "members":
            lines += _tasks_block(header, "    ")
            lines.append("    # codes: {relationship_type: {1: partner, 2: child}}   # TODO if the file holds numbers")
        conditions = [c for c in flat if _simple(c) in ("conditions", "condition", "ltc", "diagnoses")]
        if kind == "participants" and conditions:
            lines += ["    multi:", f"      conditions: {{column: {_quote(conditions[0])}, separator: \";\"}}"]
        if kind == "participants" and layout == "wide":
            lines += _slot_lines(slots[path])
    return "\n".join(lines) + "\n"


def _slot_lines(found: tuple[str, list[str]] | None) -> list[str]:
    if not found:
        return ["    # TODO slots: {pattern: \"member{n}_{field}\", columns: {...}}  (see MAPPING.md)"]
    pattern, fields = found
    lines = ["    slots:", f'      pattern: "{pattern}"', "      count: auto", "      columns:"]
    lines += _columns_block(fields, SLOT_FIELDS, ["relationship_type", "circle"], "        ")
    lines += _tasks_block(fields, "      ")
    return lines
