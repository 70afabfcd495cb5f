"""Encoding throughput of the embedder: PyTorch fp32, the app's ONNX fp32, and an int8 ONNX export."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from matching.embedder import Embedder


def throughput(encode, texts: list[str], batch_size: int, limit: int = 384) -> float:
    """Sentences per second encoding a list in batches (as publishing an index does)."""
    sample = texts[:limit]
    start = time.perf_counter()
    encode(sample, batch_size)
    return len(sample) / (time.perf_counter() - start)


def onnx_int8(embedder: Embedder):
    """The app's ONNX export of the model, quantised to int8 with onnxruntime's dynamic quantisation."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from matching.onnx_backend import OnnxEncoder, export

    work = Path(tempfile.mkdtemp(prefix="onnx-"))
    export(embedder.model, work / "fp32.onnx")
    quantize_dynamic(str(work / "fp32.onnx"), str(work / "int8.onnx"), weight_type=QuantType.QInt8)
    return OnnxEncoder(embedder.model, work / "int8.onnx")


def rows(texts: dict[str, list[str]], batches=(1, 32, 128)) -> list[dict]:
    """Sentences per second per backend, text kind and batch size, plus int8's fidelity."""
    embedder = Embedder(backend="torch")
    fp32_onnx = Embedder(backend="onnx")
    embedder.encode_passages(["warm up"])
    fp32_onnx.encode_passages(["warm up"])
    out = []
    try:
        onnx = onnx_int8(embedder)
    except Exception as exc:   # reported in the table: the bench says why it could not run
        onnx, reason = None, f"{exc!s:.100}"
    for kind, sample in texts.items():
        tokens = np.mean([len(embedder.model.tokenizer.tokenize(t)) for t in sample[:200]])
        for b in batches:
            out.append({"backend": "pytorch fp32", "texts": kind, "tokens": round(float(tokens)), "batch": b,
                        "sentences_per_s": round(throughput(embedder.encode_passages, sample, b), 1)})
        if fp32_onnx.runner is not None:
            agree = float(np.min(np.sum(fp32_onnx.encode_passages(sample[:64])
                                        * embedder.encode_passages(sample[:64]), axis=1)))
            for b in batches:
                out.append({"backend": f"onnx fp32, the app's default (min cos {agree:.5f})", "texts": kind,
                            "tokens": round(float(tokens)), "batch": b,
                            "sentences_per_s": round(throughput(fp32_onnx.encode_passages, sample, b), 1)})
        if onnx is None:
            out.append({"backend": "onnx int8", "texts": kind, "tokens": "", "batch": "",
                        "sentences_per_s": f"not available: {reason}"})
            continue
        reference = embedder.encode_passages(sample[:64])
        fidelity = float(np.mean(np.sum(onnx.encode(sample[:64]) * reference, axis=1)))
        for b in batches:
            out.append({"backend": f"onnx int8 (cos to fp32 {fidelity:.3f})", "texts": kind,
                        "tokens": round(float(tokens)), "batch": b,
                        "sentences_per_s": round(throughput(onnx.encode, sample, b), 1)})
    return out
