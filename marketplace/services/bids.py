"""Bids: a team proposes approach, milestones, price; the company shortlists and selects one."""
from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, ServiceError
from marketplace.services.audit import record
from marketplace.services.notify import notify
from models import (
    Bid,
    BidCreate,
    BidStatus,
    Invitation,
    Problem,
    ProblemStatus,
    Role,
    Team,
    TeamConflict,
    TeamMember,
    User,
)
from models.base import utcnow

OPEN_BIDS = (BidStatus.SUBMITTED, BidStatus.SHORTLISTED)


class AlreadyBid(Conflict):
    """The team already has a bid on this problem."""


def terms_of(bid: Bid) -> str:
    """A short fingerprint of a bid's terms, so a selection names the terms the company saw."""
    terms = [bid.approach, bid.price, bid.timeline_months, bid.milestones, bid.member_ids]
    return hashlib.sha256(json.dumps(terms, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:16]


def existing_bid(*, session: Session, problem_id: int, team_id: int) -> Bid | None:
    """The team's bid on the problem, if any."""
    return session.exec(
        select(Bid).where(Bid.problem_id == problem_id, Bid.team_id == team_id)
    ).first()


def company_users(session: Session, organisation_id: int) -> list[User]:
    """Everyone who speaks for an organisation."""
    return list(session.exec(select(User).where(User.organisation_id == organisation_id)).all())


def team_users(session: Session, team_id: int) -> list[User]:
    """Everyone who logs in for a team."""
    return list(session.exec(select(User).where(User.team_id == team_id)).all())


def staff_users(session: Session) -> list[User]:
    """Promotion-centre staff and admins."""
    return list(session.exec(select(User).where(User.role.in_((Role.STAFF, Role.ADMIN)),
                                                User.is_active)).all())


def _check_terms(session: Session, problem: Problem, team_id: int, bid_in: BidCreate) -> None:
    """What a new or changed bid needs: an open problem, no conflict, the team's own members."""
    if problem.status != ProblemStatus.PUBLISHED:
        raise ServiceError(_l("This problem is not open for bids."))
    if has_conflict(session, problem, team_id):
        raise NotAllowed(_l("Your team has a conflict of interest with this organisation."))
    members = set(session.exec(select(TeamMember.id).where(TeamMember.team_id == team_id)).all())
    if not set(bid_in.member_ids) <= members:
        raise NotAllowed(_l("Only members of your own team can be assigned."))


def place_bid(*, session: Session, problem: Problem, bid_in: BidCreate, actor: User) -> Bid:
    """Create the acting team's bid; exactly one per team and problem, even under races."""
    if actor.role != Role.TEAM or actor.team_id is None:
        raise NotAllowed(_l("Only AI talent teams can bid."))
    _check_terms(session, problem, actor.team_id, bid_in)
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
    team = session.get(Team, actor.team_id)
    notify(session=session, users=company_users(session, problem.organisation_id), kind="new_bid",
           params={"team": team.name, "title": problem.title}, link=f"/problems/{problem.id}/bids")
    session.commit()
    return bid


REVISABLE = (*OPEN_BIDS, BidStatus.WITHDRAWN)


def revise_bid(*, session: Session, bid: Bid, bid_in: BidCreate, actor: User) -> Bid:
    """The team changes its open bid, or bids again after withdrawing, while the problem is open.

    An open bid keeps its status (a shortlisting stands) and the company is told what changed; a
    withdrawn one is submitted again. One row per team and problem, as before."""
    if actor.role != Role.TEAM or actor.team_id != bid.team_id:
        raise NotAllowed(_l("This bid belongs to another team."))
    problem = session.get(Problem, bid.problem_id)
    _check_terms(session, problem, actor.team_id, bid_in)
    if bid.status not in REVISABLE:
        raise Conflict(_l("This bid can no longer be changed."))
    before = {k: getattr(bid, k) for k in ("approach", "price", "timeline_months", "milestones", "member_ids")}
    reopened = bid.status == BidStatus.WITHDRAWN
    values = bid_in.model_dump()
    if reopened:
        values["status"] = BidStatus.SUBMITTED.value
    # Guarded on the status read: a bid selected or declined meanwhile is not changed under the company.
    done = session.execute(sa.update(Bid).where(Bid.id == bid.id, Bid.status == BidStatus(bid.status).value)
                           .values(**values, updated_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.rollback()
        raise Conflict(_l("This bid can no longer be changed."))
    for key, value in values.items():
        set_committed_value(bid, key, value)
    changed = sorted(k for k, v in before.items() if v != values[k])
    team = session.get(Team, actor.team_id)
    params = {"team": team.name, "title": problem.title}
    link = f"/problems/{problem.id}/bids"
    if reopened:
        record(session=session, actor=actor, action="bid.resubmitted", obj_type="bid", obj_id=bid.id,
               problem_id=problem.id, team_id=actor.team_id)
        notify(session=session, users=company_users(session, problem.organisation_id), kind="bid_resubmitted",
               params={**params, "price": f"NT${bid.price:,}"}, link=link)
    elif changed:
        record(session=session, actor=actor, action="bid.revised", obj_type="bid", obj_id=bid.id,
               problem_id=problem.id, team_id=actor.team_id, changed=changed)
        notify(session=session, users=company_users(session, problem.organisation_id), kind="bid_revised",
               params={**params, "price": f"NT${bid.price:,}"}, link=link)
    session.commit()
    return bid


def withdraw_bid(*, session: Session, bid: Bid, actor: User) -> Bid:
    """Withdraw a bid of the actor's own team before a selection is made."""
    if actor.team_id != bid.team_id:
        raise NotAllowed(_l("This bid belongs to another team."))
    if not move_bid(session, bid, OPEN_BIDS, BidStatus.WITHDRAWN):
        raise ServiceError(_l("This bid can no longer be withdrawn."))
    record(session=session, actor=actor, action="bid.withdrawn", obj_type="bid", obj_id=bid.id)
    problem, team = session.get(Problem, bid.problem_id), session.get(Team, bid.team_id)
    notify(session=session, users=company_users(session, problem.organisation_id), kind="bid_withdrawn",
           params={"team": team.name, "title": problem.title}, link=f"/problems/{problem.id}/bids")
    session.commit()
    return bid


def move_bid(session: Session, bid: Bid, allowed: tuple, target: BidStatus) -> bool:
    """Change a bid's status only if it is still in `allowed` (no lost update between users)."""
    moved = session.execute(sa.update(Bid).where(Bid.id == bid.id, Bid.status.in_([s.value for s in allowed]))
                            .values(status=target.value, updated_at=utcnow())
                            .execution_options(synchronize_session=False)).rowcount == 1
    if moved:
        set_committed_value(bid, "status", target.value)
    else:
        session.rollback()
    return moved


def has_conflict(session: Session, problem: Problem, team_id: int) -> bool:
    """A team of the problem's own organisation, or one that declared a conflict with it."""
    team = session.get(Team, team_id)
    if team is not None and team.organisation_id and team.organisation_id == problem.organisation_id:
        return True
    return session.get(TeamConflict, (team_id, problem.organisation_id)) is not None


def decline_open_bids(*, session: Session, problem: Problem, actor: User, kind: str,
                      keep_bid_id: int | None = None, statuses: tuple = OPEN_BIDS,
                      reason: str | None = None) -> None:
    """Decline a problem's bids in `statuses` (but `keep_bid_id`), each audited and its team told
    with notification `kind`. Guarded per bid: one withdrawn meanwhile stays withdrawn, untold."""
    for bid in session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.id != (keep_bid_id or 0),
                                              Bid.status.in_(statuses))).all():
        done = session.execute(sa.update(Bid).where(Bid.id == bid.id, Bid.status.in_(statuses))
                               .values(status=BidStatus.DECLINED.value).execution_options(synchronize_session=False))
        if done.rowcount != 1:
            continue
        set_committed_value(bid, "status", BidStatus.DECLINED.value)
        record(session=session, actor=actor, action="bid.declined", obj_type="bid", obj_id=bid.id,
               problem_id=problem.id, team_id=bid.team_id, reason=reason)
        notify(session=session, users=team_users(session, bid.team_id), kind=kind,
               params={"title": problem.title}, link=f"/problems/{problem.id}")


def close_invitations(*, session: Session, problem: Problem, skip_team_id: int | None = None) -> None:
    """Tell the teams invited to bid on a problem that stopped taking bids, and never did bid,
    that it is closed to them (bidders hear it with their bid's news; `skip_team_id` got the work)."""
    bidders = select(Bid.team_id).where(Bid.problem_id == problem.id)
    invited = session.exec(select(Invitation.team_id).where(
        Invitation.problem_id == problem.id, Invitation.team_id.not_in(bidders),
        Invitation.team_id != (skip_team_id or 0))).all()
    for team_id in invited:
        notify(session=session, users=team_users(session, team_id), kind="invitation_closed",
               params={"title": problem.title}, link=f"/problems/{problem.id}")
