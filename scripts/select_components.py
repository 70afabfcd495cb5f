"""Choose the ranker's settings on the development sets only, by a procedure fixed in advance.

Development sets: stackexchange-android (69 questions), its held-out items (every question a
profile answered, asked of the profiles without it: about 600 more queries, see
matching.datasets.held_out_items) and our bilingual tests/data/zh-dev. The benchmark sets are
never read here.

1. Dense alone: for each depth of the top-k aggregation and each title share, nDCG@10 per query on
   every set; keep the setting with the best mean over the sets (ties go to the smaller depth).
2. For each other component and each weight in a small grid: keep the component when some weight
   improves one set with one-sided paired-bootstrap p < 0.05 and hurts no set by more than one
   bootstrap standard error; among such weights take the smallest reaching 90 % of the best gain.
   Greedily, until nothing more is kept.
The raw activity prior ("experience": how many items a profile has) is measured and reported but
never kept: it ranks prolific teams first whatever the problem, and new teams can never catch up.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from matching import datasets
from matching.embedder import Embedder
from matching.ranking import Matcher
from matching.scoring import Weights, fuse
from matching.vectors_cache import CachedEmbedder

ROOT = Path(__file__).resolve().parent.parent
ANDROID = ROOT.parent / "shared/eval/stackexchange-android"
ZH_DEV = ROOT / "tests/data/zh-dev"
COMPONENTS = ("dense", "lexical", "tags", "sector", "experience")
DENSE_GRID = {"top_items": [1, 3, 5, 10, 20, 50, 100], "title": [0.0, 0.5]}
GRID = {"lexical": [0.1, 0.25, 0.5, 1.0, 2.0, 4.0], "tags": [0.05, 0.1, 0.2, 0.4], "sector": [0.02, 0.05, 0.1, 0.2]}
REPORT_ONLY = {"experience": [0.05, 0.1, 0.2, 0.4]}


class DevSet:
    """One development set: its folds (each fitted separately) and their component matrices."""

    def __init__(self, name: str, folds: list[datasets.EvalSet]):
        self.name, self.folds = name, folds
        self.parts: list[dict] = []

    def compute(self, embedder, weights: Weights) -> DevSet:
        self.parts = []
        for fold in self.folds:
            matcher = Matcher(embedder, weights).fit(fold.profiles)
            vectors = matcher.query_vectors(fold.queries)
            rows = [matcher.component_scores(q, v) for q, v in zip(fold.queries, vectors, strict=True)]
            self.parts.append({c: np.vstack([r[c] for r in rows]) for c in COMPONENTS})
        return self

    def per_query(self, w: Weights) -> np.ndarray:
        out = []
        for fold, parts in zip(self.folds, self.parts, strict=True):
            total = fuse(parts, w)
            ids = [str(p.id) for p in fold.profiles]
            for j, q in enumerate(fold.queries):
                rel = fold.qrels.get(str(q.id), {})
                if not any(g > 0 for g in rel.values()):
                    continue
                ranked = {str(q.id): [ids[i] for i in np.argsort(-total[j], kind="stable")[:10]]}
                out.append(datasets.metrics(ranked, {str(q.id): rel})["ndcg@10"])
        return np.asarray(out)


    def reverse_loss(self, w: Weights) -> float:
        """The gold standard's weighted pairwise loss read the other way round: per profile and
        fold, every pair of queries it is judged differently for, wrongly ordered by its scores."""
        err = total = 0.0
        for fold, parts in zip(self.folds, self.parts, strict=True):
            scores = fuse(parts, w)
            for i, profile in enumerate(fold.profiles):
                grades = np.array([fold.qrels.get(str(q.id), {}).get(str(profile.id), 0) for q in fold.queries])
                column = scores[:, i]
                for hi in np.flatnonzero(grades > 0):
                    lower = grades < grades[hi]
                    gap = grades[hi] - grades[lower]
                    total += gap.sum()
                    err += (gap * ((column[lower] > column[hi]) + 0.5 * (column[lower] == column[hi]))).sum()
        return err / total if total else float("nan")


def dev_sets() -> list[DevSet]:
    android = datasets.load(ANDROID)
    return [DevSet("android", [android]), DevSet("android held-out items", datasets.held_out_items(android)),
            DevSet("zh-dev", [datasets.load(ZH_DEV)])]


def bootstrap(diff: np.ndarray, rng, n=2000) -> tuple[float, float]:
    """(one-sided p that the mean difference is ≤ 0, bootstrap standard error)."""
    means = diff[rng.integers(0, len(diff), (n, len(diff)))].mean(axis=1)
    return float((means <= 0).mean()), float(means.std())


def try_component(sets, base, w, comp, grid, rng) -> tuple[list, list]:
    """(weights that pass the test with their mean gain, every weight's per-set gains)."""
    ok, seen = [], []
    for weight in grid:
        trial = replace(w, **{comp: weight})
        gains, fine, significant = [], True, False
        for s, b in zip(sets, base, strict=True):
            diff = s.per_query(trial) - b
            p_value, se = bootstrap(diff, rng)
            gains.append(round(float(diff.mean()), 4))
            significant |= p_value < 0.05
            fine &= diff.mean() >= -se
        seen.append((weight, gains))
        if significant and fine:
            ok.append((weight, float(np.mean(gains))))
    return ok, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", default="/tmp/embcache", help="folder caching embeddings")
    parser.add_argument("--model", default="", help="sentence-transformers model name or path (an English one)")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    embedder = CachedEmbedder(Embedder(args.model, multilingual=False), Path(args.cache))
    sets = dev_sets()
    base_w = Weights(dense=1.0, lexical=0, tags=0, sector=0, experience=0)
    best = None
    for depth in DENSE_GRID["top_items"]:
        for title in DENSE_GRID["title"]:
            w = replace(base_w, top_items=depth, title=title)
            scores = [float(s.compute(embedder, w).per_query(w).mean()) for s in sets]
            reverse = [round(s.reverse_loss(w), 4) for s in sets]
            print(json.dumps({"top_items": depth, "title": title, "ndcg@10": [round(x, 4) for x in scores],
                              "reverse_loss": reverse}))
            if best is None or np.mean(scores) > best[0] + 1e-9:
                best = (float(np.mean(scores)), w)
    w = best[1]
    for s in sets:
        s.compute(embedder, w)
    remaining = set(GRID)
    while remaining:
        base = [s.per_query(w) for s in sets]
        chosen = None
        for comp in sorted(remaining):
            ok, _ = try_component(sets, base, w, comp, GRID[comp], rng)
            if ok:
                top = max(g for _, g in ok)
                weight = min(wt for wt, g in ok if g >= 0.9 * top)
                if chosen is None or top > chosen[2]:
                    chosen = (comp, weight, top)
        if chosen is None:
            break
        w = replace(w, **{chosen[0]: chosen[1]})
        remaining.discard(chosen[0])
        print(json.dumps({"kept": chosen[0], "weight": chosen[1], "mean_gain": round(chosen[2], 4)}))
    base = [s.per_query(w) for s in sets]
    for comp, grid in REPORT_ONLY.items():
        _, seen = try_component(sets, base, w, comp, grid, rng)
        print(json.dumps({"not kept (policy)": comp, "gains per weight": dict(seen)}))
    final = {s.name: round(float(b.mean()), 4) for s, b in zip(sets, base, strict=True)}
    print(json.dumps({"weights": {k: getattr(w, k) for k in (*COMPONENTS, *DENSE_GRID)},
                      "dev_ndcg": final, "dev_reverse_loss": [round(s.reverse_loss(w), 4) for s in sets]}))


if __name__ == "__main__":
    main()
