"""Taking back a selection: the company changes its mind before the promotion centre decides."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import NotAllowed, NotFound
from marketplace.services.audit import record
from marketplace.services.bids import team_users
from marketplace.services.matches import _already_decided
from marketplace.services.notify import notify
from models import AuditEvent, Bid, BidStatus, Match, MatchStatus, Organisation, Problem, User
from models.base import utcnow


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
