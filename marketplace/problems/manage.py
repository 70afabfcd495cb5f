"""The company's side of a problem: write, edit, submit, withdraw, invite, compare bids."""
from __future__ import annotations

from uuid import uuid4

from flask import abort, flash, redirect, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.bids.forms import SelectBidForm
from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.problems import bp
from marketplace.problems.forms import ProblemForm, WithdrawProblemForm
from marketplace.problems.views import detail_context
from marketplace.security import company_required, roles_required
from marketplace.services import NotAllowed, ServiceError
from marketplace.services.bids import terms_of
from marketplace.services.comparison import compare_bids
from marketplace.services.lifecycle import EDITABLE_STATUSES, PUBLIC_STATUSES
from marketplace.services.problems import (
    WITHDRAWABLE,
    create_problem,
    recall_problem,
    submit_problem,
    update_problem,
    withdraw_problem,
)
from marketplace.services.teams import invite_team
from marketplace.urls import safe_next
from models import Organisation, Problem, Team


def _problem_or_404(problem_id: int) -> Problem:
    problem = get_session().get(Problem, problem_id)
    if problem is None:
        abort(404)
    return problem


CREATED = "created_problems"        # the session's last new-problem forms → the problem each made


def _own_problem_or_403(problem_id: int) -> Problem:
    """The caller's own problem; another company's is 403 when public, 404 when not (a draft's
    existence is nobody else's business, as its page already says)."""
    problem = _problem_or_404(problem_id)
    if problem.organisation_id != current_user.organisation_id:
        abort(403 if problem.status in PUBLIC_STATUSES else 404)
    return problem


def _save(form: ProblemForm, problem: Problem | None):
    """Validate and save; returns a redirect, or None to re-render the form with its errors."""
    if not form.is_submitted():
        return None
    submit = request.form.get("action") == "submit"
    valid = form.validate()
    # Check completeness even when other fields failed, so every message shows at once.
    complete = form.complete_for_review() if submit else True
    if not (valid and complete):
        return None
    session, actor = get_session(), current_user.user
    if problem is None and (earlier := _created_from(form.once.data)) is not None:
        if earlier.status not in EDITABLE_STATUSES:
            flash(_("This problem was saved already; here it is."), "info")
            return redirect(url_for("problems.detail", problem_id=earlier.id))
        problem = earlier                   # the same form again: save into the problem it made
    try:
        if problem is None:
            problem = create_problem(session=session, problem_in=form.to_model(), owner=actor,
                                     submit=submit)
        else:
            problem = update_problem(session=session, problem=problem, problem_in=form.to_model(),
                                     actor=actor, submit=submit)
    except ServiceError as exc:
        form.title.errors = [*form.title.errors, str(exc)]
        return None
    _remember_created(form.once.data, problem.id)
    flash(_("Submitted for review. The promotion centre will check it shortly.") if submit
          else _("Draft saved."), "success")
    return redirect(url_for("problems.detail", problem_id=problem.id))


def _created_from(once: str | None) -> Problem | None:
    """The caller's own problem that the new-problem form named `once` created, if any."""
    problem_id = flask_session.get(CREATED, {}).get(once or "")
    problem = get_session().get(Problem, problem_id) if problem_id else None
    return problem if problem and problem.organisation_id == current_user.organisation_id else None


def _remember_created(once: str | None, problem_id: int) -> None:
    if once:
        recent = [kv for kv in flask_session.get(CREATED, {}).items() if kv[0] != once][-9:]
        flask_session[CREATED] = {**dict(recent), once: problem_id}


@bp.route("/problems/new", methods=["GET", "POST"])
@company_required
def new():
    """Write a new problem."""
    org = get_session().get(Organisation, current_user.organisation_id)
    form = ProblemForm(data={"sector": org.sector, "language": "zh-TW", "data_sensitivity": "internal",
                             "timeline_months": 6, "once": uuid4().hex})
    return _save(form, None) or render("problems/form.html", form=form, problem=None,
                                       status=400 if form.errors else 200)


