"""Sets of days as sorted half-open spans of dates: the days a record counts, for any as-of date at once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

Span = tuple[date, date]  # as-of dates from the first up to, not including, the second
Spans = tuple[Span, ...]  # sorted, disjoint, not touching
ALWAYS: Spans = ((date.min, date.max),)
NEVER: Spans = ()


def union(spans: Iterable[Span]) -> Spans:
    """The days in any of the spans, as sorted disjoint spans."""
    ordered = sorted(spans)
    if len(ordered) == 1:  # the common case: one date, one credential
        return tuple(ordered) if ordered[0][0] < ordered[0][1] else NEVER
    out: list[Span] = []
    for first, end in ordered:
        if first >= end:
            continue
        if out and first <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((first, end))
    return tuple(out)


def intersect(a: Spans, b: Spans) -> Spans:
    """The days in both."""
    if len(a) == 1 and len(b) == 1:  # the common case: one span each
        first, end = max(a[0][0], b[0][0]), min(a[0][1], b[0][1])
        return ((first, end),) if first < end else NEVER
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        first, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if first < end:
            out.append((first, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def complement(spans: Spans) -> Spans:
    """The days in none of the spans."""
    out: list[Span] = []
    start = date.min
    for first, end in spans:
        if start < first:
            out.append((start, first))
        start = end
    if start < date.max:
        out.append((start, date.max))
    return tuple(out)


def span_on(spans: Spans, on: date) -> Span | None:
    """The span holding `on`, if any."""
    for span in spans:  # sorted: the first span ending after `on` decides
        if on < span[1]:
            return span if span[0] <= on else None
    return None


def contains(spans: Spans, on: date) -> bool:
    """Whether `on` is one of the days."""
    return span_on(spans, on) is not None


def starting(value: date | None) -> Spans:
    """Every day from `value` on; none when there is no such day (None, or the calendar's end)."""
    return NEVER if value is None or value >= date.max else ((value, date.max),)


def until(end: date) -> Spans:
    """Every day before `end`."""
    return ((date.min, end),)
