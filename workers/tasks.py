"""Thin, idempotent tasks: they take ids or names, re-read rows and do nothing twice."""
from __future__ import annotations

import logging

from celery import shared_task
from sqlalchemy.exc import OperationalError

from marketplace.db import get_session
from marketplace.services import mailer

log = logging.getLogger(__name__)

TRANSIENT = (mailer.TransientMailError, OperationalError, ConnectionError)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def deliver_email(self, email_id: int) -> None:
    """Send one outbox email unless it was sent already."""
    mailer.deliver(session=get_session(), email_id=email_id)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def publish_index(self, name: str) -> int:
    """Embed what changed and publish a new version of the 'teams' or 'problems' index."""
    from marketplace.recommender.engine import get_engine

    return get_engine().publish(get_session(), name).version


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def run_job(self, job_id: int) -> None:
    """Run a long job (assignment proposal, rebuild, export) recorded in the job table."""
    from marketplace.services import jobs

    jobs.run(session=get_session(), job_id=job_id)
