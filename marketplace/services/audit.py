"""Append-only audit log of staff decisions and state changes."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

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
