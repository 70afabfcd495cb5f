"""Running a match: progress posts, milestones, delivery, the company's confirmation, verification."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.services.audit import record
from marketplace.services.bids import company_users, team_users
from marketplace.services.lifecycle import transition
from marketplace.services.notify import notify
from models import (
    Match,
    MatchStatus,
    Milestone,
    Organisation,
    Problem,
    ProgressPost,
    Solution,
    Team,
    User,
)
from models import (
    ProblemStatus as S,
)
from models.base import utcnow


@dataclass
class Delivery:
    summary: str
    results: str
    kpi_reached: str
    assets: str
    shareable: bool


def _approved(session: Session, match_id: int) -> tuple[Match, Problem]:
    match = session.get(Match, match_id)
    if match is None or match.status != MatchStatus.APPROVED:
        raise ServiceError(_l("This project does not exist or is not approved."))
    return match, session.get(Problem, match.problem_id)


def can_view(match: Match, problem: Problem, user: User | None) -> bool:
    """The matched team, the problem's company and staff see a project."""
    return user is not None and (user.is_staff or user.team_id == match.team_id
                                 or user.organisation_id == problem.organisation_id)


def _as_team(match: Match, actor: User) -> None:
    if actor.team_id != match.team_id:
        raise NotAllowed(_l("Only the matched team can do this."))


def _as_company(problem: Problem, actor: User) -> None:
    if actor.organisation_id != problem.organisation_id:
        raise NotAllowed(_l("Only the company that posted the problem can do this."))


def post_progress(*, session: Session, match_id: int, actor: User, body: str,
                  milestone_id: int | None = None, milestone_done: bool = False) -> ProgressPost:
    """The team reports progress; the first report starts the project."""
    match, problem = _approved(session, match_id)
    _as_team(match, actor)
    if problem.status not in (S.MATCHED, S.IN_PROGRESS):
        raise ServiceError(_l("Progress can be posted only while the project runs."))
    milestone = session.get(Milestone, milestone_id) if milestone_id else None
    if milestone is not None and milestone.match_id != match.id:
        raise NotAllowed(_l("That milestone belongs to another project."))
    if problem.status == S.MATCHED:
        transition(session=session, problem=problem, to=S.IN_PROGRESS, actor=actor)
    post = ProgressPost(match_id=match.id, milestone_id=milestone_id, author_id=actor.id, body=body)
    session.add(post)
    if milestone is not None and milestone_done and milestone.done_at is None:
        milestone.done_at = utcnow()
        session.add(milestone)
        record(session=session, actor=actor, action="milestone.done", obj_type="milestone",
               obj_id=milestone.id, match_id=match.id)
    session.flush()
    record(session=session, actor=actor, action="progress.posted", obj_type="match", obj_id=match.id)
    team = session.get(Team, match.team_id)
    notify(session=session, users=company_users(session, problem.organisation_id), kind="progress_posted",
           params={"team": team.name, "title": problem.title}, link=f"/projects/{match.id}")
    session.commit()
    return post


def post_message(*, session: Session, match_id: int, actor: User, body: str) -> ProgressPost:
    """The company writes on the project's timeline (a question, feedback, data it sent); the team
    is told. It changes no status and closes no milestone."""
    match, problem = _approved(session, match_id)
    _as_company(problem, actor)
    if problem.status not in (S.MATCHED, S.IN_PROGRESS, S.DELIVERED):
        raise ServiceError(_l("Messages can be written only while the project runs."))
    post = ProgressPost(match_id=match.id, author_id=actor.id, body=body)
    session.add(post)
    session.flush()
    record(session=session, actor=actor, action="progress.message", obj_type="match", obj_id=match.id)
    org = session.get(Organisation, problem.organisation_id)
    notify(session=session, users=team_users(session, match.team_id), kind="project_message",
           params={"company": org.name, "title": problem.title}, link=f"/projects/{match.id}")
    session.commit()
    return post


def deliver(*, session: Session, match_id: int, actor: User, delivery: Delivery) -> Solution:
    """The team marks the project delivered with its solution summary."""
    match, problem = _approved(session, match_id)
    _as_team(match, actor)
    solution = session.exec(select(Solution).where(Solution.match_id == match.id)).first() or \
        Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="")
    for key, value in vars(delivery).items():
        setattr(solution, key, value)
    solution.delivered_at, solution.confirmed_at = utcnow(), None
    transition(session=session, problem=problem, to=S.DELIVERED, actor=actor)
    session.add(solution)
    team = session.get(Team, match.team_id)
    notify(session=session, users=company_users(session, problem.organisation_id),
           kind="solution_delivered", params={"team": team.name, "title": problem.title},
           link=f"/projects/{match.id}")
    session.commit()
    return solution


def confirm_delivery(*, session: Session, match_id: int, actor: User, accept: bool,
                     reason: str = "", share: bool = False) -> Problem:
    """The company confirms the delivery (then staff verify) or sends it back for more work."""
    match, problem = _approved(session, match_id)
    _as_company(problem, actor)
    solution = session.exec(select(Solution).where(Solution.match_id == match.id)).first()
    if problem.status != S.DELIVERED or solution is None:
        raise ServiceError(_l("There is no delivery to confirm."))
    if accept:
        solution.confirmed_at = utcnow()
        # Only the company can open its results to the public, and only what the team offered.
        solution.share_approved = bool(share and solution.shareable)
        session.add(solution)
        record(session=session, actor=actor, action="solution.confirmed", obj_type="solution",
               obj_id=solution.id, shared=solution.share_approved)
    else:
        if not reason.strip():
            raise ServiceError(_l("Tell the team what is missing."))
        transition(session=session, problem=problem, to=S.IN_PROGRESS, actor=actor, reason=reason)
        session.add(ProgressPost(match_id=match.id, author_id=actor.id, body=reason.strip()))
    notify(session=session, users=team_users(session, match.team_id),
           kind="delivery_confirmed" if accept else "delivery_returned",
           params={"title": problem.title, "reason": reason.strip()}, link=f"/projects/{match.id}")
    session.commit()
    return problem


def verify_solution(*, session: Session, solution_id: int, actor: User) -> Solution:
    """Staff verify a confirmed solution; it then counts toward the programme goal."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only promotion-centre staff verify solutions."))
    solution = session.get(Solution, solution_id)
    if solution is None:
        raise NotFound(_l("This solution does not exist."))
    if solution.verified_at is not None:
        raise Conflict(_l("This solution was verified already, on %(day)s.", day=format_date(solution.verified_at)))
    if solution.confirmed_at is None:
        raise ServiceError(_l("Only solutions the company confirmed can be verified."))
    problem = session.get(Problem, solution.problem_id)
    transition(session=session, problem=problem, to=S.VERIFIED, actor=actor)
    solution.verified_at, solution.verified_by_id = utcnow(), actor.id
    session.add(solution)
    notify(session=session, users=company_users(session, problem.organisation_id)
           + team_users(session, solution.team_id), kind="solution_verified",
           params={"title": problem.title}, link=f"/projects/{solution.match_id}")
    session.commit()
    return solution
