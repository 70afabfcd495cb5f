"""What waits for staff: submitted problems, confirmed solutions, the audit trail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from marketplace.services.audit import actions_named
from marketplace.services.catalog import Page, paginate
from marketplace.services.quarters import PROGRAMME_TZ
from models import (
    AuditEvent,
    Organisation,
    Problem,
    ProblemStatus,
    Solution,
    Team,
    User,
)


def review_queue(*, session: Session) -> list[tuple[Problem, Organisation]]:
    """Submitted problems, oldest first."""
    return list(session.exec(
        select(Problem, Organisation).join(Organisation, Organisation.id == Problem.organisation_id)
        .where(Problem.status == ProblemStatus.SUBMITTED).order_by(Problem.submitted_at)).all())


def verification_queue(*, session: Session) -> list[tuple[Solution, Problem, Team]]:
    """Delivered solutions the company confirmed and staff have not verified yet."""
    return list(session.exec(
        select(Solution, Problem, Team).join(Problem, Problem.id == Solution.problem_id)
        .join(Team, Team.id == Solution.team_id)
        .where(Solution.confirmed_at.is_not(None), Solution.verified_at.is_(None),
               Problem.status == ProblemStatus.DELIVERED)
        .order_by(Solution.confirmed_at)).all())


@dataclass
class AuditFilters:
    actor: str = ""      # part of a name or email
    action: str = ""     # e.g. "match.approved", a prefix such as "match.", or part of a readable name
    since: date | None = None
    until: date | None = None


def audit_log(*, session: Session, filters: AuditFilters, page: int = 1, per_page: int = 50) -> Page:
    """Audit events, newest first, filtered by actor, action and date range (inclusive)."""
    stmt = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
    if filters.actor.strip():
        pattern = f"%{filters.actor.strip().lower()}%"
        stmt = stmt.where((User.email.ilike(pattern)) | (User.display_name.ilike(pattern)))
    if filters.action.strip():
        typed = filters.action.strip()
        stmt = stmt.where(AuditEvent.action.startswith(typed) | AuditEvent.action.in_(actions_named(typed)))
    if filters.since and filters.since.year > 1:
        stmt = stmt.where(AuditEvent.created_at >= _start(filters.since))
    if filters.until and filters.until < date.max:
        stmt = stmt.where(AuditEvent.created_at < _start(filters.until + timedelta(days=1)))
    stmt = stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return paginate(session=session, stmt=stmt, page=page, per_page=per_page)


def _start(day: date) -> datetime:
    """Midnight in Taiwan, where the programme's days run (as in the quarterly exports), in UTC."""
    return datetime.combine(day, time(0), tzinfo=PROGRAMME_TZ).astimezone(UTC)


def audit_actions(*, session: Session) -> list[str]:
    """Every action name that occurs, for the filter's choices."""
    return sorted(set(session.exec(select(AuditEvent.action).distinct()).all()))
