"""The timeline's day-by-day values (what the site's charts and the standing walk read) against `evaluate`:
sums, formulas, points and metrics judged by an expression, and the values it is given (found by
mutation testing, `nox -s mutation`)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import credential, customer, day, deployment, firm_of, person, policy_variant, story
from test_expressions import needs_cel

from validator.evaluate import Timeline, evaluate
from validator.language.model import Policy
from validator.policies import load_policies, load_policy

POLICIES = Path(__file__).resolve().parents[1] / "policies"
SCORE_TEXT = (POLICIES / "capability-score.yaml").read_text(encoding="utf-8")
RATIO = POLICIES / "cel" / "people-per-customer.yaml"

RETIRED = '        message: "retired on {value}, before the trailing year began on {first}"\n'
ACTIVE = '; the window is {window}"\n'  # the end of certified_people's last rule
NO_RESULT = '        message: "states no result"\n'
# a deployment counts only for a customer outside Asia Pacific, read through its link to the customer
OUTSIDE_APAC = (
    "      - test: not\n"
    "        rule: {test: in, field: customer.region, values: [apac]}\n"
    "        reason: customer-in-apac\n"
)


def expression(expr: str) -> str:
    return f"      - test: expression\n        expr: '{expr}'\n        reason: custom\n"


def score_policy(tmp_path: Path, *, by_day: bool) -> Policy:
    """The capability score, deployments read through their customer link; with `by_day`, people,
    deployments and stories are also judged by an expression, so every metric is worked out day by day."""
    text = SCORE_TEXT.replace(RETIRED, RETIRED + OUTSIDE_APAC, 1)
    if by_day:
        text = text.replace(ACTIVE, ACTIVE + expression('record.name != ""'), 1)
        text = text.replace(RETIRED, RETIRED + expression('record.stage == "production"'), 1)
        text = text.replace(NO_RESULT, NO_RESULT + expression('record.result.matches("[0-9]")'), 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy, problems = load_policy(str(path))
    assert policy is not None, problems
    assert policy.metrics[0].by_day is by_day
    return policy


def changing_firm() -> dict[str, Any]:
    """Records starting and stopping between 2026-06-15 and 2026-09-30: a credential that gives more
    points from 07-01, people joining and leaving, customers going live (one in Asia Pacific), a story
    withdrawn and one whose result states no number."""
    both = [credential(issued_on="2026-03-10"), credential(level="professional", issued_on="2026-06-01")]
    return firm_of(
        people=[
            person(0, active_on="2026-06-10", credentials=both),
            person(1, active_on="2026-08-01", issued_on="2026-07-20"),
            person(2, active_on="2026-07-05", left_on="2026-08-15"),
            person(3, active_on="2026-09-20", level="professional", issued_on="2026-09-01"),
        ],
        customers=[customer(0), customer(1, "apac"), customer(2, "amer")],
        deployments=[
            deployment(0, "c-0"),
            deployment(1, "c-1", live_on="2026-07-10"),
            deployment(2, "c-2", live_on="2026-08-05"),
            deployment(3, "c-0", stage="pilot"),
        ],
        stories=[
            story(0, "c-0", published_on="2026-06-01"),
            story(1, "c-0", published_on="2026-07-15", result="much faster"),
            story(2, "c-2", published_on="2026-08-20", withdrawn_on="2026-09-10", result="2x faster"),
        ],
    )


FIRST, LAST = date(2026, 6, 15), date(2026, 9, 30)
DAYS = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]


def changed_as_evaluate_says(policy: Policy, data: dict[str, Any]) -> set[str]:
    """Each metric's series is the value `evaluate` gives on each day; the metrics whose value changes."""
    timeline = Timeline(policy, data)
    results = [evaluate(policy, data, on) for on in DAYS]
    changed = set()
    for metric in policy.metrics:
        expected = [r.metrics[metric.id].value for r in results]
        assert timeline.series(metric, FIRST, LAST) == expected, metric.id
        changed |= {metric.id} if len(set(expected)) > 1 else set()
    return changed


@pytest.mark.parametrize("by_day", [False, pytest.param(True, marks=needs_cel)], ids=["spans", "expressions"])
def test_a_series_gives_each_day_the_value_evaluate_gives_for_points_sums_and_links(
    tmp_path: Path, by_day: bool
) -> None:
    changed = changed_as_evaluate_says(score_policy(tmp_path, by_day=by_day), changing_firm())
    assert changed == {
        "certified_people",
        "customers_in_production",
        "production_regions",
        "public_stories",
        "performance_points",
        "skilling_points",
        "success_points",
        "score",
    }


@needs_cel
def test_a_series_of_a_formula_gives_each_day_the_value_evaluate_gives() -> None:
    policy, problems = load_policy(str(RATIO))
    assert policy is not None, problems
    data = changing_firm()
    data["people"] = [person(i, active_on="2026-09-01", issued_on=f"2026-07-{10 + i}") for i in range(8)]
    assert "people_per_customer" in changed_as_evaluate_says(policy, data)


