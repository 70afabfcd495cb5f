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


class OnnxInt8:
    """all-MiniLM-L6-v2 exported from the packaged weights to ONNX and quantised to int8."""

    def __init__(self, embedder: Embedder):
        import onnxruntime
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic

        model = embedder.model
        self.tokenizer, self.max_length = model.tokenizer, model.max_seq_length
        class Wrapped(torch.nn.Module):
            def __init__(self, transformer):
                super().__init__()
                self.transformer = transformer

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                        token_type_ids=token_type_ids).last_hidden_state

        work = Path(tempfile.mkdtemp(prefix="onnx-"))
        names = ["input_ids", "attention_mask", "token_type_ids"]
        sample = self.tokenizer(["warm up"], return_tensors="pt")
        torch.onnx.export(Wrapped(model[0].auto_model).eval(), tuple(sample[n] for n in names),
                          str(work / "fp32.onnx"),
                          input_names=names, output_names=["hidden"], opset_version=17, dynamo=False,
                          dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]})
        quantize_dynamic(str(work / "fp32.onnx"), str(work / "int8.onnx"), weight_type=QuantType.QInt8)
        self.session = onnxruntime.InferenceSession(str(work / "int8.onnx"), providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Mean-pooled, normalised sentence vectors (what sentence-transformers computes)."""
        order = np.argsort([-len(t) for t in texts], kind="stable")   # similar lengths batch together
        ordered = [texts[i] for i in order]
        out = []
        for i in range(0, len(ordered), batch_size):
            batch = self.tokenizer(ordered[i:i + batch_size], padding=True, truncation=True,
                                   max_length=self.max_length, return_tensors="np")
            hidden = self.session.run(None, {k: batch[k].astype(np.int64) for k in
                                             ("input_ids", "attention_mask", "token_type_ids")})[0]
            mask = batch["attention_mask"][..., None].astype(np.float32)
            vectors = (hidden * mask).sum(1) / mask.sum(1)
            out.append(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
        result = np.empty((len(texts), out[0].shape[1]), np.float32)
        result[order] = np.vstack(out)
        return result


def rows(texts: dict[str, list[str]], batches=(1, 32, 128)) -> list[dict]:
    """Sentences per second per backend, text kind and batch size, plus int8's fidelity."""
    embedder = Embedder(backend="torch")
    fp32_onnx = Embedder(backend="onnx")
    embedder.encode_passages(["warm up"])
    fp32_onnx.encode_passages(["warm up"])
    out = []
    try:
        onnx = OnnxInt8(embedder)
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
