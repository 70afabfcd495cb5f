"""The audit log page: every staff decision and state change, filterable."""
from __future__ import annotations

from flask import request
from sqlmodel import select

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services.audit import OBJECT_LABELS, action_label
from marketplace.services.staffqueues import AuditFilters, audit_actions, audit_log
from marketplace.staff import bp
from marketplace.staff.forms import AuditFilterForm
from models import Problem, Team


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
                  form=form, page=page, args=args, actions=audit_actions(session=get_session()),
                  action_label=action_label, object_labels=OBJECT_LABELS, **_named(page.items))


def _ids(events, kind: str) -> set[int]:
    ids = {e.object_id for e in events if e.object_type == kind and e.object_id}
    ids |= {e.detail[f"{kind}_id"] for e in events if isinstance(e.detail.get(f"{kind}_id"), int)}
    return ids


def _named(rows) -> dict:
    """Titles of the problems and names of the teams the events on this page mention, so rows
    link to them; ids without a row (deleted since) stay plain numbers."""
    events, session = [event for event, _actor in rows], get_session()
    problem_ids, team_ids = _ids(events, "problem"), _ids(events, "team")
    problems = dict(session.exec(select(Problem.id, Problem.title).where(Problem.id.in_(problem_ids))).all()) \
        if problem_ids else {}
    teams = dict(session.exec(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all()) \
        if team_ids else {}
    return {"problem_titles": problems, "team_names": teams}
