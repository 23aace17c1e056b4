"""The Network Canvas protocol file (`.netcanvas`: a zip holding `protocol.json`): the
codebook of every ego, node and edge variable with its type and categorical options."""

import json
import zipfile
from functools import lru_cache
from pathlib import Path

from illnet.errors import InputError

MAX_BYTES = 50_000_000  # protocol.json of a real study is kilobytes; refuse anything absurd
# Network Canvas variable type -> study attribute type
TYPES = {"text": "string", "number": "float", "boolean": "boolean", "datetime": "date", "scalar": "float",
         "ordinal": "category", "categorical": "category", "layout": "float", "location": "string"}
KINDS = {"ego": "ego", "attributeList": "node", "edgeList": "edge"}


@lru_cache(maxsize=8)
def load(path: Path) -> dict:
    """The codebook of a .netcanvas file."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("protocol.json")
            if info.file_size > MAX_BYTES:
                raise InputError(f"{path.name}: protocol.json is {info.file_size} bytes", hint="is this a protocol?")
            return json.loads(archive.read(info)).get("codebook", {})
    except (zipfile.BadZipFile, KeyError, FileNotFoundError, json.JSONDecodeError) as exc:
        raise InputError(f"{path.name} is not a Network Canvas protocol file ({exc})",
                         hint="give the .netcanvas file of the protocol the interviews used") from exc


def variables(codebook: dict, kind: str, type_name: str | None) -> dict[str, dict]:
    """name -> {type, options: [(value, label)]} of the variables of one entity ('ego', or a
    node or edge type by name) in the codebook."""
    section = codebook.get(KINDS[kind], {})
    if kind == "ego":
        found = section.get("variables", {})
    else:
        found = next((t.get("variables", {}) for t in section.values() if t.get("name") == type_name), {})
    return {v["name"]: {"type": v.get("type", "text"),
                        "options": [(str(o.get("value")), str(o.get("label", o.get("value"))))
                                    for o in v.get("options", []) if isinstance(o, dict)]}
            for v in found.values() if "name" in v}


def categorical_columns(codebook: dict, kind: str, type_name: str | None, columns: list[str]) -> dict[str, list[str]]:
    """variable -> its option columns present in `columns`, for the entity's categorical variables."""
    groups = {}
    for name, spec in variables(codebook, kind, type_name).items():
        if spec["type"] == "categorical":
            present = [f"{name}_{value}" for value, _ in spec["options"] if f"{name}_{value}" in columns]
            if present:
                groups[name] = present
    return groups
