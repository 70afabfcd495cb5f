"""The embedder: packaged model offline, unit vectors, loaded once per process."""
from __future__ import annotations

import numpy as np

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
