"""Calendar arithmetic for windows that end on the as-of date: days, and months clamped to month end."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); a day the month lacks steps back to its last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_term(day: date, term: dict[str, Any]) -> date:
    """`day` plus a policy term: {days: N} or {months: N}."""
    if "days" in term:
        return day + timedelta(days=term["days"])
    return add_months(day, term["months"])


def window_first(as_of: date, window: dict[str, Any]) -> date:
    """The first day inside a window ending on `as_of`: {days: N} is as_of-(N-1) .. as_of;
    {months: N} starts the day after the same date N months earlier."""
    if "days" in window:
        return as_of - timedelta(days=window["days"] - 1)
    return add_months(as_of, -window["months"]) + ONE_DAY


def leaves_window(day: date, window: dict[str, Any]) -> date:
    """The first as-of date whose window no longer contains `day`."""
    if "days" in window:
        return day + timedelta(days=window["days"])
    # window_first is monotonic in as_of; step from the estimate to the exact edge.
    candidate = add_months(day, window["months"])
    while window_first(candidate, window) > day:
        candidate -= ONE_DAY
    while window_first(candidate, window) <= day:
        candidate += ONE_DAY
    return candidate
