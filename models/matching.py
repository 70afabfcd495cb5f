"""Matching state: cached embeddings per text and the built index versions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field


class Embedding(SQLModel, table=True):
    """One embedded text of a problem or a team (profile item), keyed by content hash."""

    id: int | None = Field(default=None, primary_key=True)
    owner_type: str = Field(max_length=16)
    owner_id: int
    item_key: str = Field(max_length=48)
    model: str = Field(max_length=200)
    text_hash: str = Field(max_length=64)
    dim: int
    vector: bytes = Field(sa_type=sa.LargeBinary)
    updated_at: datetime = created_field()

    __table_args__ = (sa.UniqueConstraint("owner_type", "owner_id", "item_key", "model"),)


class IndexVersion(SQLModel, table=True):
    """A saved vector index; web processes reload when a newer version appears."""

    __tablename__ = "index_version"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=32, index=True)
    version: int
    model: str = Field(max_length=200)
    dim: int
    count: int
    path: str = Field(max_length=500)
    built_at: datetime = created_field()

    __table_args__ = (sa.UniqueConstraint("name", "version"),)
