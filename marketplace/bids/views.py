"""Placing a bid; the answer is a page, or the bid panel fragment for htmx."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.bids.forms import BidForm
from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import team_required
from marketplace.services import ServiceError
from marketplace.services.bids import existing_bid, place_bid
from models import BidCreate, Organisation, Problem, ProblemStatus

bp = Blueprint("bids", __name__)


@bp.post("/problems/<int:problem_id>/bids")
@team_required
def create(problem_id: int):
    """Submit the acting team's bid on a published problem."""
    session = get_session()
    problem = session.get(Problem, problem_id)
    if problem is None:
        abort(404)
    form = BidForm()
    status, notice = 400, None
    if form.validate_on_submit():
        bid_in = BidCreate(approach=form.approach.data, price=form.price.data,
                           timeline_months=form.timeline_months.data)
        try:
            place_bid(session=session, problem=problem, bid_in=bid_in, actor=current_user.user)
        except ServiceError as exc:
            notice, status = str(exc), exc.status_code
        else:
            flash(_("Your bid has been submitted."), "success")
            return redirect(url_for("problems.detail", problem_id=problem.id))
    my_bid = existing_bid(session=session, problem_id=problem.id, team_id=current_user.team_id)
    org = session.get(Organisation, problem.organisation_id)
    can_bid = my_bid is None and problem.status == ProblemStatus.PUBLISHED
    return render("problems/detail.html", "bids/_panel.html", status=status, problem=problem,
                  org=org, my_bid=my_bid, bid_form=form if can_bid else None, notice=notice)
