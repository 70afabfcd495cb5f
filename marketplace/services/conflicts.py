"""Conflicts of interest: organisations a team declares it must not work for, and what follows."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.services.audit import record
from marketplace.services.bids import OPEN_BIDS, company_users
from marketplace.services.notify import notify
from models import Bid, BidStatus, Organisation, Problem, ProblemStatus, Team, TeamConflict, User
from models.base import utcnow

NOT_LISTED = (ProblemStatus.DRAFT, ProblemStatus.SUBMITTED, ProblemStatus.REJECTED)


def declared(*, session: Session, team_id: int) -> list[tuple[TeamConflict, Organisation]]:
    """The team's declared conflicts with their organisations, by organisation name."""
    rows = session.exec(select(TeamConflict, Organisation)
                        .join(Organisation, Organisation.id == TeamConflict.organisation_id)
                        .where(TeamConflict.team_id == team_id).order_by(Organisation.name)).all()
    return list(rows)


def declarable(*, session: Session, team: Team) -> list[Organisation]:
    """Organisations a team can see problems of and has not declared yet (its own is implied)."""
    listed = select(Problem.organisation_id).where(Problem.status.not_in([s.value for s in NOT_LISTED]))
    done = select(TeamConflict.organisation_id).where(TeamConflict.team_id == team.id)
    query = select(Organisation).where(Organisation.id.in_(listed), Organisation.id.not_in(done))
    if team.organisation_id:
        query = query.where(Organisation.id != team.organisation_id)
    return list(session.exec(query.order_by(Organisation.name)).all())


def declare(*, session: Session, team: Team, organisation_id: int, reason: str, actor: User) -> list[Bid]:
    """Record the conflict and withdraw the team's open bids on that organisation's problems (the
    company could not select them); returns the withdrawn bids. Nothing is written on a refusal."""
    if actor.team_id != team.id:
        raise NotAllowed(_l("This profile belongs to another team."))
    org = session.get(Organisation, organisation_id)
    if org is None or org not in declarable(session=session, team=team):
        if session.get(TeamConflict, (team.id, organisation_id)) is not None:
            raise Conflict(_l("Your team has already declared a conflict with this organisation."))
        raise ServiceError(_l("Choose one of the organisations in the list."))
    session.add(TeamConflict(team_id=team.id, organisation_id=org.id, reason=reason.strip()))
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:        # declared at the same moment in another tab
        session.rollback()
        raise Conflict(_l("Your team has already declared a conflict with this organisation.")) from exc
    record(session=session, actor=actor, action="team.conflict_declared", obj_type="team", obj_id=team.id,
           organisation_id=org.id)
    withdrawn = _withdraw_open_bids(session, team, org, actor)
    session.commit()
    return withdrawn


def _withdraw_open_bids(session: Session, team: Team, org: Organisation, actor: User) -> list[Bid]:
    bids = session.exec(select(Bid).join(Problem, Problem.id == Bid.problem_id)
                        .where(Bid.team_id == team.id, Problem.organisation_id == org.id,
                               Bid.status.in_([s.value for s in OPEN_BIDS])).with_for_update(of=Bid)).all()
    for bid in bids:
        bid.status, bid.updated_at = BidStatus.WITHDRAWN, utcnow()
        session.add(bid)
        record(session=session, actor=actor, action="bid.withdrawn", obj_type="bid", obj_id=bid.id,
               reason="conflict_declared")
        problem = session.get(Problem, bid.problem_id)
        notify(session=session, users=company_users(session, org.id), kind="bid_withdrawn",
               params={"team": team.name, "title": problem.title}, link=f"/problems/{problem.id}/bids")
    return list(bids)


def withdraw(*, session: Session, team: Team, organisation_id: int, actor: User) -> None:
    """Take a declaration back: the team may bid on the organisation's problems again."""
    if actor.team_id != team.id:
        raise NotAllowed(_l("This profile belongs to another team."))
    conflict = session.get(TeamConflict, (team.id, organisation_id))
    if conflict is None:
        raise NotFound(_l("There is no such declaration."))
    session.delete(conflict)
    record(session=session, actor=actor, action="team.conflict_withdrawn", obj_type="team", obj_id=team.id,
           organisation_id=organisation_id)
    session.commit()


def conflicted_teams(*, session: Session, organisation_id: int) -> set[int]:
    """Teams that may not work for an organisation: its own, and those that declared a conflict."""
    own = session.exec(select(Team.id).where(Team.organisation_id == organisation_id)).all()
    declared_ids = session.exec(select(TeamConflict.team_id)
                                .where(TeamConflict.organisation_id == organisation_id)).all()
    return set(own) | set(declared_ids)


def conflicted_problems(*, session: Session, team: Team) -> set[int]:
    """Problems of the organisations a team may not work for."""
    orgs = set(session.exec(select(TeamConflict.organisation_id).where(TeamConflict.team_id == team.id)).all())
    if team.organisation_id:
        orgs.add(team.organisation_id)
    if not orgs:
        return set()
    return set(session.exec(select(Problem.id).where(Problem.organisation_id.in_(orgs))).all())
