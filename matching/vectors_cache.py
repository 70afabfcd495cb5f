"""An embedder wrapper that keeps vectors on disk by text hash (speeds up repeated evaluations)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from matching.embedder import Embedder


class CachedEmbedder:
    """Same interface as Embedder; vectors already computed are read back from `directory`."""

    def __init__(self, inner: Embedder, directory: Path):
        self.inner, self.directory = inner, Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.model_name = inner.model_name
        self.signature = inner.signature

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def multilingual(self) -> bool:
        return self.inner.multilingual

    def _cached(self, texts: list[str], kind: str, encode) -> np.ndarray:
        keys = [hashlib.sha256(f"{self.signature}|{kind}|{t}".encode()).hexdigest() for t in texts]
        out, missing = [None] * len(texts), []
        for i, key in enumerate(keys):
            path = self.directory / f"{key}.npy"
            if path.exists():
                out[i] = np.load(path)
            else:
                missing.append(i)
        if missing:
            fresh = encode([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                np.save(self.directory / f"{keys[i]}.npy", vector)
                out[i] = vector
        return np.vstack(out).astype(np.float32) if out else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        return self._cached(texts, "q", lambda t: self.inner.encode_queries(t, batch_size))

    def encode_passages(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        return self._cached(texts, "p", lambda t: self.inner.encode_passages(t, batch_size))
