"""Notifications: an in-app message per user plus an email in the outbox, both in their language."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date, gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import mailer
from models import Notification, User
from models.base import utcnow

MESSAGES = {
    "problem_published": _l("Your problem “%(title)s” has been published."),
    "problem_rejected": _l("Your problem “%(title)s” was sent back: %(reason)s"),
    "new_bid": _l("%(team)s bid on your problem “%(title)s”."),
    "bid_withdrawn": _l("%(team)s withdrew its bid on your problem “%(title)s”."),
    "bid_resubmitted": _l("%(team)s bid again on your problem “%(title)s”, asking %(price)s."),
    "bid_revised": _l("%(team)s changed its bid on your problem “%(title)s”; it now asks %(price)s."),
    "team_closed": _l("%(team)s closed its account, so its bid on “%(title)s” was withdrawn."),
    "team_closed_staff": _l("%(team)s closed its account (its last person left); %(n)d of its matches await "
                            "approval or are running and need your decision."),
    "company_closed_staff": _l("%(company)s closed its account (its last person left); %(n)d of its problems "
                               "are matched or under way and need your decision."),
    "invitation": _l("%(company)s invites your team to bid on “%(title)s”."),
    "invitation_closed": _l("“%(title)s”, which your team was invited to bid on, no longer takes bids."),
    "match_proposed": _l("%(company)s selected %(team)s for “%(title)s”; the match awaits approval."),
    "bid_declined": _l("Another team was chosen for “%(title)s”, so your bid was declined. Thank you for bidding."),
    "problem_withdrawn": _l("The company withdrew “%(title)s”, so your bid on it is closed."),
    "match_approved": _l("The match of %(team)s with “%(title)s” has been approved."),
    "match_rejected": _l("The match of %(team)s with “%(title)s” was not approved: %(reason)s"),
    "progress_posted": _l("%(team)s posted progress on “%(title)s”."),
    "project_message": _l("%(company)s wrote on the project “%(title)s”."),
    "milestone_overdue": _l("Milestone “%(milestone)s” of “%(title)s” is overdue."),
    "solution_delivered": _l("%(team)s delivered the solution for “%(title)s”; please confirm it."),
    "delivery_reminder": _l("A reminder from the promotion centre: %(team)s delivered “%(title)s” on %(day)s. "
                            "Please confirm the delivery or send it back with what is missing."),
    "delivery_confirmed": _l("The company confirmed your delivery for “%(title)s”; staff verify it next."),
    "delivery_returned": _l("The company sent your delivery for “%(title)s” back: %(reason)s"),
    "solution_verified": _l("The solution for “%(title)s” has been verified and counts toward the goal."),
    "selection_taken_back": _l("%(company)s took back its selection for “%(title)s”; your bid is on its "
                               "shortlist again."),
    "project_closed": _l("The promotion centre closed the project “%(title)s”: %(reason)s"),
}


def render(kind: str, params: dict) -> str:
    """The message text in the active locale (a "day" param, stored as YYYY-MM-DD, is written as
    the reader writes dates)."""
    if kind not in MESSAGES:
        return kind
    if isinstance(params.get("day"), str):
        try:
            params = {**params, "day": format_date(date.fromisoformat(params["day"]))}
        except ValueError:
            pass
    return str(MESSAGES[kind]) % params


def notify(
    *, session: Session, users: Iterable[User], kind: str, params: dict, link: str = "",
) -> list[Notification]:
    """Queue an in-app notification and an email for each user (committed with the change)."""
    created = []
    for user in {u.id: u for u in users if u is not None and u.is_active}.values():
        note = Notification(user_id=user.id, kind=kind, params=params, link=link)
        with force_locale(user.locale or "zh_TW"):
            text = render(kind, params)
            subject = gettext("AI Innovation Matching Platform") + ": " + text
        url = current_app.config["SETTINGS"].base_url.rstrip("/") + link if link else ""
        session.add(note)
        mailer.queue(session=session, to_address=user.email, subject=subject, body=f"{text}\n\n{url}".strip())
        created.append(note)
    return created


def unread_count(*, session: Session, user_id: int) -> int:
    """How many notifications the user has not read."""
    return session.exec(select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))).one()


def recent(*, session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    """The user's newest notifications."""
    return list(session.exec(select(Notification).where(Notification.user_id == user_id)
                             .order_by(Notification.created_at.desc(), Notification.id.desc())
                             .limit(limit)).all())


def mark_read(*, session: Session, user_id: int, note_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs."""
    note = session.get(Notification, note_id)
    if note is None or note.user_id != user_id:
        return None
    if note.read_at is None:
        note.read_at = utcnow()
        session.add(note)
        session.commit()
    return note


def mark_all_read(*, session: Session, user_id: int) -> None:
    """Mark every notification of the user as read."""
    session.execute(sa.update(Notification).where(Notification.user_id == user_id,
                                                  Notification.read_at.is_(None))
                    .values(read_at=utcnow()))
    session.commit()
