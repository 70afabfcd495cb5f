"""Verified solutions that their owners agreed to share, diffused back to the sector."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services.catalog import Page, _like, paginate
from models import Organisation, Problem, Solution, Team


def shared_solutions(*, session: Session, sector: str = "", q: str = "", page: int = 1,
                     per_page: int = 20, ranked_ids: list[int] | None = None) -> Page:
    """Verified and shareable solutions with their problem, company and team, newest first.

    A search `q` keeps a solution whose problem the hybrid search ranked (`ranked_ids`: both
    languages, skills and meaning), best first, or whose shown texts hold each of `q`'s words
    (split on spaces) as typed: a team's or company's name, the solution's summary."""
    stmt = (select(Solution, Problem, Organisation, Team)
            .join(Problem, Problem.id == Solution.problem_id)
            .join(Organisation, Organisation.id == Problem.organisation_id)
            .join(Team, Team.id == Solution.team_id)
            .where(Solution.verified_at.is_not(None), Solution.shareable, Solution.share_approved))
    if sector:
        stmt = stmt.where(Problem.sector == sector)
    order = [Solution.verified_at.desc()]
    if q.strip():
        # Only what the public can read: the solution's results stay between the two sides and staff.
        searched = (Problem.title, Problem.pain, Problem.outcome, Solution.summary, Solution.kpi_reached,
                    Solution.assets, Organisation.name, Team.name, Team.name_en)
        literal = sa.and_(*(sa.or_(*(column.ilike(_like(word), escape="\\") for column in searched))
                            for word in q.split()[:8]))
        ranked = ranked_ids or []
        stmt = stmt.where(sa.or_(Problem.id.in_(ranked or [-1]), literal))
        if ranked:
            order.insert(0, sa.case({pid: i for i, pid in enumerate(ranked)}, value=Problem.id, else_=len(ranked)))
    return paginate(session=session, stmt=stmt.order_by(*order), page=page, per_page=per_page)
