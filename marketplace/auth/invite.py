"""A colleague's invitation: choose a password through the emailed link, then log in."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from marketplace.auth import bp
from marketplace.auth.forms import AcceptInviteForm, ForgotPasswordForm
from marketplace.auth.views import _login_limit
from marketplace.db import get_session
from marketplace.extensions import limiter
from marketplace.htmx import render
from marketplace.services import ServiceError, passwords


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept_invite(token: str):
    """Choose the first password of an account a colleague made."""
    session = get_session()
    try:
        user = passwords.user_for_reset(session=session, token=token, invite=True)
    except ServiceError as exc:
        flash(str(exc), "error")      # expired or used: the forgot-password page sends a fresh link
        return render("auth/forgot.html", form=ForgotPasswordForm(formdata=None), status=400)
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(session=session, token=token, new_password=form.new.data, invite=True)
        except ServiceError as exc:
            form.new.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render("auth/invite.html", form=form, user=user, status=400 if form.errors else 200)
