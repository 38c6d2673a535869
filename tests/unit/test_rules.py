"""Each rule test's two readings agree: the days a record passes (spans) hold exactly the days its verdict
passes, a pass's drop-out date is where its span ends, and the reason it drops out is the verdict on that
day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import MUTATING, SHIPPED_POLICY

from validator.dates import Term
from validator.language.model import Policy
from validator.language.rules import (
    NO_LINKS,
    TESTS,
    Context,
    Failed,
    Links,
    RuleTest,
    Scope,
    Via,
    compile_rules,
    judge,
)
from validator.language.spans import ALWAYS, NEVER, contains, intersect, span_on, union
from validator.policies import load_policy

ROOT = Path(__file__).parents[2]
POLICIES = [
    SHIPPED_POLICY,
    *sorted((ROOT / "tests" / "policies").glob("*.yaml")),
    *sorted((ROOT / "examples" / "programs").glob("*/policy/*.yaml")),
]
FIRST, LAST = date(2027, 11, 1), date(2028, 4, 10)  # a range holding 29 February 2028
STEP = 3 if MUTATING else 1  # every day; under mutation testing every third, 29 February among them
# Fields holding the day something starts: a record none of whose starts lies after D cannot begin to
# pass again later, so its span on D ends exactly on the verdict's drop-out date.
STARTS = {"issued_on", "last_active_on", "activity", "live_on", "published_on", "given_on", "signed_on"}


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
    """One record with every field any metric reads, each present or not, at random; up to five
    credentials, often overlapping."""
    credentials = [
        {
            "name": rng.choice(["claude-certified-architect"] * 4 + ["claude-certified-developer", "other"]),
            "level": rng.choice(["foundations", "professional"]),
            "issued_on": _day(rng),
            "expires_on": _maybe(rng, _day(rng), 0.3),
        }
        for _ in range(rng.choice([0, 1, 1, 2, 3, 3, 4, 5]))
    ]
    record = {
        "id": "r",
        "left_on": _maybe(rng, _day(rng), 0.25),
        "last_active_on": _maybe(rng, _day(rng)),
        "activity": [_day(rng) for _ in range(rng.randint(0, 3))],
        "credentials": [{k: v for k, v in c.items() if v is not None} for c in credentials],
        "stage": rng.choice(["production", "pilot"]),
        "customer": rng.choice(["c-amer", "c-apac", "c-none", None]),
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


def _latest_start(value: Any, key: str = "") -> str:
    """The latest date under a start field anywhere in the record ('' if none)."""
    if isinstance(value, dict):
        return max((_latest_start(v, k) for k, v in value.items()), default="")
    if isinstance(value, list):
        return max((_latest_start(v, key) for v in value), default="")
    return value if key in STARTS and isinstance(value, str) else ""


def _drop(verdict: Any) -> date:
    """A passing verdict's drop-out date, date.max for 'not known to drop out'."""
    drop = verdict.drop if isinstance(verdict, Via) else verdict
    return date.max if drop is None else drop


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_a_record_counts_exactly_while_its_rules_pass_and_drops_out_for_their_reason(path: Path) -> None:
    """The reason a record drops out, worked out from the rule that decided its drop-out date, is the
    verdict of all its rules on that day."""
    policy = _load(path)
    rng = random.Random(path.stem)
    records = [_record(rng) for _ in range(100)]
    metrics = [m for m in policy.metrics if m.derived_from is None]
    links = Links(
        policy.links, {"customers": [{"id": "c-amer", "region": "amer"}, {"id": "c-apac", "region": "apac"}]}
    )
    spans = {(m.id, i): m.spans(r, links) for m in metrics for i, r in enumerate(records)}
    latest = [_latest_start(r) for r in records]
    settled = reasons = 0
    on = FIRST
    while on <= LAST:
        ctx = Context.build(on, policy.windows, links)
        for metric in metrics:
            for i, record in enumerate(records):
                verdict, decider = judge(metric.rules, record, ctx)
                days = spans[metric.id, i]
                assert contains(days, on) == (not isinstance(verdict, Failed)), (metric.id, on, record)
                if isinstance(verdict, Failed):
                    continue
                if _drop(verdict) < date.max and on.toordinal() % 5 == 0:
                    out = Context.build(_drop(verdict), policy.windows, links)
                    reason = metric.verdict(record, out)
                    expected = reason if isinstance(reason, Failed) else None
                    assert metric.drop_reason(record, decider, out) == expected, (metric.id, on, record)
                    reasons += expected is not None
                end = span_on(days, on)[1]  # type: ignore[index]
                if latest[i] <= ctx.iso:
                    settled += 1
                    assert end == _drop(verdict), (metric.id, on, record)
                else:  # something starts later: the record may pass on past its drop-out date
                    assert end >= _drop(verdict), (metric.id, on, record)
        on += timedelta(days=STEP)
    assert settled > 1000 // STEP  # the exact drop-out check ran often
    assert reasons > 100 // STEP  # so did the drop-out reason's


def _person_rules() -> tuple[RuleTest, ...]:
    """The shipped policy's credential rule alone: some credential accepted, issued and in its term."""
    policy = _load(SHIPPED_POLICY)
    certified = next(m for m in policy.metrics if m.id == "certified_people")
    return tuple(r for r in certified.rules if r.test == "any")


