"""When the last person of a team or a company deletes their account, what they left open closes."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services.audit import record
from marketplace.services.bids import OPEN_BIDS, company_users, staff_users
from marketplace.services.notify import notify
from marketplace.services.problems import WITHDRAWABLE, withdraw_problem
from marketplace.services.teams import reindex_teams
from models import Bid, BidStatus, Match, MatchStatus, Organisation, Problem, ProblemStatus, Role, Team, User
from models.base import utcnow

CLOSED_REASON = _l("The team closed its account.")
RUNNING = (ProblemStatus.MATCHED, ProblemStatus.IN_PROGRESS, ProblemStatus.DELIVERED)


@dataclass
class Closing:
    """What deleting this account would close: the team or the company, and what it holds open."""

    kind: str                 # "team" or "company"
    name: str
    open_bids: int = 0        # a team's submitted or shortlisted bids
    open_problems: int = 0    # a company's drafts, problems in review and published problems
    running: int = 0          # matches awaiting approval or projects under way: staff decide


def _others(session: Session, user: User, column) -> bool:
    value = getattr(user, column.key)
    return session.exec(select(User.id).where(column == value, User.id != user.id, User.is_active)).first() is not None


def closing_for(*, session: Session, user: User) -> Closing | None:
    """What would close if `user` deleted their account now (None when others remain)."""
    if user.role == Role.TEAM and user.team_id and not _others(session, user, User.team_id):
        team = session.get(Team, user.team_id)
        return Closing("team", team.name, open_bids=len(_open_bids(session, team.id)),
                       running=len(_team_matches(session, team.id)))
    if user.role == Role.COMPANY and user.organisation_id and not _others(session, user, User.organisation_id):
        org = session.get(Organisation, user.organisation_id)
        return Closing("company", org.name, open_problems=len(_problems(session, org.id, WITHDRAWABLE)),
                       running=len(_problems(session, org.id, RUNNING)))
    return None


def close_for(*, session: Session, user: User) -> Closing | None:
    """Close what the leaving `user` was the last person of, in the caller's transaction.

    The team's or organisation's row is written first (a no-op update: a row lock in PostgreSQL, the
    write lock in SQLite, where a SELECT ... FOR UPDATE would lock nothing), so two last members
    leaving at once take turns: the second sees the first gone and closes it."""
    if user.team_id:
        session.execute(sa.update(Team).where(Team.id == user.team_id).values(id=Team.id))
    if user.organisation_id:
        session.execute(sa.update(Organisation).where(Organisation.id == user.organisation_id)
                        .values(id=Organisation.id))
    closing = closing_for(session=session, user=user)
    if closing is None:
        return None
    if closing.kind == "team":
        _close_team(session, session.get(Team, user.team_id), user, closing)
    else:
        _close_company(session, session.get(Organisation, user.organisation_id), user, closing)
    return closing


def _open_bids(session: Session, team_id: int) -> list[Bid]:
    return list(session.exec(select(Bid).where(Bid.team_id == team_id, Bid.status.in_(OPEN_BIDS))).all())


def _team_matches(session: Session, team_id: int) -> list[int]:
    """The team's matches awaiting approval, and approved ones whose project still runs."""
    return list(session.exec(select(Match.id).join(Problem, Problem.id == Match.problem_id).where(
        Match.team_id == team_id,
        (Match.status == MatchStatus.PROPOSED)
        | ((Match.status == MatchStatus.APPROVED) & Problem.status.in_(RUNNING)))).all())


def _problems(session: Session, org_id: int, statuses) -> list[Problem]:
    return list(session.exec(select(Problem).where(Problem.organisation_id == org_id,
                                                   Problem.status.in_(statuses))).all())


def _close_team(session: Session, team: Team, actor: User, closing: Closing) -> None:
    session.execute(sa.update(Team).where(Team.id == team.id).values(closed_at=utcnow()))
    record(session=session, actor=actor, action="team.closed", obj_type="team", obj_id=team.id,
           open_bids=closing.open_bids, running=closing.running)
    for bid in _open_bids(session, team.id):
        done = session.execute(sa.update(Bid).where(Bid.id == bid.id, Bid.status.in_(OPEN_BIDS))
                               .values(status=BidStatus.WITHDRAWN.value, updated_at=utcnow()))
        if done.rowcount != 1:
            continue
        problem = session.get(Problem, bid.problem_id)
        record(session=session, actor=actor, action="bid.withdrawn", obj_type="bid", obj_id=bid.id,
               problem_id=problem.id, team_id=team.id, reason=str(CLOSED_REASON))
        notify(session=session, users=company_users(session, problem.organisation_id), kind="team_closed",
               params={"team": team.name, "title": problem.title}, link=f"/problems/{problem.id}/bids")
    if closing.running:
        notify(session=session, users=staff_users(session), kind="team_closed_staff",
               params={"team": team.name, "n": closing.running}, link="/staff/matches")
    reindex_teams(session)


def _close_company(session: Session, org: Organisation, actor: User, closing: Closing) -> None:
    record(session=session, actor=actor, action="organisation.closed", obj_type="organisation", obj_id=org.id,
           open_problems=closing.open_problems, running=closing.running)
    for problem in _problems(session, org.id, WITHDRAWABLE):
        withdraw_problem(session=session, problem=problem, actor=actor, commit=False)
    if closing.running:
        notify(session=session, users=staff_users(session), kind="company_closed_staff",
               params={"company": org.name, "n": closing.running}, link="/staff")
