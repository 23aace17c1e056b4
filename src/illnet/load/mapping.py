"""Mapping files (loaders/MAPPING.md): parse the YAML and check it before any data is read.

`load_mapping(path)` returns a `Mapping` or raises `MappingInvalid` whose `problems`
name the mapping file, the line and the offending key (e.g. `files.members.columns`).
"""

import glob
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from illnet import model
from illnet.errors import InputError
from illnet.load import formats, safe_yaml
from illnet.load.problems import Problem
from illnet.load.tables import ATTRIBUTE_TYPES, DERIVED, Attribute, element_of
from illnet.values import YES, as_text

LAYOUTS = ("long", "wide")
DEFAULT_MISSING = ["", "NA", "N/A", "NaN", "nan", "."]
DEFAULT_YES = sorted(YES | {"x"})  # "x": a ticked box in many survey exports
DEFAULT_NO = ["0", "no", "n", "false", "f", ""]
TOP_KEYS = {"version", "study", "layout", "missing_values", "synthetic", "tie_classes", "files", "privacy",
            "relationship_types", "circles", "age_bands"}
FILE_KEYS = {"path", "encoding", "delimiter", "sheet", "columns", "constants", "codes", "multi",
             "tasks", "reciprocal_tasks", "yes_values", "no_values", "missing_values",
             "use_value_labels", "slots", "attributes", "ignore", "directed", "format"}
SLOT_KEYS = {"pattern", "count", "columns", "codes", "tasks", "reciprocal_tasks", "attributes"}
ATTRIBUTE_KEYS = {"column", "type", "label", "codes", "per_wave"}
RELATIONSHIP_TYPE_KEYS = {"tie_class", "kind", "label"}
KINDS = ("person", "group", "organisation", "professional", "non_human")
# Canonical table of a file's attributes (a members file: members, or ties when per_wave).
ATTRIBUTE_TABLES = {"participants": "participants", "members": "members", "support": "support",
                    "member_ties": "member_ties", "resources": "resources", "participation": "participation",
                    "resource_links": "resource_links"}
WAVE_TABLES = ("members", "support", "member_ties", "participation", "resource_links")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MULTI_TABLES = {"conditions": "condition"}


def _fields(*tables: str, drop: tuple[str, ...] = ()) -> list[str]:
    names: list[str] = []
    for table in tables:
        for name in model.load("tables")[table]["fields"]:
            if name not in names and name not in DERIVED and name not in drop:
                names.append(name)
    return names


# file key -> (canonical tables it fills, mappable fields, fields that must be given)
FILE_KINDS: dict[str, tuple[tuple[str, ...], list[str], list[str]]] = {
    "participants": (("participants",), _fields("participants") + ["wave"], ["participant_id"]),
    "members": (("members", "ties"), _fields("members", "ties"), ["participant_id", "member_id"]),
    "support": (("support",), _fields("support"), ["participant_id", "member_id", "task"]),
    "member_ties": (("member_ties",), _fields("member_ties", drop=("directed",)),
                    ["participant_id", "member_a", "member_b"]),
    "resources": (("resources",), _fields("resources"), ["resource_id", "resource_type"]),
    "participation": (("participation",), _fields("participation"), ["participant_id", "resource_id"]),
    "resource_links": (("resource_links",), _fields("resource_links"),
                       ["participant_id", "member_id", "resource_id"]),
}
SLOT_FIELDS = _fields("members", "ties", drop=("participant_id", "wave"))
SLOT_REQUIRED: list[str] = []


def field_vocabulary(name: str) -> str | None:
    """Vocabulary of a canonical field (the same in every table that has it)."""
    if name == "condition":
        return "condition"
    for table in model.load("tables").values():
        spec = table["fields"].get(name)
        if spec and spec.get("vocabulary"):
            return spec["vocabulary"]
    return None


def field_type(name: str) -> str:
    """Type of a canonical field: string, integer or boolean."""
    for table in model.load("tables").values():
        if name in table["fields"]:
            return table["fields"][name]["type"]
    return "string"


