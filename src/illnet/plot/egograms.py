"""Egograms, the field's concentric-circles diagram, drawn with matplotlib.

The participant sits at the centre; members sit on the rings (inner, middle, outer and a
dashed ring for unplaced or unrecorded members, or the values of a closeness variable the
study declares), in sectors by relationship type or tie class. Colour is the tie class (as in
Neo4j Browser), marker area grows with the work a member does (support flows to the
participant), grey lines are member-member ties; in a crowded ring members alternate a little
inside and outside its middle. Labels sit in two columns beside the
rings, at least a line apart, joined to their member by a leader line. Every figure has a
legend. The layout depends only on the data: members are ordered by sector, ring and id.

    from illnet import plot
    plot.egogram("nwe", "P001")                        # a matplotlib Figure
    plot.egogram("nwe", "P001", compare_waves=True)    # waves 0 and 1 side by side
    plot.grid("nwe", sample=100, seed=1)               # one small egogram per participant
"""

import math
from dataclasses import dataclass, field

import neo4j
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.textpath import TextToPath

from illnet import model
from illnet.db import Settings, driver_for
from illnet.errors import PlotError
from illnet.plot import palette
from illnet.plot.ego import CIRCLE, SECTOR_FIELDS, Ego, Member, Rings, read, sample as sample_participants
from illnet.plot.layout import CENTRE, TOP, Sector, arrange, label_columns, natural_key, radii, ring_edges

SECTOR_NAMES = {"relationshipType": "relationship type", "tieClass": "tie class"}
SIZE_BASE, SIZE_PER_TASK = 60.0, 70.0
_TEXT = TextToPath()   # marker area (points squared) = base + per task * flows


@dataclass(frozen=True)
class Style:
    """Sizes of one kind of figure (a single or paired egogram, or a grid of small ones)."""

    panel: float          # height of one panel's drawing area, inches
    title: float          # height above it for the panel title, inches
    font: float           # label font size, points
    marker: float         # factor on marker areas
    line: float           # factor on line widths


SINGLE = Style(panel=5.0, title=0.4, font=8.0, marker=1.0, line=1.0)
SMALL = Style(panel=2.3, title=0.3, font=6.5, marker=0.3, line=0.6)


@dataclass
class Panel:
    """One egogram of a figure and where its members go."""

    ego: Ego
    title: str
    sectors: list[Sector]
    angles: dict[str, float]
    marks: dict[str, str] = field(default_factory=dict)   # memberId -> 'lost' or 'new'


def egogram(study: str, participant: str, *, wave: int = 0, compare_waves: bool = False,
            sectors: str = "relationshipType", rings: str = CIRCLE, ring_order: list | None = None,
            labels: bool = True, settings: Settings | None = None, driver: neo4j.Driver | None = None) -> Figure:
    """The egogram of one participant at a wave, or (compare_waves) at the wave and the next,
    side by side, with members lost and new at the later wave marked."""
    _check_sectors(sectors)
    waves = [wave, wave + 1] if compare_waves else [wave]
    egos, ring_spec = read(study, [participant], waves, rings, ring_order, settings, driver)
    if compare_waves:
        panels = _compare(egos[participant, wave], egos[participant, wave + 1], sectors, ring_spec)
    else:
        panels = [_panel(egos[participant, wave], _title(egos[participant, wave]), sectors, ring_spec)]
    what = f"waves {wave} and {wave + 1}" if compare_waves else f"wave {wave}"
    return _figure(panels, ring_spec, sectors, SINGLE, labels, f"study {study} · participant {participant} · {what}",
                   compare=wave + 1 if compare_waves else None)