@bp.route("/problems/<int:problem_id>/edit", methods=["GET", "POST"])
@company_required
def edit(problem_id: int):
    """Edit a draft or a rejected problem. Opening the editor of any other goes back to its page,
    saying why; a save posted to it anyway is refused by the service, with the form kept."""
    problem = _own_problem_or_403(problem_id)
    if request.method == "GET" and problem.status not in EDITABLE_STATUSES:
        flash(_("Only drafts and rejected problems can be edited. To change a published problem, "
                "withdraw it and post it again, or ask the promotion centre."), "error")
        return redirect(url_for("problems.detail", problem_id=problem.id))
    form = ProblemForm(obj=problem)
    return _save(form, problem) or render("problems/form.html", form=form, problem=problem,
                                          status=400 if form.errors else 200)


@bp.post("/problems/<int:problem_id>/submit")
@company_required
def submit(problem_id: int):
    """Send a complete draft to review."""
    problem = _own_problem_or_403(problem_id)
    form = ProblemForm(obj=problem, formdata=None)
    if not form.complete_for_review():
        # The editor itself, with every missing field marked (its form posts to the editor).
        flash(_("Complete every required field before submitting."), "error")
        return render("problems/form.html", status=400, form=form, problem=problem)
    submit_problem(session=get_session(), problem=problem, actor=current_user.user)
    flash(_("Submitted for review. The promotion centre will check it shortly."), "success")
    return redirect(url_for("problems.detail", problem_id=problem.id))


@bp.post("/problems/<int:problem_id>/recall")
@company_required
def recall(problem_id: int):
    """Take a problem out of review to change it; the editor opens on the draft."""
    problem = _own_problem_or_403(problem_id)
    try:
        recall_problem(session=get_session(), problem=problem, actor=current_user.user)
    except ServiceError as exc:         # the centre decided first, or it was not in review
        flash(str(exc), "error")
        return redirect(url_for("problems.detail", problem_id=problem.id))
    flash(_("The problem is a draft again: change what you need and submit it again."), "success")
    return redirect(url_for("problems.edit", problem_id=problem.id))


@bp.post("/problems/<int:problem_id>/withdraw")
@company_required
def withdraw(problem_id: int):
    """Take a problem off the platform."""
    problem = _own_problem_or_403(problem_id)
    form = WithdrawProblemForm()
    # A problem past withdrawal goes straight to the service, which says why it is refused.
    if problem.status in WITHDRAWABLE and not form.validate():
        return render("problems/detail.html", status=400, **detail_context(problem, withdraw_form=form))
    withdraw_problem(session=get_session(), problem=problem, actor=current_user.user)
    flash(_("The problem has been withdrawn."), "info")
    return redirect(url_for("account.my_problems"))


@bp.post("/problems/<int:problem_id>/invite/<int:team_id>")
@company_required
def invite(problem_id: int, team_id: int):
    """Invite a recommended team to bid."""
    problem = _own_problem_or_403(problem_id)
    team = get_session().get(Team, team_id) or abort(404)
    try:
        invite_team(session=get_session(), problem=problem, team=team, actor=current_user.user)
        flash(_("%(team)s has been invited to bid.", team=team.name), "success")
    except ServiceError as exc:
        flash(str(exc), "error")
    return redirect(safe_next(request.form.get("next")) or url_for("problems.detail", problem_id=problem.id))


@bp.get("/problems/<int:problem_id>/bids")
@roles_required("company", "staff", "admin")
def bids(problem_id: int):
    """Compare the bids on a problem side by side."""
    return bids_page(_problem_or_404(problem_id))


def bids_page(problem, status: int = 200, failed: SelectBidForm | None = None, failed_id: int | None = None):
    """The comparison page (also after a refused shortlist or selection, with its message; `failed`
    is an unticked selection form of bid `failed_id`, shown with its error)."""
    if not current_user.is_staff and problem.organisation_id != current_user.organisation_id:
        abort(403)
    try:
        rows = compare_bids(session=get_session(), problem=problem)
    except NotAllowed:
        abort(403)
    return render("problems/bids.html", status=status, problem=problem, rows=rows, terms_of=terms_of,
                  select_form=lambda bid_id: SelectBidForm.for_bid(bid_id, formdata=None),
                  failed=failed, failed_id=failed_id)
