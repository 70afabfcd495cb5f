"""Choose fusion components and weights on the development sets with a significance test.

Procedure (fixed before the final benchmark run):
1. Start from dense similarity alone (text and title averaged).
2. For each other component and each weight in a small grid, measure nDCG@10 per query on both
   development sets (stackexchange-android, tests/data/zh-dev).
3. Keep a component only when some weight improves one set with one-sided paired-bootstrap
   p < 0.05 and hurts neither set by more than one bootstrap standard error; among the weights
   that do, take the smallest one reaching 90 % of the best gain (shrink toward dense alone).
4. Repeat greedily from the new configuration until nothing more is kept.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tune_matcher import COMPONENTS, DEV_SETS, parts_for  # noqa: E402

from matching import datasets  # noqa: E402
from matching.embedder import Embedder  # noqa: E402
from matching.ranking import Matcher, Weights  # noqa: E402
from matching.vectors_cache import CachedEmbedder  # noqa: E402

GRID = {"lexical": [0.25, 0.5, 1.0, 2.0], "tags": [0.1, 0.2, 0.4, 0.8],
        "sector": [0.05, 0.1, 0.2, 0.4], "experience": [0.1, 0.2, 0.4, 0.8, 1.2]}


def per_query_ndcg(eval_set, parts, w) -> np.ndarray:
    total = sum(getattr(w, c) * parts[c] for c in COMPONENTS)
    ids = [str(p.id) for p in eval_set.profiles]
    out = []
    for j, q in enumerate(eval_set.queries):
        ranked = {str(q.id): [ids[i] for i in np.argsort(-total[j])[:10]]}
        out.append(datasets.metrics(ranked, {str(q.id): eval_set.qrels[str(q.id)]})["ndcg@10"])
    return np.asarray(out)


def bootstrap(diff: np.ndarray, rng, n=2000) -> tuple[float, float]:
    """(one-sided p that the mean difference is ≤ 0, bootstrap standard error)."""
    means = diff[rng.integers(0, len(diff), (n, len(diff)))].mean(axis=1)
    return float((means <= 0).mean()), float(means.std())


def main() -> None:
    rng = np.random.default_rng(7)
    embedder = CachedEmbedder(Embedder(), Path("/tmp/embcache"))
    sets = [datasets.load(d) for d in DEV_SETS]
    parts = [parts_for(s, Matcher(embedder)) for s in sets]
    w = Weights(dense=1.0, lexical=0, tags=0, sector=0, experience=0)
    remaining = set(GRID)
    while remaining:
        base = [per_query_ndcg(s, p, w) for s, p in zip(sets, parts, strict=True)]
        best = None
        for comp in sorted(remaining):
            ok = []
            for weight in GRID[comp]:
                trial = replace(w, **{comp: weight})
                scores = [per_query_ndcg(s, p, trial) for s, p in zip(sets, parts, strict=True)]
                gains, fine, significant = [], True, False
                for b, sc in zip(base, scores, strict=True):
                    p_value, se = bootstrap(sc - b, rng)
                    gains.append(float((sc - b).mean()))
                    significant |= p_value < 0.05
                    fine &= (sc - b).mean() >= -se
                if significant and fine:
                    ok.append((weight, float(np.mean(gains))))
            if ok:
                top = max(g for _, g in ok)
                weight = min(wt for wt, g in ok if g >= 0.9 * top)
                if best is None or top > best[2]:
                    best = (comp, weight, top)
        if best is None:
            break
        w = replace(w, **{best[0]: best[1]})
        remaining.discard(best[0])
        print(json.dumps({"kept": best[0], "weight": best[1], "mean_gain": round(best[2], 4)}))
    final = [round(float(per_query_ndcg(s, p, w).mean()), 4) for s, p in zip(sets, parts, strict=True)]
    print(json.dumps({"weights": {c: getattr(w, c) for c in COMPONENTS},
                      "dev_ndcg": dict(zip([s.name for s in sets], final, strict=True))}))


if __name__ == "__main__":
    main()
