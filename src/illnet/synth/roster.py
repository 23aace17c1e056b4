"""The members of a chunk of participants: who they are (baseline quotas), who is new at a follow-up
wave, who is lost, and how each is placed (circle, contact, distance) at every wave."""

import numpy as np
import pandas as pd

from illnet import model
from illnet.synth.calibration import PROFILE_GROUP, RAW_LABELS, RESOURCE_LABELS, Calibration
from illnet.synth.draw import allocate, choose, choose_rows, pick_exact, positions, weight_table

TIE_CLASS = model.default_tie_classes()
CIRCLES = ("inner", "middle", "outer", "unplaced")
CLASS_LISTING_RANK = {"strong": 0, "weak": 1, "professional": 2, "non_human": 3}
NEW_MEMBER_WEIGHT = {"strong": 1.0, "weak": 1.5, "professional": 1.2, "non_human": 0.5}
GROUPS = sorted(set(PROFILE_GROUP.values()))

# Resource type a group, organisation or other professional stands for: (relationship,
# participant in community organisations?) -> weights. Only community participants name
# community organisations, so community participation is exact.
MEMBER_RESOURCE_TYPES = {
    ("group", True): {"community_group": 0.65, "faith_group": 0.35},
    ("group", False): {"leisure_centre": 0.5, "health_service": 0.5},
    ("organisation", True): {"voluntary_organisation": 0.6, "social_service": 0.2, "health_service": 0.2},
    ("organisation", False): {"social_service": 0.5, "health_service": 0.3, "pharmacy": 0.2},
    ("other_health_professional", True): {"health_service": 0.7, "pharmacy": 0.3},
    ("other_health_professional", False): {"health_service": 0.7, "pharmacy": 0.3},
    ("social_care", True): {"social_service": 1.0},
    ("social_care", False): {"social_service": 1.0},
}

# Study-wide quotas of baseline members.
QUOTAS = ("gp", "practice_nurse", "other_professional", "other_non_human", "weak")


def quotas_up_to(cal: Calibration, members: int) -> dict[str, int]:
    """Members of each kind of QUOTAS among the first `members` baseline members of the study (the
    published shares are exact study-wide; a chunk takes the difference of two running totals)."""
    gp_nurse = round(members * cal.gp_nurse_share)
    gp = round(gp_nurse * cal.gp_fraction)
    return {"gp": gp, "practice_nurse": gp_nurse - gp,
            "other_professional": round(members * cal.other_professional_share),
            "other_non_human": round(members * cal.other_non_human_share), "weak": round(members * cal.weak_share)}


def draw_roster(rng, cal: Calibration, people: pd.DataFrame, quotas: dict[str, int]) -> pd.DataFrame:
    """One row per member named at baseline: relationship, tie class, raw label, resource type, listing.

    quotas: members of each kind of QUOTAS among this chunk's baseline members."""
    count = len(people)
    size, pets = people["size"].to_numpy(), people["pets"].to_numpy()
    partner = (people["has_partner"].to_numpy() & (rng.random(count) < cal.partner_named_probability)
               & (size > pets)).astype(int)
    free = size - pets - partner
    weights = people["professional_weight"].to_numpy()
    counts = {}
    for kind, cap, kind_weights, decay in (("gp", 2, weights, 0.1), ("practice_nurse", 2, weights, 0.1),
                                           ("other_professional", 2, weights, 0.3),
                                           ("other_non_human", 1, np.ones(count), 1.0),
                                           ("weak", None, people["weak_weight"].to_numpy(), 0.85)):
        counts[kind] = allocate(rng, quotas[kind], np.minimum(free, cap) if cap else free, kind_weights, decay)
        free = free - counts[kind]
    owner, kinds = [], []
    for kind, number in (("pet", pets), ("partner", partner), ("gp", counts["gp"]),
                         ("practice_nurse", counts["practice_nurse"]), ("other_professional", counts["other_professional"]),
                         ("other_non_human", counts["other_non_human"]), ("weak", counts["weak"]), ("free", free)):
        owner.append(np.repeat(np.arange(count), number))
        kinds.append(np.full(int(number.sum()), kind, dtype=object))
    owner, relationship = np.concatenate(owner), np.concatenate(kinds)
    community = people["community"].to_numpy()[owner]
    _resolve_kinds(rng, cal, relationship, owner, community, people["family_share"].to_numpy())
    roster = pd.DataFrame({"p": owner, "participant_id": people["participant_id"].to_numpy()[owner],
                           "relationship_type": relationship, "community": community})
    return _describe(rng, roster)


