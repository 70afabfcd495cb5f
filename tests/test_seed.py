"""The demo data: 140 problems written by sector, every status, ~60 verified over every quarter."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from marketplace.seed.demo import DEMO_LOGINS, database_is_empty, seed_demo
from marketplace.services.quarters import quarter_of, quarters_between
from models import (
    Bid,
    Match,
    Notification,
    Organisation,
    PortfolioProject,
    Problem,
    ProblemStatus,
    Solution,
    Team,
    TeamConflict,
    TeamMember,
    User,
)
from tests.conftest import truncate_all

TODAY = date(2026, 11, 27)


def _digest(session) -> str:
    rows = []
    for model, order in ((Problem, Problem.id), (Bid, Bid.id), (Match, Match.id), (Solution, Solution.id),
                         (Team, Team.id), (User, User.id)):
        for obj in session.exec(select(model).order_by(order)).all():
            rows.append(repr([getattr(obj, c.name) for c in model.__table__.columns
                              if c.name != "password_hash"]))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_demo_data_shape(app, session):
    assert database_is_empty(session=session)
    summary = seed_demo(session=session, today=TODAY)
    assert summary["problems"] == 140 and not database_is_empty(session=session)
    problems = session.exec(select(Problem)).all()
    per_sector = Counter(p.sector for p in problems)
    assert len(per_sector) == 7 and set(per_sector.values()) == {20}
    languages = Counter(p.language for p in problems)
    assert languages["zh-TW"] > 100 and languages["en"] >= 14
    statuses = Counter(p.status for p in problems)
    assert set(statuses) == set(ProblemStatus)
    assert 55 <= statuses["verified"] <= 65
    assert all(p.tags for p in problems), "every problem is tagged from the taxonomy"
    assert all(p.budget_min <= p.budget_max for p in problems)

    verified = session.exec(select(Solution).where(Solution.verified_at.is_not(None))).all()
    assert len(verified) == statuses["verified"]
    quarters = Counter(quarter_of(s.verified_at) for s in verified)
    assert set(quarters) == set(quarters_between(date(2025, 1, 1), date(2026, 9, 30)))
    assert all(s.verified_at.date() <= date(2026, 9, 30) for s in verified)


def test_demo_teams_and_users(app, session):
    seed_demo(session=session, today=TODAY)
    teams = session.exec(select(Team)).all()
    assert len(teams) >= 60
    portfolio = Counter(session.exec(select(PortfolioProject.team_id)).all())
    members = Counter(session.exec(select(TeamMember.team_id)).all())
    assert all(2 <= portfolio[t.id] <= 4 and members[t.id] >= 2 for t in teams)
    assert {t.language for t in teams} == {"zh-TW", "en"}
    assert all(t.skills and t.sectors for t in teams)
    levels = set(session.exec(select(TeamMember.cert_level)).all())
    assert levels == {"basic", "intermediate", "advanced"}
    emails = {u.email: u for u in session.exec(select(User)).all()}
    for role, email in DEMO_LOGINS["accounts"]:
        assert emails[email].role == role
    company = emails["company@demo.example"]
    mine = session.exec(select(Problem.status)
                        .where(Problem.organisation_id == company.organisation_id)).all()
    assert {"published", "in_progress"} <= set(mine), "something to compare and a project to follow"
    team = emails["team@demo.example"]
    bids = select(sa.func.count()).select_from(Bid).where(Bid.team_id == team.team_id)
    assert session.exec(bids).one() >= 3
    open_problem = session.exec(select(Problem).where(
        Problem.organisation_id == company.organisation_id, Problem.status == "published")).one()
    bidders = session.exec(select(Bid.team_id).where(Bid.problem_id == open_problem.id)).all()
    assert team.team_id in bidders and len(bidders) >= 2
    told = session.exec(select(Notification).where(Notification.user_id == company.id)).all()
    assert len([n for n in told if n.kind == "new_bid" and n.link == f"/problems/{open_problem.id}/bids"]) \
        == len(bidders), "the company's notifications say who bid on its open problem"
    project = session.exec(select(Match).join(Problem, Problem.id == Match.problem_id).where(
        Problem.organisation_id == company.organisation_id, Problem.status == "in_progress")).one()
    assert project.team_id == team.team_id
    assert emails["team2@demo.example"].team_id == team.team_id, "a colleague with a login of their own"
    conflict = session.exec(select(TeamConflict).where(TeamConflict.team_id == team.team_id)).one()
    conflicted = select(Bid).join(Problem, Problem.id == Bid.problem_id).where(
        Bid.team_id == team.team_id, Problem.organisation_id == conflict.organisation_id)
    assert session.exec(conflicted).first() is None, "declared with a company it never bid to"


def test_every_state_has_its_rows(app, session):
    seed_demo(session=session, today=TODAY)
    for problem in session.exec(select(Problem)).all():
        match = session.exec(select(Match).where(Match.problem_id == problem.id,
                                                 Match.status == "approved")).first()
        solution = session.exec(select(Solution).where(Solution.problem_id == problem.id)).first()
        active = problem.status in ("matched", "in_progress", "delivered", "verified")
        assert (match is not None) == active, problem.status
        assert (solution is not None) == (problem.status in ("delivered", "verified")), problem.status
        if problem.status == "rejected":
            assert problem.rejection_reason
    assert session.exec(select(Match).where(Match.status == "proposed")).first() is not None


def test_seed_is_deterministic(app, session):
    seed_demo(session=session, today=TODAY)
    first = _digest(session)
    session.rollback()  # end the read transaction; TRUNCATE on PostgreSQL waits for it otherwise
    session.expunge_all()
    truncate_all(app.extensions["db_engine"])
    seed_demo(session=session, today=TODAY)
    assert _digest(session) == first


def test_organisations_are_real_looking(app, session):
    seed_demo(session=session, today=TODAY)
    orgs = session.exec(select(Organisation)).all()
    assert len(orgs) >= 70
    assert sum(o.is_sme for o in orgs) / len(orgs) > 0.6
    assert len({o.region for o in orgs}) >= 10
