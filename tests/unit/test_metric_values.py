"""Metric values beyond distinct counts: points per record, sums, caps, metrics of metrics, groups reaching
a floor. Each fixture is the shipped policy with one such change; the timeline agrees with `evaluate`."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import line_of
from support import (
    D,
    build_firm,
    cases,
    credential,
    customer,
    day,
    deployment,
    firm_of,
    person,
    policy_variant,
    refused_policy,
    story,
)

from validator.evaluate import Timeline, eligible_tier, evaluate
from validator.policies import load_policies, load_policy
from validator.result import Evaluation, evaluation_json

POLICIES = Path(__file__).resolve().parents[1] / "policies"
DOUBLE = "professional-counts-double.yaml"
HALF = "pilot-counts-half.yaml"
REGIONS = "five-customers-in-each-of-2-regions.yaml"
SCORE = "capability-score.yaml"
VALUE_KINDS = [DOUBLE, HALF, REGIONS, SCORE]


def run(name: str, data: dict[str, Any], as_of: date = D) -> Evaluation:
    policy = load_policies(POLICIES / name).in_effect(as_of)
    result = evaluate(policy, data, as_of)
    assert eligible_tier(policy, data, as_of) == result.eligible_tier
    return result


def professional(i: int, **options: Any) -> dict[str, Any]:
    return person(i, level="professional", issued_on="2026-07-10", **options)


def test_a_professional_counts_double_so_five_professionals_reach_select() -> None:
    data = build_firm(customers=2, stories=1)
    data["people"] = [professional(i) for i in range(5)]
    assert run(DOUBLE, data).eligible_tier == "select"
    data["people"] = [professional(i) for i in range(4)] + [person(4)]
    result = run(DOUBLE, data)
    assert (result.metrics["certified_people"].value, result.eligible_tier) == (9, "registered")


def test_a_professional_credential_not_yet_counting_gives_the_foundations_point() -> None:
    # Professional counts from 2026-07-01: on 2026-06-30 a holder of both levels gives 1, on 07-01 2.
    both = person(
        0,
        active_on="2026-06-29",
        credentials=[
            credential(issued_on="2026-03-10"),
            credential(level="professional", issued_on="2026-06-01"),
        ],
    )
    data = firm_of(people=[both])
    before = run(DOUBLE, data, date(2026, 6, 30)).metrics["certified_people"]
    after = run(DOUBLE, data, date(2026, 7, 1)).metrics["certified_people"]
    assert (before.value, before.counted[0].points) == (1, 1)
    assert (after.value, after.counted[0].points) == (2, 2)


def test_each_counted_record_shows_the_points_it_gives_in_the_json() -> None:
    data = firm_of(people=[professional(0), person(1)])
    doc = evaluation_json(run(DOUBLE, data))
    assert [(o["id"], o["points"]) for o in doc["metrics"]["certified_people"]["counted"]] == [
        ("p-0", 2),
        ("p-1", 1),
    ]
    assert (
        "points"
        not in evaluation_json(evaluate(load_policies().in_effect(D), data, D))["metrics"][
            "certified_people"
        ]["counted"][0]
    )


def test_a_pilot_counts_half_and_a_customer_gives_its_best_deployment() -> None:
    data = build_firm(people=10, stories=1)
    data["customers"] = [customer(i) for i in range(4)]
    data["deployments"] = [
        deployment(0, "c-0"),
        deployment(1, "c-1", stage="pilot"),
        deployment(2, "c-2", stage="pilot"),
        deployment(3, "c-3", stage="proof-of-concept"),  # gives nothing
        deployment(4, "c-0", stage="pilot"),  # c-0 already gives 1 through its production deployment
    ]
    result = run(HALF, data)
    assert (result.metrics["weighted_customers"].value, result.eligible_tier) == (2, "select")
    assert (
        run(HALF, {**data, "deployments": data["deployments"][:2]}).metrics["weighted_customers"].value == 1.5
    )
    assert evaluate(load_policies().in_effect(D), data, D).eligible_tier == "registered"  # 1 in production


def test_a_fractional_value_falls_short_of_a_whole_threshold() -> None:
    data = build_firm(people=10, stories=1)
    data["customers"] = [customer(i) for i in range(3)]
    data["deployments"] = [deployment(0, "c-0"), deployment(1, "c-1", stage="pilot")]
    result = run(HALF, data)
    assert result.eligible_tier == "registered"
    assert [(r.value, r.shortfall) for r in result.next_tier.requirements if not r.met] == [(1.5, 0.5)]


@pytest.mark.parametrize(
    ("regions", "value", "tier"),
    [
        (("emea",) * 15, 1, "select"),
        (("emea",) * 10 + ("amer",) * 5, 2, "preferred"),
        (("emea",) * 11 + ("amer",) * 4, 1, "select"),
        (("emea",) * 5 + ("amer",) * 5 + ("apac",) * 5, 3, "preferred"),
    ],
)
def test_preferred_needs_five_customers_in_each_of_two_regions(regions, value, tier) -> None:
    data = build_firm(people=100, customers=len(regions), stories=3)
    data["customers"] = [customer(i, r) for i, r in enumerate(regions)]
    result = run(REGIONS, data)
    assert (result.metrics["regions_with_5_customers"].value, result.eligible_tier) == (value, tier)


def test_a_score_is_the_sum_of_its_capped_categories() -> None:
    data = build_firm(customers=20, stories=7)  # 40 performance points capped at 30; 35 success, at 30
    data["people"] = [professional(i) for i in range(10)] + [person(i) for i in range(10, 25)]  # 45 -> 40
    m = run(SCORE, data).metrics
    assert [m[k].value for k in ("performance_points", "skilling_points", "success_points", "score")] == [
        30,
        40,
        30,
        100,
    ]
    assert m["score"].sum_of == ("performance_points", "skilling_points", "success_points")


def test_the_score_decides_select_when_everything_else_is_met() -> None:
    data = build_firm(people=10, customers=2, stories=1)  # 10 + 4 + 5 = 19
    result = run(SCORE, data)
    assert (result.metrics["score"].value, result.eligible_tier) == (19, "registered")
    data["people"] = [professional(i) for i in range(10)]  # 30 + 4 + 5 = 39
    result = run(SCORE, data)
    assert (result.metrics["score"].value, result.eligible_tier) == (39, "select")


def test_a_derived_points_metric_lists_the_records_of_its_source_with_their_points() -> None:
    data = build_firm(people=1, customers=1, stories=0)
    data["people"].append(professional(1))
    skilling = run(SCORE, data).metrics["skilling_points"]
    assert [(o.id, o.points, o.metric) for o in skilling.counted] == [
        ("p-0", 1, "skilling_points"),
        ("p-1", 3, "skilling_points"),
    ]


# --- the timeline gives the value `evaluate` gives, on any day --------------------------------------


def _day(rng: random.Random) -> str:
    return (date(2026, 6, 1) + timedelta(days=rng.randint(0, 600))).isoformat()


def _firm(rng: random.Random) -> dict[str, Any]:
    """A firm whose records start and stop counting on random days, with both credential levels,
    every stage, several regions and customers with more than one deployment."""
    people = []
    for i in range(rng.randint(0, 14)):
        creds = [
            credential(
                level=rng.choice(["foundations", "professional"]),
                issued_on=_day(rng),
                expires_on=rng.choice([None, _day(rng)]),
            )
            for _ in range(rng.randint(0, 3))
        ]
        people.append(
            person(i, active_on=_day(rng), credentials=creds, left_on=rng.choice([None, None, _day(rng)]))
        )
    customers = [customer(i, rng.choice(["emea", "amer", "apac"])) for i in range(rng.randint(0, 12))]
    deployments = [
        deployment(
            i,
            rng.choice(customers)["id"],
            stage=rng.choice(["production", "production", "pilot", "proof-of-concept"]),
            live_on=_day(rng),
            retired_on=rng.choice([None, None, _day(rng)]),
        )
        for i in range(rng.randint(0, 16) if customers else 0)
    ]
    stories = [story(i, published_on=_day(rng), withdrawn_on=rng.choice([None, _day(rng)])) for i in range(4)]
    return firm_of(people=people, customers=customers, deployments=deployments, stories=stories)


@pytest.mark.parametrize("name", VALUE_KINDS)
def test_the_timeline_gives_every_metric_the_value_evaluate_gives_on_every_day(name: str) -> None:
    policy, problems = load_policy(str(POLICIES / name))
    assert policy is not None, problems
    rng = random.Random(name)
    checked = 0
    for _ in range(cases(10)):
        data = _firm(rng)
        timeline = Timeline(policy, data)
        for offset in range(0, 600, 9):
            on = date(2026, 6, 1) + timedelta(days=offset)
            result = evaluate(policy, data, on)
            for metric in policy.metrics:
                assert timeline.value_on(metric, on) == result.metrics[metric.id].value, (metric.id, on)
                checked += result.metrics[metric.id].value > 0
            assert timeline.tier_on(on) == result.eligible_tier, on
    assert checked > cases(300)  # the firms gave the metrics something to count


# --- policy check refuses what would silently mean nothing --------------------------------------------

SCORE_TEXT = (POLICIES / SCORE).read_text(encoding="utf-8")


def refused(tmp_path: Path, old: str, new: str) -> tuple[str, Any]:
    text, (problem,) = refused_policy(tmp_path, SCORE_TEXT, (old, new))
    return text, problem


def test_points_read_from_an_item_need_an_any_rule_over_that_list(tmp_path) -> None:
    text, problem = refused(tmp_path, "{of: credentials, field: level", "{of: credential, field: level")
    assert problem.line == line_of(text, "{of: credential, field")
    assert problem.message == (
        "points read the best counting item of 'credential', but no 'any' rule of the metric tests that "
        "list (its 'any' rules test: credentials)"
    )


def test_a_sum_of_a_metric_no_one_declares_is_unknown_with_the_closest_one(tmp_path) -> None:
    text, problem = refused(tmp_path, "sum: [performance_points,", "sum: [performance_pts,")
    line = line_of(text, "sum: [performance_pts")
    assert (problem.line, problem.col) == (line, text.splitlines()[line - 1].index("performance_pts") + 1)
    assert problem.message == "unknown metric 'performance_pts'; did you mean 'performance_points'?"


def test_a_sum_names_only_metrics_declared_before_it(tmp_path) -> None:
    text, problem = refused(tmp_path, "success_points]", "joint_business_plan]")
    assert (problem.line, problem.message) == (
        line_of(text, "sum: [performance_points"),
        "metric 'joint_business_plan' must be declared before 'score' sums it",
    )


def test_from_cannot_name_a_sum_which_has_no_records(tmp_path) -> None:
    text, problem = refused(
        tmp_path,
        "  - id: joint_business_plan\n",
        "  - id: score_again\n    from: score\n\n  - id: joint_business_plan\n",
    )
    assert (problem.line, problem.message) == (
        line_of(text, "from: score"),
        "metric 'score' is a sum of metrics; 'from' must name a metric with 'records'",
    )


def test_a_sum_has_no_records_or_rules_of_its_own(tmp_path) -> None:
    _, problem = refused(
        tmp_path, "    sum: [performance_points", "    records: people\n    sum: [performance_points"
    )
    assert problem.path.startswith("$.metrics[")


def test_a_group_floor_needs_group_by(tmp_path) -> None:
    _, problem = refused(tmp_path, "    points: 5\n", "    points: 5\n    groups_with_at_least: 2\n")
    assert "group_by" in problem.message


def test_the_evidence_markdown_lists_the_points_of_each_record_and_the_parts_of_a_sum() -> None:
    from validator.render.evidence import render_markdown

    data = build_firm(people=1, customers=1, stories=1)
    data["people"].append(professional(1))
    policy = load_policies(POLICIES / SCORE).in_effect(D)
    text = render_markdown(run(SCORE, data), policy)
    assert (
        "Points each counted record gives (by level of the best counting item of credentials: "
        "professional 3, otherwise 1); the value is capped at 40:"
    ) in text
    assert "| Person 1 | `p-1` | 3 |" in text
    assert "The sum of Performance points (2), Skilling points (4), Customer success points (5)." in text


def test_policy_diff_names_a_change_of_points_cap_or_sum() -> None:
    from validator.language.diff import describe_changes

    shipped = load_policies().versions[0]
    double = load_policies(POLICIES / DOUBLE).versions[0]
    assert describe_changes(shipped, double) == [
        "metric 'certified_people': points none -> by level of the best counting item of credentials: "
        "professional 2, otherwise 1"
    ]
    score = load_policies(POLICIES / SCORE).versions[0]
    capped = next(m for m in score.metrics if m.id == "skilling_points")
    wider = replace(score, metrics=tuple(replace(m, at_most=50) if m is capped else m for m in score.metrics))
    assert describe_changes(score, wider) == ["metric 'skilling_points': at_most 40 -> 50"]


def test_points_keyed_by_a_field_the_item_cannot_have_are_refused(tmp_path) -> None:
    text, problem = refused(tmp_path, "{of: credentials, field: level,", "{of: credentials, field: levle,")
    assert problem.line == line_of(text, "field: levle")
    assert problem.message.startswith(
        "'levle': this record has no field 'levle'; its fields: expires_on, id,"
    )


def test_a_key_read_through_a_link_on_a_metrics_own_records_counts_and_puts_at_risk_by_that_key(
    tmp_path: Path,
) -> None:
    # production customers keyed by their customer's region: two regions; the one Americas deployment
    # retired a year ago leaves the trailing year within the horizon, the two EMEA ones never do
    variant = policy_variant(tmp_path / "p.yaml", ("    key: customer\n", "    key: customer.region\n"))
    policy = load_policies(variant).in_effect(D)
    data = firm_of(
        customers=[customer(0, "emea"), customer(1, "amer"), customer(2, "emea")],
        deployments=[
            deployment(0, "c-0"),
            deployment(1, "c-1", retired_on=day(-360)),
            deployment(2, "c-2"),
        ],
    )
    e = evaluate(policy, data, D)
    assert e.metrics["customers_in_production"].value == 2
    assert [(o.metric, o.id) for o in e.at_risk] == [("customers_in_production", "d-1")]
