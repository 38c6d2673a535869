"""Calendar arithmetic for windows that end on the as-of date: days, and months clamped to month end."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

ONE_DAY = timedelta(days=1)
# The days tiercheck computes with: a firm file's dates and --as-of (the firm schema's date pattern
# says the same). Windows and terms reach from them, so the calendar's ends (years 1 and 9999) stay
# far away.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(8999, 12, 31)


class Term(NamedTuple):
    """A length of time: a number of days, or of months (exactly one of them is non-zero). A tuple, so
    the caches keyed by it hash it in C."""

    days: int = 0
    months: int = 0

    def __str__(self) -> str:
        return f"{self.days} days" if self.days else f"{self.months} months"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); a day the month lacks steps back to its last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_term(day: date, term: Term) -> date:
    """`day` plus a term."""
    if term.days:
        return day + timedelta(days=term.days)
    return add_months(day, term.months)


def window_first(as_of: date, window: Term) -> date:
    """The first day inside a window ending on `as_of`: N days is as_of-(N-1) .. as_of;
    N months starts the day after the same date N months earlier."""
    if window.days:
        return as_of - timedelta(days=window.days - 1)
    return add_months(as_of, -window.months) + ONE_DAY


def leaves_window(day: date, window: Term) -> date:
    """The first as-of date whose window no longer contains `day`."""
    if window.days:
        return day + timedelta(days=window.days)
    # window_first is monotonic in as_of; step from the estimate to the exact edge.
    candidate = add_months(day, window.months)
    while window_first(candidate, window) > day:
        candidate -= ONE_DAY
    while window_first(candidate, window) <= day:
        candidate += ONE_DAY
    return candidate


# Firm files repeat the same few dozen dates: parse and step each once.
day = lru_cache(maxsize=16384)(date.fromisoformat)


@lru_cache(maxsize=16384)
def term_end(start: str, term: Term) -> date:
    """The day a term starting on `start` ends; past the calendar's end (year 9999), its last day."""
    try:
        return add_term(day(start), term)
    except (OverflowError, ValueError):
        return date.max


@lru_cache(maxsize=16384)
def leaves(on: str, window: Term) -> date:
    """The first as-of date whose window no longer holds `on`; at most date.max."""
    try:
        return leaves_window(day(on), window)
    except (OverflowError, ValueError):
        return date.max


@lru_cache(maxsize=16384)
def held_from(on: str, window: Term) -> tuple[date, date]:
    """The as-of dates whose window holds `on`: from that day up to, not including, `leaves`."""
    return day(on), leaves(on, window)
