"""Bids: a team proposes an approach and a price for a published problem."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, ServiceError
from marketplace.services.audit import record
from models import Bid, BidCreate, BidStatus, Problem, ProblemStatus, Role, User


class AlreadyBid(Conflict):
    """The team already has a bid on this problem."""


def existing_bid(*, session: Session, problem_id: int, team_id: int) -> Bid | None:
    """The team's bid on the problem, if any."""
    return session.exec(
        select(Bid).where(Bid.problem_id == problem_id, Bid.team_id == team_id)
    ).first()


def place_bid(*, session: Session, problem: Problem, bid_in: BidCreate, actor: User) -> Bid:
    """Create the acting team's bid; exactly one per team and problem, even under races."""
    if actor.role != Role.TEAM or actor.team_id is None:
        raise NotAllowed(_l("Only AI talent teams can bid."))
    if problem.status != ProblemStatus.PUBLISHED:
        raise ServiceError(_l("This problem is not open for bids."))
    if existing_bid(session=session, problem_id=problem.id, team_id=actor.team_id):
        raise AlreadyBid(_l("Your team has already bid on this problem."))
    bid = Bid(problem_id=problem.id, team_id=actor.team_id, **bid_in.model_dump())
    session.add(bid)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        # Another request of the same team won the race to the unique constraint.
        session.rollback()
        raise AlreadyBid(_l("Your team has already bid on this problem.")) from exc
    record(session=session, actor=actor, action="bid.submitted", obj_type="bid", obj_id=bid.id,
           problem_id=problem.id, team_id=actor.team_id)
    session.commit()
    return bid


def withdraw_bid(*, session: Session, bid: Bid, actor: User) -> Bid:
    """Withdraw a bid of the actor's own team before a selection is made."""
    if actor.team_id != bid.team_id:
        raise NotAllowed(_l("This bid belongs to another team."))
    if bid.status not in (BidStatus.SUBMITTED, BidStatus.SHORTLISTED):
        raise ServiceError(_l("This bid can no longer be withdrawn."))
    bid.status = BidStatus.WITHDRAWN
    session.add(bid)
    record(session=session, actor=actor, action="bid.withdrawn", obj_type="bid", obj_id=bid.id)
    session.commit()
    return bid
