"""/exports: staff generate quarterly exports (as background jobs) and download any of them again."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.db import get_session
from marketplace.exports import bp
from marketplace.exports.service import FORMATS, MIME, creators, partial_as_of, recent
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services import jobs, quarterly
from marketplace.services.quarters import last_completed_quarter, programme_today, quarters_between
from models import ExportRecord, Job


def _listing() -> dict:
    """The generated exports and who made each, for the page."""
    session = get_session()
    exports = recent(session=session)
    return {"exports": exports, "creators": creators(session=session, exports=exports),
            "partial": partial_as_of(exports=exports)}


def _quarters() -> list[str]:
    settings = current_app.config["SETTINGS"]
    return list(reversed(quarters_between(settings.programme_start, min(programme_today(), settings.programme_end))))


@bp.get("/exports")
@staff_required
def index():
    """Generated exports, newest first, and the form to make another."""
    return render("exports/index.html", **_listing(), quarters=_quarters(),
                  default=last_completed_quarter(programme_today()), formats=FORMATS)


@bp.post("/exports")
@staff_required
def create():
    """Start an export job for a quarter and format."""
    quarter, fmt = request.form.get("quarter", ""), request.form.get("format", "xlsx")
    try:
        quarterly.check_quarter(quarter, current_app.config["SETTINGS"], programme_today())
        if fmt not in FORMATS:
            raise ValueError(_("Choose CSV or XLSX."))
    except ValueError as exc:
        flash(exc.localised() if isinstance(exc, quarterly.BadQuarter) else str(exc), "error")
        return render("exports/index.html", status=400, **_listing(),
                      quarters=_quarters(), default=quarter, formats=FORMATS)
    job = jobs.create(session=get_session(), kind="export", actor=current_user.user,
                      params={"quarter": quarter, "fmt": fmt, "actor_id": current_user.id})
    return redirect(url_for("exports.job", job_id=job.id))


@bp.get("/exports/jobs/<int:job_id>")
@staff_required
def job(job_id: int):
    """The export job's status; the fragment refreshes itself until the file is ready."""
    row = get_session().get(Job, job_id)
    if row is None or row.kind != "export":
        abort(404)
    return render("exports/job.html", "exports/_job.html", job=row)


@bp.get("/exports/<int:export_id>/download")
@staff_required
def download(export_id: int):
    """The stored file, byte for byte as generated."""
    export = get_session().get(ExportRecord, export_id) or abort(404)
    return Response(export.content, mimetype=MIME[export.format], headers={
        "Content-Disposition": f"attachment; filename={export.filename}", "X-Content-SHA256": export.sha256})


