"""Staff decisions: approve or reject matches, verify delivered solutions."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services import Conflict, ServiceError
from marketplace.services.comparison import team_record
from marketplace.services.matches import decide_match, pending_matches
from marketplace.services.projects import verify_solution
from marketplace.services.staffqueues import verification_queue
from marketplace.staff import bp
from marketplace.staff.forms import DecisionForm


def _matches_page(status: int = 200, form: DecisionForm | None = None, failed_id: int | None = None):
    session = get_session()
    rows = pending_matches(session=session)
    verified, active = team_record(session, [team.id for _m, _p, team, _b in rows])
    return render("staff/matches.html", status=status, rows=rows, verified=verified, active=active,
                  form=form or DecisionForm(formdata=None), failed_id=failed_id)


@bp.get("/matches")
@staff_required
def matches():
    """Proposed matches waiting for approval, with each team's load and record."""
    return _matches_page()


@bp.post("/matches/<int:match_id>/decide")
@staff_required
def decide_match_view(match_id: int):
    """Approve or reject one match; if someone else decided first, say who."""
    form = DecisionForm()
    approve = request.form.get("decision") == "approve"
    if not form.validate_on_submit():
        return _matches_page(400, form, match_id)
    try:
        decide_match(session=get_session(), match_id=match_id, approve=approve,
                     actor=current_user.user, reason=form.reason.data or "")
    except Conflict as exc:
        flash(str(exc), "error")
        return _matches_page(409)
    except ServiceError as exc:
        form.reason.errors = [str(exc)]
        return _matches_page(400, form, match_id)
    flash(_("Match approved.") if approve else _("Match rejected."), "success")
    return redirect(url_for("staff.matches"))


@bp.get("/verification")
@staff_required
def verification():
    """Confirmed deliveries waiting for verification."""
    return render("staff/verification.html", rows=verification_queue(session=get_session()))


@bp.post("/solutions/<int:solution_id>/verify")
@staff_required
def verify(solution_id: int):
    """Verify a solution: it now counts toward the goal."""
    verify_solution(session=get_session(), solution_id=solution_id, actor=current_user.user)
    flash(_("Solution verified; it now counts toward the goal."), "success")
    return redirect(url_for("staff.verification"))
