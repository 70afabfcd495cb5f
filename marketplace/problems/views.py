"""Problem list (with htmx-refreshed rows) and problem detail."""
from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from marketplace.bids.forms import BidForm
from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import acting_user
from marketplace.services import NotAllowed
from marketplace.services.bids import existing_bid
from marketplace.services.catalog import ProblemFilters, get_problem, search_problems
from models import Organisation, ProblemStatus, Sector

bp = Blueprint("problems", __name__)


@bp.get("/problems")
def index():
    """Published problems, filterable by sector and text; the URL carries the filters."""
    sector = request.args.get("sector", "")
    if sector not in {s.value for s in Sector}:
        sector = ""
    filters = ProblemFilters(q=request.args.get("q", "")[:200], sector=sector)
    page = search_problems(session=get_session(), filters=filters,
                           page=request.args.get("page", 1, type=int))
    return render("problems/index.html", "problems/_rows.html", page=page, filters=filters,
                  sectors=list(Sector))


@bp.get("/problems/<int:problem_id>")
def detail(problem_id: int):
    """One problem; owners and staff also see unpublished ones."""
    session = get_session()
    try:
        problem = get_problem(session=session, problem_id=problem_id, viewer=acting_user())
    except NotAllowed:
        abort(404)
    if problem is None:
        abort(404)
    org = session.get(Organisation, problem.organisation_id)
    my_bid = None
    can_bid = False
    if current_user.is_authenticated and current_user.role == "team":
        my_bid = existing_bid(session=session, problem_id=problem.id, team_id=current_user.team_id)
        can_bid = my_bid is None and problem.status == ProblemStatus.PUBLISHED
    return render("problems/detail.html", problem=problem, org=org, my_bid=my_bid,
                  bid_form=BidForm() if can_bid else None)
