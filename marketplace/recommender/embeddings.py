"""Embeddings kept in the database by content hash, so nothing is encoded twice."""
from __future__ import annotations

import hashlib

import numpy as np
from sqlmodel import Session, delete, select

from matching.profiles import ProfileItem
from models import Embedding
from models.base import utcnow


def text_hash(text: str) -> str:
    """Stable content hash of the text that was embedded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync(*, session: Session, embedder, owner_type: str,
         owners: dict[int, list[ProfileItem]], dense_text, delete_others: bool = False) -> None:
    """Make every item of the given owners have a current vector; give each item its row id.

    `dense_text(item)` is what the embedder reads. Changed texts get a new row (a new id), so a
    vector index keyed by row ids never confuses an old vector with a new one. Rows of items that
    no longer exist are deleted; with delete_others, so are rows of owners not listed.
    """
    model = embedder.signature
    rows = session.exec(select(Embedding).where(Embedding.owner_type == owner_type,
                                                Embedding.model == model)).all() if delete_others else \
        session.exec(select(Embedding).where(Embedding.owner_type == owner_type, Embedding.model == model,
                                             Embedding.owner_id.in_(list(owners)))).all()
    existing = {(r.owner_id, r.item_key): r for r in rows}
    wanted, to_encode = set(), []
    for owner_id, items in owners.items():
        for item in items:
            key = (owner_id, item.key)
            wanted.add(key)
            text = dense_text(item)
            row = existing.get(key)
            if row is not None and row.text_hash == text_hash(text):
                item.vector_id = row.id
            else:
                if row is not None:
                    session.delete(row)
                to_encode.append((owner_id, item, text))
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
    session.flush()
    if to_encode:
        vectors = embedder.encode_passages([text for _, _, text in to_encode])
        for (owner_id, item, text), vector in zip(to_encode, vectors, strict=True):
            row = Embedding(owner_type=owner_type, owner_id=owner_id, item_key=item.key, model=model,
                            text_hash=text_hash(text), dim=len(vector),
                            vector=np.asarray(vector, np.float32).tobytes(), updated_at=utcnow())
            session.add(row)
            session.flush()
            item.vector_id = row.id
    session.commit()


def vectors_for(*, session: Session, ids: list[int]) -> np.ndarray:
    """Vectors of embedding rows, in the order of `ids`."""
    rows = {r.id: r for r in session.exec(select(Embedding).where(Embedding.id.in_(ids))).all()}
    return np.vstack([np.frombuffer(rows[i].vector, dtype=np.float32) for i in ids]) if ids else \
        np.zeros((0, 0), np.float32)


def prune(*, session: Session, keep_model: str) -> int:
    """Delete the vectors made by any model other than `keep_model` (e.g. after MATCHER_MODEL or
    MATCHER_WINDOW changed); returns how many went."""
    result = session.exec(delete(Embedding).where(Embedding.model != keep_model))
    session.commit()
    return result.rowcount or 0