def test_after_the_day_known_a_series_counts_only_the_points_given_that_day(tmp_path: Path) -> None:
    both = [credential(issued_on="2026-03-10"), credential(level="professional", issued_on="2026-06-01")]
    data = firm_of(
        people=[
            person(0, active_on="2026-06-10", credentials=both),  # 1 point, and 3 from 07-01
            person(1, active_on="2026-06-10", issued_on="2026-07-20"),  # 1 point from 07-20
        ]
    )
    policy = score_policy(tmp_path, by_day=False)
    skilling = next(m for m in policy.metrics if m.id == "skilling_points")
    known = Timeline(policy, data, known_on=date(2026, 6, 15))
    assert known.series(skilling, date(2026, 6, 14), date(2026, 7, 25)) == [1] * 42
    assert Timeline(policy, data).value_on(skilling, date(2026, 7, 25)) == 4


D = date(2026, 11, 25)


def test_a_series_ending_on_the_day_a_record_starts_counting_counts_it_that_day() -> None:
    policy = load_policies().in_effect(D)
    certified = next(m for m in policy.metrics if m.id == "certified_people")
    data = firm_of(
        people=[person(0, active_on="2026-07-01"), person(1, active_on="2026-07-01", issued_on="2026-07-20")]
    )
    timeline = Timeline(policy, data)
    assert timeline.series(certified, date(2026, 7, 18), date(2026, 7, 20)) == [1, 1, 2]
    assert timeline.series(certified, date(2026, 7, 20), date(2026, 7, 21)) == [2, 2]


@needs_cel
def test_after_the_day_known_a_series_judged_by_expressions_gives_what_the_spans_give(tmp_path: Path) -> None:
    known_on = date(2026, 7, 12)
    spans = Timeline(score_policy(tmp_path, by_day=False), changing_firm(), known_on=known_on)
    judged = Timeline(score_policy(tmp_path, by_day=True), changing_firm(), known_on=known_on)
    for metric in judged.policy.metrics:
        expected = spans.series(spans.metrics[metric.id], FIRST, LAST)
        assert judged.series(metric, FIRST, LAST) == expected, metric.id


def test_a_threshold_of_zero_is_reached_with_no_record_counting(tmp_path: Path) -> None:
    path = policy_variant(
        tmp_path / "policy.yaml",
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 0}"),
    )
    policy = load_policies(path).in_effect(D)
    data = firm_of(
        customers=[customer(0), customer(1)], deployments=[deployment(0, "c-0"), deployment(1, "c-1")]
    )
    data["stories"] = [story(0, "c-0")]
    assert evaluate(policy, data, D).eligible_tier == "select"
    assert Timeline(policy, data).tier_on(D) == "select"


def test_a_count_of_keys_counts_two_records_of_one_key_once_on_the_timeline() -> None:
    policy = load_policies().in_effect(D)
    data = firm_of(
        people=[person(i) for i in range(10)],
        customers=[customer(0), customer(1)],
        # one customer live twice; the other live only next year
        deployments=[deployment(0, "c-0"), deployment(1, "c-0"), deployment(2, "c-1", live_on="2027-01-01")],
    )
    data["stories"] = [story(0, "c-0")]
    assert evaluate(policy, data, D).eligible_tier == "registered"  # Select needs 2 customers
    assert Timeline(policy, data).tier_on(D) == "registered"


@needs_cel
def test_after_the_day_known_points_judged_by_expressions_never_rise_as_a_credential_counts_later(
    tmp_path: Path,
) -> None:
    # known on 06-20, p-0 gives 1 point (Foundations); their Professional credential, issued 06-01, is
    # accepted from 07-01: not known on 06-20, so their points stay 1, as the spans' rows say
    known_on = date(2026, 6, 20)
    spans = Timeline(score_policy(tmp_path, by_day=False), changing_firm(), known_on=known_on)
    judged = Timeline(score_policy(tmp_path, by_day=True), changing_firm(), known_on=known_on)
    for metric in ("skilling_points", "score"):
        expected = spans.series(spans.metrics[metric], FIRST, LAST)
        assert judged.series(judged.metrics[metric], FIRST, LAST) == expected, metric
    skilling = judged.metrics["skilling_points"]
    assert judged.value_on(skilling, date(2026, 7, 1)) == judged.value_on(skilling, known_on)


def test_a_tier_asks_first_for_its_count_over_the_fewest_records() -> None:
    """Every requirement of a tier must hold, so the one over the fewest records is asked first: a firm
    whose only story is published after the day is not Select then, and no person's days are worked
    out to say so; with the story published, they are, and the firm is Select."""
    policy = load_policies().in_effect(D)
    people = [person(i) for i in range(12)]
    customers = [customer(i) for i in range(2)]
    deployments = [deployment(i, f"c-{i}") for i in range(2)]
    late = firm_of(
        people=people, customers=customers, deployments=deployments, stories=[story(1, published_on=day(1))]
    )
    timeline = Timeline(policy, late)
    assert timeline.tier_on(D) == "registered"
    assert "certified_people" not in timeline.spans
    published = Timeline(policy, {**late, "stories": [story(1)]})
    assert published.tier_on(D) == "select"
    assert len(published.spans["certified_people"]) == 10  # enough to reach Select's 10, no more