def grid(study: str, participants: list[str] | None = None, *, sample: int | None = None, seed: int = 1,
         wave: int = 0, sectors: str = "relationshipType", rings: str = CIRCLE, ring_order: list | None = None,
         labels: bool | None = None, columns: int | None = None, settings: Settings | None = None,
         driver: neo4j.Driver | None = None) -> Figure:
    """Egograms of a list of participants, or of a seeded sample of `sample` of them, in a grid
    (labels drawn when there are at most four)."""
    _check_sectors(sectors)
    if bool(participants) == bool(sample):
        raise PlotError("a grid needs a list of participants or a sample size, one of the two",
                        hint="name participants, or pass sample=N (--sample N)")
    with driver_for(settings, driver) as (resolved, usable):
        participants = list(participants or sample_participants(study, sample, seed, wave, resolved, usable))
        egos, ring_spec = read(study, participants, [wave], rings, ring_order, resolved, usable)
    labels = len(participants) <= 4 if labels is None else labels
    style = SINGLE if len(participants) <= 4 else SMALL
    panels = [_panel(egos[p, wave], _title(egos[p, wave]), sectors, ring_spec) for p in participants]
    return _figure(panels, ring_spec, sectors, style, labels,
                   f"study {study} · {len(panels)} participants · wave {wave}", columns=columns)


def _check_sectors(sectors: str) -> None:
    if sectors not in SECTOR_FIELDS:
        raise PlotError(f"cannot make sectors by {sectors!r}", hint=f"use one of {', '.join(SECTOR_FIELDS)}")


def _title(ego: Ego, extra: str = "") -> str:
    count = len(ego.members)
    return f"{ego.participant} · wave {ego.wave} · {count} member{'s' * (count != 1)}{extra}"


def _group_rank(sectors: str):
    """Sort key of sector values: the vocabulary's order, then other values, then not recorded."""
    vocabulary = list(model.vocabulary("relationship_type" if sectors == "relationshipType" else "tie_class"))
    return lambda value: (value is None, vocabulary.index(value) if value in vocabulary else len(vocabulary),
                          str(value))


def _order(members: list[Member], sectors: str, rings: Rings) -> list[tuple[str, str | None]]:
    """(memberId, sector) in drawing order: by sector, ring, then id."""
    rank = _group_rank(sectors)
    ordered = sorted(members, key=lambda m: (rank(m.group(sectors)), rings.index(m.ring), natural_key(m.member_id)))
    return [(m.member_id, m.group(sectors)) for m in ordered]


def _panel(ego: Ego, title: str, sectors: str, rings: Rings, members: list[Member] | None = None,
           marks: dict[str, str] | None = None) -> Panel:
    """A panel laid out from `members` (default: the ego's own)."""
    laid_out, angles = arrange(_order(list(members or ego.members), sectors, rings))
    return Panel(ego, title, laid_out, angles, marks or {})


def _compare(before: Ego, after: Ego, sectors: str, rings: Rings) -> list[Panel]:
    """Two panels sharing one layout: a retained member keeps its angle (its ring may change)."""
    earlier = {m.member_id for m in before.members}
    later = {m.member_id for m in after.members}
    union = list(before.members) + [m for m in after.members if m.member_id not in earlier]
    lost, new = sorted(earlier - later, key=natural_key), sorted(later - earlier, key=natural_key)
    return [_panel(before, _title(before, f" · {len(lost)} lost by wave {after.wave}"), sectors, rings,
                   union, dict.fromkeys(lost, "lost")),
            _panel(after, _title(after, f" · {len(new)} new"), sectors, rings, union, dict.fromkeys(new, "new"))]


def marker_area(work: int, style: Style) -> float:
    """Marker area (points squared) of a member doing `work` support flows."""
    return style.marker * (SIZE_BASE + SIZE_PER_TASK * work)


def label_text(member: Member) -> str:
    """A member's label: its id and its relationship as the source wrote it."""
    return f"{member.member_id} {member.relationship_raw or member.relationship_type or 'relationship not recorded'}"


def _text_width(text: str, size: float) -> float:
    """Width of a label in points, from the metrics of matplotlib's default font."""
    return _TEXT.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)[0]


@dataclass(frozen=True)
class _Frame:
    """The data extent shared by a figure's panels."""

    rings: int        # rings drawn, the unplaced ring included when used
    outer: float      # outer radius of the outermost ring
    half_height: float
    half_width: float
    per_point: float  # data units per point
    pad: float        # gap between the rings and the label columns (data units)


