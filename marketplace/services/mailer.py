"""Email: every message is kept in the outbox table; SMTP sends it when configured, else the log."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session

from models import OutboxEmail
from models.base import utcnow

log = logging.getLogger(__name__)


class TransientMailError(Exception):
    """The mail server could not be reached; worth retrying."""


def deliver(*, session: Session, email_id: int) -> bool:
    """Send an outbox email once; returns False when it was already sent or is gone."""
    email = session.get(OutboxEmail, email_id)
    if email is None or email.sent_at is not None:
        return False
    settings = current_app.config["SETTINGS"]
    if not settings.smtp_host:
        log.info("email (development, not sent) to=%s subject=%s\n%s",
                 email.to_address, email.subject, email.body)
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_sender, email.to_address, email.subject
    message.set_content(email.body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (TimeoutError, OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
        raise TransientMailError(str(exc)) from exc
    # Mark sent with a guarded update so a redelivered task cannot send it twice as "new".
    session.execute(sa.update(OutboxEmail).where(OutboxEmail.id == email_id,
                                                 OutboxEmail.sent_at.is_(None))
                    .values(sent_at=utcnow()))
    session.commit()
    return True
