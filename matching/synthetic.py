"""Synthetic unit vectors shaped like sentence embeddings (clustered, not uniform) for tests and bench."""
from __future__ import annotations

import numpy as np


def clustered_vectors(n: int, dim: int = 384, *, clusters: int | None = None, spread: float = 0.35,
                      seed: int = 0) -> np.ndarray:
    """n unit vectors drawn around random topic centres, like embeddings of texts on many topics."""
    rng = np.random.default_rng(seed)
    clusters = clusters or max(8, int(np.sqrt(n)))
    centres = rng.standard_normal((clusters, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        which = rng.integers(0, clusters, m)
        noise = rng.standard_normal((m, dim), dtype=np.float32) * (spread / np.sqrt(dim))
        block = centres[which] + noise
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:start + m] = block
    return out


def split_queries(vectors: np.ndarray, n: int, *, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Hold out n vectors as queries: new texts on the same topics, not copies of stored ones."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(vectors), dtype=bool)
    mask[rng.choice(len(vectors), n, replace=False)] = True
    return vectors[~mask], vectors[mask]
