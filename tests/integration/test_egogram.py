"""Egograms of hand-made participants, checked on the rendered image and on the Figure's artists.

The study below is written here, in the shape of tests/fixtures/tiny_study.cypher. Participant e1,
wave 0 (member: relationship / tie class, circle, closeness, flows to e1):
  m1 partner/strong inner 5 (3 flows)      m2 child/strong inner 5 (1)      m3 friend/strong middle 3 (0)
  m4 neighbour/weak middle 3 (2)           m5 gp/professional outer 1 (1)   m6 pet/non_human unplaced (1)
  m7 acquaintance/weak, circle and closeness not recorded (0)
  member ties m1-m2, m2-m3, m3-m4.
Wave 1: m1, m2, m3, m5 retained, m4 retained but moved to the outer circle; m6 and m7 lost;
  m8 organisation/weak middle new (2 flows).
Participant crowd: 24 friends and neighbours, all in the inner circle (for the label columns).
So at wave 0: strong 3 markers (inner, inner, middle), weak 2 (middle, unplaced ring), professional 1
(outer), non-human 1 (unplaced ring); the largest flow count is 3.
"""

import io
import random
from itertools import combinations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from illnet import plot
from illnet.errors import PlotError
from illnet.plot import layout
from tests.load_helpers import run_illnet

pytestmark = pytest.mark.neo4j

DPI = 100
# The colours the picture promises: tie classes as the Browser style sheet has them
# (src/illnet/browser/illnet.grass), rings darkest innermost, the dashed unplaced ring white.
TIE_CLASS = {"strong": "#D9534F", "weak": "#4C8EDA", "professional": "#2E9E5B", "non_human": "#C990C0"}
RINGS = ["#C9DAEA", "#DDE8F2", "#F1F5FA", "#FFFFFF"]
PARTICIPANT = "#F79767"

