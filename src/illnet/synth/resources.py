"""Shared resources (GP practices, groups, services): the study's catalogue, and per chunk of
participants who takes part in which and which members link to which, at every wave."""

import numpy as np
import pandas as pd

from illnet.errors import InputError
from illnet.synth.calibration import COMMUNITY_TYPES, RESOURCE_LABELS, Calibration
from illnet.synth.draw import positions

RESOURCE_PREFIX = {"gp_practice": "GP", "pharmacy": "PH", "health_service": "HS", "social_service": "SS",
                   "community_group": "CG", "faith_group": "FG", "voluntary_organisation": "VO",
                   "leisure_centre": "LC"}
KINDS = list(RESOURCE_PREFIX)


class Catalogue:
    """Every resource of the study, and a vectorised pick of one for many participants at once."""

    def __init__(self, cal: Calibration, localities: list[str], countries: list[str]):
        practices = cal.gp_practices if cal.gp_practices is not None else 3 * len(localities)
        if practices < len(localities):
            raise InputError(f"gp_practices={practices} is fewer than the {len(localities)} localities",
                             hint="give at least one GP practice per locality")
        rows = [("gp_practice", localities[k % len(localities)]) for k in range(practices)]
        for place in localities:
            rows += [(kind, place) for kind, n in cal.resources_per_locality.items() for _ in range(n)]
        for country in countries:
            rows += [(kind, country) for kind, n in cal.regional_resources.items() for _ in range(n)]
        frame = pd.DataFrame(rows, columns=["resource_type", "place"])
        number = frame.groupby("resource_type").cumcount() + 1
        frame["resource_id"] = [f"{RESOURCE_PREFIX[t]}{n:03d}" for t, n in zip(frame["resource_type"], number)]
        frame["name"] = [f"{RESOURCE_LABELS[t][n % len(RESOURCE_LABELS[t])]} {n} ({place})"
                         for t, n, place in zip(frame["resource_type"], number, frame["place"])]
        self.frame, self.cal = frame, cal
        self.places = {place: i for i, place in enumerate(dict.fromkeys(list(localities) + list(countries)))}
        slot = frame["place"].map(self.places).to_numpy() * len(KINDS) + frame["resource_type"].map(KINDS.index).to_numpy()
        order = np.argsort(slot, kind="stable")
        self.ids = frame["resource_id"].to_numpy()[order]
        self.start = np.searchsorted(slot[order], np.arange(len(self.places) * len(KINDS)))
        self.count = np.searchsorted(slot[order], np.arange(len(self.places) * len(KINDS)), side="right") - self.start

    def pick(self, rng, locality: np.ndarray, country: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """One resource of type `kind` per request: a regional one (the country's) with chance
        regional_probability or when the locality has none, else a local one; None when neither has."""
        kind_index = _codes(kind, {k: i for i, k in enumerate(KINDS)})
        local = _codes(locality, self.places) * len(KINDS) + kind_index
        regional = _codes(country, self.places) * len(KINDS) + kind_index
        use_regional = (self.count[regional] > 0) & ((self.count[local] == 0)
                                                     | (rng.random(len(kind)) < self.cal.regional_probability))
        slot = np.where(use_regional, regional, local)
        found = self.count[slot] > 0
        offset = (rng.random(len(kind)) * self.count[slot]).astype(int)
        return np.where(found, self.ids[np.minimum(self.start[slot] + offset, len(self.ids) - 1)], None)


def _codes(values: np.ndarray, index: dict) -> np.ndarray:
    return pd.Series(values, dtype=object).map(index).to_numpy(dtype=int)


def draw_resources(rng, catalogue: Catalogue, people: pd.DataFrame, roster: pd.DataFrame,
                   waves: int) -> dict[str, pd.DataFrame]:
    """Participation per wave and member links for a chunk of participants."""
    cal = catalogue.cal
    locality, country = people["locality"].to_numpy(), people["country"].to_numpy()
    practice = catalogue.pick(rng, locality, country, np.full(len(people), "gp_practice", dtype=object))
    owner = roster["p"].to_numpy()
    kind = roster["resource_type"].to_numpy()
    typed = np.flatnonzero(pd.notna(kind))
    resource = np.full(len(roster), None, dtype=object)
    resource[typed] = catalogue.pick(rng, locality[owner[typed]], country[owner[typed]], kind[typed])
    gp = kind == "gp_practice"
    resource[gp] = practice[owner[gp]]
    links = _per_wave(roster.assign(resource_id=resource)[pd.notna(resource)])
    links = links[["participant_id", "member_id", "resource_id", "wave", "relationship_type"]]
    taken = links[links["relationship_type"].isin(["group", "organisation"])]
    participation = [taken[["participant_id", "resource_id", "wave"]]]
    steady = [(np.arange(len(people)), practice)]
    for service, chance in cal.service_use.items():
        users = np.flatnonzero(rng.random(len(people)) < chance)
        steady.append((users, catalogue.pick(rng, locality[users], country[users],
                                             np.full(len(users), service, dtype=object))))
    ids = people["participant_id"].to_numpy()
    who, what = np.concatenate([w for w, _ in steady]), np.concatenate([r for _, r in steady])
    for wave in range(waves):
        participation.append(pd.DataFrame({"participant_id": ids[who], "resource_id": what, "wave": wave}))
    participation += _community_extras(rng, catalogue, people, taken, waves)
    participation = pd.concat(participation, ignore_index=True)
    participation = participation[participation["resource_id"].notna()].drop_duplicates()
    return {"participation": participation, "resource_links": links.drop(columns="relationship_type")}


def _per_wave(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per wave from first_wave to last_wave of each row."""
    span = (frame["last_wave"] - frame["first_wave"] + 1).to_numpy()
    out = frame.loc[frame.index.repeat(span)].reset_index(drop=True)
    out["wave"] = out["first_wave"].to_numpy() + positions(span)
    return out


def _community_extras(rng, catalogue: Catalogue, people, taken, waves) -> list[pd.DataFrame]:
    """Community organisations of participants in community organisations that no member stands for:
    1 + Poisson(0.3) at baseline; each may be left at a later wave, and one may be taken up."""
    cal = catalogue.cal
    linked = taken[taken["wave"] == 0].merge(catalogue.frame[["resource_id", "resource_type"]], on="resource_id")
    linked = set(linked.loc[linked["resource_type"].isin(COMMUNITY_TYPES), "participant_id"])
    ids = people["participant_id"].to_numpy()
    needs = np.flatnonzero(people["community"].to_numpy() & ~people["participant_id"].isin(linked).to_numpy())
    number = 1 + rng.poisson(0.3, size=len(needs))
    who = np.repeat(needs, number)
    kinds = np.array(COMMUNITY_TYPES, dtype=object)[rng.integers(len(COMMUNITY_TYPES), size=len(who))]
    what = catalogue.pick(rng, people["locality"].to_numpy()[who], people["country"].to_numpy()[who], kinds)
    frames = []
    for wave in range(waves):
        if wave:
            kept = rng.random(len(who)) >= cal.community_dropout
            who, what = who[kept], what[kept]
            takers = np.flatnonzero(rng.random(len(people)) < cal.community_uptake)
            kinds = np.array(COMMUNITY_TYPES, dtype=object)[rng.integers(len(COMMUNITY_TYPES), size=len(takers))]
            who = np.concatenate([who, takers])
            what = np.concatenate([what, catalogue.pick(rng, people["locality"].to_numpy()[takers],
                                                        people["country"].to_numpy()[takers], kinds)])
        frames.append(pd.DataFrame({"participant_id": ids[who], "resource_id": what, "wave": wave}))
    return frames
