"""Writing problems: companies draft, edit, submit and withdraw; staff publish or reject."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.i18n import label
from marketplace.recommender.data import data_kind_terms
from marketplace.services import NotAllowed, ServiceError
from marketplace.services.audit import record
from marketplace.services.bids import OPEN_BIDS, close_invitations, decline_open_bids
from marketplace.services.lifecycle import EDITABLE_STATUSES, transition
from marketplace.services.notify import notify
from matching import taxonomy
from models import BidStatus, Match, MatchStatus, Problem, ProblemCreate, User
from models import ProblemStatus as S
from models.base import utcnow

WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.REJECTED, S.PUBLISHED)


def _owned(problem: Problem, actor: User) -> None:
    if actor.organisation_id is None or problem.organisation_id != actor.organisation_id:
        raise NotAllowed(_l("This problem belongs to another organisation."))


def problem_tags(problem: Problem) -> list[str]:
    """The taxonomy terms a problem's text names, then those of the data kinds it ticked (its
    tags are always derived, never typed)."""
    text = " ".join((problem.title, problem.context, problem.pain, problem.outcome, problem.kpi,
                     problem.constraints, problem.data_format))
    tags = taxonomy.default().tag(text)
    return tags + [k for k in data_kind_terms(problem.data_kinds) if k not in tags]


def retag_problems(*, session: Session) -> int:
    """Tag every problem again from its text with the current taxonomy (after the taxonomy file
    changed); returns how many problems' tags changed."""
    changed = 0
    for problem in session.exec(select(Problem)).all():
        tags = problem_tags(problem)
        if tags != list(problem.tags or []):
            problem.tags = tags
            session.add(problem)
            changed += 1
    session.commit()
    return changed


def create_problem(*, session: Session, problem_in: ProblemCreate, owner: User,
                   submit: bool = False) -> Problem:
    """Save a company's new problem as a draft, or submit it for review straight away."""
    if owner.organisation_id is None:
        raise NotAllowed(_l("Only companies can post problems."))
    problem = Problem(**problem_in.model_dump(), organisation_id=owner.organisation_id,
                      created_by_id=owner.id)
    problem.tags = problem_tags(problem)
    session.add(problem)
    session.flush()
    record(session=session, actor=owner, action="problem.created", obj_type="problem",
           obj_id=problem.id)
    if submit:
        transition(session=session, problem=problem, to=S.SUBMITTED, actor=owner)
    session.commit()
    return problem


def update_problem(*, session: Session, problem: Problem, problem_in: ProblemCreate, actor: User,
                   submit: bool = False) -> Problem:
    """Edit a draft or rejected problem; optionally (re)submit it."""
    _owned(problem, actor)
    if problem.status not in EDITABLE_STATUSES:
        raise ServiceError(_l("Only drafts and rejected problems can be edited."))
    for key, value in problem_in.model_dump().items():
        setattr(problem, key, value)
    problem.tags = problem_tags(problem)
    problem.updated_at = utcnow()
    session.add(problem)
    session.flush()
    record(session=session, actor=actor, action="problem.edited", obj_type="problem", obj_id=problem.id)
    if submit:
        transition(session=session, problem=problem, to=S.SUBMITTED, actor=actor)
    session.commit()
    return problem


def submit_problem(*, session: Session, problem: Problem, actor: User) -> Problem:
    """Send a draft or rejected problem to staff review."""
    _owned(problem, actor)
    transition(session=session, problem=problem, to=S.SUBMITTED, actor=actor)
    session.commit()
    return problem


def recall_problem(*, session: Session, problem: Problem, actor: User) -> Problem:
    """The owner takes a problem out of review to change it: a draft again, to edit and submit
    anew. Of this and a staff decision at the same moment exactly one wins (Conflict)."""
    _owned(problem, actor)
    if problem.status != S.SUBMITTED:
        raise ServiceError(_l("Only a problem waiting for review can be taken back to edit."))
    transition(session=session, problem=problem, to=S.DRAFT, actor=actor)
    session.commit()
    return problem


# Stored with the match and read by either language's users: written in both.
WITHDRAWN_REASON = "企業已撤回問題 / The company withdrew the problem"


def withdraw_problem(*, session: Session, problem: Problem, actor: User, commit: bool = True) -> Problem:
    """The owner takes a problem off the platform before it is matched (commit=False leaves the
    commit to the caller, as closing an account does)."""
    _owned(problem, actor)
    if problem.status not in WITHDRAWABLE:
        raise ServiceError(_l("A matched problem cannot be withdrawn; contact the promotion centre."))
    transition(session=session, problem=problem, to=S.WITHDRAWN, actor=actor)
    # Nothing may stay open on a withdrawn problem: its pending match and every open bid close.
    pending = session.exec(select(Match.id).where(Match.problem_id == problem.id,
                                                   Match.status == MatchStatus.PROPOSED)).all()
    session.execute(sa.update(Match).where(Match.id.in_(pending), Match.status == MatchStatus.PROPOSED)
                    .values(status=MatchStatus.REJECTED.value, decision_reason=WITHDRAWN_REASON,
                            decided_by_id=actor.id, decided_at=utcnow()))
    for match_id in pending:
        record(session=session, actor=actor, action="match.rejected", obj_type="match", obj_id=match_id,
               problem_id=problem.id, reason=WITHDRAWN_REASON)
    decline_open_bids(session=session, problem=problem, actor=actor, kind="problem_withdrawn",
                      statuses=(*OPEN_BIDS, BidStatus.SELECTED), reason=WITHDRAWN_REASON)
    close_invitations(session=session, problem=problem)
    if commit:
        session.commit()
    return problem


def _owners(session: Session, problem: Problem) -> list[User]:
    return list(session.exec(select(User).where(User.organisation_id == problem.organisation_id)).all())


def review_problems(*, session: Session, problem_ids: list[int], publish: bool, actor: User,
                    reason: str = "") -> tuple[list[Problem], list[tuple[Problem, str]]]:
    """Staff publish or reject submitted problems, one commit each; returns (done, skipped)."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only promotion-centre staff review problems."))
    if not publish and not reason.strip():
        raise ServiceError(_l("Give the company a reason for sending the problem back."))
    done, skipped = [], []
    for problem_id in problem_ids:
        problem = session.get(Problem, problem_id)
        if problem is None:
            continue
        if problem.status != S.SUBMITTED:      # decided meanwhile, or a form sent again
            skipped.append((problem, str(_l("already reviewed; it is now %(status)s.",
                                            status=label(S, problem.status)))))
            continue
        try:
            transition(session=session, problem=problem, to=S.PUBLISHED if publish else S.REJECTED,
                       actor=actor, reason=None if publish else reason.strip())
        except ServiceError as exc:  # decided meanwhile by someone else, or not submitted
            session.rollback()
            skipped.append((problem, str(exc)))
            continue
        notify(session=session, users=_owners(session, problem),
               kind="problem_published" if publish else "problem_rejected",
               params={"title": problem.title, "reason": reason.strip()},
               link=f"/problems/{problem.id}")
        session.commit()
        done.append(problem)
    return done, skipped