@dataclass
class SlotSpec:
    """Numbered member slots of a wide file."""

    pattern: str
    count: int | None  # None: found from the header
    columns: dict[str, str]
    codes: dict[str, dict[str, str]]
    tasks: dict[str, str]
    reciprocal_tasks: dict[str, str]
    attributes: dict[str, Attribute] = field(default_factory=dict)  # source_column: the {field} part

    def column(self, n: int, source_field: str) -> str:
        return self.pattern.replace("{n}", str(n)).replace("{field}", source_field)


@dataclass
class FileSpec:
    """One source file of the mapping (a key under `files:`)."""

    key: str
    path: str
    full_path: Path
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | int | None = None
    use_value_labels: bool = True
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    multi: dict[str, tuple[str, str]] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    reciprocal_tasks: dict[str, str] = field(default_factory=dict)
    yes_values: set[str] = field(default_factory=set)
    no_values: set[str] = field(default_factory=set)
    missing_values: set[str] = field(default_factory=set)
    slots: SlotSpec | None = None
    attributes: dict[str, Attribute] = field(default_factory=dict)
    ignore: set[str] = field(default_factory=set)
    directed: bool = False
    label: str = ""  # how the mapping names this file: its key, or key[n] when the key holds several
    format: str = ""  # another tool's export read by a reader of illnet.load.formats ("" = by suffix)
    format_options: dict = field(default_factory=dict)  # that reader's options (`format: {name: ..., ...}`)

    def mapped_columns(self) -> set[str]:
        """Every source column this file's mapping uses, declares as attribute, or ignores."""
        used = set(self.columns.values()) | set(self.tasks.values()) | set(self.reciprocal_tasks.values())
        used |= {column for column, _ in self.multi.values()} | self.ignore
        return used | {attribute.source_column for attribute in self.attributes.values()}


@dataclass
class Mapping:
    """A parsed and checked mapping file."""

    path: Path
    study_id: str
    name: str
    design: str
    layout: str
    synthetic: bool
    tie_classes: dict[str, str]
    files: dict[str, FileSpec]  # by label (FileSpec.label); FileSpec.key is the kind of file
    relationship_types: dict[str, dict] = field(default_factory=dict)  # study-declared codes
    circle_cuts: tuple[tuple[float, str], ...] = ()  # (lowest closeness, circle), highest first
    age_bands: tuple[int, ...] = ()  # lower bounds of the study's age bands, ascending
    pseudonymise: bool = False  # participant and member ids replaced by keyed pseudonyms at load
    release_min_count: int | None = None  # every result of the study released with this threshold
    text: str = ""  # the mapping file as read (recorded on the LoadRun, part of its fingerprint)


class MappingInvalid(InputError):
    """The mapping file cannot be used; `problems` says where and why."""


def _key_lines(text: str) -> dict[tuple, int]:
    """Line number (1-based) of every mapping key path in the YAML text."""
    lines: dict[tuple, int] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                sub = path + (str(key_node.value),)
                lines[sub] = key_node.start_mark.line + 1
                walk(value_node, sub)

    walk(yaml.compose(text), ())
    return lines


