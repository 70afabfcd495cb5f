"""A team's declared conflicts of interest: declare one, take one back."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace.db import get_session
from marketplace.security import team_required
from marketplace.services import ServiceError
from marketplace.services.conflicts import declarable, declare, withdraw
from marketplace.teams import bp
from marketplace.teams.editor import editor_page
from marketplace.teams.forms import ConflictForm
from models import Team


@bp.post("/my/team/conflicts")
@team_required
def declare_conflict():
    """Declare an organisation the team must not work for; its open bids there are withdrawn."""
    session = get_session()
    team = session.get(Team, current_user.team_id)
    form = ConflictForm().set_choices(declarable(session=session, team=team))
    if not form.validate_on_submit():
        return editor_page(conflict_form=form, status=400)
    try:
        withdrawn = declare(session=session, team=team, organisation_id=int(form.organisation.data),
                            reason=form.reason.data, actor=current_user.user)
    except ServiceError as exc:
        form.organisation.errors = [*form.organisation.errors, str(exc)]
        return editor_page(conflict_form=form, status=exc.status_code)
    flash(_("Conflict of interest declared. The centre will not propose your team to this organisation."), "success")
    if withdrawn:
        flash(ngettext("%(num)d open bid of your team on its problems was withdrawn.",
                       "%(num)d open bids of your team on its problems were withdrawn.", len(withdrawn)), "info")
    return redirect(url_for("teams.edit_profile") + "#conflicts")


@bp.post("/my/team/conflicts/<int:organisation_id>/delete")
@team_required
def withdraw_conflict(organisation_id: int):
    """Take a declaration back."""
    session = get_session()
    withdraw(session=session, team=session.get(Team, current_user.team_id), organisation_id=organisation_id,
             actor=current_user.user)
    flash(_("Declaration taken back. Your team can bid on this organisation's problems again."), "info")
    return redirect(url_for("teams.edit_profile") + "#conflicts")
