"""Generate a quarterly export, keep it as a record, hand it out again."""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from marketplace.exports import writer
from marketplace.services import quarterly
from marketplace.services.audit import record
from marketplace.services.quarters import PROGRAMME_TZ, local_date, local_time, parse_quarter, quarter_bounds
from marketplace.settings import Settings
from models import ExportRecord, Sector, User

FORMATS = ("csv", "xlsx")
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def in_progress(label: str, on: date) -> bool:
    """Whether the quarter had not ended on that day (Taiwan time): its figures are partial."""
    _start, end = quarter_bounds(*parse_quarter(label))
    return on <= local_date(end - timedelta(microseconds=1))


def partial_as_of(*, exports: list[ExportRecord]) -> dict[int, date]:
    """The exports of a quarter not yet over, by id → the day their figures stop (read from the
    file's name, which the build gave it)."""
    days = {e.id: re.search(r"-as-of-(\d{4}-\d{2}-\d{2})\.", e.filename) for e in exports}
    return {i: date.fromisoformat(m.group(1)) for i, m in days.items() if m}


def build(*, session: Session, settings: Settings, quarter: str, fmt: str, today: date) -> tuple[str, bytes]:
    """(normalised quarter, file bytes); BadQuarter or ValueError for bad input.

    A quarter not over yet is exported as it stands today: the XLSX says so under its summary
    and is stamped with the end of today rather than of the quarter."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use csv or xlsx)")
    start, end, label = quarterly.check_quarter(quarter, settings, today)
    partial = in_progress(label, today)
    figures = quarterly.sector_figures(session=session, start=start, end=end)
    summary = writer.summary_rows(figures, settings.problems_per_sector, settings.solutions_goal)
    if fmt == "csv":
        return label, writer.write_csv(summary)
    goal = settings.solutions_goal
    history = [[q, a, b, c, d, goal, writer.share(d, goal)]
               for q, a, b, c, d in quarterly.history(session=session, settings=settings, until=label)]
    solutions = [(problem, company, team, f"{Sector(sector).label('zh_TW')} {Sector(sector).label('en')}",
                  local_time(verified_at))
                 for problem, company, team, sector, verified_at
                 in quarterly.verified_solutions(session=session, start=start, end=end)]
    stamp = end - timedelta(seconds=1)
    note = None
    if partial:
        stamp = datetime.combine(today, time(23, 59, 59), tzinfo=PROGRAMME_TZ)
        note = (f"本季尚未結束，數字截至 {today.isoformat()}（臺灣時間）。 "
                f"Quarter in progress: figures as of {today.isoformat()} (Taiwan time).")
    return label, writer.write_xlsx(summary, solutions, history, f"AI matching programme {label}", stamp,
                                    note=note)


def generate(*, session: Session, settings: Settings, quarter: str, fmt: str, actor: User | None,
             today: date, commit: bool = True) -> ExportRecord:
    """Build the file and keep it (who, when, quarter, format, sha256) for later downloads.

    commit=False leaves the commit to the caller (a job commits it with its own completion)."""
    label, content = build(session=session, settings=settings, quarter=quarter, fmt=fmt, today=today)
    name = f"ai-matching-{label}-as-of-{today.isoformat()}" if in_progress(label, today) else f"ai-matching-{label}"
    export = ExportRecord(created_by_id=actor.id if actor else None, quarter=label, format=fmt,
                          filename=f"{name}.{fmt}", sha256=hashlib.sha256(content).hexdigest(),
                          content=content)
    session.add(export)
    session.flush()
    record(session=session, actor=actor, action="export.generated", obj_type="export", obj_id=export.id,
           quarter=label, format=fmt, sha256=export.sha256)
    if commit:
        session.commit()
    return export


def creators(*, session: Session, exports: list[ExportRecord]) -> dict[int, str]:
    """Who generated each export, by user id → display name (scheduled ones have none)."""
    ids = {e.created_by_id for e in exports if e.created_by_id}
    return dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}


def recent(*, session: Session, limit: int = 50) -> list[ExportRecord]:
    """The latest exports, newest first (without loading their content)."""
    from sqlalchemy.orm import defer

    return list(session.exec(select(ExportRecord).options(defer(ExportRecord.content))
                             .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc()).limit(limit)).all())