class _Checker:
    """Collects mapping problems, each pointing at the line of the key concerned."""

    def __init__(self, label: str, lines: dict[tuple, int]):
        self.label, self.lines, self.problems = label, lines, []

    def add(self, path: tuple, value, message: str, fix: str) -> None:
        row = next((self.lines[path[:i]] for i in range(len(path), 0, -1) if path[:i] in self.lines), None)
        self.problems.append(Problem(self.label, row, ".".join(map(str, path)),
                                     None if value is None else as_text(value), message, fix))

    def mapping(self, node, path: tuple, allowed: set[str] | None = None) -> dict:
        """`node` as a dict (empty, with a problem, if it is not one); flags unknown keys."""
        if node is None:
            return {}
        if not isinstance(node, dict):
            self.add(path, node, "should be a mapping of keys to values", "indent the entries under this key")
            return {}
        for key in node:
            if allowed is not None and str(key) not in allowed:
                self.add(path + (key,), None, "unknown key", f"use one of: {', '.join(sorted(allowed))}")
        return {str(k): v for k, v in node.items()}

    def fields(self, node, path: tuple, allowed: list[str]) -> dict[str, str]:
        """A `canonical field: value` section; flags fields that are not canonical."""
        result = {}
        for name, value in self.mapping(node, path).items():
            if name in DERIVED:
                self.add(path + (name,), value, f"'{name}' is derived from {DERIVED[name]}, not mapped",
                         "remove this line")
            elif name not in allowed:
                self.add(path + (name,), value, f"'{name}' is not a canonical field of this file",
                         f"use one of: {', '.join(allowed)}")
            else:
                result[name] = as_text(value)
        return result

    def codes(self, node, path: tuple, allowed: list[str]) -> dict[str, dict[str, str]]:
        result = {}
        for name, table in self.mapping(node, path).items():
            if name not in allowed and name not in MULTI_TABLES.values():
                self.add(path + (name,), None, f"'{name}' is not a canonical field of this file",
                         f"use one of: {', '.join(allowed)}")
                continue
            result[name] = {as_text(k): as_text(v) for k, v in self.mapping(table, path + (name,)).items()}
        return result

    def tasks(self, node, path: tuple) -> dict[str, str]:
        result = {}
        for task, column in self.mapping(node, path).items():
            if task not in model.vocabulary("task"):
                self.add(path + (task,), task, "not a task code of the task vocabulary",
                         f"use one of: {', '.join(model.vocabulary('task'))}")
            else:
                result[task] = as_text(column)
        return result

    def values_list(self, node, path: tuple) -> list:
        """A YAML list (empty, with a problem, if it is not one)."""
        if node is None:
            return []
        if not isinstance(node, list):
            self.add(path, node, "should be a list", 'write it as ["a", "b"]')
            return []
        return node

    def values(self, node, path: tuple, default: list[str]) -> set[str]:
        """A list of cell values, compared case-insensitively (`default` when not given)."""
        if node is None:
            return set(default)
        return {as_text(v).strip().lower() for v in self.values_list(node, path)}


def load_mapping(path: str | Path, *, allow_outside: bool = False) -> Mapping:
    """Parse and check a mapping file; raise MappingInvalid listing every problem.
    Source files must lie inside the mapping's folder unless allow_outside."""
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise MappingInvalid(f"mapping file not found: {path}", [Problem(
            label, None, None, str(path), "mapping file not found", "give the path of an existing mapping file")])
    text = path.read_text(encoding="utf-8-sig")
    try:
        raw = safe_yaml.load(text)
        lines = _key_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MappingInvalid(f"{label} is not valid YAML", [Problem(
            label, mark.line + 1 if mark else None, getattr(exc, "key_path", None), None,
            problem if isinstance(exc, safe_yaml.UnsafeYaml) else f"not valid YAML: {problem}",
            getattr(exc, "fix", "check the indentation and quoting on this line"))]) from exc
    check = _Checker(label, lines)
    _check_placeholders(raw, check)
    mapping = _parse(raw, path, check)
    if mapping is not None and not allow_outside:
        _check_inside(mapping, check)
    if check.problems:
        raise MappingInvalid(f"{label} has {len(check.problems)} problem(s)", check.problems,
                             hint="see loaders/MAPPING.md for the format")
    mapping.text = text
    return mapping


PLACEHOLDER = re.compile(r"^\s*(TODO|<[^>]*>\s*$)")  # what `illnet mapping init` leaves to fill in


def _check_placeholders(node, check: _Checker, path: tuple = ()) -> None:
    """Values (and keys) still holding a placeholder of `illnet mapping init` (TODO..., <...>)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and PLACEHOLDER.match(key):
                check.add(path + (key,), key, "placeholder left by `illnet mapping init`",
                          "replace it with the real key, or remove the line")
            _check_placeholders(value, check, path + (key,))
    elif isinstance(node, list):
        for item in node:
            _check_placeholders(item, check, path)
    elif isinstance(node, str) and PLACEHOLDER.match(node):
        check.add(path, node, "placeholder left by `illnet mapping init`", "replace it with the real value")


def outside(base: Path, path: Path) -> bool:
    """True when `path` (symlinks resolved) is not inside the folder `base`."""
    return not path.resolve().is_relative_to(base.resolve())


def _check_inside(mapping: Mapping, check: _Checker) -> None:
    """Source paths that are absolute, climb out with '..' or resolve (through a symlink)
    outside the mapping's folder."""
    base = mapping.path.parent
    for key, spec in mapping.files.items():
        if spec.path and outside(base, spec.full_path):
            check.add(("files", key, "path"), spec.path, "the file is outside the mapping's folder "
                      f"({base}; absolute paths, '..' and symlinks out of it are refused)",
                      "copy the file into the study folder, or pass --allow-outside if you trust this mapping")


