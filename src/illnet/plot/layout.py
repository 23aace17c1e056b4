"""Where things go on an egogram, as pure geometry (no database, no drawing): ring radii,
sectors as runs of equal angular slots, one angle per member, and label columns whose
labels never overlap. The same input always gives the same layout."""

import math
import re
from dataclasses import dataclass

import numpy as np

CENTRE = 0.45        # radius of the participant's disc
BAND = 1.0           # width of one ring
TOP = math.pi / 2    # the first slot starts at the top; slots run clockwise
STAGGER = 0.15       # in a crowded ring, members sit alternately this far inside and outside its middle


def ring_edges(index: int) -> tuple[float, float]:
    """Inner and outer radius of ring `index` (0 = innermost)."""
    return CENTRE + BAND * index, CENTRE + BAND * (index + 1)


def ring_radius(index: int) -> float:
    """Radius at which members of ring `index` sit (the middle of the band)."""
    return CENTRE + BAND * (index + 0.5)


def natural_key(text) -> tuple:
    """Sort key putting m2 before m10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", str(text)) if part)


@dataclass(frozen=True)
class Sector:
    """A run of slots holding the members of one group (relationship type or tie class)."""

    key: str | None
    start: float   # angle of its first edge (radians); the sector runs clockwise to `end`
    end: float


def arrange(members: list[tuple[str, str | None]]) -> tuple[list[Sector], dict[str, float]]:
    """Sectors and one angle per member, from (memberId, group) pairs already in drawing
    order (groups contiguous). Every member gets an equal slot, clockwise from the top."""
    step = 2 * math.pi / max(len(members), 1)
    angles, sectors = {}, []
    for slot, (member_id, group) in enumerate(members):
        angles[member_id] = TOP - step * (slot + 0.5)
        start = sectors.pop().start if sectors and sectors[-1].key == group else TOP - step * slot
        sectors.append(Sector(group, start, TOP - step * (slot + 1)))
    return sectors, angles


def radii(rings: dict[str, int], angles: dict[str, float], room: float) -> dict[str, float]:
    """Each member's radius: the middle of its ring, or, in a ring where two neighbours are
    closer than `room` along the circle, alternately a little inside and outside it."""
    out = {}
    for ring in set(rings.values()):
        ids = sorted((key for key, index in rings.items() if index == ring), key=lambda key: -angles[key])
        middle = ring_radius(ring)
        gaps = [(angles[a] - angles[b]) % (2 * math.pi) * middle for a, b in zip(ids, ids[1:] + ids[:1])]
        crowded = len(ids) > 1 and min(gaps) < room
        for position, key in enumerate(ids):
            out[key] = middle + (BAND * STAGGER * (1 if position % 2 else -1) if crowded else 0.0)
    return out


def _isotonic(values: np.ndarray) -> np.ndarray:
    """The non-decreasing sequence closest to `values` in least squares (pool adjacent violators)."""
    blocks: list[list[float]] = []   # [mean, weight]
    for value in values:
        blocks.append([float(value), 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight = blocks.pop()
            blocks[-1] = [(blocks[-1][0] * blocks[-1][1] + mean * weight) / (blocks[-1][1] + weight),
                          blocks[-1][1] + weight]
    return np.concatenate([np.full(int(weight), mean) for mean, weight in blocks]) if blocks else np.array([])


def spread(targets: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as close as possible to the sorted `targets`, at least `gap` apart, within
    [low, high] where room allows (when it does not, they keep the gap and start at low)."""
    if not targets:
        return []
    offsets = gap * np.arange(len(targets))
    fitted = _isotonic(np.asarray(targets, dtype=float) - offsets)
    fitted = np.clip(fitted, low, max(low, high - offsets[-1]))
    return list(fitted + offsets)


def label_columns(points: dict[str, tuple[float, float]], gap: float, limit: float) -> dict[str, tuple[int, float]]:
    """For each labelled point, its column (+1 right, -1 left, by the point's side) and the
    label's height there: labels of a column are at least `gap` apart, within +-limit."""
    out = {}
    for side in (1, -1):
        ids = sorted((key for key, (x, _) in points.items() if (x >= -1e-9) == (side == 1)),
                     key=lambda key: (points[key][1], natural_key(key)))
        for key, y in zip(ids, spread([points[key][1] for key in ids], gap, -limit, limit)):
            out[key] = (side, y)
    return out
