"""Support flows of a chunk of members: which tasks each member does for its participant at every
wave (and the participant for some members), with persistence and take-over between waves."""

import numpy as np
import pandas as pd

from illnet import model
from illnet.synth.calibration import Calibration
from illnet.synth.roster import present_at

TASKS = list(model.vocabulary("task"))
TASK_WORK_TYPE = {task: attrs["work_type"] for task, attrs in model.vocabulary("task").items()}


def task_probabilities(cal: Calibration, roster: pd.DataFrame) -> np.ndarray:
    """Chance of each task per member (rows) and task (columns)."""
    relationships = list(cal.work)
    table = np.array([[cal.work[rel][TASK_WORK_TYPE[task]] * cal.task_weights[task] for task in TASKS]
                      for rel in relationships])
    for rel, allowed in cal.task_restrictions.items():
        table[relationships.index(rel)] *= np.isin(TASKS, allowed)
    base = table[roster["relationship_type"].map({rel: i for i, rel in enumerate(relationships)}).to_numpy()]
    named_partner = roster.loc[roster["relationship_type"] == "partner", "p"].unique()
    boosted = (~roster["p"].isin(named_partner) & roster["tie_class"].isin(["strong", "weak"])).to_numpy()
    illness = np.array([TASK_WORK_TYPE[t] == "illness" for t in TASKS])
    base[np.ix_(boosted, illness)] *= cal.no_partner_illness_boost
    return np.clip(base, 0, 0.95)


def _one_each(rng, probability: np.ndarray) -> np.ndarray:
    """A task per row drawn in proportion to the row's probabilities."""
    cdf = np.cumsum(probability, axis=1)
    cdf = cdf / cdf[:, -1:]
    return np.minimum((rng.random(len(probability))[:, None] >= cdf).sum(axis=1), probability.shape[1] - 1)


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
        idle = np.flatnonzero(present & needs_one & ~tasks.any(axis=1))
        tasks[idle, _one_each(rng, probability[idle])] = True
        matrices.append(tasks)
    return matrices


def _take_over(rng, cal: Calibration, roster, matrices) -> None:
    """Reallocation: each task of a member lost at a wave may pass to a remaining strong tie of the
    same participant (one drawn at random)."""
    strong = (roster["tie_class"] == "strong").to_numpy()
    participant = roster["p"].to_numpy()
    last = roster["last_wave"].to_numpy()
    for wave in range(1, len(matrices)):
        heirs = np.flatnonzero(present_at(roster, wave) & strong)  # sorted by participant (roster order)
        start = np.searchsorted(participant[heirs], participant, side="left")
        count = np.searchsorted(participant[heirs], participant, side="right") - start
        lost, task = np.nonzero(matrices[wave - 1] & (last == wave - 1)[:, None])
        passed = (count[lost] > 0) & (rng.random(len(lost)) < cal.takeover_probability)
        lost, task = lost[passed], task[passed]
        heir = heirs[start[lost] + (rng.random(len(lost)) * count[lost]).astype(int)]
        matrices[wave][heir, task] = True


def draw_support(rng, cal: Calibration, roster: pd.DataFrame, waves: int) -> pd.DataFrame:
    """One row per task done: to_participant (member helps) and to_member (participant helps back)."""
    probability = task_probabilities(cal, roster)
    given = _evolve(rng, cal, roster, probability, waves, np.ones(len(roster), dtype=bool))
    _take_over(rng, cal, roster, given)
    chance = roster["relationship_type"].map(cal.reciprocity).fillna(roster["tie_class"].map(cal.reciprocity))
    helps = rng.random(len(roster)) < chance.to_numpy(float)
    reciprocal = np.isin(TASKS, cal.reciprocal_tasks) * cal.reciprocal_task_probability * helps[:, None]
    received = _evolve(rng, cal, roster, reciprocal, waves, helps)
    tasks = np.array(TASKS, dtype=object)
    work_types = np.array([TASK_WORK_TYPE[t] for t in TASKS], dtype=object)
    frames = []
    for direction, matrices in (("to_participant", given), ("to_member", received)):
        for wave, done in enumerate(matrices):
            member, task = np.nonzero(done)
            frames.append(pd.DataFrame({
                "participant_id": roster["participant_id"].to_numpy()[member],
                "member_id": roster["member_id"].to_numpy()[member], "wave": wave,
                "task": tasks[task], "direction": direction, "work_type": work_types[task]}))
    return pd.concat(frames, ignore_index=True)
