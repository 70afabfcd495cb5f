"""Accounts: registration, password hashing (argon2id), login sessions, staff creation.

Links to choose a password (resets, invitations) are in services/passwords.py."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, ServiceError
from marketplace.services.audit import record
from models import LoginSession, Organisation, Role, Team, User
from models.base import utcnow

# argon2id with the library defaults (t=3, m=64 MiB, p=4) is above OWASP's minimum.
_hasher = PasswordHasher()
DUMMY_HASH = _hasher.hash("timing-equaliser")
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
        verify_password(DUMMY_HASH, password)
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
