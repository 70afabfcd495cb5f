"""Staff review queue: publish or reject submitted problems, one at a time or in bulk."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services.problems import review_problems
from marketplace.services.progress import sector_breakdown
from marketplace.services.staffqueues import review_queue
from marketplace.staff import bp
from marketplace.staff.forms import DecisionForm


def _quota() -> dict:
    """Per sector: problems posted so far against the quota, as the dashboard counts them."""
    settings = current_app.config["SETTINGS"]
    return {s.sector.value: s for s in sector_breakdown(session=get_session(), settings=settings)}


@bp.get("/review")
@staff_required
def review():
    """Submitted problems waiting for a decision."""
    return render("staff/review.html", rows=review_queue(session=get_session()), form=DecisionForm(), quota=_quota())


@bp.post("/review")
@staff_required
def decide_review():
    """Publish or reject the checked problems (a single row's buttons check just that one)."""
    form = DecisionForm()
    ids = [int(i) for i in request.form.getlist("problem_ids") if i.isascii() and i.isdigit() and len(i) < 12]
    publish = request.form.get("decision") == "publish"
    if not form.validate_on_submit() or not ids:
        flash(_("Tick at least one problem."), "error")
        return render("staff/review.html", status=400, rows=review_queue(session=get_session()),
                      form=form, checked=set(ids), quota=_quota())
    from_problem = request.form.get("from_problem") == "1" and len(ids) == 1
    if not publish and not (form.reason.data or "").strip():
        if from_problem:      # the problem page's panel: back to it, with the message (nothing was typed)
            flash(_("Give the company a reason for sending the problem back."), "error")
            return redirect(url_for("problems.detail", problem_id=ids[0]) + "#review-heading")
        form.reason.errors = [_("Give the company a reason for sending the problem back.")]
        return render("staff/review.html", status=400, rows=review_queue(session=get_session()),
                      form=form, checked=set(ids), quota=_quota())
    done, skipped = review_problems(session=get_session(), problem_ids=ids, publish=publish,
                                    actor=current_user.user, reason=form.reason.data or "")
    if done:
        flash((ngettext("%(num)d problem published.", "%(num)d problems published.", len(done))
               if publish else ngettext("%(num)d problem sent back.", "%(num)d problems sent back.",
                                        len(done))), "success")
    for problem, why in skipped:
        flash(f"{problem.title}{_(': ')}{why}", "error")
    return redirect(url_for("staff.review"))
