"""Calibrated synthetic illness-work network studies.

`generate()` builds every canonical table of a study from a seed; the published figures
of the programme (domain.md) are met with study-wide quotas, so they hold for any seed;
everything else follows the documented defaults of `illnet.synth.calibration.Calibration`.
`build_examples()` regenerates the bundled example studies in examples/.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from illnet import model
from illnet.errors import InputError
from illnet.synth.calibration import (
    COMMUNITY_TYPES, PROFILE_GROUP, RAW_LABELS, RESOURCE_LABELS, Calibration, calibration, per_country)
from illnet.synth.files import TASKS, write_study
from illnet.load.tables import StudyTables, columns, typed_frame

TASK_WORK_TYPE = {task: attrs["work_type"] for task, attrs in model.vocabulary("task").items()}
TIE_CLASS = model.default_tie_classes()
KIND = {code: spec["kind"] for code, spec in model.vocabulary("relationship_type").items()}
CIRCLES = ("inner", "middle", "outer", "unplaced")
FAMILY = ("partner", "child", "parent", "sibling", "grandchild", "other_family")
CLASS_LISTING_RANK = {"strong": 0, "weak": 1, "professional": 2, "non_human": 3}
NEW_MEMBER_WEIGHT = {"strong": 1.0, "weak": 1.5, "professional": 1.2, "non_human": 0.5}

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
RESOURCE_PREFIX = {"gp_practice": "GP", "pharmacy": "PH", "health_service": "HS", "social_service": "SS",
                   "community_group": "CG", "faith_group": "FG", "voluntary_organisation": "VO",
                   "leisure_centre": "LC"}

EXAMPLES = {
    "nwe": dict(participants=300, seed=2010, waves=2, countries=("GB",), member_ties=True, resources=True,
                members_total=2544, study_id="nwe",
                name="North West England illness-work networks (synthetic, calibrated)"),
    "euwise": dict(participants=1800, seed=2013, countries=("GB", "NL", "NO", "ES", "BG", "GR"),
                   area_types=("deprived_urban", "deprived_rural", "affluent_urban"), resources=True,
                   study_id="euwise", name="EU-WISE six-country type 2 diabetes survey (synthetic, calibrated)"),
}


def generate(participants: int, seed: int, *, waves: int = 1, countries=("GB",), area_types=None,
             member_ties: bool = False, resources: bool = False, members_total: int | None = None,
             study_id: str = "synthetic", name: str = "Synthetic illness-work network study",
             profile: str | None = None, **parameters) -> StudyTables:
    """A synthetic study as canonical tables, the same for the same arguments and seed.

    profile: "nwe" (North West England case study) or "euwise" (six-country survey);
    default "euwise" when area types or several countries are given, else "nwe".
    parameters: fields of `Calibration` that replace the profile's defaults.
    """
    countries, area_types = tuple(countries), tuple(area_types) if area_types else None
    _check_arguments(participants, waves, countries, area_types)
    if profile is None:
        profile = "euwise" if area_types or len(countries) > 1 else "nwe"
    cal = calibration(profile, **parameters)
    rng = np.random.default_rng(seed)
    people = _draw_participants(rng, cal, participants, countries, area_types)
    people["size"] = _draw_sizes(rng, cal, people, members_total)
    roster = _draw_roster(rng, cal, people)
    roster, waves_of = _draw_waves(rng, cal, roster, waves)
    study = StudyTables(study_id, name=name, design="panel" if waves > 1 else "cross-sectional")
    study["participants"] = _table("participants", people.assign(study_id=study_id, synthetic=True))
    study["conditions"] = _table("conditions", _conditions(people).assign(study_id=study_id))
    study["members"] = _table("members", roster.assign(study_id=study_id, synthetic=True))
    study["ties"] = _table("ties", waves_of.assign(study_id=study_id))
    study["support"] = _table("support", _draw_support(rng, cal, roster, waves_of).assign(study_id=study_id))
    if member_ties:
        study["member_ties"] = _table("member_ties", _draw_member_ties(rng, cal, roster).assign(study_id=study_id))
    if resources:
        for table, frame in _draw_resources(rng, cal, people, roster, waves).items():
            study[table] = _table(table, frame.assign(study_id=study_id, synthetic=True))
    return study


def build_examples(dest) -> list[Path]:
    """Regenerate the bundled example studies under `dest` (nwe/, euwise/); mapping paths."""
    return [write_study(generate(**arguments), Path(dest) / folder) for folder, arguments in EXAMPLES.items()]


def _check_arguments(participants, waves, countries, area_types):
    problems = []
    if participants < 1:
        problems.append(f"participants={participants}: give at least 1")
    if not 1 <= waves <= 21:
        problems.append(f"waves={waves}: give 1 to 21 waves")
    problems += [f"country {c!r} is not in the country vocabulary ({', '.join(model.vocabulary('country'))})"
                 for c in countries if c not in model.vocabulary("country")]
    problems += [f"area type {a!r} is not in the area_type vocabulary ({', '.join(model.vocabulary('area_type'))})"
                 for a in area_types or () if a not in model.vocabulary("area_type")]
    if not countries:
        problems.append("no country given: give at least one country code, e.g. GB")
    if problems:
        raise InputError("cannot generate this study: " + "; ".join(problems), problems)


def _choose(rng, weights: dict, size: int) -> np.ndarray:
    """`size` keys of `weights` drawn with probability proportional to their weight."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _pick_exact(rng, weights: np.ndarray, count: int) -> np.ndarray:
    """Boolean mask choosing exactly `count` items (fewer if fewer have weight), weighted."""
    weights = np.asarray(weights, dtype=float)
    count = min(int(count), int((weights > 0).sum()))
    mask = np.zeros(len(weights), dtype=bool)
    if count > 0:
        mask[rng.choice(len(weights), size=count, replace=False, p=weights / weights.sum())] = True
    return mask


