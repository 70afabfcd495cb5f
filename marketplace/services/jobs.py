"""Long work as job rows: queued → running → done | failed, each page polls its own row."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlmodel import Session

from marketplace.services.audit import record
from models import Job, User
from models.base import utcnow

log = logging.getLogger(__name__)


def _handlers() -> dict:
    from marketplace.services import proposals

    return {"assignment": proposals.propose, "export": _export, "rebuild": _rebuild, "publish": _publish}


def request_publish(*, session: Session, name: str) -> None:
    """Ask for a new version of an index once this transaction commits (durably: as a job row)."""
    from sqlmodel import select

    pending = session.exec(select(Job.id).where(Job.kind == "publish", Job.status == "queued",
                                                Job.params["name"].as_string() == name)).first()
    if pending is None:
        create(session=session, kind="publish", params={"name": name}, actor=None, commit=False)


def _publish(*, session: Session, name: str) -> dict:
    from marketplace.recommender.engine import get_engine

    return {"version": get_engine().publish(session, name).version}


def _export(*, session: Session, quarter: str, fmt: str, actor_id: int | None = None,
            today: str | None = None) -> dict:
    from datetime import date

    from flask import current_app

    from marketplace.exports.service import generate
    from marketplace.services.quarters import programme_today

    actor = session.get(User, actor_id) if actor_id else None
    export = generate(session=session, settings=current_app.config["SETTINGS"], quarter=quarter, fmt=fmt,
                      actor=actor, today=date.fromisoformat(today) if today else programme_today(), commit=False)
    return {"export_id": export.id, "filename": export.filename, "sha256": export.sha256}


def _rebuild(*, session: Session) -> dict:
    from marketplace.recommender.engine import NAMES, get_engine

    engine = get_engine()
    return {name: engine.publish(session, name).version for name in NAMES}


def create(*, session: Session, kind: str, params: dict, actor: User | None, commit: bool = True) -> Job:
    """Record a job and start it once the row is committed (by us, or by the caller's commit)."""
    from workers.queue import enqueue
    from workers.tasks import run_job

    if kind not in _handlers():
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, created_by_id=actor.id if actor else None)
    session.add(job)
    session.flush()
    if kind != "publish":   # index refreshes are housekeeping, not decisions worth auditing
        record(session=session, actor=actor, action=f"job.{kind}.started", obj_type="job", obj_id=job.id)
    enqueue(session, run_job, job.id)
    if commit:
        session.commit()
    return job


def run(*, session: Session, job_id: int, lease_seconds: int | None = None) -> None:
    """Run a job once. A second delivery finds it taken and stops; a job whose worker died
    (still "running" after the lease) is taken over. The job's rows and its completion are
    committed together, so a killed run leaves no trace and the rerun does the work once."""
    from datetime import timedelta

    from flask import current_app

    lease = lease_seconds or current_app.config["SETTINGS"].job_lease_seconds
    now = utcnow()
    claimed = session.execute(sa.update(Job).where(
        Job.id == job_id,
        sa.or_(Job.status == "queued",
               sa.and_(Job.status == "running", Job.started_at < now - timedelta(seconds=lease))))
        .values(status="running", started_at=now))
    session.commit()
    if claimed.rowcount != 1:
        return
    job = session.get(Job, job_id)
    try:
        result = _handlers()[job.kind](session=session, **job.params)
        session.execute(sa.update(Job).where(Job.id == job_id)
                        .values(status="done", result=result, finished_at=utcnow()))
        session.commit()
    except sa.exc.OperationalError:
        session.rollback()
        _set(session, job_id, status="queued", started_at=None)   # let the retry run it again
        raise
    except Exception as exc:  # recorded on the row for the page, and logged with its traceback
        log.exception("job %s (%s) failed", job_id, job.kind)
        session.rollback()
        _set(session, job_id, status="failed", error=str(exc)[:2000], finished_at=utcnow())


def _set(session: Session, job_id: int, **values) -> None:
    session.execute(sa.update(Job).where(Job.id == job_id).values(**values))
    session.commit()
