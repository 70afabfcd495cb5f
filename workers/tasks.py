"""Thin, idempotent tasks: they take ids, re-read rows and do nothing twice."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from celery import shared_task
from sqlalchemy.exc import OperationalError

from marketplace.db import get_session
from marketplace.services import mailer
from workers.queue import bound

log = logging.getLogger(__name__)

TRANSIENT = (mailer.TransientMailError, OperationalError, ConnectionError)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def deliver_email(self, email_id: int) -> None:
    """Send one outbox email unless it was sent already."""
    mailer.deliver(session=get_session(), email_id=email_id)


@shared_task(bind=True, autoretry_for=(OperationalError, ConnectionError), retry_backoff=True,
             max_retries=5)
def run_job(self, job_id: int) -> None:
    """Run a job row (assignment, export, index publish or rebuild) exactly once to effect."""
    from marketplace.services import jobs

    jobs.run(session=get_session(), job_id=job_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def quarterly_export(today: str | None = None) -> list[int]:
    """On the first day of a quarter: export the quarter just ended (CSV and XLSX), once."""
    from zoneinfo import ZoneInfo

    from flask import current_app
    from sqlmodel import select

    from marketplace.exports.service import generate
    from marketplace.services.quarters import last_completed_quarter
    from models import ExportRecord
    from models.base import utcnow

    local = utcnow().astimezone(ZoneInfo(current_app.config["SETTINGS"].display_timezone)).date()
    session, day = get_session(), date.fromisoformat(today) if today else local
    quarter = last_completed_quarter(day)
    made = []
    for fmt in ("csv", "xlsx"):
        done = session.exec(select(ExportRecord.id).where(ExportRecord.quarter == quarter,
                                                          ExportRecord.format == fmt,
                                                          ExportRecord.created_by_id.is_(None))).first()
        if done is None:
            made.append(generate(session=session, settings=current_app.config["SETTINGS"], quarter=quarter,
                                 fmt=fmt, actor=None, today=day).id)
    return made


@shared_task
def nightly_rebuild() -> None:
    """Re-embed what changed and publish fresh indexes every night."""
    from marketplace.services import jobs

    jobs.create(session=get_session(), kind="rebuild", params={}, actor=None)


@shared_task
def remind_overdue() -> int:
    """Tell teams and companies about milestones that passed their date (once each)."""
    from marketplace.services.monitoring import remind_overdue_milestones

    return remind_overdue_milestones(session=get_session())


@shared_task
def sweep(older_than_s: int = 60) -> dict:
    """Send again what a broker outage kept from being enqueued: queued jobs, unsent emails."""
    from flask import current_app
    from sqlmodel import select

    from models import Job, OutboxEmail
    from models.base import utcnow

    settings = current_app.config["SETTINGS"]
    session, now = get_session(), utcnow()
    cutoff = now - timedelta(seconds=older_than_s)
    stale_run = now - timedelta(seconds=settings.job_lease_seconds)
    jobs = session.exec(select(Job.id).where(
        ((Job.status == "queued") & (Job.created_at < cutoff))
        | ((Job.status == "running") & (Job.started_at < stale_run)))).all()   # worker died mid-job
    for job_id in jobs:
        bound(run_job).delay(job_id)
    emails = []
    if settings.smtp_host:
        from marketplace.services.mailer import CLAIM_SECONDS, MAX_ATTEMPTS

        retry = now - timedelta(seconds=CLAIM_SECONDS)
        emails = session.exec(select(OutboxEmail.id).where(
            OutboxEmail.sent_at.is_(None), OutboxEmail.failed_at.is_(None), OutboxEmail.created_at < cutoff,
            OutboxEmail.attempts < MAX_ATTEMPTS,
            (OutboxEmail.last_attempt_at.is_(None)) | (OutboxEmail.last_attempt_at < retry))).all()
        for email_id in emails:
            bound(deliver_email).delay(email_id)
    return {"jobs": len(jobs), "emails": len(emails)}
