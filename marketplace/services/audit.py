"""Append-only audit log of staff decisions and state changes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from models import AuditEvent, User


def record(
    *, session: Session, actor: User | None, action: str, obj_type: str, obj_id: int | None,
    at: datetime | None = None, **detail,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None, action=action, object_type=obj_type,
        object_id=obj_id, detail={k: v for k, v in detail.items() if v is not None},
    )
    if at is not None:
        event.created_at = at
    session.add(event)
    return event


# A readable name for every action `record` is called with (tests check none is missing).
ACTION_LABELS = {
    "problem.created": _l("Problem created"),
    "problem.edited": _l("Problem edited"),
    "problem.draft": _l("Problem returned to draft"),
    "problem.submitted": _l("Problem submitted for review"),
    "problem.published": _l("Problem published"),
    "problem.rejected": _l("Problem sent back"),
    "problem.matched": _l("Problem matched"),
    "problem.in_progress": _l("Project under way"),
    "problem.delivered": _l("Solution delivered"),
    "problem.verified": _l("Solution verified"),
    "problem.withdrawn": _l("Problem withdrawn"),
    "problem.closed": _l("Problem closed"),
    "bid.submitted": _l("Bid submitted"),
    "bid.withdrawn": _l("Bid withdrawn"),
    "bid.revised": _l("Bid changed"),
    "bid.resubmitted": _l("Bid submitted again"),
    "progress.message": _l("Company wrote on a project"),
    "solution.reminded": _l("Company reminded to confirm a delivery"),
    "team.closed": _l("Team closed (its last person left)"),
    "organisation.closed": _l("Company closed (its last person left)"),
    "bid.shortlisted": _l("Bid shortlisted"),
    "bid.unshortlisted": _l("Bid taken off the shortlist"),
    "bid.declined": _l("Bid declined (another team chosen)"),
    "match.proposed": _l("Match proposed"),
    "match.approved": _l("Match approved"),
    "match.taken_back": _l("Selection taken back by the company"),
    "match.rejected": _l("Match not approved"),
    "milestone.done": _l("Milestone completed"),
    "progress.posted": _l("Progress posted"),
    "solution.confirmed": _l("Solution confirmed by the company"),
    "user.registered": _l("Account registered"),
    "user.created": _l("Account created"),
    "user.password_changed": _l("Password changed"),
    "user.renamed": _l("Name changed"),
    "user.password_reset_requested": _l("Password reset link sent"),
    "team.conflict_declared": _l("Conflict of interest declared"),
    "team.conflict_withdrawn": _l("Conflict of interest taken back"),
    "user.invited": _l("Colleague invited"),
    "user.invitation_accepted": _l("Invitation accepted (password chosen)"),
    "user.password_reset_unknown": _l("Password reset asked for an address with no account"),
    "user.password_reset": _l("Password reset through an emailed link"),
    "user.deleted": _l("Account deleted"),
    "team.updated": _l("Team profile updated"),
    "team.member_added": _l("Team member added"),
    "team.teammember_removed": _l("Team member removed"),
    "team.project_added": _l("Portfolio project added"),
    "team.portfolioproject_removed": _l("Portfolio project removed"),
    "team.invited": _l("Team invited to bid"),
    "job.assignment.started": _l("Assignment proposal started"),
    "job.rebuild.started": _l("Index rebuild started"),
    "job.export.started": _l("Export started"),
    "export.generated": _l("Report exported"),
    "organisation.updated": _l("Organisation profile updated"),
}

OBJECT_LABELS = {
    "problem": _l("Problem"), "team": _l("Team"), "match": _l("Match"), "bid": _l("Bid"),
    "user": _l("Account"), "job": _l("Background job"), "export": _l("Export"),
    "milestone": _l("Milestone"), "solution": _l("Solution"), "organisation": _l("Organisation"),
}


def last_times(*, session: Session, action: str, obj_type: str, obj_ids: list[int]) -> dict[int, datetime]:
    """Per object: when `action` was last recorded on it (objects without one are left out)."""
    if not obj_ids:
        return {}
    # Typed as the column, so the maximum comes back as an aware UTC datetime on every database.
    latest = sa.type_coerce(sa.func.max(AuditEvent.created_at), AuditEvent.created_at.type)
    return dict(session.exec(select(AuditEvent.object_id, latest)
                             .where(AuditEvent.action == action, AuditEvent.object_type == obj_type,
                                    AuditEvent.object_id.in_(obj_ids))
                             .group_by(AuditEvent.object_id)).all())


def actions_named(text: str) -> list[str]:
    """The actions whose readable name holds `text`, in either language ("核准", "approved")."""
    from flask_babel import force_locale

    wanted, found = text.strip().lower(), set()
    if wanted:
        for locale in ("zh_Hant_TW", "en"):
            with force_locale(locale):
                found |= {action for action, label in ACTION_LABELS.items() if wanted in str(label).lower()}
    return sorted(found)


def action_label(action: str) -> str:
    """The action in the reader's language; an unknown action is shown as recorded."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
