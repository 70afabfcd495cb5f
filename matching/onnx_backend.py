"""The same sentence vectors through onnxruntime: an fp32 ONNX export of the model's transformer.

sentence-transformers' own ONNX backend needs optimum, whose ONNX exporter does not support the
transformers release installed here, so the export is done with torch.onnx. Only models of the
plain shape Transformer → mean pooling (→ Normalize) are exported; the vectors are checked against
PyTorch's before use, and anything else keeps PyTorch.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# onnxruntime on two cores is fastest on small batches (bridged demo texts, sentences/s: 76 at 1,
# 90 at 4, 44 at 32), so larger requested batches are run four texts at a time.
MAX_BATCH = 4
PROBES = ["預測保養 predictive maintenance of CNC spindles", "defect detection", "x"]


def exportable(model) -> bool:
    """Whether the SentenceTransformer is Transformer → mean Pooling (→ Normalize)."""
    kinds = [type(m).__name__ for m in model]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return False
    return getattr(model[1], "pooling_mode", None) == "mean" or \
        getattr(model[1], "pooling_mode_mean_tokens", False)


def _fingerprint(model, name: str) -> str:
    import torch

    digest = hashlib.sha256(f"{name}|{torch.__version__}".encode())
    for key, tensor in sorted(model[0].auto_model.state_dict().items())[:4]:
        digest.update(key.encode() + tensor.detach().cpu().numpy().tobytes()[:4096])
    return digest.hexdigest()[:16]


def export(model, path: Path) -> None:
    """Write the transformer as ONNX (dynamic batch and length), atomically."""
    import torch

    sample = model.tokenizer(["warm up"], return_tensors="pt")
    # The inputs this model's tokenizer gives (MPNet, say, has no token types).
    names = [n for n in INPUTS if n in sample]

    class Hidden(torch.nn.Module):
        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs):
            return self.transformer(**dict(zip(names, inputs, strict=True))).last_hidden_state

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # the tracer's notes on shapes it treats as constants
            torch.onnx.export(Hidden(model[0].auto_model).eval(), tuple(sample[n] for n in names), tmp,
                              input_names=names, output_names=["hidden"], opset_version=17,
                              dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in (*names, "hidden")})
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class OnnxEncoder:
    """Mean-pooled, normalised vectors from an onnxruntime session over the exported transformer."""

    def __init__(self, model, path: Path, threads: int = 2):
        import onnxruntime

        self.tokenizer, self.max_length = model.tokenizer, model.max_seq_length
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        wanted = {i.name for i in self.session.get_inputs()}
        self.inputs = [n for n in INPUTS if n in wanted]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Vectors in the order of `texts` (similar lengths are batched together)."""
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), 0), np.float32)
        step = max(1, min(batch_size, MAX_BATCH))
        for start in range(0, len(texts), step):
            chosen = order[start:start + step]
            batch = self.tokenizer([texts[i] for i in chosen], padding=True, truncation=True,
                                   max_length=self.max_length, return_tensors="np")
            feed = {n: batch[n].astype(np.int64) if n in batch else np.zeros_like(batch["input_ids"], np.int64)
                    for n in self.inputs}
            hidden = self.session.run(None, feed)[0]
            mask = batch["attention_mask"][..., None].astype(np.float32)
            vectors = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            if out.shape[1] == 0:
                out = np.empty((len(texts), vectors.shape[1]), np.float32)
            out[chosen] = vectors
        return out


def load(model, name: str, cache_dir: Path) -> OnnxEncoder | None:
    """An OnnxEncoder whose vectors agree with PyTorch's (cosine ≥ 0.9999), or None."""
    if not exportable(model):
        return None
    try:
        path = Path(cache_dir) / f"{_fingerprint(model, name)}.onnx"
        if not path.exists():
            export(model, path)
        encoder = OnnxEncoder(model, path)
        ours = encoder.encode(PROBES)
        theirs = model.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        agreement = float((ours * theirs).sum(axis=1).min())
    except Exception as exc:   # no onnxruntime, an export the exporter refuses, ...: keep PyTorch
        log.warning("ONNX backend unavailable for %s, using PyTorch: %s", name, exc)
        return None
    if agreement < 0.9999:
        log.warning("ONNX vectors of %s disagree with PyTorch's (cosine %.5f); using PyTorch", name, agreement)
        return None
    return encoder
