"""Login sessions, CSRF, rate limits, security headers and role guards."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, redirect, request
from flask_login import UserMixin, current_user, login_required, login_url
from sqlmodel import select

from marketplace.db import get_session
from marketplace.extensions import (
    CONTENT_SECURITY_POLICY,
    csrf,
    limiter,
    login_manager,
    talisman,
)
from marketplace.htmx import is_htmx, redirect_to
from models import LoginSession, User


class CurrentUser(UserMixin):
    """The logged-in user plus the login session that authenticated this request."""

    def __init__(self, user: User, login_session: LoginSession):
        self.user = user
        self.login_session = login_session

    def get_id(self) -> str:
        return self.login_session.token

    @property
    def is_active(self) -> bool:
        return bool(self.user.is_active)

    def __getattr__(self, name):
        return getattr(self.user, name)


@login_manager.user_loader
def _load_user(token: str) -> CurrentUser | None:
    session = get_session()
    row = session.exec(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token == token, LoginSession.revoked_at.is_(None))
    ).first()
    if row is None or not row[1].is_active:
        return None
    return CurrentUser(row[1], row[0])


def init_app(app: Flask) -> None:
    """Initialise CSRF, login, rate limits and headers from the app's settings."""
    settings = app.config["SETTINGS"]
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.unauthorized_handler(_to_login)
    login_manager.session_protection = "basic"
    storage = settings.ratelimit_storage_uri or (
        settings.celery_broker_url if settings.celery_broker_url.startswith("redis") else "memory://"
    )
    app.config["RATELIMIT_STORAGE_URI"] = storage
    # A rate-limit store outage must not lock everyone out of logging in.
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=settings.force_https,
        strict_transport_security=settings.force_https,
        session_cookie_secure=settings.force_https,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )


def _to_login():
    """Signed out: to the login page, then back. An htmx request navigates the whole page there
    (back to the page it came from) instead of swapping the login page into a card."""
    if is_htmx():
        return redirect_to(login_url("auth.login", request.headers.get("HX-Current-URL") or "/"))
    return redirect(login_url("auth.login", request.url))


def roles_required(*roles: str):
    """Guard a view: anonymous users go to login, other roles get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


staff_required = roles_required("staff", "admin")
company_required = roles_required("company")
team_required = roles_required("team")


def acting_user() -> User | None:
    """The User row behind current_user, or None when anonymous."""
    if getattr(current_user, "is_authenticated", False):
        return current_user.user
    return None
