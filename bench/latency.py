"""Latency of one recommendation (encode + search + rerank) over many teams."""
from __future__ import annotations

import random
import time

import numpy as np

from marketplace.seed.data import load_sector_files, load_teams
from matching import models
from matching.embedder import Embedder
from matching.profiles import Profile, ProfileItem, Query
from matching.ranking import Matcher
from matching.synthetic import clustered_vectors

SECTORS = ["iot", "smart_machinery", "green_energy", "biomedicine", "defense", "new_agriculture",
           "circular_economy"]


def synthetic_teams(n: int, seed: int = 0) -> list[Profile]:
    """n teams of 3-6 texts recombined from the demo portfolios (real words, realistic lengths)."""
    rng = random.Random(seed)
    texts = [p["title"] + "\n" + p["summary"] for t in load_teams() for p in t["portfolio"]]
    texts += [t["description"] for t in load_teams()]
    return [Profile(id=i, items=[ProfileItem(f"i{j}", rng.choice(texts)) for j in range(rng.randint(3, 6))],
                    sectors={rng.choice(SECTORS)}, capacity_left=rng.randint(0, 3)) for i in range(n)]


def problem_queries() -> list[Query]:
    """The demo problems as queries."""
    return [Query(id=p["key"], title=p["title"], sector=doc["sector"],
                  text="\n".join([p["title"], p["context"], p["pain"], p["outcome"], p["kpi"]]))
            for doc in load_sector_files() for p in doc["problems"]]


def recommendation_latency(n_teams: int = 10_000, runs: int = 100, model: str = "") -> dict:
    """p50/p95 milliseconds of matcher.rank for one problem, query encoding included, with a
    model's own chosen weights."""
    profiles = synthetic_teams(n_teams)
    n_items = sum(len(p.items) for p in profiles)
    embedder = Embedder(model)
    start = time.perf_counter()
    matcher = Matcher(embedder, models.weights_for(model)).fit(
        profiles, item_vectors=clustered_vectors(n_items, embedder.dim, seed=5))
    fit_s = time.perf_counter() - start
    queries = problem_queries()
    matcher.rank(queries[0], k=10)   # warm up (model load)
    timings = []
    for query in (queries * (runs // len(queries) + 1))[:runs]:
        t0 = time.perf_counter()
        matcher.rank(query, k=10)
        timings.append((time.perf_counter() - t0) * 1000)
    timings = np.asarray(timings)
    return {"model": embedder.model_name, "teams": n_teams, "items": n_items, "fit_s": round(fit_s, 1),
            "runs": runs,
            "p50_ms": round(float(np.percentile(timings, 50)), 1),
            "p95_ms": round(float(np.percentile(timings, 95)), 1)}
