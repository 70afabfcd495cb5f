"""Calendar quarters: parsing '2026Q3', bounds, and the quarters of the programme."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

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
    """The quarter a date falls in."""
    return quarter_label(day.year, (day.month - 1) // 3 + 1)


def quarter_bounds(year: int, q: int) -> tuple[datetime, datetime]:
    """[start, end) of a quarter as aware UTC datetimes."""
    start = datetime(year, 3 * q - 2, 1, tzinfo=UTC)
    end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=UTC)
    return start, end


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
