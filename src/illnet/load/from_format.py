"""`illnet mapping init --from FORMAT PATH...`: a complete mapping for another tool's export.

A preset (loaders/presets/<format>.yaml) says which files are which (by name pattern, by
order on the command line, or every file for every table), the tool's fixed columns and
the reader that parses them (`format:`); every other column is guessed as a canonical
field or proposed as a typed study attribute, as `illnet mapping init` does.
"""

import fnmatch
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from illnet import content, model
from illnet.errors import InputError
from illnet.load import mapping_init as init
from illnet.load.formats import protocol as nc_protocol
from illnet.load.layouts import translate
from illnet.load.mapping import ATTRIBUTE_TABLES, FILE_KINDS, FileSpec, _core_properties, field_vocabulary
from illnet.load.sources import read_source
from illnet.load.tables import DERIVED
from illnet.values import as_boolean

PROTOCOL_SUFFIX = ".netcanvas"


def presets() -> list[str]:
    """The formats `--from` knows."""
    return sorted(p.stem for p in (content.folder("loaders") / "presets").glob("*.yaml"))


@dataclass
class Entry:
    """The files of one `files:` entry: its key, the entity type (or None) and the path text."""

    key: str
    type_name: str | None
    files: list[Path]
    path: str | list[str]
    options: dict


def guess_from(fmt: str, paths: list[Path], out_dir: Path, study_id: str | None = None) -> str:
    """The mapping YAML for `paths` exported by `fmt` (written relative to out_dir)."""
    if fmt not in presets():
        raise InputError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(presets())}")
    preset = yaml.safe_load((content.folder("loaders") / "presets" / f"{fmt}.yaml").read_text(encoding="utf-8"))
    protocol = next((p for p in paths if p.suffix.lower() == PROTOCOL_SUFFIX), None)
    data = [p for p in paths if p != protocol]
    options = {"protocol": _relative(protocol, out_dir)} if protocol else {}
    entries = _entries(preset, data, out_dir, options)
    for entry in entries:
        entry.options.update(DETECT.get(preset.get("detect"), lambda e: {})(entry))
    codebook = nc_protocol.load(protocol) if protocol else {}
    name = ""
    lines = ["# Written by `illnet mapping init --from " + fmt + "`: check the attribute names and types.",
             "# Format: loaders/MAPPING.md", "version: 1", "study:"]
    body = ["files:"]
    by_key: dict[str, list[list[str]]] = {}
    for entry in entries:
        frame = _frame(entry, preset.get("format", ""), out_dir)
        named = preset.get("study_name")  # a column naming the study, e.g. the protocol's name
        if named in frame and frame[named].fillna("").astype(bool).any():
            name = name or str(frame[named][frame[named].fillna("").astype(bool)].iloc[0])
        for options_split, directed in _splits(entry, preset, frame, out_dir):
            by_key.setdefault(entry.key, []).append(
                _entry_lines(entry, preset, options_split, directed, frame, codebook))
    for key, blocks in by_key.items():
        body.append(f"  {key}:")
        for block in blocks:
            body += (["    - " + block[0].strip()] + ["  " + line for line in block[1:]]) if len(blocks) > 1 else block
    study_id = study_id or re.sub(r"[^a-z0-9]+", "_", data[0].stem.lower()).strip("_") or "study"
    lines += [f"  id: {study_id}", f"  name: {_yaml_text(name)}",
              "  design: cross-sectional   # or panel (then give a wave)", "layout: long",
              'missing_values: ["", "NA"]']
    return "\n".join(lines + body) + "\n"


def _option(value) -> str:
    return "[" + ", ".join(map(_yaml_text, value)) + "]" if isinstance(value, list) else _yaml_text(str(value))


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _relative(path: Path, out_dir: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), out_dir.resolve())


