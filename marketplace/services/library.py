"""Verified solutions that their owners agreed to share, diffused back to the sector."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services.catalog import Page, _like, paginate
from models import Organisation, Problem, Solution, Team


def shared_solutions(*, session: Session, sector: str = "", q: str = "", page: int = 1,
                     per_page: int = 20) -> Page:
    """Verified and shareable solutions with their problem, company and team; `q`'s words (split
    on spaces) must each appear in what the library shows of the problem, the solution, the
    company or the team."""
    stmt = (select(Solution, Problem, Organisation, Team)
            .join(Problem, Problem.id == Solution.problem_id)
            .join(Organisation, Organisation.id == Problem.organisation_id)
            .join(Team, Team.id == Solution.team_id)
            .where(Solution.verified_at.is_not(None), Solution.shareable, Solution.share_approved))
    if sector:
        stmt = stmt.where(Problem.sector == sector)
    # Only what the public can read: the solution's results stay between the two sides and staff.
    searched = (Problem.title, Problem.pain, Problem.outcome, Solution.summary, Solution.kpi_reached,
                Solution.assets, Organisation.name, Team.name, Team.name_en)
    for word in q.split()[:8]:
        pattern = _like(word)
        stmt = stmt.where(sa.or_(*(column.ilike(pattern, escape="\\") for column in searched)))
    return paginate(session=session, stmt=stmt.order_by(Solution.verified_at.desc()), page=page,
                    per_page=per_page)
