"""The participants of a synthetic study and the size of each one's network at baseline (study-wide,
one row per participant; members are drawn later, chunk by chunk)."""

import numpy as np
import pandas as pd

from illnet.errors import InputError
from illnet.synth.calibration import Calibration, per_country
from illnet.synth.draw import allocate, choose, pick_exact


def participant_ids(count: int) -> np.ndarray:
    """P0001, P0002, ... zero-padded to one width (at least 4), so text order is number order."""
    width = max(4, len(str(count)))
    return np.char.add("P", np.char.zfill(np.arange(1, count + 1).astype(str), width)).astype(object)


def draw_participants(rng, cal: Calibration, count: int, countries, area_types) -> pd.DataFrame:
    """Participants spread evenly over country x area type cells, with their latent network type,
    demographics, partner, conditions, community participation (exact share) and pets (exact share)."""
    cells = [(c, a) for c in countries for a in (area_types or (None,))]
    cell = np.arange(count) * len(cells) // count
    district = rng.integers(cal.districts_per_area, size=count)
    names = np.array([[", ".join([c] + ([a.replace("_", " ")] if a else []) +
                                 ([f"district {d + 1}"] if cal.districts_per_area > 1 else []))
                       for d in range(cal.districts_per_area)] for c, a in cells], dtype=object)
    people = pd.DataFrame({
        "participant_id": participant_ids(count),
        "country": np.array([c for c, _ in cells], dtype=object)[cell],
        "area_type": np.array([a for _, a in cells], dtype=object)[cell],
        "locality": names[cell, district],
    })
    network_type = np.empty(count, dtype=object)
    for country in dict.fromkeys(people["country"]):
        rows = (people["country"] == country).to_numpy()
        network_type[rows] = choose(rng, per_country(cal.network_type_mix, country), int(rows.sum()))
    people["network_type"] = network_type
    people["sex"] = _with_missing(rng, cal, choose(rng, {"female": cal.female_share, "male": 1 - cal.female_share},
                                                   count))
    people["age_band"] = _with_missing(rng, cal, choose(rng, cal.age_band_shares, count))
    country_value = lambda values: people["country"].map(lambda c: per_country(values, c)).to_numpy(float)
    people["has_partner"] = rng.random(count) < country_value(cal.partner_share)
    people["conditions"] = choose(rng, cal.condition_mix, count)
    type_value = lambda attribute: people["network_type"].map(
        {name: getattr(t, attribute) for name, t in cal.network_types.items()}).to_numpy(float)
    community_weight = type_value("community_weight") * country_value(cal.country_community_weight)
    people["community"] = pick_exact(rng, community_weight, round(cal.community_share * count))
    owners = pick_exact(rng, np.ones(count), round(cal.pet_owner_share * count))
    people["pets"] = owners * (1 + (rng.random(count) < cal.second_pet_probability).astype(int))
    people["family_share"] = np.minimum(0.95, type_value("family_share") * country_value(cal.country_family_weight))
    people["weak_weight"] = type_value("weak_weight") * country_value(cal.country_weak_weight)
    people["professional_weight"] = type_value("professional_weight")
    people["size"] = _draw_sizes(rng, cal, people, type_value("size_min"), type_value("size_extra_mean"))
    return people


def _with_missing(rng, cal, values: np.ndarray) -> np.ndarray:
    values = values.copy()
    values[rng.random(len(values)) < cal.missing_share] = None
    return values


def _draw_sizes(rng, cal: Calibration, people, size_min, size_extra_mean) -> np.ndarray:
    """Members named at baseline per participant (at least one, and every pet)."""
    size = size_min.astype(int) + rng.poisson(size_extra_mean)
    floor = np.maximum(1, people["pets"].to_numpy())
    return np.clip(np.maximum(size, floor), None, cal.max_network_size)


def fit_total(rng, cal: Calibration, people: pd.DataFrame, members_total: int) -> np.ndarray:
    """Baseline sizes changed so that the study names exactly `members_total` members at baseline."""
    size = people["size"].to_numpy().copy()
    floor = np.maximum(1, people["pets"].to_numpy())
    lowest, highest = int(floor.sum()), cal.max_network_size * len(people)
    if not lowest <= members_total <= highest:
        raise InputError(f"members_total={members_total} is out of reach for {len(people)} participants",
                         hint=f"give a baseline total from {lowest} to {highest}")
    while size.sum() < members_total:
        room = cal.max_network_size - size
        extra = np.bincount(rng.choice(len(size), members_total - size.sum(), p=size * (room > 0) /
                                       (size * (room > 0)).sum()), minlength=len(size))
        size += np.minimum(extra, room)
    if size.sum() > members_total:
        size -= allocate(rng, size.sum() - members_total, size - floor, np.ones(len(size)), 1.0)
    return size
