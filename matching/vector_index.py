"""A small FAISS wrapper: build, add, remove, search, save, load, count — keyed by database ids.

Inner product on unit vectors (cosine). Exact below `exact_below` vectors, HNSW above it. HNSW
cannot delete in place, so removed ids are filtered out of every search and the graph is rebuilt
without them once they pass a tenth of the index (or when a removed id comes back).
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

FORMAT_VERSION = 1


class IndexMismatch(Exception):
    """A saved index does not belong to the model or dimension asked for."""


@dataclass(frozen=True)
class HNSWParams:
    m: int = 32
    ef_construction: int = 100
    ef_search: int = 128


def _as_ids(ids) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))


def _as_vectors(vectors, dim: int) -> np.ndarray:
    array = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))
    if array.ndim != 2 or array.shape[1] != dim:
        raise ValueError(f"expected vectors of shape (n, {dim}), got {array.shape}")
    return array


class VectorIndex:
    """Cosine search over unit vectors whose FAISS ids are database primary keys."""

    def __init__(self, dim: int, *, model: str = "", exact_below: int = 20_000,
                 hnsw: HNSWParams = HNSWParams()):
        self.dim, self.model, self.exact_below, self.hnsw = dim, model, exact_below, hnsw
        self.version = 0
        self.built_at = 0.0
        self._deleted: set[int] = set()
        self._index = self._empty("flat")

    # -- construction -------------------------------------------------------------------------
    def _empty(self, kind: str) -> faiss.IndexIDMap2:
        if kind == "flat":
            inner = faiss.IndexFlatIP(self.dim)
        else:
            inner = faiss.IndexHNSWFlat(self.dim, self.hnsw.m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = self.hnsw.ef_construction
            inner.hnsw.efSearch = self.hnsw.ef_search
        return faiss.IndexIDMap2(inner)

    @property
    def kind(self) -> str:
        """'flat' (exact) or 'hnsw' (approximate)."""
        return "hnsw" if isinstance(faiss.downcast_index(self._index.index), faiss.IndexHNSW) else "flat"

    def build(self, ids, vectors) -> VectorIndex:
        """Replace the whole content; the index type follows the size."""
        ids, vectors = _as_ids(ids), _as_vectors(vectors, self.dim)
        if len(np.unique(ids)) != len(ids):
            raise ValueError("ids must be unique")
        self._index = self._empty("flat" if len(ids) < self.exact_below else "hnsw")
        self._deleted = set()
        if len(ids):
            self._index.add_with_ids(vectors, ids)
        self.built_at = time.time()
        return self

    def add(self, ids, vectors) -> None:
        """Insert vectors; an id that is already present is replaced."""
        ids, vectors = _as_ids(ids), _as_vectors(vectors, self.dim)
        present = self._present(ids)
        if present:
            self.remove(sorted(present))
        if self._deleted & set(ids.tolist()):
            self._compact()  # a filtered-out copy of these ids is still in the graph
        if self.kind == "flat" and self._index.ntotal + len(ids) >= self.exact_below:
            live_ids, live_vectors = self._live()
            self.build(np.concatenate([live_ids, ids]), np.vstack([live_vectors, vectors]))
            return
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids) -> int:
        """Remove ids (unknown ones are ignored); returns how many were present."""
        wanted = sorted(self._present(_as_ids(ids)))
        if not wanted:
            return 0
        if self.kind == "flat":
            self._index.remove_ids(faiss.IDSelectorBatch(_as_ids(wanted)))
        else:
            self._deleted.update(wanted)
            if len(self._deleted) > 0.1 * self._index.ntotal:
                self._compact()
        return len(wanted)

    def _present(self, ids: np.ndarray) -> set[int]:
        if not self._index.ntotal or not len(ids):
            return set()
        return set(np.intersect1d(ids, self._all_ids()).tolist()) - self._deleted

    def _all_ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def _live(self) -> tuple[np.ndarray, np.ndarray]:
        ids = self._all_ids()
        vectors = self._index.index.reconstruct_n(0, self._index.ntotal) if len(ids) else \
            np.zeros((0, self.dim), dtype=np.float32)
        keep = ~np.isin(ids, list(self._deleted)) if self._deleted else np.ones(len(ids), bool)
        return ids[keep], vectors[keep]

    def _compact(self) -> None:
        ids, vectors = self._live()
        self.build(ids, vectors)

    # -- queries -----------------------------------------------------------------------------
    def count(self) -> int:
        """How many live vectors the index holds."""
        return int(self._index.ntotal) - len(self._deleted)

    def ids(self) -> np.ndarray:
        """Every live id."""
        return self._live()[0] if self._deleted else self._all_ids()

    def search(self, queries, k: int, ef_search: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query; missing slots have id -1 and score -inf."""
        queries = _as_vectors(np.atleast_2d(queries), self.dim)
        k = max(1, min(k, self.count())) if self.count() else 1
        if self.count() == 0:
            return (np.full((len(queries), k), -np.inf, np.float32),
                    np.full((len(queries), k), -1, np.int64))
        params = None
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW()
            params.efSearch = max(ef_search or self.hnsw.ef_search, k)
            if self._deleted:
                params.sel = faiss.IDSelectorNot(faiss.IDSelectorBatch(_as_ids(sorted(self._deleted))))
        scores, ids = self._index.search(queries, k, params=params)
        scores[ids < 0] = -np.inf
        return scores, ids

    def reconstruct(self, key: int) -> np.ndarray:
        """The stored vector of one id."""
        if not self._present(_as_ids([key])):
            raise KeyError(key)
        return self._index.reconstruct(int(key))

    # -- persistence -------------------------------------------------------------------------
    def save(self, directory: str | Path, version: int | None = None) -> Path:
        """Write the index and its sidecar under a new version, then switch `current` atomically."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if self._deleted:
            self._compact()
        self.version = version if version is not None else self.version + 1
        stem = directory / f"index-v{self.version}"
        faiss.write_index(self._index, str(stem) + ".faiss.tmp")
        os.replace(str(stem) + ".faiss.tmp", str(stem) + ".faiss")
        sidecar = {"model": self.model, "dim": self.dim, "count": self.count(), "kind": self.kind,
                   "built_at": self.built_at, "version": self.version, "format": FORMAT_VERSION,
                   "file": stem.name + ".faiss", "exact_below": self.exact_below,
                   "hnsw": {"m": self.hnsw.m, "ef_construction": self.hnsw.ef_construction,
                            "ef_search": self.hnsw.ef_search}}
        _write_json(directory / f"{stem.name}.json", sidecar)
        _write_json(directory / "current.json", sidecar)   # the switch readers look at
        for old in directory.glob("index-v*.faiss"):
            if old.name not in (stem.name + ".faiss", f"index-v{self.version - 1}.faiss"):
                old.unlink(missing_ok=True)
                old.with_suffix("").with_suffix(".json").unlink(missing_ok=True)
        return directory / "current.json"

    @classmethod
    def load(cls, directory: str | Path, *, model: str, dim: int) -> VectorIndex:
        """Load the current version; refuse one made by another model or of another dimension."""
        directory = Path(directory)
        sidecar = read_sidecar(directory)
        if sidecar is None:
            raise FileNotFoundError(f"no index in {directory}")
        if sidecar["model"] != model or sidecar["dim"] != dim:
            raise IndexMismatch(
                f"index in {directory} was built with {sidecar['model']} ({sidecar['dim']}-d), "
                f"not {model} ({dim}-d); rebuild it")
        hnsw = HNSWParams(**sidecar.get("hnsw", {}))
        index = cls(dim, model=model, exact_below=sidecar.get("exact_below", 20_000), hnsw=hnsw)
        index._index = faiss.read_index(str(directory / sidecar["file"]))
        if index.count() != sidecar["count"]:
            raise IndexMismatch(f"index file holds {index.count()} vectors, sidecar says {sidecar['count']}")
        index.version, index.built_at = sidecar["version"], sidecar["built_at"]
        return index


def read_sidecar(directory: str | Path) -> dict | None:
    """The current version's sidecar, or None when nothing was saved yet."""
    path = Path(directory) / "current.json"
    return json.loads(path.read_text()) if path.exists() else None


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def set_threads(n: int) -> None:
    """OpenMP threads FAISS may use (web processes use one per query)."""
    faiss.omp_set_num_threads(max(1, n))
