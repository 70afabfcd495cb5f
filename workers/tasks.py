"""Thin, idempotent tasks: they take ids, re-read rows and do nothing twice."""
from __future__ import annotations

import logging

from celery import shared_task

from marketplace.db import get_session
from marketplace.services import mailer

log = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(mailer.TransientMailError,), retry_backoff=True,
             retry_backoff_max=600, max_retries=8)
def deliver_email(self, email_id: int) -> None:
    """Send one outbox email unless it was sent already."""
    mailer.deliver(session=get_session(), email_id=email_id)
