"""Calendar quarters: parsing '2026Q3', bounds, and the quarters of the programme."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# The programme runs on Taiwan's calendar: a quarter starts at midnight in Taipei.
PROGRAMME_TZ = ZoneInfo("Asia/Taipei")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026Q3' → (2026, 3); raises ValueError with a readable message otherwise."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise ValueError(f"not a quarter: {text!r} (expected YYYYQn, e.g. 2026Q3)")
    return int(match.group(1)), int(match.group(2))


def quarter_label(year: int, q: int) -> str:
    """(2026, 3) → '2026Q3'."""
    return f"{year}Q{q}"


def quarter_of(day: date | datetime) -> str:
    """The quarter a date falls in (a moment: on the programme's calendar)."""
    if isinstance(day, datetime):
        day = local_date(day)
    return quarter_label(day.year, (day.month - 1) // 3 + 1)


def quarter_bounds(year: int, q: int) -> tuple[datetime, datetime]:
    """[start, end) of a quarter, midnight to midnight in Taiwan, as aware UTC datetimes."""
    start = datetime(year, 3 * q - 2, 1, tzinfo=PROGRAMME_TZ)
    end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=PROGRAMME_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def _here(moment: datetime) -> datetime:
    """A moment on the programme's clock (a naive one is UTC, as the database keeps them)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PROGRAMME_TZ)


def local_date(moment: datetime) -> date:
    """The programme's calendar day of a moment."""
    return _here(moment).date()


def local_time(moment: datetime) -> datetime:
    """A moment as the programme's wall-clock time, naive, to the second (for spreadsheets)."""
    return _here(moment).replace(tzinfo=None, microsecond=0)


def programme_today() -> date:
    """Today on the programme's calendar."""
    return datetime.now(PROGRAMME_TZ).date()


def quarters_between(first: date, last: date) -> list[str]:
    """Every quarter label from the one holding `first` to the one holding `last`."""
    year, q = first.year, (first.month - 1) // 3 + 1
    end_year, end_q = last.year, (last.month - 1) // 3 + 1
    labels = []
    while (year, q) <= (end_year, end_q):
        labels.append(quarter_label(year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return labels


def last_completed_quarter(today: date) -> str:
    """The most recent quarter that has fully ended before `today`."""
    year, q = today.year, (today.month - 1) // 3 + 1
    year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return quarter_label(year, q)