def _resolve_kinds(rng, cal: Calibration, relationship, owner, community, family_share) -> None:
    """Replace the placeholder kinds (other_professional, weak, free) by relationship types, in place."""
    other = relationship == "other_professional"
    relationship[other] = np.where(rng.random(int(other.sum())) < cal.social_care_fraction, "social_care",
                                   "other_health_professional")
    weak = relationship == "weak"
    boosted = {rel: w * (cal.community_group_boost if rel in ("group", "organisation") else 1.0)
               for rel, w in cal.weak_relationships.items()}
    table = weight_table({False: cal.weak_relationships, True: boosted}, [False, True], list(cal.weak_relationships))
    relationship[weak] = np.array(list(cal.weak_relationships), dtype=object)[
        choose_rows(rng, table, community[weak].astype(int))]
    free = relationship == "free"
    family = rng.random(int(free.sum())) < family_share[owner[free]]
    relationship[free] = np.where(family, choose(rng, cal.family_relationships, int(free.sum())), "friend")


def _describe(rng, roster: pd.DataFrame) -> pd.DataFrame:
    """Tie class, listing order, the resource type a member stands for and a raw label."""
    relationship = roster["relationship_type"].to_numpy()
    roster["tie_class"] = roster["relationship_type"].map(TIE_CLASS)
    rank = roster["tie_class"].map(CLASS_LISTING_RANK).to_numpy() - (relationship == "partner")
    roster["listing"] = rank + rng.uniform(0, 1.5, len(roster))
    resource = np.full(len(roster), None, dtype=object)
    resource[roster["relationship_type"].isin(["gp", "practice_nurse"]).to_numpy()] = "gp_practice"
    community = roster["community"].to_numpy()
    for (rel, in_community), weights in MEMBER_RESOURCE_TYPES.items():
        rows = (relationship == rel) & (community == in_community)
        resource[rows] = choose(rng, weights, int(rows.sum()))
    roster["resource_type"] = resource
    raw = np.full(len(roster), None, dtype=object)
    for rel, labels in RAW_LABELS.items():
        rows = relationship == rel
        raw[rows] = np.array(labels, dtype=object)[rng.integers(len(labels), size=int(rows.sum()))]
    for kind, labels in RESOURCE_LABELS.items():
        rows = (resource == kind) & ~roster["relationship_type"].isin(list(RAW_LABELS)).to_numpy()
        raw[rows] = np.array(labels, dtype=object)[rng.integers(len(labels), size=int(rows.sum()))]
    roster["relationship_raw"] = raw
    return roster


def add_new_members(rng, cal: Calibration, roster: pd.DataFrame, waves: int, sizes: np.ndarray) -> pd.DataFrame:
    """Baseline members (first_wave 0) plus members first named at a follow-up wave: new_member_share of
    the baseline members, each like a member its participant already has (not the partner, not the
    first listed, weighted by tie class), in participants below the largest network size."""
    roster = roster.assign(first_wave=0, last_wave=waves - 1)
    roster = roster.sort_values(["p", "listing"], kind="stable", ignore_index=True)
    if waves < 2:
        return roster
    eligible = ((roster.groupby("p").cumcount() > 0) & (roster["relationship_type"] != "partner")
                & (sizes[roster["p"].to_numpy()] < cal.max_network_size)).to_numpy()
    weights = roster["tie_class"].map(NEW_MEMBER_WEIGHT).to_numpy(float) * eligible
    like = pick_exact(rng, weights, round(cal.new_member_share * len(roster)))
    new = roster.loc[like, ["p", "participant_id", "relationship_type", "community"]].reset_index(drop=True)
    new = _describe(rng, new).assign(first_wave=rng.integers(1, waves, size=len(new)), last_wave=waves - 1)
    return pd.concat([roster, new], ignore_index=True)


