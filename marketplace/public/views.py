"""Public pages: landing with live progress, /healthz, language switch."""
from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user

from marketplace.db import get_session
from marketplace.health import health_report
from marketplace.htmx import render
from marketplace.i18n import LOCALES
from marketplace.public import bp
from marketplace.services.progress import programme_progress
from marketplace.urls import safe_next


@bp.get("/")
def index():
    """Landing page: verified solutions against the goal, problems per sector against quota."""
    progress = programme_progress(session=get_session(), settings=current_app.config["SETTINGS"],
                                  today=date.today())
    return render("public/index.html", progress=progress)


@bp.get("/healthz")
def healthz():
    """Database, broker and index states; 503 when the database is unreachable."""
    report = health_report(current_app)
    return jsonify(report), (200 if report["database"] == "ok" else 503)


@bp.post("/lang/<code>")
def set_language(code: str):
    """Switch the UI language and go back where the user was."""
    if code in LOCALES:
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.user.locale = code
            get_session().add(current_user.user)
            get_session().commit()
    return redirect(safe_next(request.args.get("next")) or url_for("public.index"))
