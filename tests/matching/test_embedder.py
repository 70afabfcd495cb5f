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


def test_a_long_text_is_read_to_its_end(embedder):
    head = "We need defect detection on machined screws from camera images. " * 30
    tails = ["Later we also want demand forecasting for the spare parts store. " * 20,
             "Later we also want a chatbot answering customers in Taiwanese. " * 20]
    assert embedder.window == embedder.model.max_seq_length - 2
    whole = embedder.encode_passages([head + tail for tail in tails])
    assert whole[0] @ whole[1] < 0.99             # the tails, past the model's limit, still count
    cut = Embedder(window=0).encode_passages([head + tail for tail in tails])
    assert cut[0] @ cut[1] > 0.9999               # cut at the limit, only the shared head is read
    assert np.allclose(np.linalg.norm(whole, axis=1), 1.0, atol=1e-5)


def test_a_long_texts_vector_averages_its_pieces_by_length(embedder):
    windowed = Embedder(window=8)
    text = "spindle vibration sensors predict bearing failure before the machine stops, saving days"
    pieces, owners, sizes = windowed._pieces([text, "short"], "")
    assert len(pieces) > 2 and set(owners) == {0, 1} and sizes[:-1].sum() == len(
        embedder.model.tokenizer.tokenize(text))
    assert "".join(pieces[:-1]).replace(" ", "") == text.replace(" ", "")
    parts = embedder.encode_passages(pieces[:-1])
    expected = (parts * sizes[:-1, None]).sum(axis=0)
    got = windowed.encode_passages([text, "short"])
    assert np.allclose(got[0], expected / np.linalg.norm(expected), atol=1e-5)
    assert np.allclose(got[1], embedder.encode_passages(["short"])[0], atol=1e-5)


def test_vectors_made_another_way_carry_another_signature(embedder, tmp_path):
    from matching.vector_index import IndexMismatch, VectorIndex

    assert embedder.signature == f"all-MiniLM-L6-v2#w{embedder.window}"
    assert Embedder(window=0).signature == "all-MiniLM-L6-v2"   # cut texts: the vectors of old
    vectors = embedder.encode_passages(["edge AI on cameras"])
    VectorIndex(384, model=embedder.signature).build([1], vectors).save(tmp_path, version=1)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, model=Embedder(window=0).signature, dim=384)
