"""Database constraints that hold whatever the code above them does."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import Bid, Match
from tests import factories


def test_a_problem_has_at_most_one_open_match(session):
    problem = factories.problem(session)
    team_a, team_b = factories.user(session, "team"), factories.user(session, "team")
    session.add(Match(problem_id=problem.id, team_id=team_a.team_id, status="approved"))
    session.commit()
    session.add(Match(problem_id=problem.id, team_id=team_b.team_id, status="approved"))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()
    # Rejected proposals do not block a new one.
    session.add(Match(problem_id=problem.id, team_id=team_b.team_id, status="rejected"))
    session.commit()


def test_one_bid_per_team_and_problem(session):
    problem = factories.problem(session)
    team_user = factories.user(session, "team")
    factories.bid(session, problem, team_user)
    session.add(Bid(problem_id=problem.id, team_id=team_user.team_id, approach="again", price=1))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_budget_range_is_checked(session):
    with pytest.raises(sa.exc.IntegrityError):
        factories.problem(session, budget_min=900_000, budget_max=100_000)
