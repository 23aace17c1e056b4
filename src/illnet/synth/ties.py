"""Ties between the members of each network (member-member ties), drawn per pair of members."""

import numpy as np
import pandas as pd

from illnet.synth.calibration import Calibration
from illnet.synth.draw import positions
from illnet.synth.roster import TIE_CLASS

FAMILY = ("partner", "child", "parent", "sibling", "grandchild", "other_family")
CATEGORIES = ("family", "friend", "weak", "professional", "practice")


def tie_category(relationship: str) -> str | None:
    """Category of a member for the chance of knowing another one (None: pets and things)."""
    if relationship in FAMILY:
        return "family"
    if relationship in ("gp", "practice_nurse"):
        return "practice"
    return {"strong": "friend", "weak": "weak", "professional": "professional"}.get(TIE_CLASS[relationship])


def _knows_probability(cal: Calibration, a: str, b: str) -> float:
    key = "-".join(sorted((a, b)))
    if key in cal.knows:
        return cal.knows[key]
    return cal.knows.get("-".join(sorted(c.replace("practice", "professional") for c in (a, b))), 0.0)


def draw_member_ties(rng, cal: Calibration, roster: pd.DataFrame) -> pd.DataFrame:
    """Ties among the human, group and organisation members of each network, stored once per pair
    (smaller member id first) for every wave in which both are named."""
    codes = {c: i for i, c in enumerate(CATEGORIES)}
    chance = np.array([[_knows_probability(cal, a, b) for b in CATEGORIES] for a in CATEGORIES])
    category = roster["relationship_type"].map({rel: codes.get(tie_category(rel), -1) for rel in TIE_CLASS}).to_numpy()
    members = np.flatnonzero(category >= 0)  # roster order: grouped by participant
    owner = roster["p"].to_numpy()[members]
    group_size = np.bincount(owner, minlength=int(owner.max()) + 1 if len(owner) else 0)[owner]
    rank = positions(np.unique(owner, return_counts=True)[1]) if len(owner) else np.zeros(0, dtype=int)
    later = group_size - rank - 1  # members listed after this one in its network
    a = np.repeat(np.arange(len(members)), later)
    b = a + 1 + positions(later)
    ends_a, ends_b = members[a], members[b]
    keep = rng.random(len(a)) < chance[category[ends_a], category[ends_b]]
    ends_a, ends_b = ends_a[keep], ends_b[keep]
    first = np.maximum(roster["first_wave"].to_numpy()[ends_a], roster["first_wave"].to_numpy()[ends_b])
    last = np.minimum(roster["last_wave"].to_numpy()[ends_a], roster["last_wave"].to_numpy()[ends_b])
    spans = np.maximum(last - first + 1, 0)
    ids = roster["member_id"].to_numpy()
    low = np.where(ids[ends_a] < ids[ends_b], ids[ends_a], ids[ends_b])
    high = np.where(ids[ends_a] < ids[ends_b], ids[ends_b], ids[ends_a])
    return pd.DataFrame({"participant_id": np.repeat(roster["participant_id"].to_numpy()[ends_a], spans),
                         "member_a": np.repeat(low, spans), "member_b": np.repeat(high, spans),
                         "wave": np.repeat(first, spans) + positions(spans)})
