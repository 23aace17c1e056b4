"""Vectorised random draws shared by the generator's steps (numpy, one call per batch of rows)."""

import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd


def choose(rng, weights: dict, size: int) -> np.ndarray:
    """`size` keys of `weights` drawn with probability proportional to their weight (object array)."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def choose_rows(rng, table: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One column index per row: row i drawn from the weights table[group[i]] (groups x choices)."""
    cdf = np.cumsum(table, axis=1)
    cdf = cdf / cdf[:, -1:]
    u = rng.random(len(group))
    return np.minimum((u[:, None] >= cdf[group]).sum(axis=1), table.shape[1] - 1)


def weight_table(distributions: dict, groups: list, choices: list) -> np.ndarray:
    """groups x choices weights from {group: {choice: weight}} (absent choices weigh 0)."""
    return np.array([[distributions[g].get(c, 0.0) for c in choices] for g in groups], dtype=float)


def pick_exact(rng, weights: np.ndarray, count: int) -> np.ndarray:
    """Boolean mask choosing exactly `count` items (fewer if fewer have weight), weighted, without
    replacement (Efraimidis and Spirakis: the largest log(u) / weight)."""
    weights = np.asarray(weights, dtype=float)
    positive = weights > 0
    count = min(int(count), int(positive.sum()))
    mask = np.zeros(len(weights), dtype=bool)
    if count > 0:
        keys = np.full(len(weights), -np.inf)
        keys[positive] = np.log(rng.random(int(positive.sum()))) / weights[positive]
        mask[np.argpartition(-keys, count - 1)[:count]] = True
    return mask


def allocate(rng, quota: int, capacity: np.ndarray, weights: np.ndarray, decay: float) -> np.ndarray:
    """Spread `quota` units over owners (at most `capacity` each), the k-th unit of an owner weighted
    weight * decay**k; returns the count per owner."""
    owner = np.repeat(np.arange(len(capacity)), capacity)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(capacity) - capacity, capacity)
    chosen = pick_exact(rng, weights[owner] * decay ** rank, quota)
    return np.bincount(owner[chosen], minlength=len(capacity))


def positions(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., n-1 for each group of `counts[i]` consecutive items (rank within its group)."""
    counts = np.asarray(counts, dtype=np.int64)
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


@contextmanager
def object_strings():
    """Text columns as object columns while drawing: pandas 3 would infer Arrow strings and convert them
    back for every numpy step (half of the generator's time), and canonical tables hold objects.
    Where the option is gone (pandas 4), the same tables come, only slower."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the option is deprecated in pandas 3
        try:
            previous = pd.get_option("future.infer_string")
        except pd.errors.OptionError:
            previous = None
        if previous is None:
            yield
            return
        pd.set_option("future.infer_string", False)
        try:
            yield
        finally:
            pd.set_option("future.infer_string", previous)
