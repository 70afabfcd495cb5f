"""Health of the parts the app depends on: database, broker, vector index."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session, select

from models import IndexVersion


def database_state(engine: sa.Engine) -> str:
    """'ok' when a trivial query answers."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return "ok"
    except sa.exc.SQLAlchemyError:
        return "unavailable"


def broker_state(url: str) -> str:
    """'eager' without a broker, else 'ok' or 'unavailable' after a short ping."""
    if not url:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except (redis.RedisError, OSError):
        return "unavailable"


def index_state(engine: sa.Engine) -> dict:
    """The newest published version of each matching index; 'empty' before the first."""
    try:
        with Session(engine) as session:
            rows = session.exec(select(IndexVersion).order_by(IndexVersion.version)).all()
    except sa.exc.SQLAlchemyError:
        return {"state": "unknown"}
    latest = {row.name: row for row in rows}
    if not latest:
        return {"state": "empty"}
    return {"state": "ready", "indexes": {
        name: {"version": r.version, "count": r.count, "model": r.model, "built_at": r.built_at.isoformat()}
        for name, r in sorted(latest.items())}}


def health_report(app: Flask) -> dict:
    """The /healthz document."""
    engine = app.extensions["db_engine"]
    settings = app.config["SETTINGS"]
    return {
        "database": database_state(engine),
        "broker": broker_state(settings.celery_broker_url),
        "index": index_state(engine),
    }