def _frame(panels: list[Panel], rings: Rings, style: Style, labels: bool) -> _Frame:
    used = {rings.index(m.ring) for panel in panels for m in panel.ego.members}
    count = len(rings.values) + (1 if len(rings.values) in used else 0)
    outer = ring_edges(count - 1)[1]
    half_height = outer + 0.25
    per_point = 2 * half_height / (style.panel * 72)
    pad = 0.3
    widest = max((_text_width(label_text(m), style.font) for p in panels for m in p.ego.members), default=0.0) \
        if labels else 0.0
    half_width = outer + pad + (widest + 14) * per_point if widest else half_height
    return _Frame(count, outer, half_height, max(half_width, half_height), per_point, pad)


def _figure(panels: list[Panel], rings: Rings, sectors: str, style: Style, labels: bool, heading: str,
            columns: int | None = None, compare: int | None = None) -> Figure:
    frame = _frame(panels, rings, style, labels)
    columns = 2 if compare is not None else max(1, min(columns or math.ceil(math.sqrt(len(panels))), len(panels)))
    rows = math.ceil(len(panels) / columns)
    panel_width = 2 * frame.half_width / (frame.per_point * 72)
    handles = _legend_handles(panels, rings, style, compare)
    width = max(columns * panel_width + 0.2, 6.0)
    legend_columns = max(1, min(len(handles), int(width / 1.7)))
    legend_height = 0.6 + 0.24 * math.ceil(len(handles) / legend_columns)
    head = 0.45
    height = head + rows * (style.panel + style.title) + legend_height
    figure = Figure(figsize=(width, height))
    figure.text(0.5, 1 - 0.25 / height, heading, ha="center", va="center", fontsize=11, weight="bold")
    left0 = (width - columns * panel_width) / 2
    for index, panel in enumerate(panels):
        row, column = divmod(index, columns)
        bottom = height - head - (row + 1) * (style.panel + style.title)
        axes = figure.add_axes((
            (left0 + column * panel_width) / width, bottom / height, panel_width / width, style.panel / height))
        _draw(axes, panel, rings, frame, style, labels)
    figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.08 / height), ncol=legend_columns,
                  frameon=False, fontsize=8, title_fontsize=8, title=(
                      f"colour: tie class · size: work done (support flows to the participant)\n"
                      f"rings ({rings.label}) from the centre: {', '.join(rings.names()[:frame.rings])} · "
                      f"sectors: {SECTOR_NAMES[sectors]}"))
    return figure


def _legend_handles(panels: list[Panel], rings: Rings, style: Style, compare: int | None) -> list[Line2D]:
    def dot(label, face, edge, area=marker_area(2, style), width=0.8, marker="o"):
        return Line2D([], [], ls="", marker=marker, ms=math.sqrt(area), mfc=face, mec=edge, mew=width, label=label)

    members = [m for panel in panels for m in panel.ego.members]
    handles = [dot(label, fill, border) for label, fill, border in palette.tie_classes().values()]
    if any(m.tie_class not in palette.tie_classes() for m in members):
        handles.append(dot("tie class not recorded", *palette.UNKNOWN))
    handles.append(dot("participant", *palette.PARTICIPANT))
    most = max((m.work for m in members), default=0)
    for work in sorted({0, math.ceil(most / 2), most}):
        handles.append(dot(f"{work} flow{'s' * (work != 1)}", "#FFFFFF", "#6B7280", marker_area(work, style)))
    has_ties = any(panel.ego.ties for panel in panels)
    handles.append(Line2D([], [], color=palette.TIE_LINE, lw=1.2,
                          label="member-member tie" if has_ties else "member-member ties: none recorded"))
    if compare is not None:
        handles.append(dot(f"lost by wave {compare}", "#000000", "#000000", marker="x", width=1.5))
        handles.append(dot(f"new at wave {compare}", "#FFFFFF", "#000000", width=2.2))
    return handles


def _point(angle: float, radius: float) -> tuple[float, float]:
    return radius * math.cos(angle), radius * math.sin(angle)


