"""Role homes, the organisation profile, notifications and personal data."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from marketplace.account import bp
from marketplace.account.forms import OrganisationForm
from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import company_required, team_required
from marketplace.services.organisations import ORGANISATION_FIELDS, update_organisation
from marketplace.services.recommend import problems_for_team, teams_for_problem
from models import Bid, Invitation, Match, Organisation, Problem, ProblemStatus, Team


@bp.get("/me")
@login_required
def home():
    """Send each role to its own page."""
    if current_user.is_staff:
        return redirect(url_for("staff.dashboard"))
    if current_user.role == "company":
        return redirect(url_for("account.my_problems"))
    return redirect(url_for("account.my_team"))


@bp.get("/my/problems")
@company_required
def my_problems():
    """A company's problems with status; published ones get recommended teams to invite."""
    session = get_session()
    org = session.get(Organisation, current_user.organisation_id)
    problems = session.exec(select(Problem).where(Problem.organisation_id == org.id)
                            .order_by(Problem.created_at.desc())).all()
    recommendations = {p.id: teams_for_problem(session=session, problem=p, limit=3)
                       for p in problems if p.status == ProblemStatus.PUBLISHED}
    matches = {m.problem_id: m for m in session.exec(select(Match).where(
        Match.problem_id.in_([p.id for p in problems]), Match.status == "approved")).all()}
    awaiting = set(session.exec(select(Match.problem_id).where(
        Match.problem_id.in_([p.id for p in problems]), Match.status == "proposed")).all())
    return render("account/my_problems.html", org=org, problems=problems,
                  recommendations=recommendations, matches=matches, awaiting=awaiting)


@bp.get("/my/team")
@team_required
def my_team():
    """A team's invitations, bids and projects."""
    session = get_session()
    team = session.get(Team, current_user.team_id)
    bids = session.exec(select(Bid, Problem).join(Problem, Problem.id == Bid.problem_id)
                        .where(Bid.team_id == team.id).order_by(Bid.created_at.desc())).all()
    projects = session.exec(select(Match, Problem).join(Problem, Problem.id == Match.problem_id)
                            .where(Match.team_id == team.id, Match.status == "approved")
                            .order_by(Match.decided_at.desc())).all()
    invitations = session.exec(
        select(Invitation, Problem).join(Problem, Problem.id == Invitation.problem_id)
        .where(Invitation.team_id == team.id, Problem.status == ProblemStatus.PUBLISHED)
        .order_by(Invitation.created_at.desc())).all()
    return render("account/my_team.html", team=team, bids=bids, projects=projects,
                  invitations=invitations, for_you=problems_for_team(session=session, team=team, limit=5))


@bp.route("/my/organisation", methods=["GET", "POST"])
@company_required
def organisation():
    """Edit the organisation profile."""
    session = get_session()
    org = session.get(Organisation, current_user.organisation_id)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        update_organisation(session=session, org=org, actor=current_user.user,
                            fields={k: getattr(form, k).data for k in ORGANISATION_FIELDS})
        flash(_("Organisation profile saved."), "success")
        return redirect(url_for("account.organisation"))
    return render("account/organisation.html", form=form, org=org,
                  status=400 if form.errors else 200)
