"""Password links: forgotten-password resets and colleagues' invitations, signed and used once."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from marketplace.services import ServiceError, mailer
from marketplace.services.accounts import (
    DUMMY_HASH,
    hash_password,
    normalise_email,
    revoke_all_login_sessions,
    validate_password,
)
from marketplace.services.audit import record
from models import User
from models.base import utcnow

RESET_SALT = "password-reset"
RESET_MAX_AGE = 3600       # seconds a reset link stays valid


INVITE_SALT = "colleague-invite"
INVITE_MAX_AGE = 14 * 24 * 3600    # seconds an invitation to a colleague stays valid


def _reset_signer(invite: bool = False) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=INVITE_SALT if invite else RESET_SALT)


def password_link(user: User, invite: bool = False) -> str:
    """A signed link to choose the account's password: one use (it names the current password's
    fingerprint), an hour for a reset, two weeks for an invitation."""
    token = _reset_signer(invite).dumps({"u": user.id, "f": _fingerprint(user)})
    base = current_app.config["SETTINGS"].base_url.rstrip("/")
    return base + (f"/invite/{token}" if invite else f"/password/reset/{token}")


def _fingerprint(user: User) -> str:
    """Changes with the password, so a link works once: after a reset (or any change) it is void."""
    return _digest(user.password_hash)


def _digest(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _reset_email(*, user_id: int, fingerprint: str, email: str, locale: str) -> tuple[str, str]:
    """The reset email's subject and body, with a freshly signed link, in the account's language."""
    from flask_babel import force_locale, gettext

    token = _reset_signer().dumps({"u": user_id, "f": fingerprint})
    link = current_app.config["SETTINGS"].base_url.rstrip("/") + f"/password/reset/{token}"
    with force_locale(locale):
        subject = gettext("AI Innovation Matching Platform") + ": " + gettext("Reset your password")
        body = gettext("Someone (we hope you) asked to reset the password of %(email)s. Open this link within "
                       "an hour to choose a new one; it works once:", email=email) + f"\n\n{link}\n\n" + \
            gettext("If you did not ask for this, ignore this email: your password stays as it is.")
    return subject, body


def request_password_reset(*, session: Session, email: str) -> None:
    """Email a one-hour, one-use link to reset the password, when an active account has this
    address. The caller answers the same either way. (Registration does tell that an address is
    taken, as any sign-up that logs in at once must; this page adds nothing to that.)"""
    address = normalise_email(email)
    user = session.exec(select(User).where(User.email == address, User.is_active)).first()
    # The same work either way, so the time taken does not tell either: a link signed, the email
    # written, an audit row committed. An unknown address's link is for no account (id 0) and is
    # dropped unsent; only an account's email goes to the outbox, whose worker sends it.
    subject, body = _reset_email(user_id=user.id if user else 0,
                                 fingerprint=_digest(user.password_hash if user else DUMMY_HASH),
                                 email=user.email if user else address,
                                 locale=(user.locale if user else None) or "zh_TW")
    if user is None:
        record(session=session, actor=None, action="user.password_reset_unknown", obj_type="user", obj_id=None)
    else:
        mailer.queue(session=session, to_address=user.email, subject=subject, body=body)
        record(session=session, actor=None, action="user.password_reset_requested", obj_type="user",
               obj_id=user.id)
    session.commit()


def user_for_reset(*, session: Session, token: str, invite: bool = False) -> User:
    """The account a reset (or invitation) link is for; ServiceError when it is expired, used or
    not ours."""
    try:
        data = _reset_signer(invite).loads(token, max_age=INVITE_MAX_AGE if invite else RESET_MAX_AGE)
    except SignatureExpired:
        raise ServiceError(_l("This link has expired. Ask for a new one.")) from None
    except BadSignature:
        raise ServiceError(_l("This link is not valid. Ask for a new one.")) from None
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        raise ServiceError(_l("This link was already used. Ask for a new one."))
    return user


def reset_password(*, session: Session, token: str, new_password: str, invite: bool = False) -> User:
    """Set a new password through a reset link (or choose the first one through an invitation,
    which also records the colleague's consent); every device is logged out."""
    user = user_for_reset(session=session, token=token, invite=invite)
    validate_password(new_password)
    # Guarded on the hash the link was checked against: of two submissions of one link, one wins.
    now, new_hash = utcnow(), hash_password(new_password)
    values = {"password_hash": new_hash, "password_changed_at": now} | ({"consent_at": now} if invite else {})
    done = session.execute(sa.update(User).where(User.id == user.id, User.password_hash == user.password_hash)
                           .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.rollback()
        raise ServiceError(_l("This link was already used. Ask for a new one."))
    for key, value in values.items():
        set_committed_value(user, key, value)
    record(session=session, actor=user, action="user.invitation_accepted" if invite else "user.password_reset",
           obj_type="user", obj_id=user.id)
    session.commit()
    revoke_all_login_sessions(session=session, user=user)
    return user
