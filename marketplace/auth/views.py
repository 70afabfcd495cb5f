"""Thin views: login, register, logout, change password, reset a forgotten one."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.auth import bp
from marketplace.auth.forms import ForgotPasswordForm, LoginForm, PasswordForm, RegisterForm, ResetPasswordForm
from marketplace.db import get_session
from marketplace.extensions import limiter
from marketplace.htmx import render
from marketplace.i18n import current_locale
from marketplace.security import CurrentUser
from marketplace.services import ServiceError, accounts, passwords
from marketplace.urls import safe_next


def _login_limit() -> str:
    return current_app.config["SETTINGS"].login_rate_limit


def _register_limit() -> str:
    return current_app.config["SETTINGS"].register_rate_limit


def _log_in(user) -> None:
    session = get_session()
    login = accounts.start_login_session(
        session=session, user=user, user_agent=request.headers.get("User-Agent", ""))
    login_user(CurrentUser(user, login))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("account.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(session=get_session(), email=form.email.data,
                                     password=form.password.data)
        if user is not None:
            _log_in(user)
            return redirect(safe_next(request.args.get("next")) or url_for("account.home"))
        form.password.errors.append(_("Email or password is wrong."))
    return render("auth/login.html", form=form, status=400 if form.errors else 200)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    """Register a company or an AI talent team."""
    form = RegisterForm()
    if form.validate_on_submit():
        if form.role.data == "team" and not form.affiliation_type.data:
            form.affiliation_type.errors.append(_("Choose the team's affiliation."))
        else:
            reg = accounts.Registration(
                role=form.role.data, email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, org_or_team_name=form.org_name.data,
                sector=form.sector.data, region=form.region.data, is_sme=form.is_sme.data,
                affiliation_type=form.affiliation_type.data, locale=current_locale())
            try:
                user = accounts.register(session=get_session(), reg=reg)
            except ServiceError as exc:
                form.email.errors.append(str(exc))
            else:
                _log_in(user)
                flash(_("Welcome! Your account is ready."), "success")
                return redirect(url_for("account.home"))
    return render("auth/register.html", form=form, status=400 if form.errors else 200)


@bp.post("/logout")
@login_required
def logout():
    """Revoke this device's login session and log out."""
    accounts.revoke_login_session(session=get_session(), token=current_user.get_id())
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other device is logged out."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            login = accounts.change_password(
                session=get_session(), user=current_user.user, old_password=form.current.data,
                new_password=form.new.data, user_agent=request.headers.get("User-Agent", ""))
        except ServiceError as exc:
            form.current.errors.append(str(exc))
        else:
            login_user(CurrentUser(current_user.user, login))
            flash(_("Password changed. Other devices have been logged out."), "success")
            return redirect(url_for("account.home"))
    return render("auth/password.html", form=form, status=400 if form.errors else 200)


def _typed_address() -> str:
    return "reset:" + request.form.get("email", "").strip().lower()


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_typed_address)
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.request_password_reset(session=get_session(), email=form.email.data)
        flash(_("If %(email)s has an account, a link to reset its password is on its way. It works for an hour.",
                email=form.email.data), "info")
        return redirect(url_for("auth.login"))
    return render("auth/forgot.html", form=form, status=400 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    """Choose a new password through the emailed link."""
    session = get_session()
    try:
        user = passwords.user_for_reset(session=session, token=token)
    except ServiceError as exc:
        flash(str(exc), "error")
        return render("auth/forgot.html", form=ForgotPasswordForm(formdata=None), status=400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(session=session, token=token, new_password=form.new.data)
        except ServiceError as exc:
            form.new.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password has been reset and every device logged out. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render("auth/reset.html", form=form, email=user.email, status=400 if form.errors else 200)
