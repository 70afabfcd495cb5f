"""Grid-search the fusion weights on the development sets only (android + our bilingual set).

Usage: python scripts/tune_matcher.py [--cache DIR]. The benchmark sets are never read here.
"""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from matching import datasets
from matching.embedder import Embedder
from matching.ranking import Matcher, Weights
from matching.vectors_cache import CachedEmbedder

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = [ROOT.parent / "shared/eval/stackexchange-android", ROOT / "tests/data/zh-dev"]
COMPONENTS = ("dense", "lexical", "tags", "sector", "experience")


def parts_for(eval_set, matcher):
    """Component score matrices (queries × profiles), computed once per set."""
    matcher.fit(eval_set.profiles)
    vectors = matcher.query_vectors(eval_set.queries)
    rows = [matcher.component_scores(q, v) for q, v in zip(eval_set.queries, vectors, strict=True)]
    return {c: np.vstack([r[c] for r in rows]) for c in COMPONENTS}


def evaluate(eval_set, parts, w):
    total = sum(getattr(w, c) * parts[c] for c in COMPONENTS)
    ids = [str(p.id) for p in eval_set.profiles]
    ranked = {str(q.id): [ids[i] for i in np.argsort(-total[j])[:100]]
              for j, q in enumerate(eval_set.queries)}
    return datasets.metrics(ranked, eval_set.qrels)["ndcg@10"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default="/tmp/embcache")
    args = parser.parse_args()
    embedder = CachedEmbedder(Embedder(), Path(args.cache))
    sets = [datasets.load(d) for d in DEV_SETS if d.exists()]
    parts = [parts_for(s, Matcher(embedder)) for s in sets]
    grid = {"lexical": [0, 0.5, 1.0, 2.0], "tags": [0, 0.15, 0.3, 0.6],
            "sector": [0, 0.1, 0.2], "experience": [0, 0.4, 0.8, 1.2]}
    results = []
    for values in itertools.product(*grid.values()):
        w = Weights(dense=1.0, **dict(zip(grid, values, strict=True)))
        scores = [evaluate(s, p, w) for s, p in zip(sets, parts, strict=True)]
        results.append((float(np.mean(scores)), scores, w))
    results.sort(key=lambda r: -r[0])
    for mean, scores, w in results[:10]:
        print(json.dumps({"mean": round(mean, 4), "per_set": dict(zip([s.name for s in sets], scores, strict=True)),
                          "weights": {c: getattr(w, c) for c in COMPONENTS}}))


if __name__ == "__main__":
    main()
