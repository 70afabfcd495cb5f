"""Email: every message is kept in the outbox table; SMTP sends it when configured, else the log."""
from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session

from models import OutboxEmail
from models.base import utcnow

log = logging.getLogger(__name__)
# A claimed message is left alone this long before another attempt may take it.
CLAIM_SECONDS = 300
MAX_ATTEMPTS = 10


class TransientMailError(Exception):
    """The mail server could not be reached; worth retrying."""


def one_line(text: str) -> str:
    """Header-safe text: no line breaks or runs of whitespace."""
    return " ".join(text.split())


def queue(*, session: Session, to_address: str, subject: str, body: str) -> OutboxEmail:
    """Keep an email in the outbox; it is sent once the caller's transaction commits."""
    from workers.queue import enqueue
    from workers.tasks import deliver_email

    email = OutboxEmail(to_address=to_address, subject=one_line(subject)[:200], body=body)
    session.add(email)
    session.flush()
    enqueue(session, deliver_email, email.id)
    return email


def _claim(session: Session, email_id: int) -> bool:
    """Take the message for one attempt, so two deliveries in flight cannot both send it."""
    now = utcnow()
    claimed = session.execute(sa.update(OutboxEmail).where(
        OutboxEmail.id == email_id, OutboxEmail.sent_at.is_(None), OutboxEmail.failed_at.is_(None),
        OutboxEmail.attempts < MAX_ATTEMPTS,
        sa.or_(OutboxEmail.last_attempt_at.is_(None),
               OutboxEmail.last_attempt_at < now - timedelta(seconds=CLAIM_SECONDS)))
        .values(attempts=OutboxEmail.attempts + 1, last_attempt_at=now))
    session.commit()
    return claimed.rowcount == 1


def _finish(session: Session, email_id: int, **values) -> None:
    session.execute(sa.update(OutboxEmail).where(OutboxEmail.id == email_id).values(**values))
    session.commit()


def deliver(*, session: Session, email_id: int) -> bool:
    """Send an outbox email at most once; True when it went out now."""
    settings = current_app.config["SETTINGS"]
    email = session.get(OutboxEmail, email_id)
    if email is None or email.sent_at is not None:
        return False
    if not settings.smtp_host:
        # A warning, so that it shows in `make run`'s output: there the log is the only inbox.
        log.warning("email (no SMTP configured, not sent) to=%s subject=%s\n%s",
                    email.to_address, email.subject, email.body)
        return False
    if not _claim(session, email_id):
        return False
    message = EmailMessage()
    message["From"], message["To"] = settings.smtp_sender, email.to_address
    message["Subject"] = one_line(email.subject)
    message.set_content(email.body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError) as exc:
        _finish(session, email_id, failed_at=utcnow(), error=str(exc)[:500])
        log.error("email %s refused for good: %s", email_id, exc)
        return False
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            _finish(session, email_id, failed_at=utcnow(), error=str(exc)[:500])
            log.error("email %s refused for good: %s", email_id, exc)
            return False
        _finish(session, email_id, last_attempt_at=None, error=str(exc)[:500])
        raise TransientMailError(str(exc)) from exc
    except OSError as exc:   # connection refused, timeout, disconnect
        _finish(session, email_id, last_attempt_at=None, error=str(exc)[:500])
        raise TransientMailError(str(exc)) from exc
    _finish(session, email_id, sent_at=utcnow(), error=None)
    return True
