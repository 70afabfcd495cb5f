"""Bids: a team places or withdraws one; the company shortlists and selects."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.bids import bp
from marketplace.bids.forms import SelectBidForm, WithdrawBidForm
from marketplace.db import get_session
from marketplace.htmx import redirect_to, render
from marketplace.problems.manage import bids_page
from marketplace.problems.views import bid_form_for, detail_context
from marketplace.security import company_required, team_required
from marketplace.services import NotAllowed, ServiceError
from marketplace.services.bids import (
    OPEN_BIDS,
    REVISABLE,
    existing_bid,
    place_bid,
    revise_bid,
    withdraw_bid,
)
from marketplace.services.catalog import get_problem
from marketplace.services.matches import full_load
from marketplace.services.selection import select_bid, shortlist_bid, take_back_selection
from models import Bid, BidStatus, Match, Organisation, Problem, ProblemStatus, Team


@bp.post("/problems/<int:problem_id>/bids")
@team_required
def create(problem_id: int):
    """Submit the acting team's bid on a published problem."""
    session = get_session()
    try:
        problem = get_problem(session=session, problem_id=problem_id, viewer=current_user.user)
    except NotAllowed:
        abort(404)
    if problem is None:
        abort(404)
    form = bid_form_for(current_user.team_id, formdata=request.form)
    status, notice = 400, None
    if form.validate():
        try:
            place_bid(session=session, problem=problem, bid_in=form.to_model(), actor=current_user.user)
        except ServiceError as exc:
            notice, status = str(exc), exc.status_code
        else:
            flash(_("Your bid has been submitted."), "success")
            return redirect_to(url_for("problems.detail", problem_id=problem.id))
    my_bid = existing_bid(session=session, problem_id=problem.id, team_id=current_user.team_id)
    can_bid = my_bid is None and problem.status == ProblemStatus.PUBLISHED
    return render("problems/detail.html", "bids/_panel.html", status=status, problem=problem,
                  org=session.get(Organisation, problem.organisation_id), my_bid=my_bid,
                  bid_form=form if can_bid else None, notice=notice, owner=False,
                  recommendations=[], invited=False,
                  withdraw_form=WithdrawBidForm(formdata=None) if my_bid else None,
                  team_full=full_load(session, session.get(Team, current_user.team_id)) if can_bid else None)


@bp.post("/bids/<int:bid_id>")
@team_required
def revise(bid_id: int):
    """Change the team's open bid, or bid again after withdrawing it."""
    session = get_session()
    bid = _bid_or_404(bid_id)
    if bid.team_id != current_user.team_id:
        abort(403)
    problem = session.get(Problem, bid.problem_id)
    form = bid_form_for(current_user.team_id, formdata=request.form)
    status, notice = 400, None
    if form.validate():
        reopened = bid.status == BidStatus.WITHDRAWN
        try:
            revise_bid(session=session, bid=bid, bid_in=form.to_model(), actor=current_user.user)
        except ServiceError as exc:
            notice, status = str(exc), exc.status_code
            session.refresh(bid)
        else:
            flash(_("Your bid has been submitted.") if reopened else _("Your bid has been updated."), "success")
            return redirect_to(url_for("problems.detail", problem_id=problem.id))
    return render("problems/detail.html", "bids/_panel.html", status=status,
                  **detail_context(problem, bid_form=form if bid.status in REVISABLE else None, notice=notice,
                                   edit_open=True))


def _bid_or_404(bid_id: int) -> Bid:
    return get_session().get(Bid, bid_id) or abort(404)


@bp.post("/bids/<int:bid_id>/withdraw")
@team_required
def withdraw(bid_id: int):
    """Withdraw the team's own bid before a selection."""
    bid = _bid_or_404(bid_id)
    if bid.team_id != current_user.team_id:
        abort(403)
    form = WithdrawBidForm()
    # A bid past withdrawal goes straight to the service, which says why it is refused.
    if bid.status in OPEN_BIDS and not form.validate():
        problem = get_session().get(Problem, bid.problem_id)
        return render("problems/detail.html", "bids/_panel.html", status=400,
                      **detail_context(problem, withdraw_form=form))
    withdraw_bid(session=get_session(), bid=bid, actor=current_user.user)
    flash(_("Your bid has been withdrawn."), "info")
    return redirect(url_for("problems.detail", problem_id=bid.problem_id))


@bp.post("/bids/<int:bid_id>/shortlist")
@company_required
def shortlist(bid_id: int):
    """Put a bid on the shortlist, or take it off."""
    bid = _bid_or_404(bid_id)
    try:
        on = request.form.get("on", "1") == "1"
        shortlist_bid(session=get_session(), bid=bid, actor=current_user.user, on=on)
    except NotAllowed:
        raise
    except ServiceError as exc:
        return _refused(bid, exc)
    team = get_session().get(Team, bid.team_id)
    flash(_("%(team)s is on your shortlist.", team=team.name) if on
          else _("%(team)s is off your shortlist.", team=team.name), "success")
    # Back at the bid's own card, not the top of a long page.
    return redirect(url_for("problems.bids", problem_id=bid.problem_id, _anchor=f"bid-{bid.id}"))


def _refused(bid: Bid, exc: ServiceError):
    """Back on the comparison, fresh, with why the company's action was refused (its real status)."""
    get_session().rollback()
    flash(str(exc), "error")
    return bids_page(get_session().get(Problem, bid.problem_id), status=exc.status_code)


@bp.post("/bids/<int:bid_id>/select")
@company_required
def select(bid_id: int):
    """Select the winning bid (after ticking the box); staff then approve the match."""
    bid = _bid_or_404(bid_id)
    form = SelectBidForm.for_bid(bid.id)
    # A bid that cannot be selected any more goes straight to the service, which says why.
    if bid.status in OPEN_BIDS and not form.validate():
        return bids_page(get_session().get(Problem, bid.problem_id), status=400, failed=form, failed_id=bid.id)
    try:
        select_bid(session=get_session(), bid=bid, actor=current_user.user, terms=request.form.get("terms"))
    except NotAllowed:
        raise
    except ServiceError as exc:
        return _refused(bid, exc)
    flash(_("Selection sent to the promotion centre for approval."), "success")
    return redirect(url_for("problems.bids", problem_id=bid.problem_id))


@bp.post("/matches/<int:match_id>/take-back")
@company_required
def take_back(match_id: int):
    """Take back a selection the promotion centre has not decided yet; the bid is shortlisted again."""
    try:
        bid = take_back_selection(session=get_session(), match_id=match_id, actor=current_user.user)
    except NotAllowed:
        raise
    except ServiceError as exc:
        match = get_session().get(Match, match_id)
        if match is None:
            raise
        return _refused(get_session().get(Bid, match.bid_id), exc)
    flash(_("Selection taken back. The team is on your shortlist again; you can select a team anew."), "success")
    return redirect(url_for("problems.bids", problem_id=bid.problem_id, _anchor=f"bid-{bid.id}"))
