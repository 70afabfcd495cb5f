"""Watching running projects: stalled ones, overdue milestones, deliveries the company has not confirmed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotFound
from marketplace.services.audit import last_times, record
from marketplace.services.bids import company_users, team_users
from marketplace.services.notify import notify
from marketplace.services.quarters import local_date
from models import (
    Match,
    MatchStatus,
    Milestone,
    Problem,
    ProblemStatus,
    ProgressPost,
    Solution,
    Team,
    User,
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
    """Running projects with no progress post by the team (or, without any, no approval) in `days`
    days. The company's messages on the timeline are not the team's progress."""
    now = now or utcnow()
    company_people = select(User.id).where(User.organisation_id.is_not(None))
    last_post = (select(ProgressPost.match_id, sa.func.max(ProgressPost.created_at).label("last"))
                 .where(sa.or_(ProgressPost.author_id.is_(None), ProgressPost.author_id.not_in(company_people)))
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
        quiet = _days_between(last, now)
        if quiet >= days:
            stalled.append(StalledProject(match, problem, team, last, quiet))
    return sorted(stalled, key=lambda s: s.days_quiet, reverse=True)


REMIND_EVERY = timedelta(days=1)


@dataclass
class AwaitingConfirmation:
    solution: Solution
    problem: Problem
    team: Team
    days_waiting: int
    reminded_at: datetime | None
    can_remind: bool = True         # no reminder in the last day


def awaiting_confirmation(*, session: Session, now: datetime | None = None) -> list[AwaitingConfirmation]:
    """Deliveries the company has neither confirmed nor sent back, longest waiting first, with
    when staff last reminded the company."""
    now = now or utcnow()
    rows = session.exec(
        select(Solution, Problem, Team).join(Problem, Problem.id == Solution.problem_id)
        .join(Team, Team.id == Solution.team_id)
        .where(Problem.status == ProblemStatus.DELIVERED, Solution.confirmed_at.is_(None))
        .order_by(Solution.delivered_at)).all()
    reminded = _last_reminders(session, [s.id for s, _, _ in rows])
    return [AwaitingConfirmation(s, p, t, _days_between(_aware(s.delivered_at), now), reminded.get(s.id),
                                 reminded.get(s.id) is None or now - reminded[s.id] >= REMIND_EVERY)
            for s, p, t in rows]


def _last_reminders(session: Session, solution_ids: list[int]) -> dict[int, datetime]:
    return last_times(session=session, action="solution.reminded", obj_type="solution", obj_ids=solution_ids)


def remind_company(*, session: Session, solution_id: int, actor: User, now: datetime | None = None) -> Solution:
    """Staff remind the company to confirm or return a delivery; at most once a day."""
    now = now or utcnow()
    # The solution's row is written first (a no-op update: a row lock in PostgreSQL, the write lock in
    # SQLite), so two staff reminding at once take turns: the second reads the first's reminder below.
    locked = session.execute(sa.update(Solution).where(Solution.id == solution_id).values(id=Solution.id)
                             .execution_options(synchronize_session=False))
    solution = session.get(Solution, solution_id, populate_existing=True) if locked.rowcount == 1 else None
    if solution is None:
        raise NotFound(_l("There is no such delivery."))
    problem = session.get(Problem, solution.problem_id, populate_existing=True)
    if problem.status != ProblemStatus.DELIVERED or solution.confirmed_at is not None:
        raise Conflict(_l("The company has already answered this delivery."))
    last = _last_reminders(session, [solution.id]).get(solution.id)
    if last is not None and now - last < REMIND_EVERY:
        raise Conflict(_l("The company was reminded less than a day ago."))
    people = [u for u in company_users(session, problem.organisation_id) if u.is_active]
    if not people:
        raise Conflict(_l("Nobody speaks for this company on the platform any more; contact it directly."))
    team = session.get(Team, solution.team_id)
    record(session=session, actor=actor, action="solution.reminded", obj_type="solution", obj_id=solution.id,
           at=now, problem_id=problem.id, team_id=team.id)
    notify(session=session, users=people, kind="delivery_reminder",
           params={"team": team.name, "title": problem.title,
                   "day": local_date(_aware(solution.delivered_at)).isoformat()},
           link=f"/projects/{solution.match_id}")
    session.commit()
    return solution


def _days_between(earlier: datetime, later: datetime) -> int:
    """Calendar days in Taiwan, as the page shows the dates (not 24-hour periods in UTC)."""
    return (local_date(later) - local_date(earlier)).days


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
