"""Staff decisions on proposed matches: approve or reject, each exactly once."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from marketplace.i18n import label
from marketplace.services import Conflict, NotAllowed, ServiceError
from marketplace.services.audit import record
from marketplace.services.bids import OPEN_BIDS, close_invitations, company_users, decline_open_bids, team_users
from marketplace.services.comparison import team_record
from marketplace.services.lifecycle import transition
from marketplace.services.notify import notify
from marketplace.services.quarters import programme_today
from models import (
    Bid,
    BidStatus,
    Match,
    MatchStatus,
    Milestone,
    Problem,
    ProblemStatus,
    Team,
    User,
)
from models.base import utcnow


class AlreadyDecided(Conflict):
    """Another staff member decided this match first."""


def ensure_capacity(session: Session, team: Team) -> None:
    """Refuse a new project for a team that closed its account, or whose running projects
    already fill its capacity."""
    if team.closed_at is not None:
        raise ServiceError(_l("%(team)s has closed its account and takes no new work.", team=team.name))
    full = full_load(session, team)
    if full:
        raise ServiceError(_l("%(team)s has no free capacity (%(load)d of %(capacity)d running).",
                              team=team.name, load=full[0], capacity=full[1]))


def full_load(session: Session, team: Team) -> tuple[int, int] | None:
    """(running projects, capacity) when the running projects fill the team's capacity, else None."""
    running = team_record(session, [team.id])[1].get(team.id, 0)
    return (running, team.capacity) if running >= team.capacity else None


def decide_match(*, session: Session, match_id: int, approve: bool, actor: User,
                 reason: str = "") -> Match:
    """Approve or reject a proposed match; of two simultaneous deciders exactly one wins."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only promotion-centre staff decide matches."))
    if not approve and not reason.strip():
        raise ServiceError(_l("Give a reason for not approving the match."))
    pending = session.get(Match, match_id)
    if approve and pending is not None and pending.status == MatchStatus.PROPOSED:
        ensure_capacity(session, session.get(Team, pending.team_id))
    status = MatchStatus.APPROVED if approve else MatchStatus.REJECTED
    now = utcnow()
    values = dict(status=status.value, decided_by_id=actor.id, decided_at=now,
                  decision_reason=reason.strip() or None)
    result = session.execute(
        sa.update(Match).where(Match.id == match_id, Match.status == MatchStatus.PROPOSED.value)
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.rollback()
        raise _already_decided(session, match_id)
    match = session.get(Match, match_id)
    for key, value in values.items():
        set_committed_value(match, key, value)
    problem, team = session.get(Problem, match.problem_id), session.get(Team, match.team_id)
    bid = session.get(Bid, match.bid_id) if match.bid_id else None
    record(session=session, actor=actor, action=f"match.{status.value}", obj_type="match",
           obj_id=match.id, problem_id=problem.id, team_id=team.id, reason=reason.strip() or None)
    if approve:
        transition(session=session, problem=problem, to=ProblemStatus.MATCHED, actor=actor)
        decline_open_bids(session=session, problem=problem, actor=actor, kind="bid_declined", keep_bid_id=match.bid_id)
        close_invitations(session=session, problem=problem, skip_team_id=team.id)
        _milestones_from_bid(session, match, bid, problem)
    elif bid is not None:
        # Back in the company's hands for another choice; a team that closed meanwhile is gone.
        bid.status = BidStatus.WITHDRAWN if team.closed_at else BidStatus.SHORTLISTED
        session.add(bid)
    notify(session=session, users=company_users(session, problem.organisation_id)
           + team_users(session, team.id), kind=f"match_{status.value}",
           params={"team": team.name, "title": problem.title, "reason": reason.strip()},
           link=f"/projects/{match.id}" if approve else f"/problems/{problem.id}")
    session.commit()
    return match


def _already_decided(session: Session, match_id: int) -> ServiceError:
    match = session.get(Match, match_id)
    if match is None:
        from marketplace.services.selection import was_taken_back  # it builds on this module

        return AlreadyDecided(_l("The company took back this selection.")) if was_taken_back(session, match_id) \
            else ServiceError(_l("This match does not exist."))
    decider = session.get(User, match.decided_by_id) if match.decided_by_id else None
    if decider is None:
        return AlreadyDecided(_l("Already closed (%(status)s).", status=label(MatchStatus, match.status)))
    return AlreadyDecided(_l("Already decided by %(name)s (%(status)s).", name=decider.display_name,
                             status=label(MatchStatus, match.status)))


def _open_bid(session: Session, problem_id: int, team_id: int) -> Bid | None:
    """The team's open bid on the problem, if it has one."""
    return session.exec(select(Bid).where(Bid.problem_id == problem_id, Bid.team_id == team_id,
                                          Bid.status.in_(OPEN_BIDS))).first()