def _expand(paths: list[Path], out_dir: Path) -> list[Path]:
    """Files of the given paths: folders listed, a zip extracted next to the mapping."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file())
        elif path.suffix.lower() == ".zip":
            target = out_dir / path.stem
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    name = Path(member.filename)
                    if member.is_dir() or name.is_absolute() or ".." in name.parts:
                        continue  # never write outside the target folder
                    (target / name).parent.mkdir(parents=True, exist_ok=True)
                    (target / name).write_bytes(archive.read(member))
            found += sorted(p for p in target.rglob("*") if p.is_file())
        else:
            found.append(path)
    return found


def _entries(preset: dict, paths: list[Path], out_dir: Path, options: dict) -> list[Entry]:
    files = preset["files"]
    if any("match" in spec for spec in files.values()):
        return _matched(files, _expand(paths, out_dir), out_dir, options)
    if any("order" in spec for spec in files.values()):
        names = {spec["order"]: key for key, spec in reversed(files.items())}
        needed = [names[n] for n in sorted(names)]
        if len(paths) < 2 or len(paths) > len(needed):
            raise InputError(f"give the files in this order: {', '.join(needed)} (got {len(paths)})",
                             hint="the ego (participants) file first")
        return [Entry(key, None, [paths[spec["order"] - 1]], _relative(paths[spec["order"] - 1], out_dir), {})
                for key, spec in files.items() if spec["order"] <= len(paths)]
    return [Entry(key, None, paths, [_relative(p, out_dir) for p in paths] if len(paths) > 1
                  else _relative(paths[0], out_dir), dict(options)) for key in files]


def _matched(files: dict, found: list[Path], out_dir: Path, options: dict) -> list[Entry]:
    entries = []
    for key, spec in files.items():
        pattern = spec["match"]
        regex = re.compile(fnmatch.translate(pattern.replace("{type}", "\0")).replace("\0", "(?P<type>.+)"))
        groups: dict[tuple, list[Path]] = {}
        for path in found:
            match = regex.match(path.name)
            if match:
                type_name = match.groupdict().get("type")
                if key == "participants" or type_name or "{type}" not in pattern:
                    groups.setdefault((path.parent, type_name), []).append(path)
        if key == "participants" and not groups:
            raise InputError(f"no ego file ({pattern}) among the files given",
                             hint="give the folder (or zip) of the whole export, ego files included")
        for (folder, type_name), paths in groups.items():
            glob = str(Path(_relative(folder, out_dir)) / pattern.replace("{type}", type_name or ""))
            path = glob if len(paths) > 1 else _relative(paths[0], out_dir)
            entries.append(Entry(key, type_name, paths, path, dict(options)))
    return entries


def _frame(entry: Entry, fmt: str, out_dir: Path) -> pd.DataFrame:
    """The entry's files read through the format's reader, stacked (for names and types)."""
    frames = []
    for path in entry.files:
        options = {k: str((out_dir / v).resolve()) if k == "protocol" else v for k, v in entry.options.items()}
        spec = FileSpec(key=entry.key, path=path.name, full_path=path, format=fmt, format_options=options)
        raw = read_source(spec)
        bad = [p for p in raw.problems if p.row in (None, 1)]
        if bad:
            raise InputError(f"{path}: {bad[0].message}", hint=bad[0].fix)
        frames.append(raw.frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _splits(entry: Entry, preset: dict, frame: pd.DataFrame, out_dir: Path) -> list[tuple[dict, bool]]:
    """GraphML ties: one entry for the directed and one for the undirected edges, when both occur."""
    if preset.get("format") != "graphml" or entry.key != "member_ties":
        return [(entry.options, False)]
    kinds = []
    for kind in ("undirected", "directed"):
        probe = Entry(entry.key, None, entry.files, entry.path, {**entry.options, "edges": kind})
        if len(_frame(probe, "graphml", out_dir)):
            kinds.append(({**entry.options, "edges": kind}, kind == "directed"))
    return kinds or [(entry.options, False)]


def _plain_header(path: Path) -> tuple[list[str], pd.DataFrame]:
    frame = read_source(FileSpec(key="x", path=path.name, full_path=path)).frame
    return [str(c) for c in frame.columns], frame


def _slot_options(entry: Entry) -> dict:
    """egor one-file: the alter slot pattern found in the header."""
    found = init.find_slots(_plain_header(entry.files[0])[0])
    if not found:
        raise InputError(f"{entry.files[0].name}: no numbered alter columns (such as alter1.sex) found",
                         hint="is this egor's one-file format? alter attributes go in numbered slots")
    return {"alters": found[0]}


def _pair_options(entry: Entry) -> dict:
    """EgoWeb alter-pair file: the first pair question as the tie, its yes-like answers as ties."""
    if entry.key != "member_ties":
        return {}
    header, frame = _plain_header(entry.files[0])
    fixed = {"EgoID", "Interview ID", "Alter 1 Number", "Alter 1 Name", "Alter 2 Number", "Alter 2 Name"}
    questions = [c for c in header if c not in fixed]
    if not questions:
        return {}
    values = sorted({str(v).strip() for v in frame[questions[0]].dropna() if as_boolean(str(v).strip()) is True})
    return {"tie_column": questions[0], "tie_values": values}


DETECT = {"slots": _slot_options, "pair_question": _pair_options}
GRAPH_ELEMENTS = {"participants": ("Participant",), "members": ("NetworkMember", "HAS_MEMBER"),
                  "member_ties": ("KNOWS",)}


def graph_fields(key: str) -> dict[str, str | None]:
    """Graph property name -> canonical field (None: derived or computed, not to be mapped)."""
    graph = model.load("graph")
    found = {}
    for element in GRAPH_ELEMENTS[key]:
        spec = graph["nodes"].get(element) or graph["relationships"][element]
        for name, prop in spec["properties"].items():
            field = prop.get("from")
            found[name] = None if field is None or field in DERIVED or field == "study_id" else field
    return found


def _entry_lines(entry: Entry, preset: dict, options: dict, directed: bool, frame: pd.DataFrame,
                 codebook: dict) -> list[str]:
    spec = preset["files"][entry.key]
    header = [str(c) for c in frame.columns]
    _, allowed, _ = FILE_KINDS[entry.key]
    path = entry.path if isinstance(entry.path, str) else "[" + ", ".join(map(_yaml_text, entry.path)) + "]"
    lines = [f"    path: {init._quote(path) if isinstance(entry.path, str) else path}"]
    fmt = preset.get("format")
    if fmt:
        extra = ", ".join(f"{k}: {_option(v)}" for k, v in options.items())
        lines.append(f"    format: {{name: {fmt}, {extra}}}" if extra else f"    format: {fmt}")
    if directed:
        lines.append("    directed: true")
    columns = {field: column for field, column in spec.get("columns", {}).items() if column in header}
    ignore = [c for c in spec.get("ignore", []) if c in header]
    by_graph = graph_fields(entry.key) | {name: name for name in allowed}  # illnet's own names
    notes: list[str] = []
    for column in header:
        if column in columns.values() or column in ignore:
            continue
        field = by_graph.get(column, init.guess_field(column, [f for f in allowed if f not in columns]))
        if column in by_graph and (field is None or field in columns or field not in allowed):
            ignore.append(column)  # an id, a derived or computed property, or one already mapped
        elif field and not _translates(field, frame[column]):
            notes.append(f"    # {column}: kept as an attribute; to use it as {field}, map it under columns "
                         f"with codes: {{{field}: {{<value>: <code>}}}}")
        elif field and field not in ("participant_id", "member_id", "member_a", "member_b"):
            columns[field] = column
            if field == "relationship_type" and "relationship_raw" in allowed:
                columns.setdefault("relationship_raw", column)
    lines.append("    columns:")
    lines += [f"      {field}: {init._quote(column)}" for field, column in columns.items()]
    fixed = {name: column for name, column in spec.get("attributes", {}).items() if column in header}
    rest = [c for c in header if c not in columns.values() and c not in ignore and c not in fixed.values()]
    attributes = [f"      {name}: {{column: {init._quote(column)}, type: string}}" for name, column in fixed.items()]
    core = _core_properties(ATTRIBUTE_TABLES[entry.key])
    proposed = [re.sub(r"^(\s+)(\w+):", lambda m: f"{m[1]}{m[2]}_raw:" if m[2] in core else m[0], line)
                for line in init._attributes_block(frame, rest, "    ")]
    typed = _protocol_types(codebook, entry, proposed[1:], frame) if codebook else proposed[1:]
    if attributes or typed:
        lines += ["    attributes:   # every other column, kept as a study attribute: check names and types"]
        lines += attributes + typed
    if ignore:
        lines.append("    ignore: [" + ", ".join(init._quote(c) for c in ignore) + "]")
    return lines + notes


def _translates(field: str, values: pd.Series) -> bool:
    """Whether every value of a column is a code of the field's vocabulary (or it has none)."""
    vocabulary = field_vocabulary(field)
    if vocabulary is None:
        return True
    codes = set(map(str, model.vocabulary(vocabulary)))
    present = {str(v).strip() for v in values.dropna() if str(v).strip() not in ("", "NA")}
    return all(translate(field, value, {}) in codes for value in present)


