"""Programme progress: verified solutions against the goal, problems per sector against quota."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services.lifecycle import PUBLIC_STATUSES
from marketplace.services.quarters import quarter_of, quarters_between
from marketplace.settings import Settings
from models import Problem, Sector, Solution


@dataclass(frozen=True)
class SectorProgress:
    sector: Sector
    published: int
    solved: int
    target: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.published / self.target)) if self.target else 0


@dataclass(frozen=True)
class Progress:
    verified: int
    goal: int
    sectors: list[SectorProgress]
    # (quarter, verified in the quarter, cumulative)
    quarters: list[tuple[str, int, int]]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.verified / self.goal)) if self.goal else 0


def programme_progress(*, session: Session, settings: Settings, today: date) -> Progress:
    """Live figures for the landing page and the dashboard."""
    # Published so far: a problem published once counts even after it was withdrawn or closed.
    published = dict(session.exec(
        select(Problem.sector, sa.func.count())
        .where(sa.or_(Problem.published_at.is_not(None), Problem.status.in_(PUBLIC_STATUSES)))
        .group_by(Problem.sector)
    ).all())
    solved_rows = session.exec(
        select(Problem.sector, Solution.verified_at)
        .join(Problem, Problem.id == Solution.problem_id)
        .where(Solution.verified_at.is_not(None))
    ).all()
    solved: dict[str, int] = {}
    per_quarter: dict[str, int] = {}
    for sector, verified_at in solved_rows:
        solved[sector] = solved.get(sector, 0) + 1
        per_quarter[quarter_of(verified_at)] = per_quarter.get(quarter_of(verified_at), 0) + 1
    sectors = [
        SectorProgress(s, published.get(s.value, 0), solved.get(s.value, 0),
                       settings.problems_per_sector)
        for s in Sector
    ]
    quarters, total = [], 0
    for label in quarters_between(settings.programme_start, min(today, settings.programme_end)):
        total += per_quarter.get(label, 0)
        quarters.append((label, per_quarter.get(label, 0), total))
    return Progress(len(solved_rows), settings.solutions_goal, sectors, quarters)


@dataclass(frozen=True)
class SectorBreakdown:
    sector: Sector
    posted: int       # every problem ever submitted (as the quarterly export counts them)
    published: int    # open on the market now
    matched: int
    in_progress: int  # running
    delivered: int    # delivered, awaiting the company's confirmation or staff verification
    verified: int
    target: int


def sector_breakdown(*, session: Session, settings: Settings) -> list[SectorBreakdown]:
    """Per sector: problems posted against the quota and how far they got."""
    counts: dict[tuple[str, str], int] = {
        (sector, status): n for sector, status, n in session.exec(
            select(Problem.sector, Problem.status, sa.func.count()).group_by(Problem.sector, Problem.status))
    }
    def count(sector: Sector, *statuses: str) -> int:
        return sum(counts.get((sector.value, st), 0) for st in statuses)

    posted = dict(session.exec(select(Problem.sector, sa.func.count()).where(Problem.submitted_at.is_not(None))
                               .group_by(Problem.sector)).all())
    return [SectorBreakdown(s, posted.get(s.value, 0), count(s, "published"), count(s, "matched"),
                            count(s, "in_progress"), count(s, "delivered"), count(s, "verified"),
                            settings.problems_per_sector) for s in Sector]
