"""Staff dashboard and the watch list: stalled projects and deliveries awaiting the company."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from marketplace.db import get_session
from marketplace.health import index_state
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services import ServiceError, jobs
from marketplace.services.monitoring import awaiting_confirmation, remind_company, stalled_projects
from marketplace.services.progress import programme_progress, sector_breakdown
from marketplace.services.staffqueues import review_queue, verification_queue
from marketplace.staff import bp
from models import Job, Match, MatchStatus


@bp.get("/")
@staff_required
def dashboard():
    """What needs staff attention and how the programme is doing."""
    session, settings = get_session(), current_app.config["SETTINGS"]
    queues = {
        "review": len(review_queue(session=session)),
        "matches": session.exec(select(sa.func.count()).select_from(Match)
                                .where(Match.status == MatchStatus.PROPOSED)).one(),
        "verification": len(verification_queue(session=session)),
        "stalled": len(stalled_projects(session=session, days=settings.stalled_days)),
        "awaiting": len(awaiting_confirmation(session=session)),
    }
    return render("staff/dashboard.html", queues=queues,
                  indexes=_readable_indexes(index_state(current_app.extensions["db_engine"])),
                  progress=programme_progress(session=session, settings=settings, today=date.today()),
                  sectors=sector_breakdown(session=session, settings=settings))


def _readable_indexes(state: dict) -> list[dict] | None:
    """The index health for people: translated names and built times as datetimes (shown in the
    display time zone); None before the first build."""
    if state.get("state") != "ready":
        return None
    names = {"problems": _("Problem index"), "teams": _("Team index")}
    return [{"code": code, "name": names.get(code, code), "version": i["version"], "count": i["count"],
             "built_at": datetime.fromisoformat(i["built_at"])} for code, i in state["indexes"].items()]


@bp.get("/stalled")
@staff_required
def stalled():
    """Running projects with no progress post for N days (default from the settings)."""
    default = current_app.config["SETTINGS"].stalled_days
    typed = request.args.get("days", "").strip()
    days = request.args.get("days", default, type=int)
    if typed and not (typed.isdigit() and 1 <= int(typed) <= 365):
        flash(_("“%(typed)s” is not a number of days from 1 to 365; showing %(days)d days.",
                typed=typed, days=default), "error")
        return _watch_list(default, status=400)
    return _watch_list(days)


def _watch_list(days: int, status: int = 200):
    session = get_session()
    return render("staff/stalled.html", status=status, days=days,
                  rows=stalled_projects(session=session, days=days), awaiting=awaiting_confirmation(session=session))


@bp.post("/deliveries/<int:solution_id>/remind")
@staff_required
def remind(solution_id: int):
    """Remind the company to confirm or return a delivery (at most once a day)."""
    try:
        solution = remind_company(session=get_session(), solution_id=solution_id, actor=current_user.user)
    except ServiceError as exc:
        get_session().rollback()
        flash(str(exc), "error")
        return _watch_list(current_app.config["SETTINGS"].stalled_days, status=exc.status_code)
    flash(_("The company has been reminded."), "success")
    return redirect(url_for("staff.stalled", _anchor=f"delivery-{solution.id}"))


@bp.post("/indexes/rebuild")
@staff_required
def rebuild_indexes():
    """Re-embed what changed and publish fresh matching indexes, as a background job."""
    job = jobs.create(session=get_session(), kind="rebuild", params={}, actor=current_user.user)
    return redirect(url_for("staff.job", job_id=job.id))


@bp.get("/jobs/<int:job_id>")
@staff_required
def job(job_id: int):
    """Any background job's status; the fragment refreshes itself while the job runs."""
    row = get_session().get(Job, job_id)
    if row is None:
        abort(404)
    return render("staff/job.html", "staff/_job.html", job=row)
