"""One engine per process: matchers for teams and problems, rebuilt when a new version is published.

Workers publish: they embed what changed (cached in the database), save a FAISS index under
INDEX_DIR/<name>/ and record an IndexVersion row. Web processes compare that version with the
one they hold before answering and reload when it moved, so every process serves fresh data.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, select

from marketplace.recommender import data, embeddings
from marketplace.services.lifecycle import PUBLIC_STATUSES
from matching import dictionary, models, taxonomy
from matching.embedder import Embedder
from matching.profiles import Profile, bridge
from matching.ranking import Matcher
from matching.vector_index import IndexMismatch, VectorIndex, read_sidecar, set_threads
from matching.vectors_cache import CachedEmbedder
from models import IndexVersion, Problem

NAMES = ("teams", "problems")
OWNER_TYPE = {"teams": "team_item", "problems": "problem"}


class Engine:
    """Holds the process's matchers and knows how to rebuild and publish them."""

    def __init__(self, settings, index_root: Path):
        embedder = Embedder(settings.matcher_model, settings.matcher_query_prompt,
                            settings.matcher_passage_prompt, multilingual=settings.matcher_multilingual,
                            backend=settings.matcher_backend, window=settings.matcher_window)
        self.embedder = CachedEmbedder(embedder, Path(settings.embedding_cache_dir)) \
            if settings.embedding_cache_dir else embedder
        self.index_root = Path(index_root)
        self._held: dict[str, tuple[int, Matcher]] = {}
        self._lock = threading.Lock()

    # -- versions -----------------------------------------------------------------------------
    @staticmethod
    def current_version(session: Session, name: str) -> int:
        """The newest published version of an index (0 before the first)."""
        return session.exec(select(sa.func.max(IndexVersion.version))
                            .where(IndexVersion.name == name)).one() or 0

    def matcher(self, session: Session, name: str) -> Matcher:
        """A matcher as fresh as the newest published version (rebuilt here if it moved)."""
        version = self.current_version(session, name)
        held = self._held.get(name)
        if held and held[0] == version:
            return held[1]
        with self._lock:
            held = self._held.get(name)
            if held and held[0] == version:
                return held[1]
            matcher = self._build(session, name, version)
            self._held[name] = (version, matcher)
            return matcher

    # -- building -----------------------------------------------------------------------------
    def _dense_text(self, item) -> str:
        return bridge(item.text, taxonomy.default(), multilingual=self.embedder.multilingual)[0]

    def _profiles(self, session: Session, name: str) -> list[Profile]:
        if name == "teams":
            load = data.team_load(session)
            owners = {team.id: (team, data.team_items(team, projects))
                      for team, projects in data.load_teams(session)}
            embeddings.sync(session=session, embedder=self.embedder, owner_type=OWNER_TYPE[name],
                            owners={k: v[1] for k, v in owners.items()}, dense_text=self._dense_text,
                            delete_others=True)
            return [data.team_profile(team, items, load.get(team.id, 0)) for team, items in owners.values()]
        problems = session.exec(select(Problem).where(Problem.status.in_(PUBLIC_STATUSES))
                                .order_by(Problem.id)).all()
        owners = {p.id: (p, data.problem_items(p)) for p in problems}
        embeddings.sync(session=session, embedder=self.embedder, owner_type=OWNER_TYPE[name],
                        owners={k: v[1] for k, v in owners.items()}, dense_text=self._dense_text,
                        delete_others=True)
        return [data.problem_profile(p, items) for p, items in owners.values()]

    def _build(self, session: Session, name: str, version: int) -> Matcher:
        if name == "problems":
            dictionary.warm()               # the search box's translations, read in the background
        profiles = self._profiles(session, name)
        ids = [item.vector_id for p in profiles for item in p.items]
        index = self._load_saved(name, version, ids)
        # A problem is one text, so its score is that text's; teams aggregate their best items.
        weights = models.weights_for(self.embedder.model_name)
        matcher = Matcher(self.embedder, weights if name == "teams" else replace(weights, top_items=1))
        if index is not None:
            return matcher.fit(profiles, index=index)
        vectors = embeddings.vectors_for(session=session, ids=ids)
        return matcher.fit(profiles, item_vectors=vectors if len(ids) else None)

    def _load_saved(self, name: str, version: int, ids: list[int]) -> VectorIndex | None:
        directory = self.index_root / name
        sidecar = read_sidecar(directory)
        if not version or sidecar is None or sidecar.get("version") != version:
            return None
        try:
            index = VectorIndex.load(directory, model=self.embedder.signature, dim=self.embedder.dim)
        except (IndexMismatch, OSError):
            return None
        held = set(index.ids().tolist())
        return index if held == set(ids) else None

    # -- publishing (workers) -----------------------------------------------------------------
    def publish(self, session: Session, name: str) -> IndexVersion:
        """Embed what changed, save a new index version to disk and record it."""
        profiles = self._profiles(session, name)
        ids = [item.vector_id for p in profiles for item in p.items]
        vectors = embeddings.vectors_for(session=session, ids=ids)
        index = VectorIndex(self.embedder.dim, model=self.embedder.signature)
        index.build(ids, vectors if len(ids) else np.zeros((0, self.embedder.dim), np.float32))
        version = self.current_version(session, name) + 1
        path = self.index_root / name
        index.save(path, version=version)
        row = IndexVersion(name=name, version=version, model=self.embedder.signature,
                           dim=self.embedder.dim, count=index.count(), path=str(path))
        session.add(row)
        try:
            session.commit()
        except sa.exc.IntegrityError:  # another worker published the same version number first
            session.rollback()
            return self.publish(session, name)
        return row


def get_engine() -> Engine:
    """The current app's engine, created on first use (nothing is loaded before it is needed)."""
    app = current_app._get_current_object()
    engine = app.extensions.get("recommender")
    if engine is None:
        settings = app.config["SETTINGS"]
        root = Path(settings.index_dir) if settings.index_dir else Path(app.instance_path) / "index"
        engine = app.extensions["recommender"] = Engine(settings, root)
        if settings.app_env != "test":
            set_threads(settings.faiss_threads)
    return engine


def warm_in_background(app) -> threading.Thread:
    """Load the embedding model in a daemon thread, so the first search after start-up does not
    wait seconds for it (MATCHER_WARM, set by `make run`)."""
    def warm() -> None:
        with app.app_context():
            get_engine().embedder.encode_queries(["warm up"])

    thread = threading.Thread(target=warm, name="matcher-warm", daemon=True)
    thread.start()
    return thread
