"""The problem lifecycle: every legal transition works and is audited; illegal ones refuse."""
from __future__ import annotations

import pytest
from sqlmodel import Session, select

from marketplace.services import Conflict
from marketplace.services.lifecycle import TRANSITIONS, IllegalTransition, transition
from models import AuditEvent, Problem
from models import ProblemStatus as S
from tests import factories

LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [
    (S.DRAFT, S.PUBLISHED), (S.DRAFT, S.VERIFIED), (S.SUBMITTED, S.MATCHED),
    (S.PUBLISHED, S.VERIFIED), (S.PUBLISHED, S.DRAFT), (S.REJECTED, S.PUBLISHED),
    (S.MATCHED, S.DELIVERED), (S.IN_PROGRESS, S.VERIFIED), (S.VERIFIED, S.PUBLISHED),
    (S.VERIFIED, S.CLOSED), (S.WITHDRAWN, S.SUBMITTED), (S.CLOSED, S.PUBLISHED),
]


def test_lifecycle_covers_every_status_and_names_both_exits():
    assert set(TRANSITIONS) == set(S)
    reachable = {b for targets in TRANSITIONS.values() for b in targets}
    assert reachable == set(S)
    # The only way back to a draft: the owner takes a problem out of review to change it.
    assert [a for a, targets in TRANSITIONS.items() if S.DRAFT in targets] == [S.SUBMITTED]


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_transition_changes_status_and_is_audited(session, current, target):
    problem = factories.problem(session, status=current)
    actor = factories.user(session, "staff")
    transition(session=session, problem=problem, to=target, actor=actor, reason="because")
    session.commit()
    stored = session.get(Problem, problem.id)
    session.refresh(stored)
    assert stored.status == target
    event = session.exec(select(AuditEvent).where(AuditEvent.object_id == problem.id)).one()
    assert event.action == f"problem.{target}"
    assert event.actor_id == actor.id
    assert event.detail["previous"] == current
    if target == S.PUBLISHED:
        assert stored.published_at is not None
    if target == S.REJECTED:
        assert stored.rejection_reason == "because"


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(session, current, target):
    problem = factories.problem(session, status=current)
    with pytest.raises(IllegalTransition):
        transition(session=session, problem=problem, to=target, actor=None)
    session.rollback()
    assert session.get(Problem, problem.id).status == current
    assert session.exec(select(AuditEvent)).first() is None


def test_a_stale_copy_cannot_overwrite_a_newer_decision(app, session):
    problem = factories.problem(session, status=S.SUBMITTED)
    with Session(app.extensions["db_engine"]) as other:
        stale = other.get(Problem, problem.id)  # loaded before the first decision lands
        transition(session=session, problem=problem, to=S.PUBLISHED, actor=None)
        session.commit()
        with pytest.raises(Conflict):
            transition(session=other, problem=stale, to=S.REJECTED, actor=None)
    session.refresh(problem)
    assert problem.status == S.PUBLISHED
