"""Quarterly figures: per sector, what was posted, where problems stood, what was verified.

Statuses "as of the quarter's end" are replayed from the audit log, where every state change of
every problem is recorded; verification dates come from the solutions themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from marketplace.services.quarters import (
    local_date,
    parse_quarter,
    quarter_bounds,
    quarter_label,
    quarters_between,
)
from marketplace.settings import Settings
from models import AuditEvent, Organisation, Problem, Sector, Solution, Team

STAGES = ("published", "matched", "in_progress", "delivered")


class BadQuarter(ValueError):
    """A quarter that is malformed, outside the programme, or not begun yet; str() is English
    (for the CLI), localised() is in the reader's language."""

    ENGLISH = {"format": "not a quarter: %(text)r (expected YYYYQn, e.g. 2026Q3)",
               "outside": "%(label)s is outside the programme (%(start)s to %(end)s)",
               "future": "%(label)s has not started yet"}
    LOCALISED = {"format": _l("“%(text)s” is not a quarter: write it as YYYYQn, e.g. 2026Q3."),
                 "outside": _l("%(label)s is outside the programme (%(start)s to %(end)s)."),
                 "future": _l("%(label)s has not started yet.")}

    def __init__(self, reason: str, **params):
        self.reason, self.params = reason, params
        super().__init__(self.ENGLISH[reason] % params)

    def localised(self) -> str:
        return str(self.LOCALISED[self.reason]) % self.params


@dataclass
class SectorFigures:
    sector: str
    posted_in_quarter: int = 0
    posted_total: int = 0
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    verified_in_quarter: int = 0
    verified_total: int = 0


def check_quarter(text: str, settings: Settings, today: date) -> tuple[datetime, datetime, str]:
    """Validate a quarter label; returns its [start, end) and the normalised label."""
    try:
        year, q = parse_quarter(text)
    except ValueError:
        raise BadQuarter("format", text=text.strip()) from None
    start, end = quarter_bounds(year, q)
    label = quarter_label(year, q)
    first_day, last_day = local_date(start), local_date(end - timedelta(microseconds=1))
    if last_day < settings.programme_start or first_day > settings.programme_end:
        raise BadQuarter("outside", label=label, start=settings.programme_start, end=settings.programme_end)
    if first_day > today:
        raise BadQuarter("future", label=label)
    return start, end, label


def _history(session: Session) -> dict[int, list[tuple[datetime, str]]]:
    """Every problem's status changes, oldest first."""
    events = session.exec(select(AuditEvent.object_id, AuditEvent.created_at, AuditEvent.action)
                          .where(AuditEvent.object_type == "problem", AuditEvent.action.startswith("problem."))
                          .order_by(AuditEvent.created_at, AuditEvent.id)).all()
    history: dict[int, list[tuple[datetime, str]]] = {}
    for problem_id, at, action in events:
        status = action.split(".", 1)[1]
        if status not in ("created", "edited"):
            history.setdefault(problem_id, []).append((at, status))
    return history


def sector_figures(*, session: Session, start: datetime, end: datetime) -> list[SectorFigures]:
    """One row per sector for the quarter [start, end)."""
    sectors = dict(session.exec(select(Problem.id, Problem.sector)).all())
    rows = {s.value: SectorFigures(s.value) for s in Sector}
    for problem_id, changes in _history(session).items():
        row = rows.get(sectors.get(problem_id))
        if row is None:
            continue
        posted = next((at for at, status in changes if status == "submitted"), None)
        if posted is not None and posted < end:
            row.posted_total += 1
            row.posted_in_quarter += posted >= start
        before_end = [status for at, status in changes if at < end]
        if before_end and before_end[-1] in STAGES:
            row.stages[before_end[-1]] += 1
    verified = session.exec(select(Problem.sector, Solution.verified_at)
                            .join(Problem, Problem.id == Solution.problem_id)
                            .where(Solution.verified_at.is_not(None))).all()
    for sector, at in verified:
        if at < end:
            rows[sector].verified_total += 1
            rows[sector].verified_in_quarter += at >= start
    return list(rows.values())


def verified_solutions(*, session: Session, start: datetime, end: datetime) -> list[tuple]:
    """(problem, company, team, sector, verified date) of the solutions verified in the quarter."""
    return list(session.exec(
        select(Problem.title, Organisation.name, Team.name, Problem.sector, Solution.verified_at)
        .join(Problem, Problem.id == Solution.problem_id)
        .join(Organisation, Organisation.id == Problem.organisation_id)
        .join(Team, Team.id == Solution.team_id)
        .where(Solution.verified_at >= start, Solution.verified_at < end)
        .order_by(Solution.verified_at, Problem.id)).all())


def history(*, session: Session, settings: Settings, until: str) -> list[tuple[str, int, int, int, int]]:
    """(quarter, posted in quarter, posted total, verified in quarter, verified total) since the start."""
    year, q = parse_quarter(until)
    _, last_end = quarter_bounds(year, q)
    out = []
    for label in quarters_between(settings.programme_start, local_date(last_end - timedelta(microseconds=1))):
        start, end = quarter_bounds(*parse_quarter(label))
        if start >= last_end:
            break
        rows = sector_figures(session=session, start=start, end=end)
        out.append((label, sum(r.posted_in_quarter for r in rows), sum(r.posted_total for r in rows),
                    sum(r.verified_in_quarter for r in rows), sum(r.verified_total for r in rows)))
    return out
