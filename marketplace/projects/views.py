"""A project (an approved match): milestones, progress posts, delivery and confirmation."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select
from wtforms.fields.choices import SelectChoice

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.projects import bp
from marketplace.projects.forms import CloseProjectForm, ConfirmForm, DeliveryForm, MessageForm, ProgressForm
from marketplace.security import company_required, staff_required, team_required
from marketplace.services import ServiceError
from marketplace.services.ending import CLOSABLE, close_project
from marketplace.services.projects import (
    Delivery,
    can_view,
    confirm_delivery,
    deliver,
    post_message,
    post_progress,
)
from models import (
    Match,
    Milestone,
    Organisation,
    Problem,
    ProgressPost,
    Solution,
    Team,
    User,
)
from models.base import utcnow


def _load(match_id: int):
    session = get_session()
    match = session.get(Match, match_id)
    if match is None or match.status != "approved":
        abort(404)
    problem = session.get(Problem, match.problem_id)
    if not can_view(match, problem, current_user.user):
        abort(403)
    return match, problem


def _milestones(match: Match) -> list[Milestone]:
    return list(get_session().exec(select(Milestone).where(Milestone.match_id == match.id)
                                   .order_by(Milestone.position)).all())


def _with_choices(form: ProgressForm, milestones: list[Milestone]) -> ProgressForm:
    form.milestone_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(m.id, m.title) for m in milestones if m.done_at is None]
    return form


def _page(match: Match, problem: Problem, status: int = 200, **forms):
    session = get_session()
    milestones = _milestones(match)
    posts = session.exec(select(ProgressPost, User).outerjoin(User, User.id == ProgressPost.author_id)
                         .where(ProgressPost.match_id == match.id)
                         .order_by(ProgressPost.created_at.desc())).all()
    solution = session.exec(select(Solution).where(Solution.match_id == match.id)).first()
    is_team = current_user.team_id == match.team_id
    is_company = current_user.organisation_id == problem.organisation_id
    if is_team and "progress_form" not in forms:
        forms["progress_form"] = _with_choices(ProgressForm(), milestones)
    forms.setdefault("delivery_form", DeliveryForm(obj=solution) if is_team else None)
    forms.setdefault("confirm_form", ConfirmForm() if is_company else None)
    forms.setdefault("message_form", MessageForm() if is_company else None)
    forms.setdefault("close_form", CloseProjectForm(formdata=None)
                     if current_user.is_staff and problem.status in CLOSABLE else None)
    team, org = session.get(Team, match.team_id), session.get(Organisation, problem.organisation_id)
    return render("projects/detail.html", status=status, match=match, problem=problem,
                  team=team, milestones=milestones, posts=posts, org=org, solution=solution,
                  is_team=is_team, is_company=is_company, today=utcnow().date(),
                  side_of=lambda author: _side(author, team, org), **forms)


def _side(author: User | None, team: Team, org: Organisation) -> str:
    """Who wrote a timeline entry, as the other side reads it: the company, the team or staff."""
    if author is None:
        return ""
    if author.organisation_id == org.id:
        return org.name
    if author.team_id == team.id:
        return team.name
    return _("promotion centre") if author.is_staff else ""


@bp.get("/projects/<int:match_id>")
@login_required
def detail(match_id: int):
    """The project page for the team, the company and staff."""
    return _page(*_load(match_id))


@bp.post("/projects/<int:match_id>/progress")
@team_required
def progress(match_id: int):
    """Post a progress update, optionally closing a milestone."""
    match, problem = _load(match_id)
    form = _with_choices(ProgressForm(), _milestones(match))
    if form.validate_on_submit():
        post_progress(session=get_session(), match_id=match.id, actor=current_user.user,
                      body=form.body.data.strip(), milestone_id=form.milestone_id.data or None,
                      milestone_done=form.milestone_done.data)
        flash(_("Progress posted."), "success")
        return redirect(url_for("projects.detail", match_id=match.id))
    return _page(match, problem, status=400, progress_form=form)


@bp.post("/projects/<int:match_id>/message")
@company_required
def message(match_id: int):
    """The company writes on the project's timeline."""
    match, problem = _load(match_id)
    form = MessageForm()
    if form.validate_on_submit():
        post_message(session=get_session(), match_id=match.id, actor=current_user.user,
                     body=form.body.data.strip())
        flash(_("Your message is on the timeline; the team has been told."), "success")
        return redirect(url_for("projects.detail", match_id=match.id))
    return _page(match, problem, status=400, message_form=form)


@bp.post("/projects/<int:match_id>/deliver")
@team_required
def deliver_view(match_id: int):
    """Mark the project delivered with the solution summary."""
    match, problem = _load(match_id)
    form = DeliveryForm()
    if form.validate_on_submit():
        delivery = Delivery(summary=form.summary.data.strip(), results=form.results.data.strip(),
                            kpi_reached=form.kpi_reached.data.strip(),
                            assets=(form.assets.data or "").strip(), shareable=form.shareable.data)
        try:
            deliver(session=get_session(), match_id=match.id, actor=current_user.user, delivery=delivery)
        except ServiceError as exc:
            form.summary.errors = [*form.summary.errors, str(exc)]
        else:
            flash(_("Delivered. The company will now confirm the solution."), "success")
            return redirect(url_for("projects.detail", match_id=match.id))
    return _page(match, problem, status=400, delivery_form=form)


@bp.post("/projects/<int:match_id>/confirm")
@company_required
def confirm(match_id: int):
    """Confirm the delivery, or send it back with what is missing."""
    match, problem = _load(match_id)
    form = ConfirmForm()
    accept = request.form.get("decision") == "accept"
    if form.validate_on_submit():
        try:
            confirm_delivery(session=get_session(), match_id=match.id, actor=current_user.user,
                             accept=accept, reason=form.reason.data or "", share=form.share.data)
        except ServiceError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
        else:
            flash(_("Delivery confirmed; the promotion centre will verify it.") if accept
                  else _("Sent back to the team."), "success")
            return redirect(url_for("projects.detail", match_id=match.id))
    return _page(match, problem, status=400, confirm_form=form)


@bp.post("/projects/<int:match_id>/close")
@staff_required
def close(match_id: int):
    """Staff close a project that will not be delivered (after ticking the box)."""
    match, problem = _load(match_id)
    form = CloseProjectForm()
    if form.validate_on_submit():
        try:
            close_project(session=get_session(), match_id=match.id, actor=current_user.user,
                          reason=form.reason.data)
        except ServiceError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
            return _page(match, problem, status=exc.status_code, close_form=form)
        flash(_("Project closed. The company and the team have been told."), "info")
        return redirect(url_for("projects.detail", match_id=match.id))
    return _page(match, problem, status=400, close_form=form)
