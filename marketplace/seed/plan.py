"""A deterministic plan of the demo's history: who posted what, when, and how far it got."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from marketplace.services.quarters import (
    parse_quarter,
    quarter_bounds,
    quarter_of,
    quarters_between,
)
from models import ProblemStatus as S

ACTIVE = (S.MATCHED, S.IN_PROGRESS, S.DELIVERED)
WITH_BIDS = (S.PUBLISHED, S.MATCHED, S.IN_PROGRESS, S.DELIVERED, S.VERIFIED, S.WITHDRAWN, S.CLOSED)


@dataclass
class ProblemPlan:
    key: str
    sector: str
    status: S
    dates: dict[str, datetime] = field(default_factory=dict)
    bidders: list[str] = field(default_factory=list)
    winner: str | None = None
    proposed: bool = False   # a selected bid awaits staff approval
    stalled: bool = False    # no progress post for longer than the stalled threshold
    confirmed: bool = False  # a delivery the company has confirmed
    shareable: bool = False


def sector_statuses(index: int) -> list[S]:
    """The 20 statuses of one sector; about 60 verified across the seven sectors."""
    verified, published = (9, 4) if index < 4 else (8, 5)
    statuses = ([S.VERIFIED] * verified + [S.DELIVERED, S.IN_PROGRESS, S.IN_PROGRESS, S.MATCHED]
                + [S.PUBLISHED] * published + [S.SUBMITTED, S.DRAFT, S.REJECTED])
    if index < 3:
        statuses[statuses.index(S.PUBLISHED)] = S.WITHDRAWN
    elif index < 5:
        statuses[statuses.index(S.PUBLISHED)] = S.CLOSED
    return statuses


def at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment (Taiwan time, stored as UTC) on a given day."""
    return datetime.combine(day, time(rng.randint(1, 9), rng.randint(0, 59)), tzinfo=UTC)


def spread(total: int, buckets: int) -> list[int]:
    """Split `total` over buckets with a gentle ramp, every bucket at least one."""
    weights = [1 + 0.35 * i for i in range(buckets)]
    raw = [total * w / sum(weights) for w in weights]
    counts = [max(1, int(r)) for r in raw]
    order = sorted(range(buckets), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % buckets]] += 1
        i += 1
    while sum(counts) > total:
        j = max(range(buckets), key=lambda k: counts[k])
        counts[j] -= 1
    return counts


def verified_quarters(start: date, today: date) -> list[str]:
    """Quarters from the programme start to the last completed one (or the current one)."""
    last_done = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    labels = quarters_between(start, last_done) if last_done >= start else []
    return labels or [quarter_of(today)]


def chain(created: datetime, end: datetime, rng: random.Random, steps: list[tuple[str, float]]) -> dict:
    """Dates of lifecycle steps placed at fractions of [created, end], jittered but ordered."""
    span = (end - created).total_seconds()
    dates, last = {"created": created}, created
    for name, frac in steps:
        moment = created + timedelta(seconds=span * min(0.999, frac + rng.uniform(-0.01, 0.01)))
        last = max(moment, last + timedelta(hours=1))
        dates[name] = last
    return dates


def plan_verified(plans: list[ProblemPlan], start: date, today: date, rng: random.Random) -> None:
    """Give every verified problem a history ending in a quarter, every quarter some."""
    quarters = verified_quarters(start, today)
    counts = spread(len(plans), len(quarters))
    ordered = sorted(plans, key=lambda p: p.key)
    rng.shuffle(ordered)
    it = iter(ordered)
    for label, n in zip(quarters, counts, strict=True):
        q_start, q_end = quarter_bounds(*parse_quarter(label))
        last_day = min(q_end.date() - timedelta(days=1), today - timedelta(days=1))
        for _ in range(n):
            plan = next(it)
            # The programme opens on `start`; the first solutions need some weeks to happen.
            first_day = max(q_start.date(), start + timedelta(days=45))
            spare = max(0, (last_day - first_day).days)
            verified = at(first_day + timedelta(days=rng.randint(0, spare)), rng)
            created = max(verified - timedelta(days=rng.randint(150, 280)), at(start, rng))
            plan.dates = chain(created, verified, rng, [
                ("submitted", 0.03), ("published", 0.08), ("approved", 0.22), ("started", 0.27),
                ("delivered", 0.88), ("confirmed", 0.93), ("verified", 1.0)])
            plan.confirmed = True
            plan.shareable = rng.random() < 0.7


