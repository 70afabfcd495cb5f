"""Notifications, outgoing mail, the audit log, background jobs and export records."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field, time_field


class Notification(SQLModel, table=True):
    """An in-app message for one user; rendered in the reader's language."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=48)
    params: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    link: str = Field(default="", max_length=300)
    read_at: datetime | None = time_field()
    created_at: datetime = created_field()


class OutboxEmail(SQLModel, table=True):
    """An email as sent (or, in development, only logged)."""

    __tablename__ = "outbox_email"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = created_field()
    sent_at: datetime | None = time_field()
    attempts: int = 0
    last_attempt_at: datetime | None = time_field()
    # Set when the mail server refused the message for good; such mail is not retried.
    failed_at: datetime | None = time_field()
    error: str | None = Field(default=None, max_length=500)


class AuditEvent(SQLModel, table=True):
    """One staff decision or state change, never updated or deleted."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=48, index=True)
    object_type: str = Field(max_length=32)
    object_id: int | None = None
    detail: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    created_at: datetime = created_field()

    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)


class Job(SQLModel, table=True):
    """A long piece of background work whose status a page can poll."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    status: str = Field(default="queued", max_length=16)
    params: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    result: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_field()
    started_at: datetime | None = time_field()
    finished_at: datetime | None = time_field()


class ExportRecord(SQLModel, table=True):
    """A generated quarterly export, kept so staff can download it again."""

    __tablename__ = "export_record"

    id: int | None = Field(default=None, primary_key=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    quarter: str = Field(max_length=6, index=True)
    format: str = Field(max_length=8)
    filename: str = Field(max_length=120)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = created_field()