MEMBERS = [  # memberId, relationshipType, raw, tieClass, circle, closeness, flows at wave 0
    ("m1", "partner", "wife", "strong", "inner", 5, 3), ("m2", "child", "son", "strong", "inner", 5, 1),
    ("m3", "friend", "old friend", "strong", "middle", 3, 0), ("m4", "neighbour", "next door", "weak", "middle", 3, 2),
    ("m5", "gp", "Dr Shah", "professional", "outer", 1, 1), ("m6", "pet", "cat", "non_human", "unplaced", None, 1),
    ("m7", "acquaintance", "bus driver", "weak", None, None, 0),
]
TASKS = ["medication", "shopping", "comfort"]
STUDY = """
CREATE (s:Study {key: 'ego', studyId: 'ego', name: 'Egogram test study', design: 'panel', countries: ['GB'], waves: [0, 1]}),
       (s)-[:DECLARES]->(:Attribute {studyId: 'ego', element: 'HAS_MEMBER', name: 'closeness', type: 'integer',
                                     label: 'Closeness (1-5)', sourceColumn: 'close'})
WITH s
UNWIND ['e1', 'e2', 'crowd'] AS pid
CREATE (:Participant {key: 'ego|' + pid, studyId: 'ego', participantId: pid, country: 'GB', synthetic: true})-[:IN_STUDY]->(s)
WITH count(*) AS made
MATCH (p:Participant {studyId: 'ego', participantId: 'e1'})
UNWIND $members AS row
CREATE (m:NetworkMember {key: 'ego|e1|' + row[0], studyId: 'ego', participantId: 'e1', memberId: row[0],
                         relationshipType: row[1], relationshipRaw: row[2], tieClass: row[3], synthetic: true})
CREATE (p)-[:HAS_MEMBER {wave: 0, circle: row[4], closeness: row[5]}]->(m)
FOREACH (task IN $tasks[..row[6]] | CREATE (m)-[:PROVIDES {wave: 0, task: task}]->(p))
"""
WAVE_1 = """
MATCH (p:Participant {studyId: 'ego', participantId: 'e1'})-[h:HAS_MEMBER {wave: 0}]->(m:NetworkMember)
WHERE m.memberId IN ['m1', 'm2', 'm3', 'm4', 'm5']
CREATE (p)-[:HAS_MEMBER {wave: 1, circle: CASE m.memberId WHEN 'm4' THEN 'outer' ELSE h.circle END}]->(m)
WITH DISTINCT p
CREATE (m8:NetworkMember {key: 'ego|e1|m8', studyId: 'ego', participantId: 'e1', memberId: 'm8',
                          relationshipType: 'organisation', relationshipRaw: 'Diabetes UK', tieClass: 'weak'}),
       (p)-[:HAS_MEMBER {wave: 1, circle: 'middle'}]->(m8),
       (m8)-[:PROVIDES {wave: 1, task: 'medication'}]->(p), (m8)-[:PROVIDES {wave: 1, task: 'comfort'}]->(p)
"""
TIES = """
UNWIND [['m1', 'm2'], ['m2', 'm3'], ['m3', 'm4']] AS pair
MATCH (a:NetworkMember {studyId: 'ego', participantId: 'e1', memberId: pair[0]}),
      (b:NetworkMember {studyId: 'ego', participantId: 'e1', memberId: pair[1]})
CREATE (a)-[:KNOWS {wave: 0}]->(b)
"""
CROWD = """
MATCH (p:Participant {studyId: 'ego'}) WHERE p.participantId IN ['crowd', 'e2']
UNWIND range(1, CASE p.participantId WHEN 'crowd' THEN 24 ELSE 2 END) AS i
CREATE (m:NetworkMember {key: 'ego|' + p.participantId + '|c' + i, studyId: 'ego', participantId: p.participantId,
                         memberId: 'c' + i, relationshipType: CASE i % 2 WHEN 0 THEN 'friend' ELSE 'neighbour' END,
                         relationshipRaw: 'someone with a long name ' + i, tieClass: CASE i % 2 WHEN 0 THEN 'strong' ELSE 'weak' END})
CREATE (p)-[:HAS_MEMBER {wave: 0, circle: 'inner'}]->(m)
"""


@pytest.fixture(scope="module")
def ego_db(driver, settings):
    from illnet.db import erase_all

    erase_all(driver, settings.database)
    driver.execute_query(STUDY, members=[list(m) for m in MEMBERS], tasks=TASKS, database_=settings.database)
    for statement in (WAVE_1, TIES, CROWD):
        driver.execute_query(statement, database_=settings.database)
    return driver


