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

    return {"assignment": proposals.propose}


def create(*, session: Session, kind: str, params: dict, actor: User | None) -> Job:
    """Record a job and start it once the row is committed."""
    from workers.queue import enqueue
    from workers.tasks import run_job

    if kind not in _handlers():
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, created_by_id=actor.id if actor else None)
    session.add(job)
    session.flush()
    record(session=session, actor=actor, action=f"job.{kind}.started", obj_type="job", obj_id=job.id)
    enqueue(session, run_job, job.id)
    session.commit()
    return job


def run(*, session: Session, job_id: int) -> None:
    """Run a queued job once; a second delivery of the same task finds it taken and stops."""
    claimed = session.execute(sa.update(Job).where(Job.id == job_id, Job.status == "queued")
                              .values(status="running", started_at=utcnow()))
    session.commit()
    if claimed.rowcount != 1:
        return
    job = session.get(Job, job_id)
    try:
        result = _handlers()[job.kind](session=session, **job.params)
    except sa.exc.OperationalError:
        session.rollback()
        _set(session, job_id, status="queued", started_at=None)   # let the retry run it again
        raise
    except Exception as exc:  # recorded on the row for the page, and logged with its traceback
        log.exception("job %s (%s) failed", job_id, job.kind)
        session.rollback()
        _set(session, job_id, status="failed", error=str(exc)[:2000], finished_at=utcnow())
        return
    _set(session, job_id, status="done", result=result, finished_at=utcnow())


def _set(session: Session, job_id: int, **values) -> None:
    session.execute(sa.update(Job).where(Job.id == job_id).values(**values))
    session.commit()