def _parse(raw, path: Path, check: _Checker) -> Mapping | None:
    top = check.mapping(raw, (), TOP_KEYS)
    if raw is not None and not isinstance(raw, dict):
        return None
    if top.get("version", 1) != 1:
        check.add(("version",), top.get("version"), "unsupported mapping version", "set version: 1")
    study = check.mapping(top.get("study"), ("study",), {"id", "name", "design"})
    if not as_text(study.get("id")).strip():
        check.add(("study",), None, "study.id is missing", "add `study: {id: <short study id>}`")
    layout = as_text(top.get("layout", "long"))
    if layout not in LAYOUTS:
        check.add(("layout",), layout, "unknown layout", "use layout: long or layout: wide")
    missing = check.values(top.get("missing_values"), ("missing_values",), DEFAULT_MISSING)
    tie_classes = model.default_tie_classes()
    relationship_types = _relationship_types(top.get("relationship_types"), check)
    tie_classes |= {code: spec["tie_class"] for code, spec in relationship_types.items()}
    for rel, cls in check.mapping(top.get("tie_classes"), ("tie_classes",)).items():
        if rel not in model.vocabulary("relationship_type") and rel not in relationship_types:
            check.add(("tie_classes", rel), rel, "not a relationship_type code", "use a code of relationship_type")
        elif as_text(cls) not in model.vocabulary("tie_class"):
            check.add(("tie_classes", rel), cls, "not a tie_class code",
                      f"use one of: {', '.join(model.vocabulary('tie_class'))}")
        else:
            tie_classes[rel] = as_text(cls)
    design = as_text(study.get("design") or "cross-sectional")
    files_node = check.mapping(top.get("files"), ("files",), set(FILE_KINDS))
    files = {}
    for key, node in files_node.items():
        if key in FILE_KINDS:
            for spec in _parse_entries(key, node, path.parent, missing, check):
                files[spec.label] = spec
    _check_layout(layout, design, files, check)
    return Mapping(path=path, study_id=as_text(study.get("id")).strip(), name=as_text(study.get("name")),
                   design=design, layout=layout, synthetic=bool(top.get("synthetic", False)),
                   tie_classes=tie_classes, files=files, relationship_types=relationship_types,
                   circle_cuts=_circle_cuts(top.get("circles"), check),
                   age_bands=_age_bands(top.get("age_bands"), check),
                   **_privacy(top.get("privacy"), check))


def _privacy(node, check: _Checker) -> dict:
    """`privacy: {pseudonymise: true, release_min_count: 10}`: ids never reach the graph raw;
    every result of the study is released (small counts suppressed below the count)."""
    spec = check.mapping(node, ("privacy",), {"pseudonymise", "release_min_count"})
    pseudonymise, threshold = spec.get("pseudonymise", False), spec.get("release_min_count")
    if not isinstance(pseudonymise, bool):
        check.add(("privacy", "pseudonymise"), pseudonymise, "should be true or false", "write pseudonymise: true")
        pseudonymise = False
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1):
        check.add(("privacy", "release_min_count"), threshold, "should be a whole number of 1 or more",
                  "write e.g. release_min_count: 10 (NHS and ONS practice suppress counts below 5 or 10)")
        threshold = None
    return {"pseudonymise": pseudonymise, "release_min_count": threshold}


