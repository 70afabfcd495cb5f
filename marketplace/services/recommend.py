"""Recommended teams for a problem (sector and skill overlap until the matcher is wired in)."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from models import Bid, Invitation, Problem, Team


@dataclass
class Recommendation:
    team: Team
    score: float
    shared_tags: list[str] = field(default_factory=list)
    invited: bool = False
    bid: bool = False


def teams_for_problem(*, session: Session, problem: Problem, limit: int = 5) -> list[Recommendation]:
    """Teams of the problem's sector, most shared taxonomy tags first."""
    teams = session.exec(select(Team).where(
        sa.cast(Team.sectors, sa.String).like(f'%"{problem.sector}"%'))).all()
    invited = set(session.exec(select(Invitation.team_id).where(Invitation.problem_id == problem.id)).all())
    bidders = set(session.exec(select(Bid.team_id).where(Bid.problem_id == problem.id)).all())
    wanted = set(problem.tags)
    recs = [Recommendation(t, float(len(wanted & set(t.skills))), sorted(wanted & set(t.skills)),
                           t.id in invited, t.id in bidders) for t in teams]
    recs.sort(key=lambda r: (-r.score, r.team.name))
    return recs[:limit]
