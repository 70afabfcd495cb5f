"""Error pages and JSON errors: never a traceback, always a clear message."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, flash, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from marketplace.htmx import is_htmx
from marketplace.services import ServiceError

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz" or (
        request.accept_mimetypes.best == "application/json")


def _respond(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=title, reason=message), status
    if is_htmx():
        # A fragment was expected: a whole error page would land inside the card or list that
        # asked. htmx reloads the page instead (before any swap), which shows the message on top.
        flash(f"{title}{_(': ')}{message}", "error")
        response = make_response("", status)
        response.headers["HX-Refresh"] = "true"
        return response
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures, service refusals and outages."""

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _respond(400, _("Form expired"),
                        _("The form was open too long or came from another site. "
                          "Go back, reload the page and try again."))

    @app.errorhandler(ServiceError)
    def _service(exc):
        return _respond(exc.status_code, _("Not possible"), str(exc))

    @app.errorhandler(OverflowError)
    @app.errorhandler(sa.exc.DataError)
    def _out_of_range(exc):
        return _respond(404, _("Not found"), _("This page does not exist, or is not visible to you."))

    @app.errorhandler(sa.exc.OperationalError)
    def _database_down(exc):
        log.error("database unavailable: %s", exc)
        return _respond(503, _("Service temporarily unavailable"),
                        _("The database cannot be reached right now. Nothing you saved before "
                          "is lost; please try again in a minute."))

    @app.errorhandler(HTTPException)
    def _http(exc):
        known = {
            400: (_("Bad request"), _("The request could not be understood.")),
            403: (_("Forbidden"), _("You do not have permission to see this page.")),
            404: (_("Not found"), _("This page does not exist, or is not visible to you.")),
            405: (_("Not allowed"), _("This action is not available here.")),
            413: (_("Too large"), _("What you sent is too large.")),
            429: (_("Too many requests"),
                  _("Too many attempts. Please wait a minute and try again.")),
        }
        title, message = known.get(exc.code, (exc.name, exc.description or ""))
        return _respond(exc.code or 500, title, message)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error")
        return _respond(500, _("Something went wrong"),
                        _("An unexpected error occurred. It has been logged; please try again."))
