"""Scoring primitives: the ranker's weights, a ranked result, harmonic top-k aggregation, fusion.

A profile's scores are aggregated over its best items with harmonic weights, best + second/2 +
third/3 + ... down to a chosen depth (depth 3 is the ACL reviewer matcher's choice), and divided
by the weights' sum so the result stays on the items' scale.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Weights:
    """How the components add up, as scripts/select_components.py chose them on the development
    sets only (a component is kept when it helps significantly and hurts no set)."""

    dense: float = 1.0
    # How many of a profile's best items count (weights 1, 1/2, 1/3, ...), and how much of an
    # item's dense score comes from the query's title rather than its whole text.
    top_items: int = 50
    title: float = 0.5
    lexical: float = 1.0
    tags: float = 0.0
    sector: float = 0.1
    experience: float = 0.0      # a raw activity prior; off by policy (see the script)
    full_capacity: float = 0.5   # multiplier when a team has no capacity left


@dataclass
class Match:
    """One ranked profile with its score, components and explanation."""

    id: object
    score: float
    components: dict[str, float]
    best_item: str | None = None
    best_item_title: str = ""
    best_item_similarity: float = 0.0       # the best item's dense similarity to the query
    shared_tags: list[str] = field(default_factory=list)
    same_sector: bool = False


def harmonic(depth: int) -> np.ndarray:
    """Weights 1, 1/2, ..., 1/depth, scaled to sum to one."""
    weights = 1.0 / np.arange(1, max(1, depth) + 1)
    return weights / weights.sum()


def topk_aggregate(values: np.ndarray, depth: int = 3) -> float:
    """The harmonic-weighted sum of the `depth` best item scores (missing items count as 0)."""
    if not len(values):
        return 0.0
    weights = harmonic(depth)
    top = np.sort(values)[::-1][: len(weights)]
    return float(np.dot(top, weights[: len(top)]))


def group_topk(values: np.ndarray, groups: np.ndarray, n: int, depth: int = 3) -> np.ndarray:
    """Per group: topk_aggregate of its values, vectorised."""
    out = np.zeros(n)
    if not len(values):
        return out
    # Group ascending, then value descending: one sort on a combined key. Scores lie in [0, 1];
    # clipped to [-1, 2] they stay inside the groups' spacing of 4 whatever comes in.
    order = np.argsort(groups * 4.0 - np.clip(values, -1.0, 2.0))
    g, v = groups[order], values[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    weights = harmonic(depth)
    keep = rank < len(weights)
    np.add.at(out, g[keep], v[keep] * weights[rank[keep]])
    return out


def fuse(parts: dict, w: Weights, full: np.ndarray | None = None) -> np.ndarray:
    """The components' weighted sum, full profiles' totals multiplied by w.full_capacity.

    Scores stay absolute (a team's fit does not drop because other teams fit too), so they can be
    compared across problems, as the assignment over all open problems does."""
    total = (w.dense * parts["dense"] + w.lexical * parts["lexical"] + w.tags * parts["tags"]
             + w.sector * parts["sector"] + w.experience * parts["experience"])
    if full is not None and full.any():
        total = np.where(full, total * w.full_capacity, total)
    return total