def _relationship_types(node, check: _Checker) -> dict[str, dict]:
    """Study-declared relationship types: code -> {tie_class, kind, label}."""
    declared = {}
    for code, spec in check.mapping(node, ("relationship_types",)).items():
        here = ("relationship_types", code)
        spec = check.mapping(spec, here, RELATIONSHIP_TYPE_KEYS)
        tie_class, kind = as_text(spec.get("tie_class")), as_text(spec.get("kind") or "person")
        if tie_class not in model.vocabulary("tie_class"):
            check.add(here + ("tie_class",), tie_class or None, "a declared relationship type needs its tie class",
                      f"add tie_class: one of {', '.join(model.vocabulary('tie_class'))}")
        elif kind not in KINDS:
            check.add(here + ("kind",), kind, "unknown kind", f"use one of: {', '.join(KINDS)}")
        else:
            declared[code] = {"tie_class": tie_class, "kind": kind, "label": as_text(spec.get("label") or code)}
    return declared


def _circle_cuts(node, check: _Checker) -> tuple[tuple[float, str], ...]:
    """`circles: {inner: 4, middle: 3, outer: 1}`: closeness >= 4 is inner, >= 3 middle, >= 1 outer."""
    cuts = []
    for circle, low in check.mapping(node, ("circles",)).items():
        if circle not in model.vocabulary("circle"):
            check.add(("circles", circle), circle, "not a circle code", f"use {', '.join(model.vocabulary('circle'))}")
        elif isinstance(low, bool) or not isinstance(low, (int, float)):
            check.add(("circles", circle), low, "a cut point must be a number",
                      "give the lowest closeness of the circle, e.g. inner: 4")
        else:
            cuts.append((float(low), circle))
    return tuple(sorted(cuts, reverse=True))


def _age_bands(node, check: _Checker) -> tuple[int, ...]:
    """`age_bands: [18, 36, 41, 51, 61]`: bands 18-35, 36-40, 41-50, 51-60 and 61+."""
    if node is None:
        return ()
    if not isinstance(node, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in node) \
            or sorted(set(node)) != node:
        check.add(("age_bands",), node, "age_bands must be a list of whole numbers in increasing order",
                  "write the lower bound of each band, e.g. age_bands: [18, 36, 41, 51, 61]")
        return ()
    return tuple(node)


def _parse_entries(key: str, node, base: Path, missing: set[str], check: _Checker) -> list[FileSpec]:
    """The FileSpecs of one `files:` key: a file entry, or a list of entries; an entry's
    path may be one file, a list of files or a glob pattern (one spec per file found)."""
    entries = node if isinstance(node, list) else [node]
    specs = []
    for index, entry in enumerate(entries):
        here = ("files", key) if not isinstance(node, list) else ("files", key, index)
        for rel in _paths(entry, base, here, key, check):
            specs.append(_parse_file(key, {**entry, "path": rel}, base, missing, check, here))
    for number, spec in enumerate(specs, start=1):
        spec.label = key if len(specs) == 1 else f"{key}[{number}]"
    return specs


def _paths(entry, base: Path, here: tuple, key: str, check: _Checker) -> list[str]:
    """The relative paths an entry names (a glob is expanded, sorted); [''] when it names none."""
    if not isinstance(entry, dict):
        return [""]
    given = entry.get("path")
    paths = [as_text(p).strip() for p in given] if isinstance(given, list) else [as_text(given).strip()]
    found = []
    for rel in paths:
        if rel and glob.has_magic(rel):
            matches = sorted(str(Path(m).relative_to(base)) for m in glob.glob(str(base / rel)))
            if not matches:
                check.add(here + ("path",), rel, f"no file matches the pattern (looked in {base})",
                          "correct the pattern; it is relative to the mapping file")
            found += matches
        else:
            found.append(rel)
    return found or [""]