def render(figure) -> np.ndarray:
    """The figure as an RGB array at DPI (row 0 at the top)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return np.asarray(Image.open(buffer).convert("RGB")).astype(int)


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])


def pixel(axes, image: np.ndarray, x: float, y: float) -> tuple[int, int]:
    """(row, column) of the data point (x, y) of the axes in the rendered image."""
    px, py = axes.transData.transform((x, y))
    return int(round(image.shape[0] - py)), int(round(px))


def mode_colour(axes, image, radius: float) -> str:
    """The most common colour on a circle of this radius (members and lines cover little of it)."""
    counts = {}
    for angle in np.linspace(0, 2 * np.pi, 720, endpoint=False):
        row, column = pixel(axes, image, radius * np.cos(angle), radius * np.sin(angle))
        colour = "#%02X%02X%02X" % tuple(image[row, column])
        counts[colour] = counts.get(colour, 0) + 1
    return max(counts, key=counts.get)


def blobs(axes, image, hex_colour: str) -> list[tuple[float, int]]:
    """(radius in data units, area in pixels) of every patch of this exact colour inside the axes."""
    box = axes.get_window_extent()
    inside = np.zeros(image.shape[:2], bool)
    inside[int(image.shape[0] - box.y1):int(image.shape[0] - box.y0), int(box.x0):int(box.x1)] = True
    mask = (np.abs(image - rgb(hex_colour)).sum(axis=2) <= 6) & inside
    labels, count = ndimage.label(mask)
    out = []
    for index in range(1, count + 1):
        rows, columns = np.nonzero(labels == index)
        x, y = axes.transData.inverted().transform((columns.mean(), image.shape[0] - rows.mean()))
        out.append((float(np.hypot(x, y)), len(rows)))
    return out


def band(radius: float) -> int:
    """Which ring (0 = innermost) a radius falls in."""
    return int((radius - layout.CENTRE) // layout.BAND)


def test_the_rings_have_their_colours_at_their_radii(ego_db, settings):
    figure = plot.egogram("ego", "e1", driver=ego_db, settings=settings)
    image, axes = render(figure), figure.axes[0]
    for index, colour in enumerate(RINGS):
        inner, outer = layout.ring_edges(index)
        assert mode_colour(axes, image, (inner + outer) / 2 + 0.3) == colour, index
    row, column = pixel(axes, image, 0, 0)
    assert "#%02X%02X%02X" % tuple(image[row, column]) == PARTICIPANT


def test_one_marker_per_member_in_its_tie_class_colour_on_its_ring_sized_by_work(ego_db, settings):
    figure = plot.egogram("ego", "e1", driver=ego_db, settings=settings)
    image, axes = render(figure), figure.axes[0]
    found = {tie_class: blobs(axes, image, colour) for tie_class, colour in TIE_CLASS.items()}
    # rings of the members of each class, from the table in the module docstring
    assert sorted(band(r) for r, _ in found["strong"]) == [0, 0, 1]
    assert sorted(band(r) for r, _ in found["weak"]) == [1, 3]
    assert [band(r) for r, _ in found["professional"]] == [2]
    assert [band(r) for r, _ in found["non_human"]] == [3]
    # strong: m1 (3 flows) > m2 (1 flow) > m3 (0 flows, the middle ring); areas grow with flows
    strong = sorted(found["strong"], key=lambda blob: blob[1])
    assert band(strong[0][0]) == 1 and band(strong[1][0]) == 0 and band(strong[2][0]) == 0
    assert strong[0][1] < strong[1][1] < strong[2][1]
    ratio = strong[2][1] / strong[1][1]   # marker area base + per flow * flows: (60 + 3 * 70) / (60 + 70) ~ 2.1
    assert 1.6 < ratio < 2.6, ratio
    assert len(axes.collections[0].get_offsets()) == len(MEMBERS)


def test_the_member_ties_are_drawn(ego_db, settings):
    figure = plot.egogram("ego", "e1", driver=ego_db, settings=settings)
    tie_lines = [line for line in figure.axes[0].lines if line.get_color() == plot.palette.TIE_LINE]
    assert len(tie_lines) == 3
    offsets = dict(zip(["m1", "m2", "m3", "m4", "m5", "m6", "m7"], figure.axes[0].collections[0].get_offsets()))
    ends = {tuple(sorted(map(tuple, np.round(line.get_xydata(), 6)))) for line in tie_lines}
    expected = {tuple(sorted([tuple(np.round(offsets[a], 6)), tuple(np.round(offsets[b], 6))]))
                for a, b in [("m1", "m2"), ("m2", "m3"), ("m3", "m4")]}
    assert ends == expected


def test_the_legend_names_tie_classes_sizes_ties_and_rings(ego_db, settings):
    figure = plot.egogram("ego", "e1", driver=ego_db, settings=settings)
    figure.canvas.draw()
    legend = figure.legends[0]
    texts = [text.get_text() for text in legend.get_texts()]
    assert texts[:4] == ["Strong tie", "Weak tie", "Professional", "Non-human"]
    assert {"participant", "0 flows", "2 flows", "3 flows", "member-member tie"} <= set(texts)
    colours = [handle.get_markerfacecolor().upper() for handle in legend.legend_handles[:4]]
    assert colours == list(TIE_CLASS.values())
    assert "inner, middle, outer, unplaced" in legend.get_title().get_text()
    assert figure.bbox.contains(*legend.get_window_extent().p0) and figure.bbox.contains(*legend.get_window_extent().p1)


def test_labels_do_not_overlap_each_other_the_rings_or_the_legend(ego_db, settings):
    figure = plot.egogram("ego", "crowd", driver=ego_db, settings=settings)
    figure.canvas.draw()
    axes = figure.axes[0]
    labels = [text for text in axes.texts if (text.get_gid() or "").startswith("label-")]
    assert len(labels) == 24
    boxes = [text.get_window_extent() for text in labels]
    assert not [(a, b) for a, b in combinations(range(len(boxes)), 2) if boxes[a].overlaps(boxes[b])]
    rings = axes.patches[0].get_window_extent()   # the outermost ring
    legend = figure.legends[0].get_window_extent()
    assert not any(box.overlaps(rings) or box.overlaps(legend) for box in boxes)
    assert all(figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1) for box in boxes)


def test_the_same_data_gives_the_same_picture(ego_db, settings, tmp_path):
    first = plot.save(plot.egogram("ego", "e1", driver=ego_db, settings=settings), tmp_path / "a.png")
    second = plot.save(plot.egogram("ego", "e1", driver=ego_db, settings=settings), tmp_path / "b.png")
    assert first.read_bytes() == second.read_bytes()


def test_compare_waves_marks_lost_and_new_members_and_keeps_their_places(ego_db, settings):
    figure = plot.egogram("ego", "e1", compare_waves=True, driver=ego_db, settings=settings)
    before, after = figure.axes
    assert before.get_title().startswith("e1 · wave 0 · 7 members · 2 lost by wave 1")
    assert after.get_title().startswith("e1 · wave 1 · 6 members · 1 new")
    lost = next(c for c in before.collections if c.get_gid() == "lost")
    offsets_before = dict(zip(["m1", "m2", "m3", "m4", "m5", "m6", "m7"], before.collections[0].get_offsets()))
    assert sorted(map(tuple, lost.get_offsets())) == sorted([tuple(offsets_before["m6"]), tuple(offsets_before["m7"])])
    assert not any(c.get_gid() == "lost" for c in after.collections)
    members_after = after.collections[0]
    offsets_after = dict(zip(["m1", "m2", "m3", "m4", "m5", "m8"], members_after.get_offsets()))
    black_edges = [member for member, edge in zip(offsets_after, members_after.get_edgecolors())
                   if tuple(edge[:3]) == (0.0, 0.0, 0.0)]
    assert black_edges == ["m8"]
    for member in ["m1", "m2", "m3", "m5"]:
        assert np.allclose(offsets_before[member], offsets_after[member])
    # m4 moved from the middle to the outer circle: same angle, one ring further out
    angle = lambda xy: np.arctan2(xy[1], xy[0])   # noqa: E731
    assert np.isclose(angle(offsets_before["m4"]), angle(offsets_after["m4"]))
    assert band(np.hypot(*offsets_before["m4"])) == 1 and band(np.hypot(*offsets_after["m4"])) == 2
    texts = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "lost by wave 1" in texts and "new at wave 1" in texts


def test_a_grid_draws_the_listed_or_sampled_participants(ego_db, settings):
    figure = plot.grid("ego", ["e1", "e2", "crowd"], driver=ego_db, settings=settings)
    assert [axes.get_title().split(" · ")[0] for axes in figure.axes] == ["e1", "e2", "crowd"]
    assert [len(axes.collections[0].get_offsets()) for axes in figure.axes] == [7, 2, 24]
    expected = random.Random(7).sample(["crowd", "e1", "e2"], 2)   # all three named members at wave 0
    sampled = plot.grid("ego", sample=2, seed=7, driver=ego_db, settings=settings)
    assert sorted(axes.get_title().split(" · ")[0] for axes in sampled.axes) == sorted(expected)


def test_rings_from_a_declared_closeness_variable(ego_db, settings):
    figure = plot.egogram("ego", "e1", rings="closeness", driver=ego_db, settings=settings)
    offsets = dict(zip(["m1", "m2", "m3", "m4", "m5", "m6", "m7"], figure.axes[0].collections[0].get_offsets()))
    # closeness 5 innermost, then 3, then 1; m6 and m7 have none recorded: the last ring
    assert {member: band(np.hypot(*xy)) for member, xy in offsets.items()} == {
        "m1": 0, "m2": 0, "m3": 1, "m4": 1, "m5": 2, "m6": 3, "m7": 3}
    assert "rings (Closeness (1-5)) from the centre: 5, 3, 1, not recorded" in figure.legends[0].get_title().get_text()


def test_sectors_by_tie_class_group_the_members(ego_db, settings):
    figure = plot.egogram("ego", "e1", sectors="tieClass", driver=ego_db, settings=settings)
    offsets = figure.axes[0].collections[0].get_offsets()
    classes = ["strong", "strong", "strong", "weak", "professional", "non_human", "weak"]
    # clockwise from the top: members of one class are neighbours (vocabulary order strong, weak, ...)
    clockwise = [classes[i] for i in np.argsort([(np.pi / 2 - np.arctan2(y, x)) % (2 * np.pi) for x, y in offsets])]
    assert clockwise == ["strong"] * 3 + ["weak"] * 2 + ["professional", "non_human"]


@pytest.mark.parametrize("call, message", [
    (lambda s: plot.egogram("ego", "e9", **s), "no participant 'e9' in study 'ego'"),
    (lambda s: plot.egogram("nostudy", "e1", **s), "no study 'nostudy'"),
    (lambda s: plot.egogram("ego", "e1", rings="trust", **s), "declares no member attribute 'trust'"),
    (lambda s: plot.egogram("ego", "e1", wave=1, compare_waves=True, **s), "no members named at wave 2"),
    (lambda s: plot.egogram("ego", "e1", sectors="country", **s), "cannot make sectors by 'country'"),
    (lambda s: plot.grid("ego", ["e1"], sample=2, **s), "a list of participants or a sample size"),
])
def test_what_cannot_be_drawn_is_a_clear_error(ego_db, settings, call, message):
    with pytest.raises(PlotError, match=message) as caught:
        call({"driver": ego_db, "settings": settings})
    assert caught.value.hint


def test_the_command_writes_the_picture_and_reports_errors_in_one_line(ego_db, settings, tmp_path):
    out = tmp_path / "e1.svg"
    result = run_illnet(settings, tmp_path, "egogram", "ego", "e1", "--compare-waves", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "</svg>" in out.read_text(encoding="utf-8")
    grid = tmp_path / "grid.png"
    result = run_illnet(settings, tmp_path, "egogram", "ego", "--sample", "3", "--out", str(grid))
    assert result.returncode == 0, result.stderr
    assert Image.open(grid).format == "PNG"
    for args, message in [(["ego", "e1", "--out", str(tmp_path / "x.jpg")], "cannot write a picture as 'x.jpg'"),
                          (["ego", "zz", "--out", str(tmp_path / "x.png")], "no participant 'zz'")]:
        result = run_illnet(settings, tmp_path, "egogram", *args)
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_query_run_plot_writes_a_chart_or_says_why_not(ego_db, settings, tmp_path):
    out = tmp_path / "composition.png"
    result = run_illnet(settings, tmp_path, "query", "run", "composition_by_tie_class", "-p", "study=ego",
                        "--format", "csv", "--plot", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "tieClass,members,share"   # the data stays on stdout
    assert Image.open(out).format == "PNG"
    result = run_illnet(settings, tmp_path, "query", "run", "work_reallocation", "-p", "study=ego",
                        "--plot", str(tmp_path / "none.png"))
    assert result.returncode == 1 and "no chart fits query work_reallocation" in result.stderr
    assert not (tmp_path / "none.png").exists()