def draw_waves(rng, cal: Calibration, roster: pd.DataFrame, waves: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster with last waves and member ids (in listing order), and one row per member x wave."""
    roster = roster.sort_values(["p", "first_wave", "listing"], kind="stable", ignore_index=True)
    ordinal = positions(roster.groupby("p", sort=False).size().to_numpy()) + 1
    roster["member_id"] = np.char.add("m", np.char.zfill(ordinal.astype(str), 2)).astype(object)
    size = len(roster)
    group = roster["relationship_type"].map({rel: GROUPS.index(g) for rel, g in PROFILE_GROUP.items()}).to_numpy()
    circle_table = weight_table(cal.circles, GROUPS, list(CIRCLES))
    contacts = list(model.vocabulary("contact_frequency"))
    contact_table = weight_table(cal.contact, GROUPS, contacts)
    first = roster["first_wave"].to_numpy()
    circle = np.empty((waves, size), dtype=int)
    contact = np.empty((waves, size), dtype=int)
    for wave in range(waves):
        fresh, fresh_contact = choose_rows(rng, circle_table, group), choose_rows(rng, contact_table, group)
        if wave == 0:
            circle[0], contact[0] = fresh, fresh_contact
            continue
        shift = np.where(rng.random(size) < cal.circle_shift_probability, rng.choice([-1, 1], size), 0)
        moved = np.where(circle[wave - 1] == 3, 3, np.clip(circle[wave - 1] + shift, 0, 2))
        circle[wave] = np.where(first == wave, fresh, moved)
        asked_again = (first == wave) | (rng.random(size) < cal.contact_change_probability)
        contact[wave] = np.where(asked_again, fresh_contact, contact[wave - 1])
        _lose(rng, cal, roster, wave, circle[wave - 1])
    distances = list(model.vocabulary("distance_band"))
    distance = np.array(distances, dtype=object)[choose_rows(rng, weight_table(cal.distance, GROUPS, distances), group)]
    distance[rng.random(size) < cal.missing_share] = None
    rows = []
    for wave in range(waves):
        present = present_at(roster, wave)
        frame = roster.loc[present, ["participant_id", "member_id"]].assign(
            wave=wave, circle=np.array(CIRCLES, dtype=object)[circle[wave][present]],
            contact_frequency=np.array(contacts, dtype=object)[contact[wave][present]],
            distance_band=distance[present])
        frame.loc[rng.random(len(frame)) < cal.missing_share, "contact_frequency"] = None
        rows.append(frame)
    return roster, pd.concat(rows, ignore_index=True)


def present_at(roster: pd.DataFrame, wave: int) -> np.ndarray:
    """Members named at `wave`."""
    return ((roster["first_wave"] <= wave) & (roster["last_wave"] >= wave)).to_numpy()


def _lose(rng, cal: Calibration, roster: pd.DataFrame, wave: int, previous_circle: np.ndarray) -> None:
    """Members of wave-1 not named at `wave`: an exact share per tie class (cal.retention)."""
    was_present = present_at(roster, wave - 1)
    weight = np.array([cal.circle_loss_weight[c] for c in CIRCLES])[previous_circle]
    weight = weight * np.where(roster["relationship_type"] == "partner", cal.partner_loss_weight, 1.0)
    tie_class = roster["tie_class"].to_numpy()
    for name, retention in cal.retention.items():
        candidates = was_present & (tie_class == name)
        lost = pick_exact(rng, weight * candidates, round((1 - retention) * candidates.sum()))
        roster.loc[lost, "last_wave"] = wave - 1
