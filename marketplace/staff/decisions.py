"""Staff decisions: approve or reject matches, verify delivered solutions."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlmodel import select

from marketplace.db import get_session
from marketplace.htmx import is_htmx, render
from marketplace.security import staff_required
from marketplace.services import Conflict, ServiceError
from marketplace.services.comparison import team_record
from marketplace.services.matches import approve_many, decide_match, pending_matches
from marketplace.services.projects import verify_solution
from marketplace.services.selection import was_taken_back
from marketplace.services.staffqueues import verification_queue
from marketplace.staff import bp
from marketplace.staff.forms import DecisionForm
from models import Bid, Match, MatchStatus, Organisation, Problem, Team


def _card(match_id: int, status: int = 200, form: DecisionForm | None = None, notice: str = ""):
    """One match's card (decided, or its form with any error) for an htmx swap. After a decision
    the count of waiting matches comes along out of band, and after an approval the team's other
    waiting cards too: its free capacity changed."""
    session = get_session()
    match = session.get(Match, match_id)
    if match is None:
        if not notice:
            abort(404)
        # Gone meanwhile (the company took its selection back): the card says so in its place.
        return render_template("staff/_match_gone.html", match_id=match_id, notice=notice), status
    team = session.get(Team, match.team_id)
    verified, active = team_record(session, [team.id])
    common = {"team": team, "verified": verified, "active": active, "failed_id": None,
              "form": DecisionForm(formdata=None), "companies": _companies(session)}
    html = render_template("staff/_match_card.html", **{
        **common, "match": match, "problem": session.get(Problem, match.problem_id),
        "bid": session.get(Bid, match.bid_id) if match.bid_id else None,
        "decided": match.status != MatchStatus.PROPOSED, "notice": notice,
        **({"form": form, "failed_id": match_id} if form is not None else {})})
    if match.status != MatchStatus.PROPOSED:
        waiting = pending_matches(session=session)
        html += render_template("staff/_pending_summary.html", pending=len(waiting), oob=True)
        for other, problem, _team, bid in waiting if match.status == MatchStatus.APPROVED else []:
            if other.team_id == team.id:
                html += render_template("staff/_match_card.html", **common, match=other, problem=problem,
                                        bid=bid, decided=False, oob=True)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _companies(session) -> dict[int, Organisation]:
    """The organisations whose problems have a match waiting, by id."""
    ids = {problem.organisation_id for _m, problem, _t, _b in pending_matches(session=session)}
    return {o.id: o for o in session.exec(select(Organisation).where(Organisation.id.in_(ids))).all()}


def _matches_page(status: int = 200, form: DecisionForm | None = None, failed_id: int | None = None):
    session = get_session()
    rows = pending_matches(session=session)
    verified, active = team_record(session, [team.id for _m, _p, team, _b in rows])
    return render("staff/matches.html", status=status, rows=rows, verified=verified, active=active,
                  form=form or DecisionForm(formdata=None), failed_id=failed_id, companies=_companies(session))


@bp.get("/matches")
@staff_required
def matches():
    """Proposed matches waiting for approval, with each team's load and record."""
    return _matches_page()


@bp.post("/matches/<int:match_id>/decide")
@staff_required
def decide_match_view(match_id: int):
    """Approve or reject one match; if someone else decided first, say who."""
    if get_session().get(Match, match_id) is None and not was_taken_back(get_session(), match_id):
        abort(404)
    form = DecisionForm()
    approve = request.form.get("decision") == "approve"
    if not form.validate_on_submit():
        return _card(match_id, 400, form) if is_htmx() else _matches_page(400, form, match_id)
    try:
        decide_match(session=get_session(), match_id=match_id, approve=approve,
                     actor=current_user.user, reason=form.reason.data or "")
    except Conflict as exc:
        if is_htmx():
            return _card(match_id, 409, notice=str(exc))       # decided by someone else: say who
        flash(str(exc), "error")
        return _matches_page(409)
    except ServiceError as exc:
        form.reason.errors = [str(exc)]
        return _card(match_id, 400, form) if is_htmx() else _matches_page(400, form, match_id)
    if is_htmx():
        return _card(match_id)
    flash(_("Match approved.") if approve else _("Match rejected."), "success")
    return redirect(url_for("staff.matches"))


@bp.post("/matches/approve")
@staff_required
def approve_matches():
    """Approve the ticked matches in one action (each approval audited)."""
    ids = [int(i) for i in request.form.getlist("match_ids") if i.isdigit()]
    if not ids:
        flash(_("Tick at least one match to approve."), "error")
        return redirect(url_for("staff.matches"))
    done, skipped = approve_many(session=get_session(), match_ids=ids, actor=current_user.user)
    if done:
        flash(ngettext("%(num)d match approved.", "%(num)d matches approved.", done), "success")
    for line in skipped:
        flash(line, "error")
    return redirect(url_for("staff.matches"))


@bp.get("/verification")
@staff_required
def verification():
    """Confirmed deliveries waiting for verification."""
    return render("staff/verification.html", rows=verification_queue(session=get_session()))


@bp.post("/solutions/<int:solution_id>/verify")
@staff_required
def verify(solution_id: int):
    """Verify a solution: it now counts toward the goal (after staff tick that they checked it)."""
    if not request.form.get("checked"):
        flash(_("Tick the box to confirm you checked the delivery. Nothing was verified."), "error")
        return redirect(url_for("staff.verification"))
    verify_solution(session=get_session(), solution_id=solution_id, actor=current_user.user)
    flash(_("Solution verified; it now counts toward the goal."), "success")
    return redirect(url_for("staff.verification"))
