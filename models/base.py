"""Shared column types, timestamps and the metadata naming convention."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Store naive UTC, return aware UTC, on SQLite and PostgreSQL alike."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def created_field() -> datetime:
    """A non-null creation timestamp column defaulting to now (UTC)."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def time_field(index: bool = False) -> datetime | None:
    """A nullable UTC timestamp column."""
    return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)


def str_list_field() -> list[str]:
    """A JSON list of short strings (sectors, skills, data kinds)."""
    return Field(default_factory=list, sa_type=sa.JSON, nullable=False)


def enum_field(default=None, *, length: int = 24, index: bool = False):
    """A string column holding an enum value (plain VARCHAR keeps migrations simple)."""
    kwargs = {"sa_type": sa.String(length), "nullable": False, "index": index}
    if default is None:
        return Field(**kwargs)
    return Field(default=default, **kwargs)
