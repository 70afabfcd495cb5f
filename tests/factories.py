"""Factories with sensible defaults; every one commits so the app under test sees the rows."""
from __future__ import annotations

from functools import lru_cache
from itertools import count

from sqlmodel import Session

from marketplace.services.accounts import hash_password
from models import (
    Bid,
    Organisation,
    PortfolioProject,
    Problem,
    ProblemStatus,
    Role,
    Team,
    TeamMember,
    User,
)
from models.base import utcnow

PASSWORD = "correct-horse-battery"
_seq = count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # Hashing once per run keeps factories fast; argon2 itself is tested in test_accounts.
    return hash_password(PASSWORD)


def _save(session: Session, obj):
    session.add(obj)
    session.commit()
    session.refresh(obj)
    return obj


def organisation(session: Session, **kw) -> Organisation:
    n = next(_seq)
    defaults = dict(name=f"測試企業 {n} 股份有限公司", name_en=f"Test Co {n}", sector="smart_machinery",
                    region="taichung", is_sme=True)
    return _save(session, Organisation(**{**defaults, **kw}))


def team(session: Session, **kw) -> Team:
    n = next(_seq)
    defaults = dict(name=f"測試團隊 {n}", name_en=f"Test team {n}", affiliation_type="university_lab",
                    region="hsinchu_city", sectors=["smart_machinery"],
                    skills=["defect_detection", "object_detection"], capacity=2,
                    description="影像瑕疵檢測與時間序列預測。")
    t = _save(session, Team(**{**defaults, **kw}))
    session.add(TeamMember(team_id=t.id, name="王小明", role="PI", cert_level="advanced"))
    session.add(PortfolioProject(team_id=t.id, title="PCB AOI 瑕疵檢測", summary="YOLO 模型，誤判率 2%。",
                                 sector="smart_machinery", year=2024))
    session.commit()
    return t


def user(session: Session, role: str = "company", **kw) -> User:
    n = next(_seq)
    if role == "company" and "organisation_id" not in kw:
        kw["organisation_id"] = organisation(session).id
    if role == "team" and "team_id" not in kw:
        kw["team_id"] = team(session).id
    defaults = dict(email=f"user{n}@example.tw", display_name=f"User {n}", role=Role(role),
                    password_hash=_password_hash())
    return _save(session, User(**{**defaults, **kw}))


def problem(session: Session, owner: User | None = None, status: str = "published", **kw) -> Problem:
    owner = owner or user(session, "company")
    n = next(_seq)
    defaults = dict(
        title=f"產線瑕疵自動檢測 {n}", sector="smart_machinery", language="zh-TW",
        context="中部扣件廠，每日出貨 20 噸。", pain="人工目檢漏檢率 5%，客訴頻繁。",
        data_kinds=["image"], data_volume="瑕疵影像 3,000 張", data_format="JPG",
        data_sensitivity="internal", outcome="自動判別瑕疵並剔除", kpi="漏檢率 < 1%",
        constraints="需在廠內執行", budget_min=500_000, budget_max=1_200_000, timeline_months=6,
        # Past the draft stage, a problem was submitted once, as the editor's transition records.
        submitted_at=None if status == "draft" else utcnow(),
    )
    return _save(session, Problem(organisation_id=owner.organisation_id, created_by_id=owner.id,
                                  status=ProblemStatus(status), **{**defaults, **kw}))


def bid(session: Session, problem: Problem, team_user: User, **kw) -> Bid:
    defaults = dict(approach="以 YOLO 物件偵測建立瑕疵檢測模型，六週內完成 PoC。", price=800_000,
                    timeline_months=6)
    return _save(session, Bid(problem_id=problem.id, team_id=team_user.team_id, **{**defaults, **kw}))


def picked(bid: Bid) -> dict:
    """The ticked confirmation box of the company's form selecting `bid`."""
    return {f"select-{bid.id}-confirm": "y"}


def approved_match(session: Session, problem_status: str = "matched", **problem_kw):
    """A problem with an approved match and two milestones; returns (match, problem, company, team)."""
    from datetime import date, timedelta

    from models import Match, Milestone

    company = user(session, "company")
    team_user = user(session, "team")
    p = problem(session, owner=company, status=problem_status, **problem_kw)
    b = bid(session, p, team_user, status="selected")
    match = _save(session, Match(problem_id=p.id, team_id=team_user.team_id, bid_id=b.id,
                                 status="approved"))
    for i, title in enumerate(("資料盤點", "模型驗證")):
        session.add(Milestone(match_id=match.id, position=i, title=title,
                              due_date=date.today() + timedelta(days=30 * (i + 1))))
    session.commit()
    return match, p, company, team_user
