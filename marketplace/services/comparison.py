"""Bids side by side: approach, milestones, price, and each team's record on the platform."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services.audit import last_times
from models import (
    Bid,
    BidStatus,
    Match,
    MatchStatus,
    PortfolioProject,
    Problem,
    Solution,
    Team,
    TeamMember,
)


@dataclass
class BidRow:
    bid: Bid
    team: Team
    members: list[TeamMember]
    verified: int          # solutions of this team verified on the platform
    active: int            # approved projects still running
    portfolio: list[PortfolioProject]
    match: Match | None    # the open match of this bid, if it was selected
    changed_at: datetime | None = None   # when the team last changed its terms, if it did


def team_record(session: Session, team_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Verified solutions and running projects per team."""
    verified = dict(session.exec(
        select(Solution.team_id, sa.func.count()).where(Solution.verified_at.is_not(None),
                                                        Solution.team_id.in_(team_ids))
        .group_by(Solution.team_id)).all())
    active = dict(session.exec(
        select(Match.team_id, sa.func.count()).join(Problem, Problem.id == Match.problem_id)
        .where(Match.status == MatchStatus.APPROVED, Match.team_id.in_(team_ids),
               Problem.status.in_(("matched", "in_progress", "delivered")))
        .group_by(Match.team_id)).all())
    return verified, active


def compare_bids(*, session: Session, problem: Problem) -> list[BidRow]:
    """Every non-withdrawn bid on the problem, shortlisted and cheapest first."""
    pairs = session.exec(select(Bid, Team).join(Team, Team.id == Bid.team_id)
                         .where(Bid.problem_id == problem.id, Bid.status != BidStatus.WITHDRAWN)).all()
    team_ids = [team.id for _, team in pairs]
    verified, active = team_record(session, team_ids)
    members = session.exec(select(TeamMember).where(TeamMember.team_id.in_(team_ids))).all()
    projects = session.exec(select(PortfolioProject).where(PortfolioProject.team_id.in_(team_ids))
                            .order_by(PortfolioProject.year.desc())).all()
    matches = {m.bid_id: m for m in session.exec(select(Match).where(
        Match.problem_id == problem.id, Match.status.in_(("proposed", "approved")))).all()}
    def assigned(bid: Bid, team: Team) -> list[TeamMember]:
        return [m for m in members if m.team_id == team.id
                and (not bid.member_ids or m.id in bid.member_ids)]

    changed = last_times(session=session, action="bid.revised", obj_type="bid", obj_ids=[b.id for b, _ in pairs])
    rows = [BidRow(bid, team, assigned(bid, team),
                   verified.get(team.id, 0), active.get(team.id, 0),
                   [p for p in projects if p.team_id == team.id][:3], matches.get(bid.id), changed.get(bid.id))
            for bid, team in pairs]
    order = {"selected": 0, "shortlisted": 1, "submitted": 2, "declined": 3}
    return sorted(rows, key=lambda r: (order.get(r.bid.status, 4), r.bid.price))

