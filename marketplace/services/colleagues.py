"""Colleagues: more people of one company or team, each with a login of their own."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, mailer
from marketplace.services.accounts import email_taken, hash_password, normalise_email
from marketplace.services.audit import record
from marketplace.services.passwords import password_link
from models import AuditEvent, Organisation, Role, Team, User

TAKEN = _l("This address already has an account on the platform; ask its owner to use it.")


def _side(user: User):
    """The column and value that make people colleagues: the same organisation or the same team."""
    if user.role == Role.COMPANY and user.organisation_id:
        return User.organisation_id, user.organisation_id
    if user.role == Role.TEAM and user.team_id:
        return User.team_id, user.team_id
    raise NotAllowed(_l("Only companies and teams invite colleagues."))


def colleagues(*, session: Session, user: User) -> list[User]:
    """The active people of the user's company or team, the user included, by name."""
    column, value = _side(user)
    return list(session.exec(select(User).where(column == value, User.is_active).order_by(User.display_name)).all())


def awaiting_password(*, session: Session, users: list[User]) -> set[int]:
    """Those of `users` who were invited and have not chosen their password yet (the audit log says)."""
    ids = [u.id for u in users]
    def said(action: str) -> set[int]:
        return set(session.exec(select(AuditEvent.object_id).where(AuditEvent.action == action,
                                                                   AuditEvent.object_id.in_(ids))).all())
    return said("user.invited") - said("user.invitation_accepted")


def invite(*, session: Session, actor: User, email: str, display_name: str, locale: str) -> User:
    """Create the colleague's account (same role, same company or team) with no usable password,
    and email a two-week link to choose one. A taken address is refused; nothing is written."""
    column, value = _side(actor)
    if email_taken(session=session, email=email):
        raise Conflict(TAKEN)
    user = User(email=normalise_email(email), display_name=display_name.strip(), role=actor.role,
                password_hash=hash_password(secrets.token_urlsafe(32)), locale=locale,
                **{column.key: value})
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:         # the address registered at the same moment
        session.rollback()
        raise Conflict(TAKEN) from exc
    where = session.get(Organisation if actor.role == Role.COMPANY else Team, value)
    with force_locale(locale):
        subject = gettext("AI Innovation Matching Platform") + ": " + \
            gettext("%(name)s invited you to %(where)s", name=actor.display_name, where=where.name)
        body = gettext("%(name)s invited you to work for %(where)s on the AI Innovation Matching Platform, with a "
                       "login of your own. Open this link within two weeks to choose your password; it works once:",
                       name=actor.display_name, where=where.name) + f"\n\n{password_link(user, invite=True)}\n"
    mailer.queue(session=session, to_address=user.email, subject=subject, body=body)
    record(session=session, actor=actor, action="user.invited", obj_type="user", obj_id=user.id, role=str(actor.role))
    session.commit()
    return user
