"""The days a record counts (spans) agree with the verdict of its rules on each of those days."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import SHIPPED_POLICY

from validator import rules, spans
from validator.policies import Policy, load_policy
from validator.rules import Context, Failed, run_rules
from validator.spans import ALWAYS, NEVER, contains, intersect, union

POLICIES = [SHIPPED_POLICY, *sorted((Path(__file__).parents[1] / "policies").glob("*.yaml"))]
FIRST, LAST = date(2027, 11, 1), date(2028, 4, 10)  # a range holding 29 February 2028


def _load(path: Path) -> Policy:
    policy, problems = load_policy(str(path))
    assert policy is not None, problems
    return policy


def _day(rng: random.Random) -> str:
    """A day near an edge: around the range, 29 February, a window's length before, or anywhere."""
    pivot = rng.choice(
        [date(2028, 2, 29), date(2027, 3, 1), date(2027, 2, 28), FIRST, LAST, date(2027, 12, 1)]
    )
    return (pivot + timedelta(days=rng.choice([-91, -90, -89, -1, 0, 1, rng.randint(-400, 400)]))).isoformat()


def _maybe(rng: random.Random, value: Any, often: float = 0.7) -> Any:
    return value if rng.random() < often else None


def _record(rng: random.Random) -> dict[str, Any]:
    """One record with every field any metric reads, each present or not, at random."""
    credentials = [
        {
            "name": rng.choice(["claude-certified-architect"] * 4 + ["claude-certified-developer", "other"]),
            "level": rng.choice(["foundations", "professional"]),
            "issued_on": _day(rng),
            "expires_on": _maybe(rng, _day(rng), 0.3),
        }
        for _ in range(rng.randint(0, 3))
    ]
    record = {
        "id": "r",
        "left_on": _maybe(rng, _day(rng), 0.25),
        "last_active_on": _maybe(rng, _day(rng)),
        "activity": [_day(rng) for _ in range(rng.randint(0, 3))],
        "credentials": [{k: v for k, v in c.items() if v is not None} for c in credentials],
        "stage": rng.choice(["production", "pilot"]),
        "live_on": _maybe(rng, _day(rng)),
        "retired_on": _maybe(rng, _day(rng), 0.25),
        "published_on": _maybe(rng, _day(rng)),
        "withdrawn_on": _maybe(rng, _day(rng), 0.25),
        "customer_named": rng.random() < 0.8,
        "consent": _maybe(rng, {"given_on": _day(rng)}),
        "result": rng.choice(["Cut handling time by 30%", " ", None]),
        "signed_on": _maybe(rng, _day(rng)),
        "expires_on": _maybe(rng, _day(rng)),
        "executive_sponsors": {"firm": "A", "anthropic": rng.choice(["B", ""])},
    }
    return {k: v for k, v in record.items() if v is not None}


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_a_record_counts_on_exactly_the_days_its_rules_pass(path: Path) -> None:
    policy = _load(path)
    rng = random.Random(path.stem)
    records = [_record(rng) for _ in range(100)]
    metrics = [m for m in policy.metrics if m.derived_from is None]
    on = FIRST
    while on <= LAST:
        ctx = Context.build(on, policy.doc)
        for metric in metrics:
            for record in records:
                passes = not isinstance(run_rules(list(metric.tests), record, ctx), Failed)
                assert contains(metric.spans(record), on) == passes, (metric.id, on, record)
        on += timedelta(days=1)


def test_spans_are_sorted_disjoint_and_merge_when_they_touch() -> None:
    d = date(2028, 2, 29)
    one = timedelta(days=1)
    assert union([(d + 5 * one, d + 9 * one), (d, d + 5 * one), (d + one, d + 2 * one)]) == (
        (d, d + 9 * one),
    )
    assert union([(d + 6 * one, d + 9 * one), (d, d + 5 * one)]) == (
        (d, d + 5 * one),
        (d + 6 * one, d + 9 * one),
    )
    assert union([(d, d)]) == NEVER


def test_intersect_keeps_only_the_days_in_both() -> None:
    d = date(2028, 2, 29)
    one = timedelta(days=1)
    a = ((d, d + 3 * one), (d + 5 * one, d + 9 * one))
    assert intersect(a, ((d + 2 * one, d + 6 * one),)) == (
        (d + 2 * one, d + 3 * one),
        (d + 5 * one, d + 6 * one),
    )
    assert intersect(a, ALWAYS) == a
    assert intersect(((d, d + one),), ((d + one, d + 2 * one),)) == NEVER


def test_the_span_half_open_end_is_the_first_day_out() -> None:
    d = date(2028, 2, 29)
    assert contains(((d, d + timedelta(days=1)),), d)
    assert not contains(((d, d + timedelta(days=1)),), d + timedelta(days=1))
    assert not contains(((d, d + timedelta(days=1)),), d - timedelta(days=1))


def test_every_rule_test_has_its_spans() -> None:
    assert spans.PRIMITIVES.keys() == rules.PRIMITIVES.keys()


def test_a_term_with_neither_start_nor_end_fails_on_every_day_instead_of_crashing() -> None:
    rule = {"test": "within_term", "start": "consent.given_on", "end": "withdrawn_on", "reason": "no-term"}
    rule["message"] = "is outside its term, which ends on {end}"
    policy = _load(SHIPPED_POLICY).doc
    record: dict[str, Any] = {"id": "s-1"}
    verdict = rules.compile_rule(rule)(record, Context.build(date(2028, 2, 29), policy))
    assert isinstance(verdict, Failed) and verdict.reason == "no-term"
    assert "(no consent.given_on)" in verdict.message
    assert spans.compile_spans([rule], policy)(record) == NEVER
