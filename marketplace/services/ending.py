"""Ending a project early: staff close a matched or running project that will not be delivered."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from marketplace.services import NotAllowed, ServiceError
from marketplace.services.bids import company_users, team_users
from marketplace.services.lifecycle import transition
from marketplace.services.notify import notify
from models import Match, MatchStatus, Problem, ProgressPost, User
from models import ProblemStatus as S

CLOSABLE = (S.MATCHED, S.IN_PROGRESS, S.DELIVERED)


def close_project(*, session: Session, match_id: int, actor: User, reason: str) -> Problem:
    """Close the project for good (it never counts as a solution): the reason goes on its timeline,
    both sides are told, and the team's capacity is freed. A verified solution cannot be closed."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only promotion-centre staff close a project."))
    match = session.get(Match, match_id)
    if match is None or match.status != MatchStatus.APPROVED:
        raise ServiceError(_l("This project does not exist or is not approved."))
    if not reason.strip():
        raise ServiceError(_l("Say why the project is closed; both sides will read it."))
    problem = session.get(Problem, match.problem_id)
    if S(problem.status) not in CLOSABLE:
        raise ServiceError(_l("Only a matched, running or delivered project can be closed."))
    transition(session=session, problem=problem, to=S.CLOSED, actor=actor, reason=reason.strip())
    session.add(ProgressPost(match_id=match.id, author_id=actor.id, body=reason.strip()))
    notify(session=session, users=company_users(session, problem.organisation_id) + team_users(session, match.team_id),
           kind="project_closed", params={"title": problem.title, "reason": reason.strip()},
           link=f"/projects/{match.id}")
    session.commit()
    return problem
