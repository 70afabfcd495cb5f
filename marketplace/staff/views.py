"""Staff dashboard: per-sector quota and the 100-solution goal."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, current_app
from sqlmodel import select

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services.progress import programme_progress
from models import Match, MatchStatus, Problem, ProblemStatus, Solution

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required
def dashboard():
    """What needs staff attention and how the programme is doing."""
    session = get_session()
    progress = programme_progress(session=session, settings=current_app.config["SETTINGS"],
                                  today=date.today())
    count = lambda stmt: session.exec(select(sa.func.count()).select_from(stmt.subquery())).one()
    queues = {
        "review": count(select(Problem.id).where(Problem.status == ProblemStatus.SUBMITTED)),
        "matches": count(select(Match.id).where(Match.status == MatchStatus.PROPOSED)),
        "verification": count(select(Solution.id).where(
            Solution.verified_at.is_(None), Solution.confirmed_at.is_not(None))),
    }
    return render("staff/dashboard.html", progress=progress, queues=queues)