def _cred(issued: str, expires: str) -> dict[str, Any]:
    return {
        "name": "claude-certified-architect",
        "level": "foundations",
        "issued_on": issued,
        "expires_on": expires,
    }


LONGEST = _cred("2027-03-01", "2028-12-31")
SHORT = [_cred("2027-01-01", "2027-09-01"), _cred("2027-06-01", "2028-01-01")]


@pytest.mark.parametrize("where", [0, 1, 2])
def test_three_overlapping_credentials_count_through_the_longest_lasting_wherever_it_is_listed(
    where: int,
) -> None:
    (rule,) = _person_rules()
    creds = [*SHORT]
    creds.insert(where, LONGEST)
    verdict = rule.verdict({"credentials": creds}, Context.build(date(2027, 7, 1), {}))
    assert verdict == Via(date(2028, 12, 31), LONGEST)
    assert rule.spans({"credentials": creds}, NO_LINKS) == ((date(2027, 1, 1), date(2028, 12, 31)),)


def test_a_credential_nested_inside_the_last_of_three_loses_no_days() -> None:
    (rule,) = _person_rules()
    creds = [
        _cred("2027-01-01", "2027-04-01"),
        _cred("2027-03-01", "2028-03-01"),
        _cred("2027-05-01", "2027-06-01"),  # inside the second, which starts last of the first two
    ]
    assert rule.spans({"credentials": creds}, NO_LINKS) == ((date(2027, 1, 1), date(2028, 3, 1)),)
    ctx = Context.build(date(2027, 5, 15), {})
    assert rule.verdict({"credentials": creds}, ctx) == Via(date(2028, 3, 1), creds[1])


@pytest.mark.parametrize("teams", [1, 2])
def test_an_item_passing_through_an_item_of_its_own_counts_until_that_one_drops_out(teams: int) -> None:
    """`any` inside `any`: the record counts through its item, until the inner item it passes through
    drops out (one outer item, and two of which the second lasts longer)."""
    scope = Scope(windows={}, default_term=Term(months=12), accepted={}, links={})
    stays = {"test": "absent_or_after", "field": "left_on", "reason": "left", "message": "left"}
    members = {"test": "any", "of": "members", "reason": "none", "message": "none", "rules": [stays]}
    (rule,) = compile_rules(
        [{"test": "any", "of": "teams", "reason": "x", "message": "x", "rules": [members]}], scope
    )
    days = ["2027-03-01", "2027-05-01"][:teams]
    record = {"teams": [{"members": [{"left_on": d}]} for d in days]}
    verdict = rule.verdict(record, Context.build(date(2027, 1, 1), {}))
    assert verdict == Via(date.fromisoformat(days[-1]), record["teams"][-1])


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


def test_a_span_nested_in_the_last_of_three_keeps_the_union_whole() -> None:
    d = date(2028, 2, 29)
    one = timedelta(days=1)
    spans = [(d, d + 3 * one), (d + 2 * one, d + 20 * one), (d + 4 * one, d + 6 * one)]
    assert union(spans) == ((d, d + 20 * one),)
    assert union(reversed(spans)) == ((d, d + 20 * one),)


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


def test_every_rule_test_is_registered_under_the_name_policies_use() -> None:
    assert all(name == cls.test for name, cls in TESTS.items())
    assert set(TESTS) >= {"on_or_before", "in_window", "within_term", "accepted_credential", "any"}


def test_a_term_with_neither_start_nor_end_fails_on_every_day_instead_of_crashing() -> None:
    rule = {"test": "within_term", "start": "consent.given_on", "end": "withdrawn_on", "reason": "no-term"}
    rule["message"] = "is outside its term, which ends on {end}"
    (test,) = compile_rules([rule], Scope({}, Term(months=12), {}, {}))
    record: dict[str, Any] = {"id": "s-1"}
    verdict = test.verdict(record, Context.build(date(2028, 2, 29), {}))
    assert isinstance(verdict, Failed) and verdict.reason == "no-term"
    assert "(no consent.given_on)" in verdict.message
    assert test.spans(record, NO_LINKS) == NEVER


def test_present_means_not_absent_empty_or_blank() -> None:
    from validator.language.rules import is_present

    assert [is_present(v) for v in (None, "", {}, [], "  \t")] == [False] * 5
    assert [is_present(v) for v in ("x", 0, False, [""], {"a": None})] == [True] * 5


def test_in_holds_for_a_listed_plain_value_or_a_list_holding_one() -> None:
    (rule,) = compile_rules(
        [{"test": "in", "field": "region", "values": ["emea", "amer"]}], Scope({}, Term(months=12), {}, {})
    )
    ctx = Context.build(date(2028, 2, 29), {})
    for value in ("emea", ["apac", "amer"]):
        assert (
            rule.verdict({"region": value}, ctx) is None and rule.spans({"region": value}, NO_LINKS) == ALWAYS
        )
    for value in ("apac", ["apac", ["emea"]], {"emea": 1}, None):
        assert isinstance(rule.verdict({"region": value}, ctx), Failed)
        assert rule.spans({"region": value}, NO_LINKS) == NEVER


def test_a_term_is_written_in_days_or_months() -> None:
    from validator.language.rules import term_of

    assert term_of({"days": 30}) == Term(30, 0)
    assert term_of({"months": 6}) == Term(0, 6)
