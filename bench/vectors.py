"""Vector search: our index against numpy exact search, at several sizes, in one run."""
from __future__ import annotations

import os
import time

import numpy as np

from matching.synthetic import clustered_vectors, split_queries
from matching.vector_index import VectorIndex, set_threads


def _qps(fn, queries: np.ndarray, batched: bool, budget_s: float = 3.0) -> tuple[float, np.ndarray]:
    """Queries per second of fn (single queries one by one, or one batch), and its answers."""
    if batched:
        start = time.perf_counter()
        ids = fn(queries)
        return len(queries) / (time.perf_counter() - start), ids
    out, start = [], time.perf_counter()
    for i, q in enumerate(queries):
        out.append(fn(q[None, :])[0])
        if time.perf_counter() - start > budget_s and i >= 20:
            break
    return len(out) / (time.perf_counter() - start), np.vstack(out)


def numpy_topk(data: np.ndarray, k: int):
    """Exact inner-product top-k with numpy (the baseline)."""
    def search(queries: np.ndarray) -> np.ndarray:
        scores = queries @ data.T
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        return np.take_along_axis(top, order, axis=1)
    return search


def recall_at(found: np.ndarray, truth: np.ndarray, data: np.ndarray, queries: np.ndarray) -> float:
    """Mean share of the exact top-k found; a result tied with the k-th exact score counts too
    (real data holds duplicate texts, whose order among equals is arbitrary)."""
    hits = []
    for f, t, q in zip(found, truth, queries, strict=False):
        kth = float(np.min(data[t] @ q))
        valid = f[f >= 0]
        hits.append(min(len(t), int(np.sum(data[valid] @ q >= kth - 1e-5))) / len(t))
    return float(np.mean(hits))


def run_size(name: str, data: np.ndarray, queries: np.ndarray, k: int = 10, force_hnsw: bool = False) -> dict:
    """One row of the table: build time, bytes per vector, recall@10, single and batched QPS."""
    ids = np.arange(len(data), dtype=np.int64)
    start = time.perf_counter()
    index = VectorIndex(data.shape[1], exact_below=0 if force_hnsw else 20_000).build(ids, data)
    build = time.perf_counter() - start
    import faiss

    bytes_per_vector = len(faiss.serialize_index(index._index)) / len(data)
    exact = numpy_topk(data, k)
    truth = exact(queries)
    ours = lambda q: index.search(q, k)[1]  # noqa: E731
    np_single, _ = _qps(exact, queries, batched=False)
    np_batch, _ = _qps(exact, queries, batched=True)
    # Single queries as a web process runs them (one OpenMP thread); batches with every core.
    set_threads(1)
    our_single, _ = _qps(ours, queries, batched=False)
    set_threads(os.cpu_count() or 1)
    our_batch, found = _qps(ours, queries, batched=True)
    return {"set": name, "n": len(data), "index": index.kind, "build_s": round(build, 2),
            "bytes_per_vector": round(bytes_per_vector),
            "recall@10": round(recall_at(found, truth, data, queries[:len(found)]), 4),
            "qps_single": round(our_single), "numpy_qps_single": round(np_single, 1),
            "speedup_single": round(our_single / np_single, 1), "qps_batch": round(our_batch),
            "numpy_qps_batch": round(np_batch), "speedup_batch": round(our_batch / np_batch, 1)}


def synthetic_rows(sizes: list[int], n_queries: int = 1000) -> list[dict]:
    """Clustered synthetic 384-d unit vectors, queries held out from the same distribution."""
    rows = []
    for n in sizes:
        data, queries = split_queries(clustered_vectors(n + n_queries, 384, seed=n), n_queries)
        rows.append(run_size(f"synthetic {n:,}", data, queries))
        del data
    return rows


def real_rows(vectors: np.ndarray, name: str) -> list[dict]:
    """Real embeddings: the default index choice and HNSW forced, on held-out queries."""
    rng = np.random.default_rng(0)
    mask = np.zeros(len(vectors), bool)
    mask[rng.choice(len(vectors), min(200, len(vectors) // 5), replace=False)] = True
    data, queries = vectors[~mask], vectors[mask]
    return [run_size(name, data, queries), run_size(name + " (HNSW)", data, queries, force_hnsw=True)]