def _parse_file(key: str, node, base: Path, missing: set[str], check: _Checker, here: tuple) -> FileSpec:
    spec = check.mapping(node, here, FILE_KEYS)
    allowed = FILE_KINDS[key][1]
    rel = as_text(spec.get("path")).strip()
    if not rel:
        check.add(here + ("path",), None, "path is missing", f"add `path: <file>` under files.{key}")
    elif not (base / rel).is_file():
        check.add(here + ("path",), rel, f"file not found (looked in {base})",
                  "correct the path; it is relative to the mapping file")
    multi = {}
    for table, entry in check.mapping(spec.get("multi"), here + ("multi",)).items():
        entry = check.mapping(entry, here + ("multi", table), {"column", "separator"})
        if key != "participants" or table not in MULTI_TABLES:
            check.add(here + ("multi", table), None, "unknown multi-value field",
                      "only participants may have multi: {conditions: {column, separator}}")
        elif not entry.get("column"):
            check.add(here + ("multi", table, "column"), None, "column is missing", "name the source column")
        else:
            multi[table] = (as_text(entry["column"]), as_text(entry.get("separator", ";")))
    return FileSpec(
        key=key, path=rel, full_path=base / rel,
        encoding=as_text(spec.get("encoding") or "auto"), delimiter=as_text(spec.get("delimiter") or "auto"),
        sheet=spec.get("sheet"), use_value_labels=bool(spec.get("use_value_labels", True)),
        columns=check.fields(spec.get("columns"), here + ("columns",), allowed),
        constants=check.fields(spec.get("constants"), here + ("constants",), allowed),
        codes=check.codes(spec.get("codes"), here + ("codes",), allowed),
        multi=multi,
        tasks=check.tasks(spec.get("tasks"), here + ("tasks",)),
        reciprocal_tasks=check.tasks(spec.get("reciprocal_tasks"), here + ("reciprocal_tasks",)),
        yes_values=check.values(spec.get("yes_values"), here + ("yes_values",), DEFAULT_YES),
        no_values=check.values(spec.get("no_values"), here + ("no_values",), DEFAULT_NO),
        missing_values=check.values(spec.get("missing_values"), here + ("missing_values",), [])
        | {m.lower() for m in missing},
        slots=_parse_slots(spec["slots"], here + ("slots",), check) if "slots" in spec else None,
        attributes=_attributes(spec.get("attributes"), here + ("attributes",), ATTRIBUTE_TABLES[key], check),
        ignore={as_text(column) for column in check.values_list(spec.get("ignore"), here + ("ignore",))},
        directed=_directed(key, spec.get("directed", False), here, check),
        **_format(spec.get("format"), base, here + ("format",), check),
    )


def _format(node, base: Path, here: tuple, check: _Checker) -> dict:
    """`format: NAME` or `format: {name: NAME, option: value}`: a reader of illnet.load.formats;
    a `protocol:` option is a path relative to the mapping file."""
    if node is None:
        return {}
    options = dict(node) if isinstance(node, dict) else {"name": node}
    name = as_text(options.pop("name", ""))
    if name not in formats.NAMES:
        check.add(here, name or None, "unknown file format", f"use one of: {', '.join(formats.NAMES)}")
        return {}
    if "protocol" in options and not (base / as_text(options["protocol"])).is_file():
        check.add(here + ("protocol",), options["protocol"], f"file not found (looked in {base})",
                  "correct the path; it is relative to the mapping file")
    return {"format": name, "format_options": {str(k): str(base / as_text(v)) if k == "protocol" else v
                                               for k, v in options.items()}}


def _directed(key: str, value, here: tuple, check: _Checker) -> bool:
    if not isinstance(value, bool) or (value and key != "member_ties"):
        check.add(here + ("directed",), value, "directed is true or false, and only for member_ties",
                  "remove it, or write directed: true under files.member_ties")
        return False
    return value


