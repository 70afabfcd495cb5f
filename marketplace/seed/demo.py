"""`marketplace seed --demo`: write the planned demo history through the domain services."""
from __future__ import annotations

import random
from datetime import date

from sqlmodel import Session, select

from marketplace.seed.data import load_sector_files, load_teams
from marketplace.seed.history import write_problem
from marketplace.seed.plan import at, build_plan
from marketplace.services.accounts import hash_password
from matching import taxonomy
from models import (
    Bid,
    Organisation,
    PortfolioProject,
    Problem,
    Role,
    Team,
    TeamConflict,
    TeamMember,
    User,
)
from models import (
    ProblemStatus as S,
)

DEMO_PASSWORD = "demo-password"
DEMO_LOGINS = {
    "password": DEMO_PASSWORD,
    "accounts": [("company", "company@demo.example"), ("team", "team@demo.example"),
                 ("team", "team2@demo.example"), ("staff", "staff@demo.example"),
                 ("admin", "admin@demo.example")],
}


def database_is_empty(*, session: Session) -> bool:
    """True when there are no users and no problems yet."""
    return session.exec(select(User.id)).first() is None and \
        session.exec(select(Problem.id)).first() is None


def seed_demo(*, session: Session, today: date, start: date = date(2025, 1, 1)) -> dict:
    """Load the whole demo; deterministic for a given `today`. Commits once at the end."""
    rng = random.Random(20250101)
    docs, team_docs = load_sector_files(), load_teams()
    plans, demo = build_plan(docs, team_docs, today, start, rng)
    # One hash for every demo account keeps seeding fast; accounts date from the programme start.
    acct = {"pw": hash_password(DEMO_PASSWORD), "since": at(start, random.Random(1))}
    staff = [_user(session, acct, "staff@demo.example", "推動中心 林專員", Role.STAFF),
             _user(session, acct, "admin@demo.example", "系統管理員", Role.ADMIN),
             _user(session, acct, "staff2@demo.example", "推動中心 陳專員", Role.STAFF)]
    orgs = _organisations(session, docs, acct["since"])
    teams = _teams(session, team_docs, acct["since"])
    owners = _owner_users(session, acct, orgs, demo["org"])
    members = _team_users(session, acct, teams, demo["team"])
    tax = taxonomy.default()
    problems = {p["key"]: (p, doc["sector"]) for doc in docs for p in doc["problems"]}
    docs_by_key = {t["key"]: t for t in team_docs}
    for plan in plans:
        data, sector = problems[plan.key]
        write_problem(session, rng, plan, data, sector, orgs[data["org"]], owners[data["org"]],
                      teams, docs_by_key, members, staff, tax, today)
    colleague = _colleague_and_conflict(session, acct, members[demo["team"]], orgs)
    session.commit()
    return {"organisations": len(orgs), "teams": len(teams), "problems": len(plans),
            "verified": sum(p.status is S.VERIFIED for p in plans),
            "users": len(owners) + len(members) + len(staff) + len(colleague)}


def _colleague_and_conflict(session, acct, demo_member: User, orgs) -> list[User]:
    """The demo team has a second login and has declared a conflict with one company it never bid
    to, so both show on its pages."""
    team = session.get(Team, demo_member.team_id)
    colleague = _user(session, acct, "team2@demo.example", f"{team.name} 成員", Role.TEAM, team_id=team.id)
    bid_to = set(session.exec(select(Problem.organisation_id).join(Bid, Bid.problem_id == Problem.id)
                              .where(Bid.team_id == team.id)).all())
    listed = set(session.exec(select(Problem.organisation_id).where(Problem.status == S.PUBLISHED)).all())
    free = sorted((o for o in orgs.values() if o.id in listed - bid_to), key=lambda o: o.id)
    if free:
        session.add(TeamConflict(team_id=team.id, organisation_id=free[0].id,
                                 reason="一位成員擔任該公司的技術顧問。"))
    return [colleague]


def _user(session, acct, email, name, role, **links) -> User:
    user = User(email=email, display_name=name, role=role, password_hash=acct["pw"],
                consent_at=acct["since"], created_at=acct["since"], **links)
    session.add(user)
    session.flush()
    return user


def _organisations(session, docs, since) -> dict[str, Organisation]:
    orgs = {}
    for doc in docs:
        for o in doc["organisations"]:
            orgs[o["key"]] = Organisation(name=o["name"], name_en=o["name_en"], sector=doc["sector"],
                                          is_sme=o["is_sme"], region=o["region"],
                                          description=o["description"], created_at=since)
            session.add(orgs[o["key"]])
    session.flush()
    return orgs


def _teams(session, team_docs, since) -> dict[str, Team]:
    teams = {}
    for t in team_docs:
        team = Team(name=t["name"], name_en=t["name_en"], affiliation_type=t["affiliation_type"],
                    affiliation=t["affiliation"], region=t["region"], description=t["description"],
                    language=t["language"], capacity=t["capacity"], sectors=t["sectors"],
                    skills=t["skills"], extra_skills=t["extra_skills"], created_at=since)
        session.add(team)
        session.flush()
        teams[t["key"]] = team
        for m in t["members"]:
            session.add(TeamMember(team_id=team.id, name=m["name"], role=m["role"],
                                   cert_level=m["cert_level"]))
        for p in t["portfolio"]:
            session.add(PortfolioProject(team_id=team.id, title=p["title"], summary=p["summary"],
                                         sector=p["sector"], year=p["year"]))
    session.flush()
    return teams


def _owner_users(session, acct, orgs, demo_org: str) -> dict[str, User]:
    """One owner per organisation; the demo company speaks for `demo_org`."""
    users = {}
    for n, (key, org) in enumerate(sorted(orgs.items()), start=1):
        email = "company@demo.example" if key == demo_org else f"org{n:03d}@demo.example"
        users[key] = _user(session, acct, email, f"{org.name} 窗口", Role.COMPANY,
                           organisation_id=org.id)
    return users


def _team_users(session, acct, teams, demo_team: str) -> dict[str, User]:
    """One member login per team; the demo team logs in as team@demo.example."""
    users = {}
    for key, team in sorted(teams.items()):
        email = "team@demo.example" if key == demo_team else f"{key}@demo.example"
        users[key] = _user(session, acct, email, f"{team.name} 聯絡人", Role.TEAM, team_id=team.id)
    return users
