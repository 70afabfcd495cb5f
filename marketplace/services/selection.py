"""The company's choice among bids: shortlist, select one, and take a selection back before the
promotion centre decides."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.services.audit import record
from marketplace.services.bids import OPEN_BIDS, has_conflict, move_bid, staff_users, team_users, terms_of
from marketplace.services.matches import _already_decided, ensure_capacity
from marketplace.services.notify import notify
from models import AuditEvent, Bid, BidStatus, Match, MatchStatus, Organisation, Problem, ProblemStatus, Team, User
from models.base import utcnow


def _company_owns(session: Session, bid: Bid, actor: User) -> Problem:
    problem = session.get(Problem, bid.problem_id)
    if actor.organisation_id is None or problem.organisation_id != actor.organisation_id:
        raise NotAllowed(_l("This bid is on another organisation's problem."))
    return problem


def shortlist_bid(*, session: Session, bid: Bid, actor: User, on: bool = True) -> Bid:
    """The company puts a bid on (or off) its shortlist."""
    _company_owns(session, bid, actor)
    if not move_bid(session, bid, OPEN_BIDS, BidStatus.SHORTLISTED if on else BidStatus.SUBMITTED):
        raise ServiceError(_l("This bid is no longer open."))
    record(session=session, actor=actor, action="bid.shortlisted" if on else "bid.unshortlisted",
           obj_type="bid", obj_id=bid.id)
    session.commit()
    return bid


def select_bid(*, session: Session, bid: Bid, actor: User, terms: str | None = None) -> Match:
    """The company selects one bid: it becomes a proposed match awaiting staff approval.

    `terms` (terms_of the bid as the company's page showed it) refuses a bid the team changed
    since; a team that closed its account, or whose running projects fill its capacity, cannot be
    selected."""
    problem = _company_owns(session, bid, actor)
    if terms is not None and terms != terms_of(bid):
        raise Conflict(_l("The team changed this bid after you opened the page. Read its new terms, then select "
                          "again."))
    if problem.status != ProblemStatus.PUBLISHED:
        raise ServiceError(_l("This bid cannot be selected now."))
    if has_conflict(session, problem, bid.team_id):
        raise NotAllowed(_l("This team has a conflict of interest with your organisation."))
    # A full team (or a closed one) could never be approved: refused here, not at the centre.
    ensure_capacity(session, session.get(Team, bid.team_id))
    if not move_bid(session, bid, OPEN_BIDS, BidStatus.SELECTED):
        raise ServiceError(_l("This bid cannot be selected now."))
    match = Match(problem_id=problem.id, team_id=bid.team_id, bid_id=bid.id,
                  proposed_by_id=actor.id, status=MatchStatus.PROPOSED)
    session.add(match)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise Conflict(_l("A selection for this problem already awaits approval.")) from exc
    record(session=session, actor=actor, action="match.proposed", obj_type="match", obj_id=match.id,
           problem_id=problem.id, team_id=bid.team_id, bid_id=bid.id)
    team, org = session.get(Team, bid.team_id), session.get(Organisation, problem.organisation_id)
    params = {"company": org.name, "team": team.name, "title": problem.title}
    notify(session=session, users=staff_users(session), kind="match_proposed", params=params,
           link="/staff/matches")
    notify(session=session, users=team_users(session, bid.team_id), kind="match_proposed", params=params,
           link=f"/problems/{problem.id}")
    session.commit()
    return match


def take_back_selection(*, session: Session, match_id: int, actor: User) -> Bid:
    """Remove the company's proposed match and put the bid back on its shortlist. Of this and a
    staff decision at the same moment exactly one wins: each changes the match only while it is
    still proposed. The audit log keeps the selection and its taking back."""
    match = session.get(Match, match_id)
    if match is None or match.bid_id is None:
        raise NotFound(_l("This selection does not exist."))
    problem = session.get(Problem, match.problem_id)
    if actor.organisation_id is None or actor.organisation_id != problem.organisation_id:
        raise NotAllowed(_l("This bid is on another organisation's problem."))
    bid_id, team_id = match.bid_id, match.team_id
    gone = session.execute(sa.delete(Match).where(Match.id == match_id, Match.status == MatchStatus.PROPOSED.value)
                           .execution_options(synchronize_session=False)).rowcount == 1
    if not gone:
        session.rollback()
        raise _already_decided(session, match_id)
    session.expunge(match)
    session.execute(sa.update(Bid).where(Bid.id == bid_id, Bid.status == BidStatus.SELECTED.value)
                    .values(status=BidStatus.SHORTLISTED.value, updated_at=utcnow())
                    .execution_options(synchronize_session=False))
    record(session=session, actor=actor, action="match.taken_back", obj_type="match", obj_id=match_id,
           problem_id=problem.id, team_id=team_id, bid_id=bid_id)
    org = session.get(Organisation, problem.organisation_id)
    notify(session=session, users=team_users(session, team_id), kind="selection_taken_back",
           params={"company": org.name, "title": problem.title}, link=f"/problems/{problem.id}")
    session.commit()
    bid = session.get(Bid, bid_id)
    session.refresh(bid)
    return bid


def was_taken_back(session: Session, match_id: int) -> bool:
    """Whether a match that is gone was a selection the company took back (the audit log says)."""
    return session.exec(select(AuditEvent.id).where(AuditEvent.action == "match.taken_back",
                                                    AuditEvent.object_id == match_id)).first() is not None
