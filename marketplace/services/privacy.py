"""Personal data: download everything about me, delete my account."""
from __future__ import annotations

import secrets

from sqlmodel import Session, select

from marketplace.services.accounts import hash_password, revoke_all_login_sessions
from marketplace.services.audit import record
from models import AuditEvent, LoginSession, Notification, Organisation, Team, User

# Credentials are not personal data to hand out: a login session's token is what its cookie
# carries, so a downloaded file would let anyone who reads it sign in as the user.
SECRET_COLUMNS = frozenset({"password_hash", "token"})


def _row(obj) -> dict:
    return {c.name: (v.isoformat() if hasattr(v, "isoformat") else v)
            for c in type(obj).__table__.columns
            if c.name not in SECRET_COLUMNS and (v := getattr(obj, c.name)) is not None}


def export_user_data(*, session: Session, user: User) -> dict:
    """Everything the platform keeps about this person, as JSON-ready data."""
    return {
        "account": _row(user),
        "organisation": (_row(session.get(Organisation, user.organisation_id))
                         if user.organisation_id else None),
        "team": _row(session.get(Team, user.team_id)) if user.team_id else None,
        "login_sessions": [_row(s) for s in session.exec(select(LoginSession).where(
            LoginSession.user_id == user.id)).all()],
        "notifications": [_row(n) for n in session.exec(select(Notification).where(
            Notification.user_id == user.id)).all()],
        "actions": [_row(a) for a in session.exec(select(AuditEvent).where(
            AuditEvent.actor_id == user.id)).all()],
    }


def delete_account(*, session: Session, user: User) -> None:
    """Erase the person: anonymise the account, log out everywhere; business records stay. The last
    person of a team or company also closes what it left open (services.closing), in the same commit."""
    from marketplace.services.closing import close_for

    close_for(session=session, user=user)
    record(session=session, actor=user, action="user.deleted", obj_type="user", obj_id=user.id)
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.display_name = "—"
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.is_active = False
    user.locale = None
    session.add(user)
    session.commit()
    revoke_all_login_sessions(session=session, user=user)
