"""Read side of problems and teams: filtered, paginated lists and visibility rules."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services import NotAllowed
from marketplace.services.lifecycle import PUBLIC_STATUSES
from models import (
    Organisation,
    PortfolioProject,
    Problem,
    ProblemStatus,
    Team,
    TeamMember,
    User,
)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


# "relevance" is the hybrid ranking of a typed query; without one the list is newest first.
SORTS = ("relevance", "newest", "budget_high", "budget_low", "shortest")


@dataclass
class ProblemFilters:
    q: str = ""
    sector: str = ""
    skill: str = ""
    data_kind: str = ""
    region: str = ""
    language: str = ""
    budget_from: int | None = None   # the problem's budget reaches at least this
    budget_to: int | None = None     # the problem's budget starts at most at this
    sort: str = "relevance"
    statuses: tuple[str, ...] = (ProblemStatus.PUBLISHED.value,)
    places: tuple[str, ...] = ()     # regions named by words of the query (services/places.py)

    def args(self, drop: tuple[str, ...] = ()) -> dict:
        """The filters as URL query arguments (empty ones, and those named in `drop`, left out)."""
        values = {"q": self.q, "sector": self.sector, "skill": self.skill, "data_kind": self.data_kind,
                  "region": self.region, "language": self.language, "budget_from": self.budget_from,
                  "budget_to": self.budget_to, "sort": "" if self.sort == "relevance" else self.sort}
        return {k: v for k, v in values.items() if v not in ("", None) and k not in drop}


def paginate(*, session: Session, stmt, page: int, per_page: int) -> Page:
    """Run a select for one page and count the whole result."""
    total = session.exec(select(sa.func.count()).select_from(stmt.order_by(None).subquery())).one()
    # Past the last page means the last page (a bookmarked page 9 of a list now 2 pages long).
    page = min(max(1, page), max(1, ceil(total / per_page)))
    items = session.exec(stmt.offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(items), total, page, per_page)


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_problems(*, session: Session, filters: ProblemFilters, page: int = 1,
                    per_page: int = 20, ranked_ids: list[int] | None = None) -> Page:
    """Problems matching the filters with their organisations. `ranked_ids` (the hybrid search's
    ranking of a typed query) keeps only those, in that order unless another sort is chosen;
    without it the list is newest first unless another sort is chosen."""
    stmt = (select(Problem, Organisation)
            .join(Organisation, Organisation.id == Problem.organisation_id)
            .where(Problem.status.in_(filters.statuses)))
    for column, value in ((Problem.sector, filters.sector), (Organisation.region, filters.region),
                          (Problem.language, filters.language)):
        if value:
            stmt = stmt.where(column == value)
    if filters.places:
        stmt = stmt.where(Organisation.region.in_(filters.places))
    for column, value in ((Problem.tags, filters.skill), (Problem.data_kinds, filters.data_kind)):
        if value:  # JSON lists of keys; the quotes make the match exact
            stmt = stmt.where(sa.cast(column, sa.String).like(f'%"{value}"%'))
    if filters.budget_from is not None:
        stmt = stmt.where(Problem.budget_max >= filters.budget_from)
    if filters.budget_to is not None:
        stmt = stmt.where(Problem.budget_min <= filters.budget_to)
    if ranked_ids is not None:
        stmt = stmt.where(Problem.id.in_(ranked_ids or [-1]))
        if ranked_ids and filters.sort == "relevance":
            position = sa.case({pid: i for i, pid in enumerate(ranked_ids)}, value=Problem.id)
            return paginate(session=session, stmt=stmt.order_by(position), page=page, per_page=per_page)
    elif filters.q.strip():
        pattern = _like(filters.q.strip())
        stmt = stmt.where(sa.or_(*(col.ilike(pattern, escape="\\") for col in (
            Problem.title, Problem.context, Problem.pain, Problem.outcome, Organisation.name))))
    order = {
        "budget_high": (Problem.budget_max.desc(),), "budget_low": (Problem.budget_min.asc(),),
        "shortest": (Problem.timeline_months.asc(),),
    }.get(filters.sort, ())
    stmt = stmt.order_by(*order, Problem.published_at.desc().nulls_last(), Problem.id.desc())
    return paginate(session=session, stmt=stmt, page=page, per_page=per_page)


def search_teams(*, session: Session, sector: str = "", q: str = "", page: int = 1,
                 per_page: int = 24, ranked_ids: list[int] | None = None, places: tuple[str, ...] = ()) -> Page:
    """Open teams, optionally of one sector or of the regions `places`, by name. `ranked_ids` (the
    hybrid search's ranking of a typed query) keeps only those, in that order; without it a typed
    `q` is matched as text."""
    stmt = select(Team).where(Team.closed_at.is_(None))
    if sector:
        stmt = stmt.where(sa.cast(Team.sectors, sa.String).like(f'%"{sector}"%'))
    if places:
        stmt = stmt.where(Team.region.in_(places))
    if ranked_ids is not None:
        position = sa.case({tid: i for i, tid in enumerate(ranked_ids)}, value=Team.id) if ranked_ids else Team.id
        stmt = stmt.where(Team.id.in_(ranked_ids or [-1]))
        return paginate(session=session, stmt=stmt.order_by(position), page=page, per_page=per_page)
    if q.strip():
        pattern = _like(q.strip())
        stmt = stmt.where(sa.or_(Team.name.ilike(pattern, escape="\\"),
                                 Team.name_en.ilike(pattern, escape="\\"),
                                 Team.description.ilike(pattern, escape="\\")))
    return paginate(session=session, stmt=stmt.order_by(Team.name), page=page, per_page=per_page)


def can_view_problem(problem: Problem, user: User | None) -> bool:
    """Public statuses for everyone; anything else only for the owner and staff."""
    if problem.status in PUBLIC_STATUSES:
        return True
    if user is None:
        return False
    return user.is_staff or (user.organisation_id == problem.organisation_id)


def get_problem(*, session: Session, problem_id: int, viewer: User | None) -> Problem | None:
    """A problem the viewer may see, or None if it does not exist; NotAllowed if hidden."""
    problem = session.get(Problem, problem_id)
    if problem is None:
        return None
    if not can_view_problem(problem, viewer):
        raise NotAllowed("not visible")
    return problem


def team_profile(*, session: Session, team_id: int) -> tuple[Team, list, list] | None:
    """A team with its members and portfolio, or None."""
    team = session.get(Team, team_id)
    if team is None:
        return None
    members = session.exec(select(TeamMember).where(TeamMember.team_id == team_id)
                           .order_by(TeamMember.id)).all()
    portfolio = session.exec(select(PortfolioProject).where(PortfolioProject.team_id == team_id)
                             .order_by(PortfolioProject.year.desc(), PortfolioProject.id)).all()
    return team, list(members), list(portfolio)
