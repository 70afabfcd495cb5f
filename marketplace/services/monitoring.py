"""Watching running projects: stalled ones and overdue milestones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services.bids import company_users, team_users
from marketplace.services.notify import notify
from models import (
    Match,
    MatchStatus,
    Milestone,
    Problem,
    ProblemStatus,
    ProgressPost,
    Team,
)
from models.base import utcnow

RUNNING = (ProblemStatus.MATCHED, ProblemStatus.IN_PROGRESS)


@dataclass
class StalledProject:
    match: Match
    problem: Problem
    team: Team
    last_activity: datetime
    days_quiet: int


def stalled_projects(*, session: Session, days: int, now: datetime | None = None) -> list[StalledProject]:
    """Running projects with no progress post (or, without any, no approval) in `days` days."""
    now = now or utcnow()
    last_post = (select(ProgressPost.match_id, sa.func.max(ProgressPost.created_at).label("last"))
                 .group_by(ProgressPost.match_id).subquery())
    rows = session.exec(
        select(Match, Problem, Team, last_post.c.last)
        .join(Problem, Problem.id == Match.problem_id).join(Team, Team.id == Match.team_id)
        .outerjoin(last_post, last_post.c.match_id == Match.id)
        .where(Match.status == MatchStatus.APPROVED, Problem.status.in_(RUNNING))
    ).all()
    stalled = []
    for match, problem, team, last in rows:
        # The raw subquery column bypasses the UTC type, so normalise its value here.
        last = _aware(last) if last is not None else match.decided_at or match.created_at
        quiet = (now - last).days
        if quiet >= days:
            stalled.append(StalledProject(match, problem, team, last, quiet))
    return sorted(stalled, key=lambda s: s.days_quiet, reverse=True)


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def remind_overdue_milestones(*, session: Session, today: date | None = None) -> int:
    """Notify team and company once about each open milestone past its due date."""
    today = today or utcnow().date()
    rows = session.exec(
        select(Milestone, Match, Problem).join(Match, Match.id == Milestone.match_id)
        .join(Problem, Problem.id == Match.problem_id)
        .where(Milestone.done_at.is_(None), Milestone.overdue_notified_at.is_(None),
               Milestone.due_date < today, Problem.status.in_(RUNNING))
    ).all()
    for milestone, match, problem in rows:
        milestone.overdue_notified_at = utcnow()
        session.add(milestone)
        notify(session=session, users=team_users(session, match.team_id)
               + company_users(session, problem.organisation_id), kind="milestone_overdue",
               params={"milestone": milestone.title, "title": problem.title},
               link=f"/projects/{match.id}")
    session.commit()
    return len(rows)
