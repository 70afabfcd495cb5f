"""The FAISS wrapper: verbs, exact vs HNSW, recall against exact search, removal, persistence."""
from __future__ import annotations

import json

import numpy as np
import pytest

from matching.synthetic import clustered_vectors, split_queries
from matching.vector_index import HNSWParams, IndexMismatch, VectorIndex, read_sidecar


def _recall(approx_ids, exact_ids) -> float:
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(approx_ids, exact_ids, strict=True)]))


def test_verbs_on_an_exact_index():
    vectors = clustered_vectors(500, 32, seed=3)
    index = VectorIndex(32, model="m").build(np.arange(100, 600), vectors)
    assert index.kind == "flat" and index.count() == 500
    scores, ids = index.search(vectors[:3], 1)
    assert ids[:, 0].tolist() == [100, 101, 102] and np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert index.remove([100, 101, 99999]) == 2 and index.count() == 498
    assert 100 not in index.search(vectors[0], 5)[1][0]
    index.add([100], vectors[1:2])            # re-added with another vector
    found = index.search(vectors[1], 5)[1][0].tolist()
    assert found[0] == 100 and 101 not in found
    assert index.count() == 499


def test_add_replaces_an_existing_id():
    vectors = clustered_vectors(50, 16, seed=4)
    index = VectorIndex(16).build(np.arange(50), vectors)
    index.add([7], vectors[20:21])
    assert index.count() == 50
    assert np.allclose(index.reconstruct(7), vectors[20], atol=1e-6)


@pytest.mark.slow
def test_hnsw_recall_at_10_against_exact_on_50k_vectors():
    data, queries = split_queries(clustered_vectors(50_500, 384, seed=11), 500)
    ids = np.arange(1, len(data) + 1)
    exact = VectorIndex(384, exact_below=10**9).build(ids, data)
    approx = VectorIndex(384, exact_below=20_000).build(ids, data)
    assert approx.kind == "hnsw" and exact.kind == "flat"
    recall = _recall(approx.search(queries, 10)[1], exact.search(queries, 10)[1])
    assert recall >= 0.95, recall


def test_removal_from_hnsw_really_removes():
    data = clustered_vectors(3000, 64, seed=5)
    index = VectorIndex(64, exact_below=1000, hnsw=HNSWParams(16, 40, 64)).build(np.arange(3000), data)
    assert index.kind == "hnsw"
    index.remove([0, 1, 2])
    for row in range(3):
        assert row not in index.search(data[row], 20)[1][0]
    assert index.count() == 2997
    index.remove(list(range(3, 400)))           # past a tenth: the graph is rebuilt without them
    assert index.count() == 2600 and index._index.ntotal == 2600
    index.add([1], data[1:2])                    # a removed id can come back
    assert index.search(data[1], 1)[1][0][0] == 1


def test_growing_past_the_threshold_switches_to_hnsw():
    data = clustered_vectors(1200, 32, seed=6)
    index = VectorIndex(32, exact_below=1000).build(np.arange(900), data[:900])
    assert index.kind == "flat"
    index.add(np.arange(900, 1200), data[900:])
    assert index.kind == "hnsw" and index.count() == 1200


def test_save_is_versioned_and_load_refuses_a_mismatch(tmp_path):
    data = clustered_vectors(300, 32, seed=8)
    index = VectorIndex(32, model="model-a").build(np.arange(10, 310), data)
    index.save(tmp_path)
    sidecar = read_sidecar(tmp_path)
    assert {k: sidecar[k] for k in ("model", "dim", "count", "version")} == \
        {"model": "model-a", "dim": 32, "count": 300, "version": 1} and sidecar["built_at"] > 0
    loaded = VectorIndex.load(tmp_path, model="model-a", dim=32)
    assert loaded.count() == 300 and loaded.search(data[5], 1)[1][0][0] == 15
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, model="model-b", dim=32)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, model="model-a", dim=64)
    loaded.remove([10])
    loaded.save(tmp_path)
    assert json.loads((tmp_path / "current.json").read_text())["version"] == 2
    assert VectorIndex.load(tmp_path, model="model-a", dim=32).count() == 299
    # no temporary files are left behind
    assert not list(tmp_path.glob("*.tmp"))


def test_a_torn_sidecar_is_refused(tmp_path):
    data = clustered_vectors(100, 16, seed=9)
    VectorIndex(16, model="m").build(np.arange(100), data).save(tmp_path)
    sidecar = json.loads((tmp_path / "current.json").read_text())
    sidecar["count"] = 99
    (tmp_path / "current.json").write_text(json.dumps(sidecar))
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, model="m", dim=16)


def test_empty_index_searches_cleanly():
    index = VectorIndex(8)
    scores, ids = index.search(np.ones((2, 8), np.float32) / np.sqrt(8), 5)
    assert (ids == -1).all() and index.count() == 0
