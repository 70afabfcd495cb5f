"""The team profile editor: main profile, members and portfolio (each row its own small form)."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.i18n import current_locale
from marketplace.security import team_required
from marketplace.services import ServiceError
from marketplace.services.catalog import team_profile
from marketplace.services.conflicts import declarable, declared
from marketplace.services.teams import (
    PROFILE_FIELDS,
    add_member,
    add_project,
    remove_item,
    update_profile,
)
from marketplace.teams import bp
from marketplace.teams.forms import (
    ConflictForm,
    MemberForm,
    ProfileForm,
    ProjectForm,
    RemoveMemberForm,
    RemoveProjectForm,
)
from matching import taxonomy
from models import PortfolioProject, TeamMember

REMOVE_FORMS = {form.kind: form for form in (RemoveMemberForm, RemoveProjectForm)}


def _skills_text(team) -> str:
    tax = taxonomy.default()
    return ", ".join([tax.label(k, current_locale()) for k in team.skills] + list(team.extra_skills))


def _remove_forms(failed=None):
    """The removal form of each row: fresh, or the one refused unticked, with its message."""
    def form_for(kind: str, item_id: int):
        fresh = REMOVE_FORMS[kind].for_item(item_id, formdata=None)
        return failed if failed is not None and failed.confirm.name == fresh.confirm.name else fresh
    return form_for


def editor_page(profile_form=None, member_form=None, project_form=None, status=200, failed=None,
            conflict_form=None):
    """The editor page, with the form that was refused (if any) and its messages."""
    session = get_session()
    team, members, portfolio = team_profile(session=session, team_id=current_user.team_id)
    if profile_form is None:
        profile_form = ProfileForm(obj=team)
        profile_form.skills.data = _skills_text(team)
    tax = taxonomy.default()
    suggestions = sorted({t.label(current_locale()) for t in tax.terms.values()})
    return render("teams/editor.html", status=status, team=team, members=members,
                  portfolio=portfolio, profile_form=profile_form,
                  member_form=member_form or MemberForm(formdata=None),
                  project_form=project_form or ProjectForm(formdata=None), suggestions=suggestions,
                  remove_form=_remove_forms(failed), conflicts=declared(session=session, team_id=team.id),
                  conflict_form=(conflict_form or ConflictForm(formdata=None)).set_choices(
                      declarable(session=session, team=team)))


@bp.route("/my/team/profile", methods=["GET", "POST"])
@team_required
def edit_profile():
    """Edit the team's public profile."""
    form = ProfileForm()
    if form.validate_on_submit():
        team, _m, _p = team_profile(session=get_session(), team_id=current_user.team_id)
        update_profile(session=get_session(), team=team, actor=current_user.user,
                       fields={k: getattr(form, k).data for k in PROFILE_FIELDS},
                       skills_text=form.skills.data or "")
        flash(_("Profile saved."), "success")
        return redirect(url_for("teams.edit_profile"))
    if form.is_submitted():
        return editor_page(profile_form=form, status=400)
    return editor_page()


@bp.post("/my/team/members")
@team_required
def add_member_view():
    """Add a member."""
    form = MemberForm()
    if not form.validate_on_submit():
        return editor_page(member_form=form, status=400)
    add_member(session=get_session(), team_id=current_user.team_id, actor=current_user.user,
               name=form.name.data, role=form.role.data or "", cert_level=form.cert_level.data)
    flash(_("Member added."), "success")
    return redirect(url_for("teams.edit_profile") + "#members")


@bp.post("/my/team/portfolio")
@team_required
def add_project_view():
    """Add a portfolio project."""
    form = ProjectForm()
    if not form.validate_on_submit():
        return editor_page(project_form=form, status=400)
    try:
        add_project(session=get_session(), team_id=current_user.team_id, actor=current_user.user,
                    title=form.title.data, summary=form.summary.data, sector=form.sector.data,
                    year=form.year.data)
    except ServiceError as exc:
        form.title.errors = [*form.title.errors, str(exc)]
        return editor_page(project_form=form, status=exc.status_code)
    flash(_("Project added."), "success")
    return redirect(url_for("teams.edit_profile") + "#portfolio")


@bp.post("/my/team/members/<int:item_id>/delete")
@team_required
def remove_member(item_id: int):
    """Remove a member of the team (after ticking the box)."""
    return _remove(TeamMember, RemoveMemberForm, item_id, "#members")


@bp.post("/my/team/portfolio/<int:item_id>/delete")
@team_required
def remove_project(item_id: int):
    """Remove a portfolio project (after ticking the box)."""
    return _remove(PortfolioProject, RemoveProjectForm, item_id, "#portfolio")


def _remove(model, form_cls, item_id: int, anchor: str):
    item = get_session().get(model, item_id) or abort(404)
    if item.team_id != current_user.team_id:
        abort(403)
    form = form_cls.for_item(item.id)
    if not form.validate():
        return editor_page(failed=form, status=400)
    remove_item(session=get_session(), item=item, actor=current_user.user)
    flash(_("Removed."), "info")
    return redirect(url_for("teams.edit_profile") + anchor)
