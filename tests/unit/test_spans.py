"""Sets of days as spans, against the plain set of days they stand for (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from support import cases

from validator.language.rules import NO_LINKS, spans_of
from validator.language.spans import (
    ALWAYS,
    NEVER,
    Spans,
    complement,
    contains,
    intersect,
    span_on,
    starting,
    union,
    until,
)

BASE = date(2028, 2, 20)  # the days drawn run across 29 February
DAYS = [BASE + timedelta(days=n) for n in range(-3, 33)]  # every drawn day, and a few either side
SOME = settings(max_examples=cases(150), deadline=None, database=None)

day = st.integers(0, 30).map(lambda n: BASE + timedelta(days=n))
span = st.tuples(day, day)  # a span whose end is not after its first day is empty
spans = st.lists(span, max_size=6)


def days_of(raw: list[tuple[date, date]]) -> set[date]:
    return {d for first, end in raw for d in DAYS if first <= d < end}


def well_formed(s: Spans) -> bool:
    """Each span holds a day, and each ends before the next begins (sorted, disjoint, not touching)."""
    return all(first < end for first, end in s) and all(a[1] < b[0] for a, b in pairwise(s))


@SOME
@given(spans)
def test_a_union_holds_the_days_of_any_span_as_sorted_spans_that_do_not_touch(raw) -> None:
    u = union(raw)
    assert well_formed(u)
    assert {d for d in DAYS if contains(u, d)} == days_of(raw)


@SOME
@given(spans, spans)
def test_an_intersection_holds_the_days_in_both(a, b) -> None:
    both = intersect(union(a), union(b))
    assert well_formed(both)
    assert {d for d in DAYS if contains(both, d)} == days_of(a) & days_of(b)
    assert intersect(union(a), ALWAYS) == union(a) == intersect(ALWAYS, union(a))


@SOME
@given(spans)
def test_a_complement_holds_every_other_day_to_the_ends_of_the_calendar(raw) -> None:
    u = union(raw)
    c = complement(u)
    assert well_formed(c)
    assert all(contains(c, d) != (d in days_of(raw)) for d in DAYS)
    assert contains(c, date.min) and c[-1][1] == date.max
    assert complement(c) == u


class Fixed:
    """A stand-in for a rule test whose days are given."""

    def __init__(self, days: Spans) -> None:
        self.days = days

    def spans(self, record: object, links: object) -> Spans:
        return self.days


@SOME
@given(st.lists(st.one_of(spans.map(union), st.just(ALWAYS)), max_size=5))
def test_a_record_passes_several_tests_on_the_days_all_of_them_hold(each) -> None:
    days = spans_of(tuple(Fixed(s) for s in each), {}, NO_LINKS)  # type: ignore[arg-type]
    assert well_formed(days)
    assert {d for d in DAYS if contains(days, d)} == {d for d in DAYS if all(contains(s, d) for s in each)}
    if all(s == ALWAYS for s in each):
        assert days == ALWAYS


def test_the_complement_of_no_days_is_every_day_and_of_every_day_none() -> None:
    assert complement(NEVER) == ALWAYS
    assert complement(ALWAYS) == NEVER
    assert complement(((date.min, BASE),)) == ((BASE, date.max),)


@SOME
@given(spans, day)
def test_the_span_on_a_day_is_the_one_holding_it(raw, on) -> None:
    u = union(raw)
    found = span_on(u, on)
    assert found == next((s for s in u if s[0] <= on < s[1]), None)


def test_starting_is_every_day_from_a_date_and_none_without_one() -> None:
    assert starting(BASE) == ((BASE, date.max),)
    assert starting(None) == NEVER
    assert starting(date.max) == NEVER
    assert starting(date.max - timedelta(days=1)) == ((date.max - timedelta(days=1), date.max),)
    assert until(BASE) == ((date.min, BASE),)
