"""The problem lifecycle: the only place a problem's status changes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from marketplace.i18n import label
from marketplace.services import Conflict, ServiceError
from marketplace.services.audit import record
from models import Problem, User
from models import ProblemStatus as S
from models.base import utcnow

TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # The owner may take a problem back out of review to change it (it is a draft again).
    S.SUBMITTED: frozenset({S.PUBLISHED, S.REJECTED, S.WITHDRAWN, S.DRAFT}),
    S.REJECTED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.MATCHED, S.WITHDRAWN, S.CLOSED}),
    # An approved match that falls through sends the problem back to the market.
    S.MATCHED: frozenset({S.IN_PROGRESS, S.PUBLISHED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.DELIVERED, S.CLOSED}),
    # The company or staff can send a delivery back for more work.
    S.DELIVERED: frozenset({S.VERIFIED, S.IN_PROGRESS, S.CLOSED}),
    S.VERIFIED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
}

# Statuses the public can see.
PUBLIC_STATUSES = (S.PUBLISHED, S.MATCHED, S.IN_PROGRESS, S.DELIVERED, S.VERIFIED)
# Statuses in which the owner may edit the text.
EDITABLE_STATUSES = (S.DRAFT, S.REJECTED)

_TIMESTAMP = {S.SUBMITTED: "submitted_at", S.PUBLISHED: "published_at",
              S.CLOSED: "closed_at", S.WITHDRAWN: "closed_at"}


class IllegalTransition(ServiceError):
    """The requested status change is not in the lifecycle."""

    def __init__(self, current: S, target: S):
        super().__init__(_l("A problem cannot move from “%(current)s” to “%(target)s”.",
                            current=label(S, current), target=label(S, target)))
        self.current, self.target = current, target


def can_transition(current: S | str, target: S | str) -> bool:
    """Whether the lifecycle allows current → target."""
    return S(target) in TRANSITIONS[S(current)]


def transition(
    *, session: Session, problem: Problem, to: S, actor: User | None,
    reason: str | None = None, at: datetime | None = None,
) -> Problem:
    """Move `problem` to `to`, atomically against concurrent changes, and audit it."""
    current, target = S(problem.status), S(to)
    if not can_transition(current, target):
        raise IllegalTransition(current, target)
    at = at or utcnow()
    values: dict = {"status": target.value, "updated_at": at}
    if target in _TIMESTAMP:
        values[_TIMESTAMP[target]] = at
    if target is S.REJECTED:
        values["rejection_reason"] = reason or ""
    # Compare-and-set on the old status: of two concurrent deciders exactly one wins.
    result = session.execute(
        sa.update(Problem).where(Problem.id == problem.id, Problem.status == current.value)
        .values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.rollback()
        raise Conflict(_l("Someone else changed this problem just now; reload and try again."))
    for key, value in values.items():
        # Already written by the UPDATE above; keep the object in step without dirtying it.
        set_committed_value(problem, key, value)
    record(session=session, actor=actor, action=f"problem.{target.value}", obj_type="problem",
           obj_id=problem.id, at=at, previous=current.value, reason=reason)
    if (current in PUBLIC_STATUSES) != (target in PUBLIC_STATUSES):
        _reindex(session, "problems")   # the public problem index follows the data
    if target in (S.MATCHED, S.DELIVERED, S.VERIFIED, S.CLOSED):
        _reindex(session, "teams")      # a team's free capacity changed
    return problem


def _reindex(session: Session, name: str) -> None:
    from marketplace.services.jobs import request_publish

    request_publish(session=session, name=name)