def _attributes(node, here: tuple, table: str, check: _Checker) -> dict[str, Attribute]:
    """`attributes: {name: {column, type, label, codes, per_wave}}` (or `name: column`)."""
    found = {}
    for name, spec in check.mapping(node, here).items():
        spec = {"column": spec} if isinstance(spec, (str, int)) else spec
        spec = check.mapping(spec, here + (name,), ATTRIBUTE_KEYS)
        kind = as_text(spec.get("type") or "string")
        target = "ties" if table == "members" and spec.get("per_wave") else table
        core = _core_properties(target)
        if not IDENTIFIER.match(name) or name in core:
            check.add(here + (name,), name, "an attribute name must be an identifier that is not a core property"
                      + (f" of {element_of(target)} ({', '.join(sorted(core))})" if name in core else ""),
                      "rename it: letters, digits and _ only, e.g. alter_sex")
        elif kind not in ATTRIBUTE_TYPES:
            check.add(here + (name, "type"), kind, "unknown attribute type", f"use one of: {', '.join(ATTRIBUTE_TYPES)}")
        elif not spec.get("column"):
            check.add(here + (name, "column"), None, "column is missing", "name the source column")
        else:
            codes = tuple((as_text(k), as_text(v)) for k, v in check.mapping(spec.get("codes"), here + (name, "codes")).items())
            found[name] = Attribute(name, target, "category" if codes and kind == "string" else kind,
                                    as_text(spec["column"]), as_text(spec.get("label") or ""), codes)
    return found


def _core_properties(table: str) -> set[str]:
    """Property names the graph element of a table has already (graph.yaml, provenance, key)."""
    graph = model.load("graph")
    element = element_of(table)
    spec = graph["nodes"].get(element) or graph["relationships"][element]
    return set(spec["properties"]) | set(graph["provenance"]) | {"key"}


def _parse_slots(node, here: tuple, check: _Checker) -> SlotSpec:
    spec = check.mapping(node, here, SLOT_KEYS)
    pattern = as_text(spec.get("pattern"))
    if "{n}" not in pattern or "{field}" not in pattern:
        check.add(here + ("pattern",), pattern or None, "the pattern needs both {n} and {field}",
                  'write e.g. pattern: "member{n}_{field}"')
    count = spec.get("count", "auto")
    if count != "auto" and not (isinstance(count, int) and count > 0):
        check.add(here + ("count",), count, "count should be auto or a positive whole number", "set count: auto")
    columns = check.fields(spec.get("columns"), here + ("columns",), SLOT_FIELDS)
    for name in SLOT_REQUIRED:
        if name not in columns:
            check.add(here + ("columns",), None, f"required field '{name}' is not mapped",
                      f"add `{name}: <source field>` under slots.columns")
    return SlotSpec(pattern=pattern, count=None if count == "auto" else count, columns=columns,
                    codes=check.codes(spec.get("codes"), here + ("codes",), SLOT_FIELDS),
                    tasks=check.tasks(spec.get("tasks"), here + ("tasks",)),
                    reciprocal_tasks=check.tasks(spec.get("reciprocal_tasks"), here + ("reciprocal_tasks",)),
                    attributes=_attributes(spec.get("attributes"), here + ("attributes",), "members", check))


def _check_layout(layout: str, design: str, files: dict[str, FileSpec], check: _Checker) -> None:
    """Files the layout needs, and required fields that are neither columns nor constants.
    Outside a panel a file without a wave is wave 0; in a panel the wave must be given."""
    kinds = {spec.key for spec in files.values()}
    if "participants" not in kinds:
        check.add(("files",), None, "files.participants is missing", "add the participants (ego) file")
    if layout == "long" and "members" not in kinds:
        check.add(("files",), None, "the long layout needs files.members", "add the members file or use layout: wide")
    if layout == "wide" and "members" in kinds:
        check.add(("files", "members"), None, "the wide layout takes members from slots, not a members file",
                  "move the member columns under files.participants.slots or use layout: long")
    if layout == "wide" and any(s.key == "participants" and s.slots is None for s in files.values()):
        check.add(("files", "participants"), None, "the wide layout needs slots under files.participants",
                  "add a slots: section (see MAPPING.md)")
    for spec in files.values():
        key = spec.key
        waved = key in WAVE_TABLES or (key == "participants" and layout == "wide")
        required = list(FILE_KINDS[key][2]) + (["wave"] if waved and design == "panel" else [])
        for name in required:
            if name not in spec.columns and name not in spec.constants:
                check.add(("files", key, "columns"), None, f"required field '{name}' is not mapped",
                          f"add `{name}: <source column>` under columns (or under constants)")
        if waved and "wave" not in spec.columns:
            spec.constants.setdefault("wave", "0")