def plan_recent(plan: ProblemPlan, today: date, rng: random.Random) -> None:
    """Histories of problems still moving, placed in the weeks before `today`."""
    now = at(today, rng)
    days = lambda lo, hi: timedelta(days=rng.randint(lo, hi))  # noqa: E731
    if plan.status is S.DRAFT:
        plan.dates = {"created": now - days(0, 10)}
        return
    if plan.status in (S.SUBMITTED, S.REJECTED):
        submitted = now - days(1, 6) if plan.status is S.SUBMITTED else now - days(10, 40)
        plan.dates = {"created": submitted - days(1, 5), "submitted": submitted}
        if plan.status is S.REJECTED:
            plan.dates["rejected"] = submitted + days(1, 4)
        return
    published = {
        S.PUBLISHED: now - days(3, 80), S.WITHDRAWN: now - days(60, 150),
        S.CLOSED: now - days(120, 250), S.MATCHED: now - days(20, 60),
        S.IN_PROGRESS: now - days(60, 150), S.DELIVERED: now - days(150, 240),
    }[plan.status]
    plan.dates = {"created": published - days(5, 12), "submitted": published - days(2, 4),
                  "published": published}
    if plan.status is S.WITHDRAWN:
        plan.dates["withdrawn"] = published + days(20, 50)
    elif plan.status is S.CLOSED:
        plan.dates["closed"] = published + days(60, 100)
    elif plan.status in ACTIVE:
        approved = published + days(10, 18)
        plan.dates["approved"] = approved
        if plan.status is not S.MATCHED:
            plan.dates["started"] = approved + days(2, 6)
        if plan.status is S.DELIVERED:
            plan.dates["delivered"] = now - days(3, 12)
            if plan.confirmed:
                plan.dates["confirmed"] = plan.dates["delivered"] + days(1, 2)


def choose_teams(plans: list[ProblemPlan], teams: list[dict], rng: random.Random) -> None:
    """Bidders from the problem's sector; the winner is a bidder with spare capacity."""
    load: dict[str, int] = {}
    for plan in sorted(plans, key=lambda p: p.dates.get("published") or p.dates["created"]):
        if plan.status not in WITH_BIDS:
            continue
        pool = [t for t in teams if plan.sector in t["sectors"]] or teams
        if plan.status is S.PUBLISHED:
            n = rng.randint(2, 4) if plan.proposed else rng.randint(0, 3)
        else:
            n = rng.randint(2, 4)
        plan.bidders = [t["key"] for t in rng.sample(pool, min(n, len(pool)))]
        if plan.status in ACTIVE or plan.status is S.VERIFIED or plan.proposed:
            capacity = {t["key"]: t["capacity"] for t in teams}
            free = [k for k in plan.bidders if load.get(k, 0) < capacity[k]] or plan.bidders
            plan.winner = free[0] if free else None
            if plan.status in ACTIVE and plan.winner:
                load[plan.winner] = load.get(plan.winner, 0) + 1


DEMO_SECTOR = "smart_machinery"


def demo_org_statuses(doc: dict, statuses: list[S]) -> str:
    """Give the demo company an open problem to compare bids on and a project to follow."""
    counts: dict[str, int] = {}
    for p in doc["problems"]:
        counts[p["org"]] = counts.get(p["org"], 0) + 1
    org = min(k for k, n in counts.items() if n >= 2)
    mine = [i for i, p in enumerate(doc["problems"]) if p["org"] == org][:2]
    for i, wanted in zip(mine, (S.PUBLISHED, S.IN_PROGRESS), strict=True):
        j = next(j for j, st in enumerate(statuses) if st is wanted and j not in mine)
        statuses[i], statuses[j] = statuses[j], statuses[i]
    return org


def build_plan(docs: list[dict], teams: list[dict], today: date, start: date,
               rng: random.Random) -> tuple[list[ProblemPlan], dict]:
    """The whole demo history, the same for the same inputs and `today`; plus the demo accounts."""
    plans: list[ProblemPlan] = []
    demo: dict = {}
    for index, doc in enumerate(docs):
        statuses = sector_statuses(index)
        rng.shuffle(statuses)
        reserved: list[str] = []
        if doc["sector"] == DEMO_SECTOR:
            demo["org"] = demo_org_statuses(doc, statuses)
            reserved = demo["keys"] = [p["key"] for p in doc["problems"] if p["org"] == demo["org"]][:2]
        sector_plans = [ProblemPlan(p["key"], doc["sector"], st)
                        for p, st in zip(doc["problems"], statuses, strict=True)]
        published = [p for p in sector_plans if p.status is S.PUBLISHED and p.key not in reserved]
        if published:
            published[0].proposed = True
        running = [p for p in sector_plans if p.status is S.IN_PROGRESS and p.key not in reserved]
        if running:
            running[0].stalled = index % 2 == 0
        for plan in sector_plans:
            if plan.status is S.DELIVERED:
                plan.confirmed = index % 2 == 0
        plans.extend(sector_plans)
    plan_verified([p for p in plans if p.status is S.VERIFIED], start, today, rng)
    for plan in plans:
        if plan.status is not S.VERIFIED:
            plan_recent(plan, today, rng)
    choose_teams(plans, teams, rng)
    by_key = {p.key: p for p in plans}
    open_problem, project = (by_key[k] for k in demo["keys"])
    # The demo team runs the demo company's project and has bid on its open problem.
    demo["team"] = project.winner
    if project.winner not in open_problem.bidders:
        open_problem.bidders.append(project.winner)
    return plans, demo