def _milestones_from_bid(session: Session, match: Match, bid: Bid | None, problem: Problem) -> None:
    """The bid's milestones; without any, one delivery milestone due when the company's own
    timeline for the problem ends, counted from today."""
    months = problem.timeline_months
    end = (programme_today() + relativedelta(months=months)).isoformat() if months else None
    planned = (bid.milestones if bid else None) or [{"title": "交付 Delivery", "due": end}]
    for position, item in enumerate(planned):
        due = date.fromisoformat(item["due"]) if item.get("due") else None
        session.add(Milestone(match_id=match.id, position=position, title=item["title"][:200],
                              due_date=due))


def pending_matches(*, session: Session) -> list[tuple[Match, Problem, Team, Bid | None]]:
    """Proposed matches, oldest first, for the approval queue."""
    rows = session.exec(
        select(Match, Problem, Team, Bid).join(Problem, Problem.id == Match.problem_id)
        .join(Team, Team.id == Match.team_id).outerjoin(Bid, Bid.id == Match.bid_id)
        .where(Match.status == MatchStatus.PROPOSED, Problem.status == ProblemStatus.PUBLISHED)
        .order_by(Match.created_at)
    ).all()
    return list(rows)


def approve_many(*, session: Session, match_ids: list[int], actor: User) -> tuple[int, list[str]]:
    """Approve several proposed matches at once, each audited as one decision; a match whose team
    has no free capacity left (counting this batch) stays waiting. Returns (done, problems)."""
    titles = dict(session.exec(select(Match.id, Problem.title).join(Problem, Problem.id == Match.problem_id)
                               .where(Match.id.in_(match_ids))).all())
    done, skipped = 0, []
    for match_id in sorted(titles):
        try:
            decide_match(session=session, match_id=match_id, approve=True, actor=actor)
        except ServiceError as exc:
            session.rollback()
            skipped.append(f"{titles[match_id]}{_l(': ')}{exc}")
            continue
        done += 1
    return done, skipped


def approve_direct(*, session: Session, problem: Problem, team: Team, actor: User,
                   score: float | None = None, swapped_from: int | None = None) -> Match:
    """Staff approve a pairing proposed by the assignment solver: audited (with the team it
    replaced when staff swapped it), notified; the team's own open bid, if any, is its terms."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only promotion-centre staff decide matches."))
    ensure_capacity(session, team)
    now = utcnow()
    # A team that bid on the problem works on its own terms: its price, timeline and milestones.
    bid = _open_bid(session, problem.id, team.id)
    match = Match(problem_id=problem.id, team_id=team.id, status=MatchStatus.APPROVED, score=score,
                  bid_id=bid.id if bid else None, proposed_by_id=actor.id, decided_by_id=actor.id,
                  decided_at=now)
    session.add(match)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise Conflict(_l("This problem already has a match.")) from exc
    if bid is not None:
        bid.status = BidStatus.SELECTED
        session.add(bid)
    transition(session=session, problem=problem, to=ProblemStatus.MATCHED, actor=actor)
    decline_open_bids(session=session, problem=problem, actor=actor, kind="bid_declined", keep_bid_id=match.bid_id)
    close_invitations(session=session, problem=problem, skip_team_id=team.id)
    _milestones_from_bid(session, match, bid, problem)
    record(session=session, actor=actor, action="match.approved", obj_type="match", obj_id=match.id,
           problem_id=problem.id, team_id=team.id, via="assignment", score=score, swapped_from=swapped_from)
    notify(session=session, users=company_users(session, problem.organisation_id)
           + team_users(session, team.id), kind="match_approved",
           params={"team": team.name, "title": problem.title, "reason": ""},
           link=f"/projects/{match.id}")
    session.commit()
    return match
