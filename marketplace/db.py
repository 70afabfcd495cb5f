"""Engine per app, one SQLModel session per app context, closed on teardown."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlmodel import Session


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> sa.Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def database_url_for(app: Flask) -> str:
    """The configured database URL, or a SQLite file in the instance folder."""
    url = app.config["SETTINGS"].database_url
    if url:
        return normalise_url(url)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'marketplace.db'}"


def init_app(app: Flask) -> None:
    """Attach an engine to the app and close sessions on teardown."""
    app.extensions["db_engine"] = make_engine(database_url_for(app))
    app.teardown_appcontext(_close_session)


def engine() -> sa.Engine:
    """The current app's engine."""
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    """The session of the current app context, created on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