def _protocol_types(codebook: dict, entry: Entry, lines: list[str], frame: pd.DataFrame) -> list[str]:
    """Proposed attribute lines with the protocol's variable types and categorical options
    (options as codes unless some row chose several)."""
    kind = {"participants": "ego", "members": "attributeList", "member_ties": "edgeList"}[entry.key]
    variables = nc_protocol.variables(codebook, kind, entry.type_name)
    out = []
    for line in lines:
        column = re.search(r"column: (\"[^\"]*\"|[^,]+),", line).group(1).strip('"')
        base = re.sub(r"_[xy]$", "", column)
        spec = variables.get(column) or (variables.get(base) if variables.get(base, {}).get("type") == "layout"
                                         else None)
        if spec:
            kind_of = nc_protocol.TYPES.get(spec["type"], "string")
            line = re.sub(r"type: [a-z]+", f"type: {kind_of}", line)
            multiple = column in frame and frame[column].fillna("").astype(str).str.contains(";").any()
            if spec["type"] in ("categorical", "ordinal") and spec["options"] and not multiple:
                codes = ", ".join(f"{_yaml_text(v)}: {_yaml_text(label)}" for v, label in spec["options"])
                line = line[:-1] + f", codes: {{{codes}}}}}"
        out.append(line)
    return out
