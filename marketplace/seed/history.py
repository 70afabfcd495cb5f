"""Write one planned problem's history: transitions, bids, match, milestones, solution."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlmodel import Session

from marketplace.seed import texts
from marketplace.seed.plan import ProblemPlan, at
from marketplace.services.audit import record
from marketplace.services.lifecycle import transition
from marketplace.services.problems import problem_tags
from models import (
    Bid,
    BidStatus,
    Match,
    MatchStatus,
    Milestone,
    Notification,
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

ORDER = [S.SUBMITTED, S.PUBLISHED, S.MATCHED, S.IN_PROGRESS, S.DELIVERED, S.VERIFIED]
DATE_OF = {S.SUBMITTED: "submitted", S.PUBLISHED: "published", S.MATCHED: "approved",
           S.IN_PROGRESS: "started", S.DELIVERED: "delivered", S.VERIFIED: "verified"}


def write_problem(session: Session, rng: random.Random, plan: ProblemPlan, data: dict, sector: str,
                  org: Organisation, owner: User, teams: dict[str, Team], team_docs: dict[str, dict],
                  members: dict[str, User], staff: list[User], tax, today: date) -> Problem:
    """Create the problem and replay its plan through the lifecycle service."""
    fields = {k: data[k] for k in texts.PROBLEM_FIELDS}
    problem = Problem(organisation_id=org.id, created_by_id=owner.id, sector=sector,
                      created_at=plan.dates["created"], **fields)
    problem.tags = problem_tags(problem)        # as the problem editor tags it
    session.add(problem)
    session.flush()
    record(session=session, actor=owner, action="problem.created", obj_type="problem",
           obj_id=problem.id, at=plan.dates["created"])
    officer = staff[len(plan.key) % 2 * 2]  # staff@ or staff2@, stable per problem
    lang = data["language"]
    bids = _bids(session, rng, plan, problem, data, teams, team_docs, tax, today) \
        if "published" in plan.dates else {}
    for target in ORDER:
        key = DATE_OF[target]
        if key not in plan.dates:
            break
        actor = owner if target is S.SUBMITTED else members.get(plan.winner) if target in (
            S.IN_PROGRESS, S.DELIVERED) else officer
        if target is S.MATCHED:
            match = _match(session, plan, problem, bids, teams, officer, MatchStatus.APPROVED)
        transition(session=session, problem=problem, to=target, actor=actor, at=plan.dates[key])
        if target is S.IN_PROGRESS:
            _milestones(session, rng, plan, match, members[plan.winner], lang, today)
        if target is S.DELIVERED:
            _solution(session, plan, problem, match, data)
    if plan.status is S.REJECTED:
        transition(session=session, problem=problem, to=S.REJECTED, actor=officer,
                   reason=texts.REJECTIONS[lang], at=plan.dates["rejected"])
    elif plan.status in (S.WITHDRAWN, S.CLOSED):
        when = plan.dates["withdrawn" if plan.status is S.WITHDRAWN else "closed"]
        transition(session=session, problem=problem, to=plan.status,
                   actor=owner if plan.status is S.WITHDRAWN else officer, at=when)
        for bid in bids.values():
            bid.status = BidStatus.DECLINED
    elif plan.proposed and plan.winner:
        _match(session, plan, problem, bids, teams, None, MatchStatus.PROPOSED)
    if plan.status is S.PUBLISHED:
        # The company was told of each bid on its open problem, as bidding would have told it.
        for key, bid in bids.items():
            session.add(Notification(user_id=owner.id, kind="new_bid", created_at=bid.created_at,
                                     params={"team": teams[key].name, "title": problem.title},
                                     link=f"/problems/{problem.id}/bids"))
    return problem


def _bids(session, rng, plan, problem, data, teams, team_docs, tax, today) -> dict[str, Bid]:
    start = plan.dates["published"]
    end = plan.dates.get("approved") or min(start + timedelta(days=40), at(today, rng))
    bids = {}
    for key in plan.bidders:
        doc = team_docs[key]
        if key == plan.winner:
            approach = data["approach"]
        else:
            locale = "en" if doc["language"] == "en" else "zh_TW"
            approach = texts.bid_approach(doc, rng, [tax.label(s, locale) for s in doc["skills"]])
        when = start + (end - start) * rng.uniform(0.1, 0.8)
        price = rng.randrange(data["budget_min"], data["budget_max"] + 1, 10_000) \
            if data["budget_max"] > data["budget_min"] else data["budget_min"]
        bid = Bid(problem_id=problem.id, team_id=teams[key].id, approach=approach, price=price,
                  timeline_months=data["timeline_months"], created_at=when,
                  milestones=_milestone_plan(data["language"], when, data["timeline_months"]))
        session.add(bid)
        bids[key] = bid
    session.flush()
    return bids


def _milestone_plan(lang: str, start: datetime, months: int) -> list[dict]:
    step = max(14, months * 30 // 3)
    return [{"title": title, "due": (start.date() + timedelta(days=step * (i + 1))).isoformat()}
            for i, title in enumerate(texts.MILESTONES[lang])]


def _match(session, plan, problem, bids, teams, officer, status) -> Match:
    bid = bids[plan.winner]
    bid.status = BidStatus.SELECTED
    for key, other in bids.items():
        if key != plan.winner and status is MatchStatus.APPROVED:
            other.status = BidStatus.DECLINED
    created = plan.dates.get("approved", bid.created_at + timedelta(days=3)) - timedelta(days=2)
    match = Match(problem_id=problem.id, team_id=teams[plan.winner].id, bid_id=bid.id,
                  status=status, created_at=created, proposed_by_id=problem.created_by_id)
    if status is MatchStatus.APPROVED:
        match.decided_by_id, match.decided_at = officer.id, plan.dates["approved"]
    session.add(match)
    session.flush()
    return match


def _milestones(session, rng, plan, match, author, lang, today) -> None:
    started = plan.dates["started"]
    end = plan.dates.get("delivered") or at(today, rng)
    last_post = end - timedelta(days=20) if plan.stalled else end
    for i, title in enumerate(texts.MILESTONES[lang]):
        due = started + (end - started) * (i + 1) / 3 + timedelta(days=7)
        done = started + (last_post - started) * (i + 1) / 3.2
        finished = "delivered" in plan.dates or done < last_post - timedelta(days=5)
        milestone = Milestone(match_id=match.id, position=i, title=title, due_date=due.date(),
                              done_at=done if finished else None)
        session.add(milestone)
        session.flush()
        if finished or i == 0:
            body = texts.PROGRESS[lang][i].format(pct=rng.randint(82, 97), missing=rng.randint(2, 9))
            session.add(ProgressPost(match_id=match.id, milestone_id=milestone.id,
                                     author_id=author.id, body=body, created_at=min(done, last_post)))


def _solution(session, plan, problem, match, data) -> None:
    sol = data["solution"]
    solution = Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id,
                        summary=sol["summary"], results=sol["summary"], kpi_reached=sol["kpi_reached"],
                        assets=sol["assets"], shareable=plan.shareable,
                        delivered_at=plan.dates["delivered"])
    if plan.confirmed and "confirmed" in plan.dates:
        solution.confirmed_at = plan.dates["confirmed"]
        solution.share_approved = plan.shareable
    if "verified" in plan.dates:
        solution.verified_at = plan.dates["verified"]
    session.add(solution)
    session.flush()