def _allocate(rng, quota: int, capacity: np.ndarray, weights: np.ndarray, decay: float) -> np.ndarray:
    """Spread `quota` units over participants (at most `capacity` each), the k-th unit of a
    participant weighted weight * decay**k; returns the count per participant."""
    owner = np.repeat(np.arange(len(capacity)), capacity)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(capacity) - capacity, capacity)
    chosen = _pick_exact(rng, weights[owner] * decay ** rank, quota)
    return np.bincount(owner[chosen], minlength=len(capacity))


def _draw_participants(rng, cal: Calibration, count, countries, area_types) -> pd.DataFrame:
    cells = [(c, a) for c in countries for a in (area_types or (None,))]
    cell = np.arange(count) * len(cells) // count
    people = pd.DataFrame({
        "participant_id": [f"P{i + 1:04d}" for i in range(count)],
        "country": [cells[k][0] for k in cell],
        "area_type": [cells[k][1] for k in cell],
    })
    district = rng.integers(cal.districts_per_area, size=count)
    people["locality"] = [", ".join([c] + ([a.replace("_", " ")] if a else []) +
                                    ([f"district {d + 1}"] if cal.districts_per_area > 1 else []))
                          for c, a, d in zip(people["country"], people["area_type"], district)]
    people["network_type"] = None
    for country, rows in people.groupby("country").groups.items():
        people.loc[rows, "network_type"] = _choose(rng, per_country(cal.network_type_mix, country), len(rows))
    people["sex"] = _with_missing(rng, cal, _choose(rng, {"female": cal.female_share,
                                                          "male": 1 - cal.female_share}, count))
    people["age_band"] = _with_missing(rng, cal, _choose(rng, cal.age_band_shares, count))
    people["has_partner"] = rng.random(count) < people["country"].map(
        lambda c: per_country(cal.partner_share, c)).to_numpy()
    people["conditions"] = _choose(rng, cal.condition_mix, count)
    types = people["network_type"].map(cal.network_types)
    community_weight = types.map(lambda t: t.community_weight) * people["country"].map(
        lambda c: per_country(cal.country_community_weight, c))
    people["community"] = _pick_exact(rng, community_weight.to_numpy(), round(cal.community_share * count))
    owners = _pick_exact(rng, np.ones(count), round(cal.pet_owner_share * count))
    people["pets"] = owners * (1 + (rng.random(count) < cal.second_pet_probability).astype(int))
    return people


def _with_missing(rng, cal, values: np.ndarray) -> np.ndarray:
    values = values.copy()
    values[rng.random(len(values)) < cal.missing_share] = None
    return values


