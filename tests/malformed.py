"""A catalogue of malformed study inputs, reusable by unit and integration tests.

Each `Case` writes a small bad study (mapping + files) into a given directory and
returns the mapping path; `file`, `row` and `column` say where read_study must report
the problem (row is spreadsheet-style, header = 1; None = the whole file; for mapping
problems, row is the line of the mapping file). Every case starts from the valid
hand-made study in tests/fixtures/long (or wide) and breaks exactly one thing.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.fixture_copy import FIXTURES, copy_fixture

MAPPING = "mapping.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    file: str
    row: int | None
    column: str | None


def _study(layout: str = "long", *, files: dict[str, str | bytes] | None = None,
           append: dict[str, str] | None = None, mapping: Callable[[str], str] = lambda text: text):
    """A builder: copy the valid fixture, then replace whole files, append rows, edit the mapping."""

    def build(directory: Path) -> Path:
        copy_fixture(directory, layout)
        for name, content in (files or {}).items():
            target = directory / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        for name, line in (append or {}).items():
            with (directory / name).open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        path = directory / MAPPING
        path.write_text(mapping(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return build


def _line_of(needle: str, layout: str = "long", text: str | None = None) -> int:
    """1-based line of the first mapping line containing `needle`."""
    text = text if text is not None else (FIXTURES / layout / MAPPING).read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def _member(relation="friend", circle="middle", freq="weekly", medication="0", pid="P2", mid="M3", wave="0"):
    return f"{pid},{mid},{wave},{relation},{circle},{freq},{medication},0,0"


SUPPORT_MAPPING = _replace("  member_ties:\n", "  support:\n    path: support.csv\n"
                           "    columns: {participant_id: pid, member_id: mid, wave: wave, task: task}\n"
                           "  member_ties:\n")
WITH_M3 = {"members.csv": (FIXTURES / "long" / "members.csv").read_text(encoding="utf-8")
           + "P1,M3,0,neighbour,middle,weekly,0,0,0\n"}
RESOURCES_LINE = _line_of("  resources:")
BAD_TAB_LINE = _line_of("layout: long") + 1
MEMBERS_HEADER = (FIXTURES / "long" / "members.csv").read_text(encoding="utf-8").splitlines()[0]
PARTICIPANTS = (FIXTURES / "long" / "participants.csv").read_text(encoding="utf-8")
# A "billion laughs" document: ten levels of ten aliases each expand to 10**10 strings.
ALIAS_BOMB = "".join([f"lol0: &l0 [{', '.join(['lol'] * 10)}]\n"] + [
    f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10)])
BOMB_LINE = _line_of("layout: long") + 5  # lol4 (111,111 values) is the first node past the limit


def _outside(directory: Path) -> Path:
    """A copy of resources.csv in a folder next to the study folder (outside it)."""
    folder = directory.parent / f"{directory.name}-outside"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "long" / "resources.csv", folder / "resources.csv")
    return folder / "resources.csv"


def _path_outside(kind: str):
    """A builder whose resources path leads outside the study folder: by '..', an absolute
    path, or a symlink in the study folder."""
    base = _study()

    def build(directory: Path) -> Path:
        path = base(directory)
        target = _outside(directory)
        text = path.read_text(encoding="utf-8")
        if kind == "symlink":
            (directory / "resources.csv").unlink()
            (directory / "resources.csv").symlink_to(target)
            return path
        written = f"../{target.parent.name}/resources.csv" if kind == "dotdot" else str(target)
        path.write_text(text.replace("path: resources.csv", f"path: {written}"), encoding="utf-8")
        return path

    return build

CASES: list[Case] = [
    # -- file-level problems
    Case("truncated_row", _study(append={"members.csv": "P2,M3,0,friend"}), "members.csv", 7, None),
    Case("unterminated_quote", _study(append={"members.csv": 'P2,M3,0,"friend,middle,weekly,0,0,0'}),
         "members.csv", 7, None),
    Case("wrong_encoding", _study(
        files={"resources.csv": "rid,type,name\nR1,gp_practice,Caf\u00e9 Surgery\n".encode("latin-1")},
        mapping=_replace("    path: resources.csv\n", "    path: resources.csv\n    encoding: utf-8\n")),
        "resources.csv", 2, "name"),
    Case("bom_header_loads_but_unknown_country", _study(
        files={"participants.csv": b"\xef\xbb\xbfpid,country,sex,partner,conditions\n"
                                   b"P1,GB,1,1,diabetes\nP2,XX,2,0,copd\n"}),
         "participants.csv", 3, "country"),
    Case("empty_file", _study(files={"member_ties.csv": ""}), "member_ties.csv", None, None),
    Case("header_only_file", _study(files={"resource_links.csv": "pid,mid,rid,wave\n"}),
         "resource_links.csv", None, None),
    Case("missing_required_column", _study(files={"member_ties.csv": "pid,from,wave\nP1,M1,0\n"}),
         "member_ties.csv", 1, "to"),
    Case("wrong_delimiter_declared", _study(
        mapping=_replace("    path: participation.csv\n", "    path: participation.csv\n    delimiter: \";\"\n")),
        "participation.csv", 1, "pid"),
    Case("duplicate_column_header", _study(files={"resources.csv": "rid,type,name,name\nR1,gp_practice,Hill,Other\n"}),
         "resources.csv", 1, "name"),
    Case("graphml_named_as_csv", _study(files={"member_ties.csv": '<?xml version="1.0"?>\n<graphml xmlns='
                                                                  '"http://graphml.graphdrawing.org/xmlns">'
                                                                  '<graph edgedefault="undirected"/></graphml>\n'}),
         "member_ties.csv", None, None),
    Case("json_named_as_csv", _study(files={"resources.csv": '[{"rid": "R1", "type": "gp_practice"}]\n'}),
         "resources.csv", None, None),
    Case("zip_named_as_csv", _study(files={"resources.csv": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(64)}),
         "resources.csv", None, None),
    Case("binary_named_as_csv", _study(files={"resources.csv": bytes(range(256)) * 4}), "resources.csv", None, None),
    Case("csv_named_as_xlsx", _study(files={"resources.xlsx": "rid,type,name\nR1,gp_practice,Hill Surgery\n"},
                                     mapping=_replace("path: resources.csv", "path: resources.xlsx")),
         "resources.xlsx", None, None),
    Case("utf16_without_bom", _study(files={"participants.csv": PARTICIPANTS.encode("utf-16-le")}),
         "participants.csv", None, None),
    Case("nul_byte_in_a_cell", _study(files={"resources.csv": "rid,type,name\nR1,gp_practice,Hill\x00Surgery\n"}),
         "resources.csv", 2, "name"),
    Case("oversized_cell", _study(files={"resources.csv": "rid,type,name\nR1,gp_practice," + "x" * (1 << 20) + "\n"}),
         "resources.csv", 2, "name"),
    # -- cells
    Case("unknown_code", _study(append={"members.csv": _member(relation="cousin")}), "members.csv", 7, "relation"),
    Case("text_in_numeric_column", _study(append={"members.csv": _member(wave="one")}), "members.csv", 7, "wave"),
    Case("negative_wave", _study(append={"members.csv": _member(wave="-1")}), "members.csv", 7, "wave"),
    Case("wave_in_scientific_notation", _study(append={"members.csv": _member(wave="1e0")}), "members.csv", 7, "wave"),
    Case("fractional_wave", _study(append={"members.csv": _member(wave="1.5")}), "members.csv", 7, "wave"),
    Case("absurd_wave", _study(append={"members.csv": _member(wave="2011")}), "members.csv", 7, "wave"),
    Case("missing_required_value", _study(append={"members.csv": _member(mid="")}), "members.csv", 7, "mid"),
    Case("not_a_yes_no_task_value", _study(append={"members.csv": _member(medication="maybe")}),
         "members.csv", 7, "help_medication"),
    Case("formula_cmd_cell", _study(files={"resources.csv": "rid,type,name\nR1,gp_practice,=cmd|' /C calc'!A0\n"}),
         "resources.csv", 2, "name"),
    Case("formula_plus_cell", _study(append={"members.csv": _member(freq="+SUM(1)")}), "members.csv", 7, "freq"),
    Case("formula_at_cell", _study(append={"participants.csv": "P3,@foo,1,1,diabetes"}),
         "participants.csv", 4, "country"),
    Case("unknown_boolean_code", _study(append={"participants.csv": "P3,GB,1,7,diabetes"}),
         "participants.csv", 4, "partner"),
    Case("unknown_condition", _study(append={"participants.csv": "P3,GB,1,1,diabetes;gout"}),
         "participants.csv", 4, "conditions"),
    # -- keys and references
    Case("duplicate_participant", _study(append={"participants.csv": "P1,GB,1,1,diabetes"}),
         "participants.csv", 4, "pid"),
    Case("member_of_unknown_participant", _study(append={"members.csv": _member(pid="P9")}),
         "members.csv", 7, "pid"),
    Case("same_tie_twice_in_a_wave", _study(append={"members.csv": "P1,M2,0,GP,outer,monthly,0,0,0"}),
         "members.csv", 7, "mid"),
    Case("duplicate_member_conflicting", _study(append={"members.csv": _member(mid="M1", relation="sibling",
                                                                              wave="1")}),
         "members.csv", 7, "relation"),
    Case("member_tie_across_participants", _study(files=WITH_M3, append={"member_ties.csv": "P2,M1,M3,0"}),
         "member_ties.csv", 3, "to"),
    Case("member_tie_to_unknown_member", _study(append={"member_ties.csv": "P1,M1,M7,0"}),
         "member_ties.csv", 3, "to"),
    Case("member_tied_to_itself", _study(append={"member_ties.csv": "P1,M1,M1,0"}), "member_ties.csv", 3, "to"),
    Case("same_member_tie_twice", _study(append={"member_ties.csv": "P1,M1,M2,0"}), "member_ties.csv", 3, "to"),
    Case("support_for_unknown_member", _study(
        files={"support.csv": "pid,mid,wave,task\nP1,M1,0,shopping\nP1,M8,0,shopping\n"}, mapping=SUPPORT_MAPPING),
        "support.csv", 3, "mid"),
    Case("unknown_task_code", _study(
        files={"support.csv": "pid,mid,wave,task\nP1,M1,0,gardening\n"}, mapping=SUPPORT_MAPPING),
        "support.csv", 2, "task"),
    Case("same_support_flow_twice", _study(
        files={"support.csv": "pid,mid,wave,task\nP1,M1,0,shopping\nP1,M1,0,Shopping\n"}, mapping=SUPPORT_MAPPING),
        "support.csv", 3, "task"),
    Case("participation_in_unknown_resource", _study(append={"participation.csv": "P2,R9,0"}),
         "participation.csv", 3, "rid"),
    Case("duplicate_resource", _study(append={"resources.csv": "R1,pharmacy,Boots"}), "resources.csv", 3, "rid"),
    Case("wide_same_member_in_two_slots", _study("wide", files={"survey.csv": (
        FIXTURES / "wide" / "survey.csv").read_text(encoding="utf-8").replace(",M2,GP,", ",M1,GP,", 1)}),
        "survey.csv", 2, "member2_id"),
    # -- the mapping itself
    Case("missing_mapping_path", _study(mapping=_replace("    path: resources.csv\n", "")),
         MAPPING, RESOURCES_LINE, "files.resources.path"),
    Case("mapping_path_not_found", _study(mapping=_replace("path: resources.csv", "path: nothere.csv")),
         MAPPING, RESOURCES_LINE + 1, "files.resources.path"),
    Case("bad_yaml", _study(mapping=_replace("layout: long\n", "layout: long\n\tbad: tab\n")),
         MAPPING, BAD_TAB_LINE, None),
    Case("mapping_unknown_field", _study(mapping=_replace("has_partner: partner}", "has_partner: partner, "
                                                          "hair_colour: hair}")),
         MAPPING, _line_of("has_partner: partner}"), "files.participants.columns.hair_colour"),
    Case("mapping_unknown_table", _study(mapping=_replace("  member_ties:\n", "  friends:\n    path: x.csv\n"
                                                          "  member_ties:\n")),
         MAPPING, _line_of("  member_ties:"), "files.friends"),
    Case("mapping_required_field_unmapped", _study(mapping=_replace("      member_id: mid\n", "")),
         MAPPING, _line_of("    path: members.csv") + 1, "files.members.columns"),
    Case("mapping_unknown_tie_class", _study(mapping=_replace("layout: long\n", "layout: long\n"
                                                              "tie_classes: {friend: medium}\n")),
         MAPPING, BAD_TAB_LINE, "tie_classes.friend"),
    Case("duplicate_yaml_key", _study(mapping=_replace("      circle: circle\n", "      circle: circle\n"
                                                       "      circle: freq\n")),
         MAPPING, _line_of("      circle: circle") + 1, "files.members.columns.circle"),
    Case("yaml_alias_bomb", _study(mapping=_replace("layout: long\n", "layout: long\n" + ALIAS_BOMB)),
         MAPPING, BOMB_LINE, None),
    Case("placeholder_left_by_init", _study(mapping=_replace("name: Tiny hand-made study", "name: TODO study name")),
         MAPPING, _line_of("study:"), "study.name"),
    Case("placeholder_column_left_by_init", _study(mapping=_replace("circle: circle", "circle: <source column>")),
         MAPPING, _line_of("      circle: circle"), "files.members.columns.circle"),
    Case("path_climbs_out_of_the_study_folder", _path_outside("dotdot"),
         MAPPING, RESOURCES_LINE + 1, "files.resources.path"),
    Case("absolute_path_outside_the_study_folder", _path_outside("absolute"),
         MAPPING, RESOURCES_LINE + 1, "files.resources.path"),
    Case("symlink_out_of_the_study_folder", _path_outside("symlink"),
         MAPPING, RESOURCES_LINE + 1, "files.resources.path"),
    Case("mapping_unknown_task", _study(mapping=_replace("medication: help_medication", "knitting: help_medication")),
         MAPPING, _line_of("medication: help_medication"), "files.members.tasks.knitting"),
]
