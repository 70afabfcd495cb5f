"""Role homes: where a user lands after logging in."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import company_required, team_required
from models import Bid, Organisation, Problem, Team

bp = Blueprint("account", __name__)


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
    """A company's problems with their status."""
    session = get_session()
    org = session.get(Organisation, current_user.organisation_id)
    problems = session.exec(select(Problem).where(Problem.organisation_id == org.id)
                            .order_by(Problem.created_at.desc())).all()
    return render("account/my_problems.html", org=org, problems=problems)


@bp.get("/my/team")
@team_required
def my_team():
    """A team's bids and their status."""
    session = get_session()
    team = session.get(Team, current_user.team_id)
    bids = session.exec(select(Bid, Problem).join(Problem, Problem.id == Bid.problem_id)
                        .where(Bid.team_id == team.id).order_by(Bid.created_at.desc())).all()
    return render("account/my_team.html", team=team, bids=bids)
