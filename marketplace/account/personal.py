"""Notifications, the account page (name, colleagues) and personal data (download, delete)."""
from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from marketplace.account import bp
from marketplace.account.forms import InviteColleagueForm
from marketplace.auth.forms import NameForm
from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.i18n import current_locale
from marketplace.services import ServiceError, accounts
from marketplace.services.closing import closing_for
from marketplace.services.colleagues import awaiting_password, colleagues, invite
from marketplace.services.notify import mark_all_read, mark_read, recent, unread_count
from marketplace.services.notify import render as render_note
from marketplace.services.privacy import delete_account, export_user_data
from marketplace.urls import safe_next
from models import Role


@bp.app_context_processor
def _unread():
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": unread_count(session=get_session(), user_id=current_user.id)}
    return {"unread_notifications": 0}


@bp.get("/notifications")
@login_required
def notifications():
    """The user's notifications, newest first."""
    notes = recent(session=get_session(), user_id=current_user.id)
    return render("account/notifications.html",
                  notes=[(n, render_note(n.kind, n.params)) for n in notes])


@bp.get("/notifications/<int:note_id>")
@login_required
def open_notification(note_id: int):
    """Follow a notification's link, marking it read (one of someone else's is a 404)."""
    note = mark_read(session=get_session(), user_id=current_user.id, note_id=note_id)
    if note is None:
        abort(404)
    return redirect(safe_next(note.link) or url_for("account.notifications"))


@bp.post("/notifications/read")
@login_required
def read_all():
    """Mark everything read."""
    mark_all_read(session=get_session(), user_id=current_user.id)
    return redirect(url_for("account.notifications"))


@bp.get("/account")
@login_required
def account():
    """Account settings: name and email, password, my data, delete my account (saying what it
    would close)."""
    return _account_page(NameForm(data={"display_name": current_user.user.display_name}))


def _account_page(name_form: NameForm, status: int = 200, invite_form: InviteColleagueForm | None = None):
    user = current_user.user
    people = colleagues(session=get_session(), user=user) if user.role in (Role.COMPANY, Role.TEAM) else None
    waiting = awaiting_password(session=get_session(), users=people) if people else set()
    return render("account/account.html", status=status, name_form=name_form, people=people, waiting=waiting,
                  invite_form=invite_form or InviteColleagueForm(formdata=None),
                  closing=closing_for(session=get_session(), user=user))


@bp.post("/account/colleagues")
@login_required
def invite_colleague():
    """Give a colleague of the same company or team a login of their own (they choose its password)."""
    form = InviteColleagueForm()
    name_form = NameForm(data={"display_name": current_user.user.display_name})
    if current_user.user.role not in (Role.COMPANY, Role.TEAM):
        abort(403)
    if not form.validate_on_submit():
        return _account_page(name_form, 400, form)
    try:
        invite(session=get_session(), actor=current_user.user, email=form.email.data,
               display_name=form.display_name.data, locale=current_locale())
    except ServiceError as exc:
        form.email.errors = [*form.email.errors, str(exc)]
        return _account_page(name_form, exc.status_code, form)
    flash(_("%(email)s has been sent a link to choose a password (valid for two weeks).", email=form.email.data),
          "success")
    return redirect(url_for("account.account", _anchor="colleagues"))


@bp.post("/account/name")
@login_required
def change_name():
    """Change the name shown on my posts and decisions."""
    form = NameForm()
    if not form.validate():
        return _account_page(form, status=400)
    accounts.rename(session=get_session(), user=current_user.user, display_name=form.display_name.data)
    flash(_("Your name has been changed."), "success")
    return redirect(url_for("account.account"))


@bp.get("/account/data.json")
@login_required
def download_data():
    """Download everything the platform keeps about me."""
    data = export_user_data(session=get_session(), user=current_user.user)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=my-data.json"})


@bp.post("/account/delete")
@login_required
def delete():
    """Delete my account (asks for a typed confirmation)."""
    typed = request.form.get("confirm", "").strip().lower()
    if typed != current_user.email.lower():
        flash(_("Type your email address to confirm.") if not typed else
              _("That is not this account's email address; nothing was deleted."), "error")
        return redirect(url_for("account.account"))
    delete_account(session=get_session(), user=current_user.user)
    logout_user()
    flash(_("Your account has been deleted."), "info")
    return redirect(url_for("public.index"))
