"""Compile a policy's rules into the days a record passes them: spans of as-of dates, for any date at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from .rules import day, default_term, getter, is_present, leaves, term_end, term_key

Span = tuple[date, date]  # as-of dates from the first up to, not including, the second
Spans = tuple[Span, ...]  # sorted, disjoint, not touching
ALWAYS: Spans = ((date.min, date.max),)
NEVER: Spans = ()
SpanTest = Callable[[dict[str, Any]], Spans]


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


def contains(spans: Spans, on: date) -> bool:
    """Whether `on` is one of the days."""
    for first, end in spans:  # sorted: the first span ending after `on` decides
        if on < end:
            return first <= on
    return False


def _from(value: str | None) -> Spans:
    return NEVER if value is None else ((day(value), date.max),)


def _until(end: date) -> Spans:
    return ((date.min, end),)


def _on_or_before(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    get = getter(rule["field"])
    return lambda record: _from(get(record))


def _absent_or_after(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    get = getter(rule["field"])

    def spans(record: dict[str, Any]) -> Spans:
        value = get(record)
        return ALWAYS if value is None else _until(day(value))

    return spans


def _in_window(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    fields, term = [getter(f) for f in rule["fields"]], term_key(policy["windows"][rule["window"]])

    def spans(record: dict[str, Any]) -> Spans:
        days: set[str | None] = set()
        for get in fields:
            value = get(record)
            days.update(value if isinstance(value, list) else (value,))
        return union((day(on), leaves(on, *term)) for on in days if on is not None)

    return spans


def _not_before_window(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    get, term = getter(rule["field"]), term_key(policy["windows"][rule["window"]])

    def spans(record: dict[str, Any]) -> Spans:
        value = get(record)
        return ALWAYS if value is None else _until(leaves(value, *term))

    return spans


def _within_term(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    start, end = getter(rule["start"]), getter(rule["end"])
    term = term_key(rule.get("default_term") or default_term(policy.get("credentials", {})))

    def spans(record: dict[str, Any]) -> Spans:
        ends, begins = end(record), start(record)
        if ends is None:
            return NEVER if begins is None else _until(term_end(begins, *term))
        return _until(day(ends))

    return spans


def _accepted_credential(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    accepted: dict[tuple[Any, Any], list[Span]] = {}
    for c in policy.get("credentials", {}).get("accepted", ()):
        accepted.setdefault((c["name"], c["level"]), []).append(
            (day(c["from"]), day(c["until"]) if "until" in c else date.max)
        )
    by_key = {key: union(spans) for key, spans in accepted.items()}
    return lambda record: by_key.get((record.get("name"), record.get("level")), NEVER)


def _equals(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    get, wanted = getter(rule["field"]), rule["value"]
    return lambda record: ALWAYS if get(record) == wanted else NEVER


def _is_true(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    get = getter(rule["field"])
    return lambda record: ALWAYS if get(record) is True else NEVER


def _present(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    get = getter(rule["field"])
    return lambda record: ALWAYS if is_present(get(record)) else NEVER


def _any(rule: dict[str, Any], policy: dict[str, Any]) -> SpanTest:
    of, each = rule["of"], compile_spans(rule["rules"], policy)

    def spans(record: dict[str, Any]) -> Spans:
        items = record.get(of)
        if not isinstance(items, list):
            return NEVER
        return union(span for item in items for span in each(item))

    return spans


PRIMITIVES: dict[str, Callable[[dict[str, Any], dict[str, Any]], SpanTest]] = {
    "on_or_before": _on_or_before,
    "absent_or_after": _absent_or_after,
    "in_window": _in_window,
    "not_before_window": _not_before_window,
    "within_term": _within_term,
    "accepted_credential": _accepted_credential,
    "equals": _equals,
    "is_true": _is_true,
    "present": _present,
    "any": _any,
}


def compile_spans(rules: list[dict[str, Any]], policy: dict[str, Any]) -> SpanTest:
    """The days on which a record passes every one of `rules` under `policy`."""
    tests = [PRIMITIVES[r["test"]](r, policy) for r in rules]

    def spans(record: dict[str, Any]) -> Spans:
        days = ALWAYS
        for test in tests:
            these = test(record)
            if these is not ALWAYS:
                days = intersect(days, these) if days is not ALWAYS else these
                if not days:
                    break
        return days

    return spans
