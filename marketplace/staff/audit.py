"""The audit log page: every staff decision and state change, filterable."""
from __future__ import annotations

from flask import request

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services.staffqueues import AuditFilters, audit_actions, audit_log
from marketplace.staff import bp
from marketplace.staff.forms import AuditFilterForm


@bp.get("/audit")
@staff_required
def audit():
    """Filter by actor, action and date; the filters live in the URL."""
    form = AuditFilterForm(request.args)
    valid = form.validate()
    filters = AuditFilters(
        actor=form.actor.data or "", action=form.action.data or "",
        since=form.since.data if valid else None, until=form.until.data if valid else None)
    page = audit_log(session=get_session(), filters=filters,
                     page=request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render("staff/audit.html", "staff/_audit_rows.html", status=200 if valid else 400,
                  form=form, page=page, args=args, actions=audit_actions(session=get_session()))