def _draw_sizes(rng, cal: Calibration, people, members_total) -> np.ndarray:
    """Network size per participant; exactly `members_total` members in all when given."""
    types = people["network_type"].map(cal.network_types)
    size = np.array([t.size_min for t in types]) + rng.poisson([t.size_extra_mean for t in types])
    floor = np.maximum(1, people["pets"].to_numpy())
    size = np.clip(np.maximum(size, floor), None, cal.max_network_size)
    if members_total is None:
        return size
    lowest, highest = int(floor.sum()), cal.max_network_size * len(people)
    if not lowest <= members_total <= highest:
        raise InputError(f"members_total={members_total} is out of reach for {len(people)} participants",
                         hint=f"give a total from {lowest} to {highest}")
    while size.sum() < members_total:
        room = cal.max_network_size - size
        extra = np.bincount(rng.choice(len(size), members_total - size.sum(), p=size * (room > 0) /
                                       (size * (room > 0)).sum()), minlength=len(size))
        size += np.minimum(extra, room)
    if size.sum() > members_total:
        size -= _allocate(rng, size.sum() - members_total, size - floor, np.ones(len(size)), 1.0)
    return size


def _draw_roster(rng, cal: Calibration, people) -> pd.DataFrame:
    """One row per member: relationship, tie class, raw label, resource type and listing order."""
    count, total = len(people), int(people["size"].sum())
    types = people["network_type"].map(cal.network_types)
    pets = people["pets"].to_numpy()
    partner = (people["has_partner"].to_numpy() & (rng.random(count) < cal.partner_named_probability)
               & (people["size"].to_numpy() > pets)).astype(int)
    free = people["size"].to_numpy() - pets - partner
    professional_weight = np.array([t.professional_weight for t in types])
    weak_weight = np.array([t.weak_weight for t in types]) * people["country"].map(
        lambda c: per_country(cal.country_weak_weight, c)).to_numpy()
    gp_nurse = round(total * cal.gp_nurse_share)
    gp = round(gp_nurse * cal.gp_fraction)
    counts = {}
    for kind, quota, cap, weights, decay in (
            ("gp", gp, 2, professional_weight, 0.1),
            ("practice_nurse", gp_nurse - gp, 2, professional_weight, 0.1),
            ("other_professional", round(total * cal.other_professional_share), 2, professional_weight, 0.3),
            ("other_non_human", round(total * cal.other_non_human_share), 1, np.ones(count), 1.0),
            ("weak", round(total * cal.weak_share), None, weak_weight, 0.85)):
        counts[kind] = _allocate(rng, quota, np.minimum(free, cap) if cap else free, weights, decay)
        free = free - counts[kind]
    rows = []
    for i, person in enumerate(people.itertuples()):
        family_share = min(0.95, types.iloc[i].family_share * per_country(cal.country_family_weight, person.country))
        weak_weights = {rel: w * (cal.community_group_boost if person.community and rel in ("group", "organisation")
                                  else 1.0) for rel, w in cal.weak_relationships.items()}
        relationships = (["pet"] * pets[i] + ["partner"] * partner[i] + ["gp"] * counts["gp"][i]
                         + ["practice_nurse"] * counts["practice_nurse"][i]
                         + list(np.where(rng.random(counts["other_professional"][i]) < cal.social_care_fraction,
                                         "social_care", "other_health_professional"))
                         + ["other_non_human"] * counts["other_non_human"][i]
                         + list(_choose(rng, weak_weights, counts["weak"][i]))
                         + list(np.where(rng.random(free[i]) < family_share,
                                         _choose(rng, cal.family_relationships, free[i]), "friend")))
        for relationship in relationships:
            rows.append((i, person.participant_id, str(relationship), person.community))
    roster = pd.DataFrame(rows, columns=["p", "participant_id", "relationship_type", "community"])
    roster["tie_class"] = roster["relationship_type"].map(TIE_CLASS)
    rank = roster["tie_class"].map(CLASS_LISTING_RANK) - (roster["relationship_type"] == "partner")
    roster["listing"] = rank + rng.uniform(0, 1.5, len(roster))
    roster["resource_type"] = [
        _choose(rng, MEMBER_RESOURCE_TYPES[(rel, community)], 1)[0] if (rel, community) in MEMBER_RESOURCE_TYPES
        else "gp_practice" if rel in ("gp", "practice_nurse") else None
        for rel, community in zip(roster["relationship_type"], roster["community"])]
    roster["relationship_raw"] = [
        _choose(rng, dict.fromkeys(RESOURCE_LABELS[res] if rel not in RAW_LABELS else RAW_LABELS[rel], 1), 1)[0]
        for rel, res in zip(roster["relationship_type"], roster["resource_type"])]
    return roster