def _draw(axes, panel: Panel, rings: Rings, frame: _Frame, style: Style, labels: bool) -> None:
    """Rings, sectors, ties, members and labels of one panel."""
    axes.set_xlim(-frame.half_width, frame.half_width)
    axes.set_ylim(-frame.half_height, frame.half_height)
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.set_title(panel.title, fontsize=style.font + 1.5)
    fills = palette.ring_fills(len(rings.values))
    for index in reversed(range(frame.rings)):
        unplaced = index == len(rings.values)
        axes.add_patch(Circle((0, 0), ring_edges(index)[1], facecolor=palette.UNPLACED_RING if unplaced else fills[index],
                              edgecolor="#8C9BAB" if unplaced else "#B8C4D0", lw=0.7 * style.line,
                              ls="--" if unplaced else "-", zorder=0, gid=f"ring-{index}"))
    for angle in sorted({edge for sector in panel.sectors for edge in (sector.start, sector.end)}):
        (x0, y0), (x1, y1) = _point(angle, CENTRE), _point(angle, frame.outer)
        axes.plot([x0, x1], [y0, y1], color="#FFFFFF", lw=1.4 * style.line, zorder=1)
    axes.add_patch(Circle((0, 0), CENTRE * 0.75, facecolor=palette.PARTICIPANT[0], edgecolor=palette.PARTICIPANT[1],
                          lw=1.2 * style.line, zorder=4, gid="participant"))
    members = [m for m in panel.ego.members if m.member_id in panel.angles]
    room = math.sqrt(max((marker_area(m.work, style) for m in members), default=0.0)) * frame.per_point
    radius = radii({m.member_id: rings.index(m.ring) for m in members}, panel.angles, room)
    where = {m.member_id: _point(panel.angles[m.member_id], radius[m.member_id]) for m in members}
    for a, b, weight in panel.ego.ties:
        if a in where and b in where:
            axes.plot([where[a][0], where[b][0]], [where[a][1], where[b][1]], color=palette.TIE_LINE, alpha=0.75,
                      lw=(0.5 + 0.5 * min(weight, 3.0)) * style.line, zorder=2, solid_capstyle="round")
    if members:
        axes.scatter([where[m.member_id][0] for m in members], [where[m.member_id][1] for m in members],
                     s=[marker_area(m.work, style) for m in members],
                     c=[palette.tie_class_fill(m.tie_class) for m in members],
                     edgecolors=["#000000" if panel.marks.get(m.member_id) == "new" else palette.tie_class_border(m.tie_class)
                                 for m in members],
                     linewidths=[2.2 * style.line if panel.marks.get(m.member_id) == "new" else 0.8 * style.line
                                 for m in members], zorder=5, gid="members")
    lost = [m for m in members if panel.marks.get(m.member_id) == "lost"]
    if lost:
        axes.scatter([where[m.member_id][0] for m in lost], [where[m.member_id][1] for m in lost],
                     s=[marker_area(m.work, style) * 0.6 for m in lost], marker="x", c="#000000",
                     linewidths=1.5 * style.line, zorder=6, gid="lost")
    if not members:
        axes.text(0, -CENTRE - 0.35, f"no members named at wave {panel.ego.wave}", ha="center", va="top",
                  fontsize=style.font, color="#5B6775", zorder=6)
    if labels:
        _labels(axes, members, where, frame, style)
        for index, name in enumerate(rings.names()[:frame.rings]):   # near a ring's outer edge, clear of its members
            x, y = _point(TOP, ring_edges(index)[1] - 0.08)
            axes.text(x, y, name, ha="center", va="center", fontsize=style.font - 1, color="#4B5563",
                      style="italic", zorder=3)


def _labels(axes, members: list[Member], where: dict, frame: _Frame, style: Style) -> None:
    """Member labels in a column on each side, a line apart, each with a leader line."""
    gap = 1.3 * style.font * frame.per_point
    columns = label_columns(where, gap, frame.half_height - gap / 2)
    for member in members:
        side, y = columns[member.member_id]
        x = side * (frame.outer + frame.pad)
        mx, my = where[member.member_id]
        axes.plot([mx, x - side * 0.04], [my, y], color=palette.LEADER_LINE, lw=0.6 * style.line, zorder=1.5)
        axes.text(x, y, label_text(member), ha="left" if side > 0 else "right", va="center", fontsize=style.font,
                  color="#1F2937", zorder=6, gid=f"label-{member.member_id}")
