"""Verified solutions that their owners agreed to share, diffused back to the sector."""
from __future__ import annotations

from sqlmodel import Session, select

from marketplace.services.catalog import Page, paginate
from models import Organisation, Problem, Solution, Team


def shared_solutions(*, session: Session, sector: str = "", page: int = 1, per_page: int = 20) -> Page:
    """Verified and shareable solutions with their problem, company and team."""
    stmt = (select(Solution, Problem, Organisation, Team)
            .join(Problem, Problem.id == Solution.problem_id)
            .join(Organisation, Organisation.id == Problem.organisation_id)
            .join(Team, Team.id == Solution.team_id)
            .where(Solution.verified_at.is_not(None), Solution.shareable, Solution.share_approved))
    if sector:
        stmt = stmt.where(Problem.sector == sector)
    return paginate(session=session, stmt=stmt.order_by(Solution.verified_at.desc()), page=page,
                    per_page=per_page)
