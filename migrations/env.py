"""Alembic environment: the URL comes from the caller (marketplace db ...) or DATABASE_URL."""
from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import models  # noqa: F401  (registers every table on the metadata)
from marketplace.db import make_engine, normalise_url
from models.base import UTCDateTime

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL", "")
    if not url:
        raise RuntimeError("no database URL: run `marketplace db upgrade` or set DATABASE_URL")
    return normalise_url(url)


def _render_item(type_, obj, autogen_context):
    """Render app-specific column types as plain SQLAlchemy types so migrations stand alone."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _options(url: str) -> dict:
    return {
        "target_metadata": target_metadata,
        "render_item": _render_item,
        "compare_type": True,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        "render_as_batch": url.startswith("sqlite"),
    }


def run_offline() -> None:
    """Emit SQL without a connection."""
    url = _url()
    context.configure(url=url, literal_binds=True, **_options(url))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run against a live connection."""
    url = _url()
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, **_options(url))
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, **_options(url))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
