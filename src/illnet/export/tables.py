"""A study read back from Neo4j as flat rows per kind of file, and the mapping that reads
those files back: every export writes its files plus a mapping.yaml, so that
`illnet load OUT/mapping.yaml` rebuilds the same graph (attribute types, labels and codes,
the study's own relationship types and age bands included)."""

import json

from illnet import model
from illnet.export.study import CONDITIONS, StudyData
from illnet.load.from_format import graph_fields
from illnet.load.mapping import FILE_KINDS

# Properties the load derives or computes: never written as columns.
COMPUTED = {"studyId", "participantId", "memberId", "tieClass", "kind", "status", "nextWaveStatus", "directed"}
IDS = {"participants": ("participant",), "members": ("participant", "member"),
       "member_ties": ("participant", "source", "target")}
ELEMENTS = {"Participant": ("participants", False), "NetworkMember": ("members", False),
            "HAS_MEMBER": ("members", True), "KNOWS": ("member_ties", False)}


def _values(props: dict, codes: dict[str, dict]) -> dict:
    """Properties without computed ones; category labels back to the study's codes."""
    out = {}
    for name, value in props.items():
        if name in COMPUTED:
            continue
        back = codes.get(name)
        out[name] = back.get(value, value) if back and value is not None else value
    return out


def reverse_codes(data: StudyData) -> dict[str, dict[str, dict]]:
    """element -> attribute -> {label: code} for categories declared with codes."""
    found: dict[str, dict[str, dict]] = {}
    for attribute in data.attributes:
        codes = json.loads(attribute.get("codes") or "{}")
        if codes and len(set(codes.values())) == len(codes):
            found.setdefault(attribute["element"], {})[attribute["name"]] = {v: k for k, v in codes.items()}
    return found


def rows(data: StudyData) -> dict[str, list[dict]]:
    """participants / members (one per wave named) / member_ties rows, ids first."""
    codes = reverse_codes(data)
    out = {"participants": [{"participant": p["participantId"], **_values(p, codes.get("Participant", {}))}
                            for p in data.participants],
           "members": [{"participant": m["participantId"], "member": m["memberId"],
                        **_values(m, codes.get("NetworkMember", {})), **_values(h, codes.get("HAS_MEMBER", {}))}
                       for m, h in data.visits]}
    out["member_ties"] = [{"participant": p, "source": a, "target": b, **_values(k, codes.get("KNOWS", {})),
                           "directed": bool(k.get("directed"))} for p, a, b, k in data.knows]
    return out


def header(found: list[dict], kind: str, data: StudyData) -> list[str]:
    """Columns of a kind's rows: ids first, every property present, then declared attributes
    that no row has a value for (so that they are declared again)."""
    declared = [a["name"] for a in data.attributes if ELEMENTS.get(a["element"], ("",))[0] == kind]
    core = list(graph_fields(kind))
    names = sorted({name for row in found for name in row if name != "directed"},
                   key=lambda n: (n not in core, core.index(n) if n in core else 0, n))
    return list(dict.fromkeys([*IDS[kind], *names, *declared]))


def _quote(value) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _relationship_types(data: StudyData) -> list[str]:
    builtin = set(map(str, model.vocabulary("relationship_type")))
    declared = {}
    for member, _ in data.visits:
        code = member.get("relationshipType")
        if code and code not in builtin:
            declared[code] = (member.get("tieClass"), member.get("kind") or "person")
    return [f"  {code}: {{tie_class: {tie}, kind: {kind}}}" for code, (tie, kind) in sorted(declared.items())]


def _age_bands(data: StudyData) -> list[int]:
    """Lower bounds that give back the study's own age bands (e.g. 18-35 -> 18 and 36)."""
    builtin = set(map(str, model.vocabulary("age_band")))
    bounds = set()
    for p in data.participants:
        band = p.get("ageBand")
        if band and band not in builtin:
            low, _, high = band.rstrip("+").partition("-")
            bounds |= {int(low)} | ({int(high) + 1} if high else set())
    return sorted(bounds)


def mapping_text(data: StudyData, entries: list[dict]) -> str:
    """The mapping YAML reading the exported files back. Each entry: key, path (or paths), header,
    ids (id column per role), and optionally format (text) and directed."""
    fields = {kind: graph_fields(kind) for kind in IDS}
    attributes = {}
    for attribute in data.attributes:
        kind, per_wave = ELEMENTS.get(attribute["element"], (None, False))
        if kind:
            attributes.setdefault(kind, {})[attribute["name"]] = (attribute, per_wave)
    lines = ["# Written by `illnet export`: reads these files back into the same graph (`illnet load`).",
             "version: 1", "study:", f"  id: {_quote(data.study_id)}", f"  name: {_quote(data.study.get('name') or '')}",
             f"  design: {_quote(data.study.get('design') or 'cross-sectional')}", "layout: long", 'missing_values: [""]']
    declared = _relationship_types(data)
    lines += ["relationship_types:"] + declared if declared else []
    bands = _age_bands(data)
    lines += [f"age_bands: {bands}"] if bands else []
    lines.append("files:")
    by_key: dict[str, list[list[str]]] = {}
    for entry in entries:
        kind, ids = entry["key"], entry["ids"]
        path = entry["path"]
        block = [f"    path: {_quote(path) if isinstance(path, str) else '[' + ', '.join(map(_quote, path)) + ']'}"]
        block += [f"    format: {entry['format']}"] if entry.get("format") else []
        block += ["    directed: true"] if entry.get("directed") else []
        canonical = {"participant": "participant_id", "member": "member_id", "source": "member_a",
                     "target": "member_b"}
        block.append("    columns:")
        multi = ["    multi:", f"      conditions: {{column: {_quote(CONDITIONS)}, separator: \";\"}}"] \
            if kind == "participants" and CONDITIONS in entry["header"] else []
        block += [f"      {canonical[role]}: {_quote(column)}" for role, column in ids.items()]
        declared_here = {name: spec for name, spec in attributes.get(kind, {}).items() if name in entry["header"]}
        ignore, used = [], {canonical[role] for role in ids}
        for column in dict.fromkeys(entry["header"]):
            field = fields[kind].get(column)
            if column in ids.values() or column in declared_here or (multi and column == CONDITIONS):
                continue
            if field and field not in used and field in FILE_KINDS[kind][1]:
                used.add(field)
                block.append(f"      {field}: {_quote(column)}")
            else:
                ignore.append(column)
        block += multi
        if declared_here:
            block.append("    attributes:")
        for name, (attribute, per_wave) in declared_here.items():
            codes = json.loads(attribute.get("codes") or "{}")
            spec = [f"column: {_quote(name)}", f"type: {attribute['type']}"]
            spec += [f"label: {_quote(attribute['label'])}"] if attribute.get("label") else []
            spec += ["per_wave: true"] if per_wave else []
            spec += ["codes: {" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in codes.items()) + "}"] if codes else []
            block.append(f"      {name}: {{{', '.join(spec)}}}")
        block += [f"    ignore: [{', '.join(map(_quote, ignore))}]"] if ignore else []
        by_key.setdefault(kind, []).append(block)
    for kind, blocks in by_key.items():
        lines.append(f"  {kind}:")
        for block in blocks:
            lines += (["    - " + block[0].strip()] + ["  " + line for line in block[1:]]) if len(blocks) > 1 else block
    return "\n".join(lines) + "\n"