def _draw_waves(rng, cal: Calibration, roster, waves: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster with first/last wave and member ids (in listing order), and one row per member x wave."""
    size = len(roster)
    roster = roster.assign(first_wave=0, last_wave=waves - 1)
    roster = roster.sort_values(["p", "listing"], kind="stable").reset_index(drop=True)
    if waves > 1:
        eligible = (roster.groupby("p").cumcount() > 0) & (roster["relationship_type"] != "partner")
        weights = roster["tie_class"].map(NEW_MEMBER_WEIGHT) * eligible
        new = _pick_exact(rng, weights.to_numpy(), round(cal.new_member_share * size))
        roster.loc[new, "first_wave"] = rng.integers(1, waves, size=new.sum())
    roster = roster.sort_values(["p", "first_wave", "listing"], kind="stable").reset_index(drop=True)
    roster["member_id"] = [f"m{k + 1:02d}" for k in roster.groupby("p").cumcount()]
    group = roster["relationship_type"].map(PROFILE_GROUP)
    circle = np.empty((waves, size), dtype=int)
    contact = np.empty((waves, size), dtype=object)
    circle_index = {c: k for k, c in enumerate(CIRCLES)}
    first = roster["first_wave"].to_numpy()
    for wave in range(waves):
        fresh = np.array([circle_index[_choose(rng, cal.circles[g], 1)[0]] for g in group])
        fresh_contact = np.array([_choose(rng, cal.contact[g], 1)[0] for g in group], dtype=object)
        if wave == 0:
            circle[0], contact[0] = fresh, fresh_contact
            continue
        shift = np.where(rng.random(size) < cal.circle_shift_probability, rng.choice([-1, 1], size), 0)
        moved = np.where(circle[wave - 1] == 3, 3, np.clip(circle[wave - 1] + shift, 0, 2))
        circle[wave] = np.where(first == wave, fresh, moved)
        asked_again = (first == wave) | (rng.random(size) < cal.contact_change_probability)
        contact[wave] = np.where(asked_again, fresh_contact, contact[wave - 1])
        _lose(rng, cal, roster, wave, circle[wave - 1])
    distance = np.array([_choose(rng, cal.distance[g], 1)[0] for g in group], dtype=object)
    distance[rng.random(size) < cal.missing_share] = None
    rows = []
    for wave in range(waves):
        present = _present(roster, wave)
        frame = roster.loc[present, ["participant_id", "member_id"]].assign(
            wave=wave, circle=[CIRCLES[k] for k in circle[wave][present]],
            contact_frequency=contact[wave][present], distance_band=distance[present])
        frame.loc[rng.random(len(frame)) < cal.missing_share, "contact_frequency"] = None
        rows.append(frame)
    return roster, pd.concat(rows, ignore_index=True)


def _present(roster, wave: int) -> np.ndarray:
    return ((roster["first_wave"] <= wave) & (roster["last_wave"] >= wave)).to_numpy()


def _lose(rng, cal: Calibration, roster, wave: int, previous_circle: np.ndarray) -> None:
    """Members of wave-1 not named at `wave`: an exact share per tie class (cal.retention)."""
    was_present = _present(roster, wave - 1)
    weight = np.array([cal.circle_loss_weight[CIRCLES[k]] for k in previous_circle])
    weight = weight * np.where(roster["relationship_type"] == "partner", cal.partner_loss_weight, 1.0)
    for tie_class, retention in cal.retention.items():
        candidates = was_present & (roster["tie_class"] == tie_class).to_numpy()
        lost = _pick_exact(rng, weight * candidates, round((1 - retention) * candidates.sum()))
        roster.loc[lost, "last_wave"] = wave - 1


def _task_probabilities(cal: Calibration, roster) -> np.ndarray:
    """Chance of each task per member (rows) and task (columns)."""
    base = np.array([[cal.work[rel][TASK_WORK_TYPE[task]] * cal.task_weights[task] for task in TASKS]
                     for rel in roster["relationship_type"]])
    for rel, allowed in cal.task_restrictions.items():
        base[(roster["relationship_type"] == rel).to_numpy()] *= np.isin(TASKS, allowed)
    named_partner = roster.loc[roster["relationship_type"] == "partner", "p"].unique()
    boosted = (~roster["p"].isin(named_partner) & roster["tie_class"].isin(["strong", "weak"])).to_numpy()
    illness = np.array([TASK_WORK_TYPE[t] == "illness" for t in TASKS])
    base[np.ix_(boosted, illness)] *= cal.no_partner_illness_boost
    return np.clip(base, 0, 0.95)


def _evolve(rng, cal: Calibration, roster, probability: np.ndarray, waves: int, needs_one: np.ndarray):
    """Task matrices per wave: fresh draws for new members, persistence for retained ones
    (the overall rate of each task is kept); every member in `needs_one` does at least one."""
    first, last = roster["first_wave"].to_numpy(), roster["last_wave"].to_numpy()
    keep = cal.task_persistence
    acquire = np.where(probability < 1, probability * (1 - keep) / np.maximum(1 - probability, 1e-9), 0)
    matrices = []
    for wave in range(waves):
        draw = rng.random(probability.shape)
        present = (first <= wave) & (last >= wave)
        fresh = (draw < probability) & (first == wave)[:, None]
        if wave == 0:
            tasks = fresh
        else:
            previous = matrices[-1]
            tasks = fresh | ((first < wave)[:, None] & np.where(previous, draw < keep, draw < acquire))
        tasks &= present[:, None]
        for row in np.flatnonzero(present & needs_one & ~tasks.any(axis=1)):
            p = probability[row]
            tasks[row, rng.choice(len(TASKS), p=p / p.sum())] = True
        matrices.append(tasks)
    return matrices


def _draw_support(rng, cal: Calibration, roster, waves_of) -> pd.DataFrame:
    waves = int(waves_of["wave"].max()) + 1
    probability = _task_probabilities(cal, roster)
    given = _evolve(rng, cal, roster, probability, waves, np.ones(len(roster), dtype=bool))
    _take_over(rng, cal, roster, given)
    helps = rng.random(len(roster)) < np.array([cal.reciprocity.get(rel, cal.reciprocity[tie]) for rel, tie
                                                in zip(roster["relationship_type"], roster["tie_class"])])
    reciprocal = np.isin(TASKS, cal.reciprocal_tasks) * cal.reciprocal_task_probability * helps[:, None]
    received = _evolve(rng, cal, roster, reciprocal, waves, helps)
    frames = []
    for direction, matrices in (("to_participant", given), ("to_member", received)):
        for wave, tasks in enumerate(matrices):
            member, task = np.nonzero(tasks)
            frames.append(pd.DataFrame({
                "participant_id": roster["participant_id"].to_numpy()[member],
                "member_id": roster["member_id"].to_numpy()[member], "wave": wave,
                "task": np.array(TASKS, dtype=object)[task], "direction": direction}))
    support = pd.concat(frames, ignore_index=True)
    support["work_type"] = support["task"].map(TASK_WORK_TYPE)
    return support


def _take_over(rng, cal: Calibration, roster, matrices) -> None:
    """Reallocation: tasks of a member lost at a wave may pass to a remaining strong tie."""
    strong = (roster["tie_class"] == "strong").to_numpy()
    participant = roster["p"].to_numpy()
    for wave in range(1, len(matrices)):
        present = _present(roster, wave)
        for lost in np.flatnonzero(roster["last_wave"].to_numpy() == wave - 1):
            heirs = np.flatnonzero(present & strong & (participant == participant[lost]))
            for task in np.flatnonzero(matrices[wave - 1][lost]):
                if len(heirs) and rng.random() < cal.takeover_probability:
                    matrices[wave][rng.choice(heirs), task] = True


def _tie_category(relationship: str) -> str | None:
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


def _draw_member_ties(rng, cal: Calibration, roster) -> pd.DataFrame:
    """Ties among the human, group and organisation members of each network, per shared wave."""
    category = roster["relationship_type"].map(_tie_category)
    rows = []
    for _, members in roster[category.notna()].groupby("p", sort=True):
        cats = category[members.index].to_numpy()
        for i, j in zip(*np.triu_indices(len(members), k=1)):
            if rng.random() >= _knows_probability(cal, cats[i], cats[j]):
                continue
            a, b = members.iloc[i], members.iloc[j]
            first, last = max(a.first_wave, b.first_wave), min(a.last_wave, b.last_wave)
            low, high = sorted((a.member_id, b.member_id))
            rows += [(a.participant_id, low, high, wave) for wave in range(first, last + 1)]
    return pd.DataFrame(rows, columns=["participant_id", "member_a", "member_b", "wave"])


def _draw_resources(rng, cal: Calibration, people, roster, waves: int) -> dict[str, pd.DataFrame]:
    """Shared resources per locality and country, participation per wave and member links."""
    catalogue = _resource_catalogue(cal, people)
    by_place = catalogue.groupby(["place", "resource_type"])["resource_id"].apply(list).to_dict()

    def pick(person, resource_type):
        local = by_place.get((person.locality, resource_type), [])
        regional = by_place.get((person.country, resource_type), [])
        pool = regional if regional and (not local or rng.random() < cal.regional_probability) else local
        return pool[rng.integers(len(pool))] if pool else None

    practice = [pick(person, "gp_practice") for person in people.itertuples()]
    links = []
    for member in roster.itertuples():
        person = people.iloc[member.p]
        resource = (practice[member.p] if member.resource_type == "gp_practice"
                    else pick(person, member.resource_type) if member.resource_type else None)
        if resource:
            links += [(member.participant_id, member.member_id, resource, wave, member.relationship_type)
                      for wave in range(member.first_wave, member.last_wave + 1)]
    links = pd.DataFrame(links, columns=["participant_id", "member_id", "resource_id", "wave", "relationship_type"])
    is_community = catalogue.set_index("resource_id")["resource_type"].isin(COMMUNITY_TYPES)
    taken = links[links["relationship_type"].isin(["group", "organisation"])]
    participation = [taken[["participant_id", "resource_id", "wave"]]]
    for i, person in enumerate(people.itertuples()):
        steady = [practice[i]] + [pick(person, kind) for kind, p in cal.service_use.items() if rng.random() < p]
        linked_at_baseline = taken[(taken["participant_id"] == person.participant_id) & (taken["wave"] == 0)]
        extras = []
        if person.community and not is_community[linked_at_baseline["resource_id"]].any():
            extras = [pick(person, kind) for kind in rng.choice(COMMUNITY_TYPES, 1 + rng.poisson(0.3))]
        for wave in range(waves):
            if wave:
                extras = [r for r in extras if rng.random() >= cal.community_dropout]
                if rng.random() < cal.community_uptake:
                    extras.append(pick(person, rng.choice(COMMUNITY_TYPES)))
            participation.append(pd.DataFrame({"participant_id": person.participant_id,
                                               "resource_id": [r for r in steady + extras if r], "wave": wave}))
    participation = pd.concat(participation, ignore_index=True).drop_duplicates()
    return {"resources": catalogue, "participation": participation, "resource_links": links}


def _resource_catalogue(cal: Calibration, people) -> pd.DataFrame:
    """Every resource: GP practices spread over the localities, local and regional ones."""
    localities = list(dict.fromkeys(people["locality"]))
    practices = cal.gp_practices if cal.gp_practices is not None else 3 * len(localities)
    if practices < len(localities):
        raise InputError(f"gp_practices={practices} is fewer than the {len(localities)} localities",
                         hint="give at least one GP practice per locality")
    places = [localities[k % len(localities)] for k in range(practices)]
    rows = [("gp_practice", place) for place in places]
    for place in localities:
        rows += [(kind, place) for kind, n in cal.resources_per_locality.items() for _ in range(n)]
    for country in dict.fromkeys(people["country"]):
        rows += [(kind, country) for kind, n in cal.regional_resources.items() for _ in range(n)]
    catalogue = pd.DataFrame(rows, columns=["resource_type", "place"])
    number = catalogue.groupby("resource_type").cumcount() + 1
    catalogue["resource_id"] = [f"{RESOURCE_PREFIX[t]}{n:03d}" for t, n in zip(catalogue["resource_type"], number)]
    catalogue["name"] = [f"{RESOURCE_LABELS[t][n % len(RESOURCE_LABELS[t])]} {n} ({place})"
                         for t, n, place in zip(catalogue["resource_type"], number, catalogue["place"])]
    return catalogue


def _conditions(people) -> pd.DataFrame:
    return (people[["participant_id"]].assign(condition=people["conditions"].str.split(";"))
            .explode("condition", ignore_index=True))


def _table(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` cut to the canonical columns of `table`, typed as schema/tables.yaml says, sorted by key
    (with the derived member kind, and member ties of the one type 'knows', undirected)."""
    if table == "members":
        frame = frame.assign(kind=frame["relationship_type"].map(KIND))
    if table == "member_ties":
        frame = frame.assign(type="knows", directed=False)
    out = typed_frame(table, frame)[columns(table)]
    keys = [name for name, spec in model.load("tables")[table]["fields"].items() if spec.get("key")]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)

