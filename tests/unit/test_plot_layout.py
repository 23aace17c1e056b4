"""The geometry of egograms (illnet.plot.layout), on small hand-made inputs."""

import math

import pytest

from illnet.plot import layout


def test_members_get_equal_slots_clockwise_from_the_top_in_contiguous_sectors():
    sectors, angles = layout.arrange([("m1", "partner"), ("m2", "partner"), ("m3", "gp"), ("m4", None)])
    # four slots of 90 degrees; slot k is centred at 90 - 45 - 90 k degrees
    assert {key: round(math.degrees(angle)) for key, angle in angles.items()} == {
        "m1": 45, "m2": -45, "m3": -135, "m4": -225}
    assert [(s.key, round(math.degrees(s.start)), round(math.degrees(s.end))) for s in sectors] == [
        ("partner", 90, -90), ("gp", -90, -180), (None, -180, -270)]


def test_spread_keeps_the_gap_stays_near_the_targets_and_inside_the_bounds():
    assert layout.spread([0.0, 0.0, 0.0], 1.0, -5, 5) == pytest.approx([-1.0, 0.0, 1.0])   # centred on the targets
    assert layout.spread([-2.0, 3.0], 1.0, -5, 5) == pytest.approx([-2.0, 3.0])            # far enough apart: kept
    assert layout.spread([4.9, 5.0], 1.0, -5, 5) == pytest.approx([4.0, 5.0])              # pushed inside the bound
    assert layout.spread([], 1.0, -5, 5) == []


def test_label_columns_split_by_side_and_never_closer_than_the_gap():
    points = {f"m{i}": (1.0 if i % 2 else -1.0, 0.01 * i) for i in range(10)}
    columns = layout.label_columns(points, gap=0.5, limit=10)
    for side in (1, -1):
        heights = sorted(y for s, y in columns.values() if s == side)
        assert len(heights) == 5 and all(b - a >= 0.5 - 1e-9 for a, b in zip(heights, heights[1:]))
    assert all(side == (1 if points[key][0] > 0 else -1) for key, (side, _) in columns.items())


def test_crowded_rings_stagger_their_members_and_roomy_ones_do_not():
    angles = {"a": 0.0, "b": 0.05, "c": 0.10, "d": math.pi}
    radii = layout.radii({"a": 0, "b": 0, "c": 0, "d": 1}, angles, room=0.2)
    middle = layout.ring_radius(0)
    assert sorted(round(radii[k] - middle, 6) for k in "abc") == [-0.15, -0.15, 0.15]
    assert radii["d"] == layout.ring_radius(1)                       # alone on its ring
    # neighbours 0.05 rad apart on radius 0.95 are 0.0475 apart along the circle: room 0.04 is enough
    roomy = layout.radii({"a": 0, "b": 0, "c": 0}, angles, room=0.04)
    assert all(roomy[k] == middle for k in "abc")
    assert layout.natural_key("m2") < layout.natural_key("m10")
