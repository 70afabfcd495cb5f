"""Accounts: registration, password hashing (argon2id), login sessions, staff creation."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from marketplace.services import Conflict, ServiceError, mailer
from marketplace.services.audit import record
from models import LoginSession, Organisation, Role, Team, User
from models.base import utcnow

# argon2id with the library defaults (t=3, m=64 MiB, p=4) is above OWASP's minimum.
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("timing-equaliser")
MIN_PASSWORD_LENGTH = 10


EMAIL_TAKEN = _l("An account with this email already exists. Log in, or reset the password if it is "
                  "forgotten.")


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash without raising."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively."""
    return email.strip().lower()


def validate_password(password: str) -> None:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(_l("Password must be at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def email_taken(*, session: Session, email: str) -> bool:
    """Whether an account already uses this email."""
    return session.exec(select(User.id).where(User.email == normalise_email(email))).first() is not None


@dataclass(frozen=True)
class Registration:
    """What the registration form collects."""

    role: Role
    email: str
    password: str
    display_name: str
    org_or_team_name: str
    sector: str | None = None
    region: str | None = None
    is_sme: bool = True
    affiliation_type: str | None = None
    locale: str | None = None


def register(*, session: Session, reg: Registration) -> User:
    """Create a company (with its organisation) or a team (with its team) and commit."""
    if reg.role not in (Role.COMPANY, Role.TEAM):
        raise ServiceError(_l("Only companies and teams can register."))
    validate_password(reg.password)
    user = User(
        email=normalise_email(reg.email), display_name=reg.display_name.strip(), role=reg.role,
        password_hash=hash_password(reg.password), consent_at=utcnow(), locale=reg.locale,
    )
    if reg.role == Role.COMPANY:
        org = Organisation(name=reg.org_or_team_name.strip(), sector=reg.sector,
                           region=reg.region, is_sme=reg.is_sme)
        session.add(org)
        session.flush()
        user.organisation_id = org.id
    else:
        team = Team(name=reg.org_or_team_name.strip(), affiliation_type=reg.affiliation_type,
                    region=reg.region or "taipei", sectors=[reg.sector] if reg.sector else [])
        session.add(team)
        session.flush()
        user.team_id = team.id
        from marketplace.services.teams import reindex_teams

        reindex_teams(session)
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise Conflict(EMAIL_TAKEN) from exc
    record(session=session, actor=user, action="user.registered", obj_type="user", obj_id=user.id,
           role=str(reg.role))
    session.commit()
    return user


def create_user(
    *, session: Session, email: str, password: str, role: Role, display_name: str,
    organisation_id: int | None = None, team_id: int | None = None,
) -> User:
    """Create any account (the CLI's way to make staff and admins) and commit."""
    validate_password(password)
    if email_taken(session=session, email=email):
        raise Conflict(EMAIL_TAKEN)
    user = User(
        email=normalise_email(email), display_name=display_name, role=role,
        password_hash=hash_password(password), organisation_id=organisation_id, team_id=team_id,
        consent_at=utcnow(),
    )
    session.add(user)
    session.flush()
    record(session=session, actor=None, action="user.created", obj_type="user", obj_id=user.id,
           role=str(role))
    session.commit()
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work either way)."""
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.commit()
    return user


def start_login_session(*, session: Session, user: User, user_agent: str = "") -> LoginSession:
    """Open a revocable login session for one device and commit."""
    login = LoginSession(token=secrets.token_urlsafe(32), user_id=user.id,
                         user_agent=user_agent[:200], last_seen_at=utcnow())
    session.add(login)
    session.commit()
    return login


def revoke_login_session(*, session: Session, token: str) -> None:
    """Revoke one login session (logout on this device)."""
    session.execute(
        sa.update(LoginSession).where(LoginSession.token == token, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


def revoke_all_login_sessions(*, session: Session, user: User) -> int:
    """Revoke every login session of a user; returns how many were open."""
    result = session.execute(
        sa.update(LoginSession).where(LoginSession.user_id == user.id,
                                      LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()
    return result.rowcount


def rename(*, session: Session, user: User, display_name: str) -> User:
    """Change the name others see on the user's posts and decisions."""
    name = " ".join(display_name.split())
    if not name:
        raise ServiceError(_l("Give your name."))
    if name != user.display_name:
        user.display_name = name[:120]
        session.add(user)
        record(session=session, actor=user, action="user.renamed", obj_type="user", obj_id=user.id)
        session.commit()
    return user


def change_password(
    *, session: Session, user: User, old_password: str, new_password: str, user_agent: str = "",
) -> LoginSession:
    """Change a password, revoke every session, and open a fresh one for this device."""
    if not verify_password(user.password_hash, old_password):
        raise ServiceError(_l("The current password is wrong."))
    if new_password == old_password:
        raise ServiceError(_l("Choose a new password that differs from the current one."))
    validate_password(new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    session.add(user)
    record(session=session, actor=user, action="user.password_changed", obj_type="user",
           obj_id=user.id)
    session.commit()
    revoke_all_login_sessions(session=session, user=user)
    return start_login_session(session=session, user=user, user_agent=user_agent)


# -- forgotten passwords ----------------------------------------------------------------------
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
                                 fingerprint=_digest(user.password_hash if user else _DUMMY_HASH),
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
