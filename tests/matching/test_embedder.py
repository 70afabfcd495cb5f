"""The embedder: packaged model offline, unit vectors, loaded once per process."""
from __future__ import annotations

import numpy as np
import pytest

from matching.embedder import Embedder


def test_packaged_model_encodes_unit_vectors(embedder):
    vectors = embedder.encode_passages(["predictive maintenance for spindles", "fish farming"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    near = embedder.encode_queries(["machine tool spindle failure prediction"])[0]
    assert near @ vectors[0] > near @ vectors[1]


def test_model_is_loaded_once_and_shared(embedder):
    assert Embedder().model is embedder.model
    assert not embedder.multilingual and embedder.encode_queries([]).shape == (0, 384)


def test_the_onnx_backend_gives_pytorchs_vectors(embedder):
    texts = ["螺絲外觀瑕疵檢測 defect detection on screws", "solar forecasting", "word " * 400, ""]
    assert embedder.backend == "onnx" and embedder.runner is not None
    ours = embedder.encode_passages(texts, batch_size=2)          # several batches, mixed lengths
    torch_vectors = Embedder(backend="torch").encode_passages(texts)
    assert Embedder(backend="torch").runner is None
    assert np.min(np.sum(ours * torch_vectors, axis=1)) > 0.9999


def test_the_export_is_kept_and_reused(embedder, tmp_path):
    from matching import onnx_backend

    first = onnx_backend.load(embedder.model, "all-MiniLM-L6-v2", tmp_path)
    files = list(tmp_path.glob("*.onnx"))
    assert first is not None and len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    assert onnx_backend.load(embedder.model, "all-MiniLM-L6-v2", tmp_path) is not None
    assert files[0].stat().st_mtime_ns == stamp and list(tmp_path.glob("*.tmp")) == []


def test_models_of_another_shape_stay_on_pytorch():
    from matching import onnx_backend

    transformer = type("Transformer", (), {})()
    cls_pooling = type("Pooling", (), {"pooling_mode": "cls"})()
    assert not onnx_backend.exportable([transformer, cls_pooling])
    assert onnx_backend.load([transformer, cls_pooling], "cls-model", None) is None
    assert onnx_backend.exportable([transformer, type("Pooling", (), {"pooling_mode": "mean"})()])


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown embedding backend"):
        Embedder(backend="tensorrt")
