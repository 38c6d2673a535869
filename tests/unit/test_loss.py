"""The first day the eligible tier would be lost: one answer for evaluate's `loss` and the site's chart."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
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
    story,
    tier_of_values,
)
from test_expressions import needs_cel

from validator.cli import main
from validator.evaluate import Timeline, evaluate
from validator.loader import parse_located, read_source
from validator.loss import _without
from validator.policies import PolicySet, load_policies
from validator.render.text import loss_sentence
from validator.site import AHEAD_DAYS, assess, daily

PROGRAMS = Path(__file__).resolve().parents[2] / "examples" / "programs"
POINTS = PROGRAMS / "points"
TWO_WAYS = Path(__file__).resolve().parents[1] / "policies" / "select-either-of-two-ways.yaml"
DOUBLE = TWO_WAYS.parent / "professional-counts-double.yaml"
RATIO = Path(__file__).resolve().parents[1] / "policies" / "cel" / "people-per-customer.yaml"
MEASURED = RATIO.parent / "measured-results.yaml"  # stories judged by an expression
SHIPPED = load_policies()


def points_firm(name: str) -> dict[str, Any]:
    data: dict[str, Any] = parse_located(read_source(POINTS / "firms" / name)).data
    return data


def test_a_points_score_falling_below_its_threshold_is_a_loss_with_its_day_and_the_drop_doing_it() -> None:
    # 16 people all go stale on 2027-01-31; the score needs 70: the second Professional (3 points)
    # to drop takes it from 74 to 68; with all 16 gone that day the score is 34
    policies = load_policies(POINTS / "policy")
    data = points_firm("summit-partners.yaml")
    loss = evaluate(policies.in_effect(D), data, D).loss
    assert loss is not None
    assert (loss.on, loss.tier, loss.metric, loss.left, loss.threshold, loss.record.id, loss.others) == (
        date(2027, 1, 31),
        "Solutions Partner",
        "Capability score",
        34,
        70,
        "p-02",
        15,
    )
    e = assess(policies, "summit-partners.yaml", "", data, D)
    assert daily(policies, data, e, [], []).lost_on == loss.on
    assert evaluate(policies.in_effect(loss.on), data, loss.on).metrics["score"].value == loss.left


def test_evaluate_says_when_and_why_the_points_tier_would_be_lost(capsys) -> None:
    code = main(
        [
            "evaluate",
            str(POINTS / "firms" / "summit-partners.yaml"),
            "--policy",
            str(POINTS / "policy"),
            "--as-of",
            D.isoformat(),
        ]
    )
    assert code == 0
    assert (
        "  eligible for Solutions Partner until 2027-01-30 if nothing changes: on 2027-01-31, capability "
        "score: 34, below the 70 Solutions Partner needs, when Ravi Haddad [p-02] drops out: last used "
        "Claude on 2026-11-02, 90 days before 2027-01-31; the window is the last 90 days, and 15 more drop "
        "out that day\n"
    ) in capsys.readouterr().out


def two_ways_firm(leaving: int, retiring: int) -> dict[str, Any]:
    """Select both ways (10 people and 2 customers, or 5 and 4), everyone active on the as-of date (so
    stale 90 days on): `leaving` people leave on day 20, `retiring` deployments (retired on 2026-01-10)
    drop out of the trailing year on 2027-01-10."""
    data = build_firm(people=10, customers=4, stories=1, active_on=D.isoformat())
    for p in data["people"][:leaving]:
        p["left_on"] = day(20)
    for d in data["deployments"][:retiring]:
        d.update(live_on="2025-06-01", retired_on="2026-01-10")
    return data


def test_a_tier_losing_one_of_its_ways_while_another_still_holds_is_not_lost_that_day() -> None:
    policy = load_policies(TWO_WAYS).in_effect(D)
    e = evaluate(policy, two_ways_firm(leaving=5, retiring=0), D)
    # five people leave on day 20: way 1 (10 people) goes, way 2 (5 people, 4 customers) holds until
    # the five left go stale on day 90; the way said is the one that held the day before
    assert e.eligible_tier == "select" and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.left, loss.threshold, loss.record.id) == (D + timedelta(days=90), 0, 5, "p-5")
    assert loss.alternatives == (
        "alternative 2 of 2: certified people at least 5 and customers in production at least 4",
    )


def test_a_tier_losing_every_way_is_lost_and_says_the_way_closest_that_day() -> None:
    policy = load_policies(TWO_WAYS).in_effect(D)
    loss = evaluate(policy, two_ways_firm(leaving=5, retiring=3), D).loss
    # on 2027-01-10 five people are left (way 2 still has them) and the customers fall from 4:
    # the first of the three to drop takes way 2 below its 4; with all three gone, 1 is left
    assert loss is not None
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.record.id, loss.others) == (
        date(2027, 1, 10),
        "Customers in production",
        1,
        4,
        "d-0",
        2,
    )
    assert loss.alternatives == (
        "alternative 2 of 2: certified people at least 5 and customers in production at least 4",
    )
    assert "below the 4 Select needs (alternative 2 of 2: certified people at least 5 and " in (
        loss_sentence(loss)
    )


def points_firm_with_a_story(withdrawn_on: str) -> dict[str, Any]:
    """Score 75 under the points program: 15 customers (30), 14 Professionals (40), one story (5)."""
    pro = [credential(level="professional", issued_on="2026-07-20")]
    return firm_of(
        people=[person(i, credentials=pro) for i in range(14)],
        customers=[customer(i) for i in range(15)],
        deployments=[deployment(i, f"c-{i}") for i in range(15)],
        stories=[story(0, "c-0", withdrawn_on=withdrawn_on)],
    )


def test_a_metric_of_another_metrics_records_falling_below_its_threshold_loses_the_tier() -> None:
    # the story withdrawn: the score keeps 70, but success points (from the stories) fall to 0 of 1
    policy = load_policies(POINTS / "policy").in_effect(D)
    e = evaluate(policy, points_firm_with_a_story(withdrawn_on=day(30)), D)
    assert e.eligible_tier == "solutions-partner" and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.record.id) == (
        D + timedelta(days=30),
        "Customer success points",
        0,
        1,
        "s-0",
    )


def test_a_loss_on_the_last_day_of_the_horizon_is_shown_and_one_day_past_it_is_not(tmp_path: Path) -> None:
    data = build_firm(people=10, customers=2, stories=1, active_on=D.isoformat())  # stale on D + 90
    loss = evaluate(SHIPPED.in_effect(D), data, D).loss
    assert loss is not None and loss.on == D + timedelta(days=90) == date(2027, 2, 23)
    shorter = policy_variant(tmp_path / "p.yaml", ("at_risk_days: 90", "at_risk_days: 89"))
    assert evaluate(load_policies(shorter).in_effect(D), data, D).loss is None


def test_a_points_loss_on_the_last_day_of_the_horizon_is_shown_and_one_day_past_it_is_not(
    tmp_path: Path,
) -> None:
    """The points program's loss is found by asking days (no count to read it off): summit-partners
    loses Solutions Partner on 2027-01-31, D + 67."""
    text = (POINTS / "policy" / "points-2026-03-01.yaml").read_text(encoding="utf-8")
    data = points_firm("summit-partners.yaml")
    for horizon, lost in ((67, date(2027, 1, 31)), (66, None)):
        folder = tmp_path / str(horizon)
        folder.mkdir()
        (folder / "p.yaml").write_text(text.replace("at_risk_days: 90", f"at_risk_days: {horizon}", 1))
        loss = evaluate(load_policies(folder).in_effect(D), data, D).loss
        assert (loss.on if loss else None) == lost


def retired_to_drop_on(offset: int) -> str:
    """A retirement date after which a deployment counts (its trailing year) until D + `offset`."""
    drops = D + timedelta(days=offset)
    return drops.replace(year=drops.year - 1).isoformat()


@pytest.mark.parametrize(
    "drops,lost",
    [
        # a customer counts until the last of its deployments drops out: c-1 keeps counting to +80,
        # but two customers are needed and c-0 stops at +30
        ({"c-0": [30], "c-1": [60, 80]}, 30),
        # c-1's later deployment listed first: c-1 counts to +80, not to the last listed one's +60
        ({"c-0": [None], "c-1": [80, 60]}, 80),
    ],
)
def test_a_count_by_key_falls_when_the_last_record_of_a_key_drops_out(
    drops: dict[str, list[int | None]], lost: int
) -> None:
    deployments = [
        deployment(
            f"{c}-{i}", c, live_on="2025-01-01", retired_on=None if n is None else retired_to_drop_on(n)
        )
        for c, offsets in drops.items()
        for i, n in enumerate(offsets)
    ]
    data = firm_of(
        people=[person(i) for i in range(10)],  # inactive from D + 89
        customers=[customer(0), customer(1)],
        deployments=deployments,
        stories=[story(0, "c-0")],
    )
    loss = evaluate(SHIPPED.in_effect(D), data, D).loss
    assert loss is not None
    assert (loss.on, loss.metric) == (D + timedelta(days=lost), "Customers in production")


def test_a_tier_held_one_way_while_the_other_is_short_already_is_lost_the_day_that_way_fails() -> None:
    # 5 people: way 1 (10 people, 2 customers) is short on D; way 2 (5 people, 4 customers) holds
    # until one of the 4 customers' deployments drops out, the day after D
    data = firm_of(
        people=[person(i) for i in range(5)],
        customers=[customer(i) for i in range(4)],
        deployments=[
            deployment(0, "c-0", live_on="2025-01-01", retired_on=retired_to_drop_on(1)),
            *(deployment(i, f"c-{i}") for i in range(1, 4)),
        ],
        stories=[story(0, "c-0")],
    )
    loss = evaluate(load_policies(TWO_WAYS).in_effect(D), data, D).loss
    assert loss is not None and (loss.on, loss.record.id) == (D + timedelta(days=1), "d-0")


def test_a_threshold_of_0_is_never_the_one_lost(tmp_path: Path) -> None:
    # Select asks for at least 0 stories: the one story withdrawn on D + 20 takes nothing from it;
    # the people going stale on D + 89 do
    zero = policy_variant(
        tmp_path / "p.yaml",
        ("{metric: public_stories, at_least: 1}", "{metric: public_stories, at_least: 0}"),
    )
    data = build_firm(people=10, customers=2, stories=0)
    data["stories"] = [story(0, "c-0", withdrawn_on=day(20))]
    loss = evaluate(load_policies(zero).in_effect(D), data, D).loss
    assert loss is not None and (loss.on, loss.metric) == (D + timedelta(days=89), "Certified people")


MEASURED_RULE = """      - test: expression
        expr: 'record.result.matches("[0-9]")'
        reason: result-not-measured
"""


@needs_cel
def test_with_an_expression_asking_every_day_the_loss_is_looked_for_up_to_the_horizon_and_not_past_it(
    tmp_path: Path,
) -> None:
    # the points program with stories judged by an expression, so each day ahead is asked: 15
    # customers give 30, one story 5, twelve Professionals 36 (71); p-0's Professional credential
    # expires on D + 31 while a Foundations one still counts (69: below 70), which a 31-day horizon
    # reaches and a 30-day one does not
    pro = credential(level="professional", issued_on="2026-07-20")
    expiring = credential(level="professional", issued_on="2026-07-20", expires_on=day(31))
    data = firm_of(
        people=[
            person(0, credentials=[expiring, credential()]),
            *(person(i, credentials=[pro]) for i in range(1, 12)),
        ],
        customers=[customer(i) for i in range(15)],
        deployments=[deployment(i, f"c-{i}") for i in range(15)],
        stories=[story(0, "c-0")],
    )
    rules = "    rules:   # choice: stories do not expire\n"
    for days, lost in ((31, D + timedelta(days=31)), (30, None)):
        text = (POINTS / "policy" / "points-2026-03-01.yaml").read_text(encoding="utf-8")
        text = text.replace(rules, rules + MEASURED_RULE).replace("at_risk_days: 90", f"at_risk_days: {days}")
        (tmp_path / f"{days}.yaml").write_text(text, encoding="utf-8")
        policy = load_policies(tmp_path / f"{days}.yaml").in_effect(D)
        assert Timeline(policy, data).by_day == {"public_stories"}
        e = evaluate(policy, data, D)
        assert e.eligible_tier == "solutions-partner" and (e.loss.on if e.loss else None) == lost


def test_of_records_dropping_out_together_the_one_taking_the_count_below_is_named() -> None:
    # 12 people, all stale on D + 90: the first two to go leave 11 and 10 (still Select), the third 9;
    # the count that day is 0, and the sentence says the other 11 go too
    data = build_firm(people=12, customers=2, stories=1, active_on=D.isoformat())
    e = evaluate(SHIPPED.in_effect(D), data, D)
    assert [o.id for o in e.at_risk[:3]] == ["p-0", "p-1", "p-10"]  # the at-risk order: by id on one day
    loss = e.loss
    assert loss is not None
    assert (loss.on, loss.record.id, loss.left, loss.threshold, loss.others) == (
        D + timedelta(days=90),
        "p-10",
        0,
        10,
        11,
    )
    assert loss_sentence(loss).endswith("the window is the last 90 days, and 11 more drop out that day")


def test_the_record_named_is_judged_on_the_day_before_with_only_the_data_known_on_the_as_of_date() -> None:
    # 9 people stale on D + 90, p-9 and p-10 on D + 80, p-11 on D + 79; a 13th is certified on D + 5,
    # after the as-of date, so not known then. On D + 80 the count falls from 11 to 9: of the two going
    # (in at-risk order, by id: p-10, then p-9) the second takes it below 10.
    data = build_firm(people=12, customers=2, stories=1, active_on=D.isoformat())
    for i, active in ((9, -10), (10, -10), (11, -11)):
        data["people"][i]["last_active_on"] = day(active)
    data["people"].append(person("f", active_on=D.isoformat(), issued_on=day(5)))
    loss = evaluate(SHIPPED.in_effect(D), data, D).loss
    assert loss is not None
    assert (loss.on, loss.record.id, loss.left) == (D + timedelta(days=80), "p-9", 9)


def test_a_tier_lost_on_29_february_is_held_until_28_february() -> None:
    as_of = date(2027, 12, 15)
    data = build_firm(people=10, customers=2, stories=1, active_on="2027-12-14", issued_on="2027-06-01")
    data["people"][3]["left_on"] = "2028-02-29"
    loss = evaluate(SHIPPED.in_effect(as_of), data, as_of).loss
    assert loss is not None and (loss.on, loss.record.id) == (date(2028, 2, 29), "p-3")
    assert loss_sentence(loss).startswith(
        "eligible for Select until 2028-02-28 if nothing changes: on 2028-02-29"
    )


def same_answer(policies: PolicySet, data: dict[str, Any], as_of: date) -> None:
    """evaluate's loss day is the site's lost_on day (their horizons are equal), and the value it
    says is the one the site's chart shows that day."""
    policy = policies.in_effect(as_of)
    assert policy.at_risk_days == AHEAD_DAYS
    e = evaluate(policy, data, as_of)
    metrics = [m.id for m in policy.metrics]
    chart = daily(policies, data, e, metrics, []) if e.eligible_tier else None
    assert (e.loss.on if e.loss else None) == (chart.lost_on if chart else None)
    if e.loss is not None and chart is not None:
        metric = next(m.id for m in policy.metrics if m.label == e.loss.metric)
        assert chart.values[metric][(e.loss.on - chart.first).days] == e.loss.left


def test_evaluate_and_the_site_give_the_same_day_for_every_example_firm() -> None:
    for program in sorted(PROGRAMS.iterdir()):
        policies = load_policies(program / "policy")
        for path in sorted((program / "firms").glob("*.yaml")):
            data = parse_located(read_source(path)).data
            for as_of in (date(2026, 10, 1), D, date(2027, 1, 20), date(2027, 6, 30)):  # 10-01: data after it
                same_answer(policies, data, as_of)


OFFSETS = st.integers(min_value=-100, max_value=120)  # days from the as-of date
LEVELS = st.sampled_from(["foundations", "professional"])
PERSON = st.tuples(OFFSETS, st.none() | OFFSETS, LEVELS, st.none() | OFFSETS)


GENERATED = {
    "shipped": SHIPPED,
    "points": load_policies(POINTS / "policy"),
    "two ways": load_policies(TWO_WAYS),
    "score for Select": load_policies(TWO_WAYS.parent / "capability-score.yaml"),
}


Person = tuple[int, int | None, str, int | None]


def generated_firm(
    people: list[Person], retired: list[int | None], withdrawn: list[int | None]
) -> dict[str, Any]:
    """Each person: last active (a day after the as-of date goes in their activity, with a last active
    day inside the window that day), leaving, a credential of a level expiring (or not), and a
    Foundations one that outlasts the chart; deployments retired long ago leave the trailing year."""
    return firm_of(
        people=[
            person(
                i,
                # active after the as-of date: recorded, but not known on it, so it keeps nobody counting
                active_on=day(active if active <= 0 else min(0, active - 60)),
                activity=(day(active),) if active > 0 else (),
                left_on=None if left is None else day(left),
                credentials=[
                    credential(level=level, issued_on="2026-07-20", expires_on=None if x is None else day(x)),
                    credential(issued_on="2026-06-01"),
                ],
            )
            for i, (active, left, level, x) in enumerate(people)
        ],
        customers=[customer(i) for i in range(len(retired))],
        deployments=[
            deployment(i, f"c-{i}", live_on="2025-06-01", retired_on=None if r is None else day(r))
            for i, r in enumerate(retired)
        ],
        stories=[story(i, withdrawn_on=None if w is None else day(w)) for i, w in enumerate(withdrawn)],
    )


@settings(max_examples=cases(60), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    program=st.sampled_from(sorted(GENERATED)),
    people=st.lists(PERSON, max_size=16),
    retired=st.lists(st.none() | st.integers(min_value=-400, max_value=-200), max_size=6),
    withdrawn=st.lists(st.none() | OFFSETS, max_size=3),
)
@example(  # way 1 never held (8 people of 10): way 2, which held the day before, is the one lost
    program="two ways",
    people=[(0, None, "foundations", None)] * 8,
    retired=[None, None, None, -276],
    withdrawn=[None],
)
def test_evaluate_and_the_site_give_the_same_day_for_generated_firms(
    program: str,
    people: list[Person],
    retired: list[int | None],
    withdrawn: list[int | None],
) -> None:
    same_answer(GENERATED[program], generated_firm(people, retired, withdrawn), D)


@settings(max_examples=cases(40), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(  # enough records for Select on the as-of date, often
    program=st.sampled_from(sorted(GENERATED)),
    people=st.lists(PERSON, min_size=8, max_size=16),
    retired=st.lists(st.none() | st.integers(min_value=-400, max_value=-200), min_size=2, max_size=16),
    withdrawn=st.lists(st.none() | OFFSETS, min_size=1, max_size=6),
)
def test_the_loss_day_is_the_first_of_every_day_ahead_on_which_a_lower_tier_holds(
    program: str,
    people: list[Person],
    retired: list[int | None],
    withdrawn: list[int | None],
) -> None:
    """evaluate halves the days to find the loss, or reads it off the days records stop, from its
    verdicts; the tier worked out on every day up to the horizon from each metric's value that day
    (the records whose days hold it) falls on the same day."""
    data, policy = generated_firm(people, retired, withdrawn), GENERATED[program].in_effect(D)
    e = evaluate(policy, data, D)
    assume(e.eligible_tier is not None)
    kept = [t.id for t in policy.tiers][policy.rank(e.eligible_tier) :]  # the tier held, or a higher one
    ahead = Timeline(policy, data, known_on=D)

    def tier_on(d: date) -> str | None:
        return tier_of_values(policy, data, {m.id: ahead.value_on(m, d) for m in policy.metrics}, d)

    days = (D + timedelta(days=n) for n in range(1, policy.at_risk_days + 1))
    assert (e.loss.on if e.loss else None) == next((d for d in days if tier_on(d) not in kept), None)


def one_professional_expiring(*, people: int, customers: int, stories: int) -> dict[str, Any]:
    """People certified Professional, each customer live, every story of the first customer; p-0's
    Professional credential expires on day 10 while a Foundations one of theirs still counts."""
    both = [
        credential(level="professional", issued_on="2026-07-20", expires_on=day(10)),
        credential(level="foundations", issued_on="2026-07-20"),
    ]
    pro = [credential(level="professional", issued_on="2026-07-20")]
    return firm_of(
        people=[person(0, credentials=both), *(person(i, credentials=pro) for i in range(1, people))],
        customers=[customer(i) for i in range(customers)],
        deployments=[deployment(i, f"c-{i}") for i in range(customers)],
        stories=[story(i, "c-0") for i in range(stories)],
    )


def test_a_score_falling_as_a_credential_worth_more_expires_is_a_loss_said_as_fewer_points() -> None:
    # score 70 exactly; p-0's Professional credential (3 points) expires on day 10, their Foundations
    # one (1 point) still counts: the score falls to 68 that day and nobody drops out
    policies = load_policies(POINTS / "policy")
    data = one_professional_expiring(people=12, customers=12, stories=2)
    e = evaluate(policies.in_effect(D), data, D)
    assert e.metrics["score"].value == 70 and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.record.id) == (
        D + timedelta(days=10),
        "Capability score",
        68,
        70,
        "p-0",
    )
    assert loss_sentence(loss).endswith(
        "capability score: 68, below the 70 Solutions Partner needs, when Person 0 [p-0] gives fewer points"
    )
    same_answer(policies, data, D)


def test_the_data_without_the_records_gone_drops_a_joint_business_plan_from_the_firm() -> None:
    plan, ana, bo = {"id": "plan"}, {"id": "ana"}, {"id": "bo"}
    data = {"firm": {"id": "f", "joint_business_plan": plan}, "people": [ana, bo], "schema_version": 1}
    assert _without(data, {id(plan), id(ana)}) == {"firm": {"id": "f"}, "people": [bo], "schema_version": 1}
    assert _without(data, {id(bo)}) == {"firm": data["firm"], "people": [ana], "schema_version": 1}


def test_a_count_of_points_on_its_own_records_falling_as_a_credential_expires_is_a_loss() -> None:
    # a person counts 2 with a Professional credential, else 1: five people give exactly 10; p-0's
    # Professional expires on day 10 while a Foundations one still counts, so the count falls to 9
    policies = load_policies(DOUBLE)
    data = one_professional_expiring(people=5, customers=2, stories=1)
    e = evaluate(policies.in_effect(D), data, D)
    assert e.eligible_tier == "select" and e.loss is not None
    assert (e.loss.on, e.loss.left, e.loss.threshold, e.loss.record.id) == (
        D + timedelta(days=10),
        9,
        10,
        "p-0",
    )
    same_answer(policies, data, D)


def test_with_every_metric_in_points_a_value_falling_while_no_record_drops_out_is_still_a_loss(
    tmp_path: Path,
) -> None:
    # every metric gives points (1 a customer, region, story or plan: the counts are as before), and
    # the horizon is 30 days: no record drops out by then, yet p-0's Professional credential expires
    # on day 10 and the count of certified people falls to 9, below Select's 10
    text = DOUBLE.read_text(encoding="utf-8").replace("at_risk_days: 90", "at_risk_days: 30")
    for metric in ("customers_in_production", "production_regions", "public_stories", "joint_business_plan"):
        text = text.replace(f"  - id: {metric}\n", f"  - id: {metric}\n    points: 1\n")
    (tmp_path / "all-points.yaml").write_text(text, encoding="utf-8")
    policy = load_policies(tmp_path / "all-points.yaml").in_effect(D)
    assert all(m.points is not None for m in policy.metrics)
    e = evaluate(policy, one_professional_expiring(people=5, customers=2, stories=1), D)
    assert not [o for o in e.at_risk if o.drops_out_on and o.drops_out_on <= D + timedelta(days=30)]
    assert e.loss is not None and (e.loss.on, e.loss.left) == (D + timedelta(days=10), 9)


def test_a_count_of_points_falling_a_day_after_another_names_the_record_falling_that_day() -> None:
    # 11 points where 10 are needed: p-0's Professional expires on day 10 (still 10), p-1's on day 11
    # (9): the loss is on day 11 and names p-1, not p-0 whose points fell the day before
    policies = load_policies(DOUBLE)
    foundations = credential(level="foundations", issued_on="2026-07-20")
    people = [
        person(
            i,
            credentials=[
                credential(level="professional", issued_on="2026-07-20", expires_on=day(10 + i)),
                foundations,
            ],
        )
        for i in (0, 1)
    ]
    people += [
        person(i, credentials=[credential(level="professional", issued_on="2026-07-20")]) for i in (2, 3, 4)
    ]
    data = firm_of(
        people=[*people, person(5, credentials=[foundations])],
        customers=[customer(i) for i in range(2)],
        deployments=[deployment(i, f"c-{i}") for i in range(2)],
        stories=[story(0, "c-0")],
    )
    e = evaluate(policies.in_effect(D), data, D)
    assert e.metrics["certified_people"].value == 11 and e.loss is not None
    assert (e.loss.on, e.loss.left, e.loss.record.id) == (D + timedelta(days=11), 9, "p-1")
    same_answer(policies, data, D)


@pytest.mark.parametrize("judged", [False, pytest.param(True, marks=needs_cel)], ids=["spans", "expressions"])
def test_a_count_of_points_whose_credentials_count_through_a_link_falls_as_one_expires(
    tmp_path: Path, judged: bool
) -> None:
    # a credential counts only while it names a customer of the firm (read through `links`): the
    # points falling on day 10 are judged with the firm's customers, as every other day is (with
    # `judged`, people are also judged by an expression, so their points are worked out day by day)
    double = Path(__file__).resolve().parents[1] / "policies" / "professional-counts-double.yaml"
    text = double.read_text(encoding="utf-8").replace(
        "          - test: accepted_credential\n",
        "          - {test: present, field: customer.id, reason: no-customer, message: names no customer}\n"
        "          - test: accepted_credential\n",
        1,
    )
    if judged:
        text = text.replace(
            "      - test: in_window\n",
            "      - {test: expression, expr: 'record.name != \"\"', reason: custom}\n"
            "      - test: in_window\n",
            1,
        )
    path = tmp_path / "policy.yaml"
    path.write_text(text + "\ndata: {fields: {credentials: {customer: {type: string}}}}\n", encoding="utf-8")
    policies = load_policies(path)
    data = one_professional_expiring(people=5, customers=2, stories=1)
    for p in data["people"]:
        for c in p["credentials"]:
            c["customer"] = "c-1"
    e = evaluate(policies.in_effect(D), data, D)
    assert e.loss is not None
    assert (e.loss.on, e.loss.left, e.loss.record.id) == (D + timedelta(days=10), 9, "p-0")
    same_answer(policies, data, D)


ARCHITECTURE_FIRST = """designations:
  - id: architecture
    label: Architecture specialization
    tiers:
      - {id: none, label: No specialization, partner: false, requires: []}
      - id: architecture-specialist
        label: Architecture Specialist
        requires:
          - {designation: services, tier: select}
          - {metric: certified_people, at_least: 8}
  - id: services
    label: Services track
    tiers:
"""


SIGNED = """  - id: agreement
    label: Agreement
    tiers:
      - {id: none, label: No agreement, partner: false, requires: []}
      - {id: signed, label: Signed, requires: [{metric: public_stories, at_least: 1}]}
"""


OR_30_PEOPLE = """          - any_of:
              - all_of:
                  - {designation: services, tier: select}
                  - {metric: certified_people, at_least: 8}
              - {metric: certified_people, at_least: 30}
"""


def architecture_first(tmp_path: Path, *, signed: bool = False, or_30_people: bool = False) -> PolicySet:
    """The two ways to Select as the services ladder, after an architecture ladder (the one a loss is
    of) whose specialist needs Select in services and 8 certified people (with `or_30_people`, or
    else 30 certified people); with `signed`, Select also needs Signed in a third ladder, which needs
    a public story."""
    first = ARCHITECTURE_FIRST
    if or_30_people:
        both = "          - {designation: services, tier: select}\n"
        both += "          - {metric: certified_people, at_least: 8}\n"
        first = first.replace(both, OR_30_PEOPLE)
    head, tiers = TWO_WAYS.read_text(encoding="utf-8").split("\ntiers:\n")
    tiers, reviews = tiers.split("\n\n# The awarded tier", 1)
    if signed:
        tiers = tiers.replace(
            "    requires:\n      - any_of:",
            "    requires:\n      - {designation: agreement, tier: signed}\n      - any_of:",
            1,
        )
    nested = "\n".join(f"    {line}" if line else line for line in tiers.splitlines())
    third = SIGNED if signed else ""
    path = tmp_path / "policy.yaml"
    path.write_text(f"{head}\n{first}{nested}\n{third}\n# The awarded tier{reviews}", encoding="utf-8")
    return load_policies(path)


def test_a_tier_whose_prerequisite_is_lost_says_the_requirement_the_prerequisite_misses(
    tmp_path: Path,
) -> None:
    # three of four customers drop out on 2027-01-10: Select in services is lost both ways, and with it
    # the specialist; the requirement said is Select's way that held the day before (10 people, 2 customers)
    policies = architecture_first(tmp_path)
    e = evaluate(policies.in_effect(D), two_ways_firm(leaving=0, retiring=3), D)
    assert e.eligible_tier == "architecture-specialist" and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.tier, loss.metric, loss.left, loss.threshold) == (
        date(2027, 1, 10),
        "Architecture Specialist",
        "Customers in production",
        1,
        2,
    )
    assert loss.alternatives == (
        "alternative 1 of 2: certified people at least 10 and customers in production at least 2",
    )
    same_answer(policies, two_ways_firm(leaving=0, retiring=3), D)


def test_a_tier_whose_prerequisite_still_holds_another_way_says_its_own_requirement(tmp_path: Path) -> None:
    # five people leave on day 20: Select in services still holds the second way (5 people, 4
    # customers), so the specialist is lost for its own 8 people (the third to leave takes it below),
    # not for Select's first way
    policies = architecture_first(tmp_path)
    e = evaluate(policies.in_effect(D), two_ways_firm(leaving=5, retiring=0), D)
    assert e.designations["services"].eligible_tier == "select" and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.alternatives) == (
        D + timedelta(days=20),
        "Certified people",
        5,
        8,
        (),
    )
    same_answer(policies, two_ways_firm(leaving=5, retiring=0), D)


def test_a_loss_through_an_alternative_holding_a_prerequisite_says_the_tier_it_needs(tmp_path: Path) -> None:
    # as above, with the specialist's way through Select in services one of two (the other: 30
    # people): the way lost is said with the tier it needs, by its label and its ladder's
    policies = architecture_first(tmp_path, or_30_people=True)
    e = evaluate(policies.in_effect(D), two_ways_firm(leaving=5, retiring=0), D)
    assert e.loss is not None and (e.loss.on, e.loss.metric) == (D + timedelta(days=20), "Certified people")
    assert e.loss.alternatives == (
        "alternative 1 of 2: Select in Services track and certified people at least 8",
    )


def test_a_tier_whose_prerequisites_prerequisite_is_lost_says_the_requirement_missed_at_the_end(
    tmp_path: Path,
) -> None:
    # the one story is withdrawn on day 30: Signed is lost, so Select, so the specialist; the requirement
    # said is Signed's, found through both prerequisites
    policies = architecture_first(tmp_path, signed=True)
    data = two_ways_firm(leaving=0, retiring=0)
    data["stories"][0]["withdrawn_on"] = day(30)
    e = evaluate(policies.in_effect(D), data, D)
    assert e.eligible_tier == "architecture-specialist" and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.alternatives) == (
        D + timedelta(days=30),
        "Public customer stories",
        0,
        1,
        (),
    )
    same_answer(policies, data, D)


@needs_cel
def test_a_formula_falling_below_its_threshold_names_the_record_of_a_metric_it_computes_from() -> None:
    # 12 people for 6 customers: 2 a customer, as Select needs; p-0's credential expires on day 10
    policies = load_policies(RATIO)
    data = build_firm(people=12, customers=6, stories=1, active_on=D.isoformat())
    data["people"][0]["credentials"][0]["expires_on"] = day(10)
    e = evaluate(policies.in_effect(D), data, D)
    assert e.eligible_tier == "select" and e.loss is not None
    loss = e.loss
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.record.id) == (
        D + timedelta(days=10),
        "Certified people per customer in production",
        11 / 6,
        2,
        "p-0",
    )
    same_answer(policies, data, D)


@needs_cel
def test_a_formula_lost_then_held_again_is_lost_on_the_first_day_it_falls() -> None:
    # 12 people for 6 customers: p-0's credential expires on day 10 (11 for 6: lost), a customer drops
    # out on day 20 (11 for 5: held again), stories go on days 30 to 50 and everyone on day 90; a
    # ratio may rise as records go, so the first day is found by asking every day in turn
    policies = load_policies(RATIO)
    data = build_firm(people=12, customers=6, stories=4, active_on=D.isoformat())
    data["people"][0]["credentials"][0]["expires_on"] = day(10)
    data["deployments"][5].update(live_on="2025-06-01", retired_on="2025-12-15")  # gone on 2026-12-15
    for i, d in enumerate((30, 40, 50)):
        data["stories"][i]["withdrawn_on"] = day(d)
    e = evaluate(policies.in_effect(D), data, D)
    assert e.eligible_tier == "select" and e.loss is not None
    assert (e.loss.on, e.loss.record.id) == (D + timedelta(days=10), "p-0")
    same_answer(policies, data, D)


@needs_cel
def test_a_formula_lost_for_ten_days_then_held_until_the_horizon_is_lost_on_its_first_day() -> None:
    # 12 people for 6 customers: lost on day 10 (11 for 6), held again on day 20 (11 for 5), and lost
    # again only on day 90 as everyone goes stale: the days are not halved for a formula, which may
    # rise, so the first day is day 10, not the last
    policies = load_policies(RATIO)
    data = build_firm(people=12, customers=6, stories=1, active_on=D.isoformat())
    data["people"][0]["credentials"][0]["expires_on"] = day(10)
    data["deployments"][5].update(live_on="2025-06-01", retired_on="2025-12-15")  # gone on 2026-12-15
    e = evaluate(policies.in_effect(D), data, D)
    assert e.eligible_tier == "select" and e.loss is not None
    assert (e.loss.on, e.loss.record.id) == (D + timedelta(days=10), "p-0")
    same_answer(policies, data, D)


def test_of_two_ways_the_one_said_is_the_one_holding_the_day_before_the_loss_not_earlier() -> None:
    # five people leave on 2027-01-09 (way 1, 10 people, goes); the customers fall from 4 on
    # 2027-01-10 (way 2 goes): the way lost that day is way 2, which alone held the day before
    policy = load_policies(TWO_WAYS).in_effect(D)
    data = two_ways_firm(leaving=5, retiring=3)
    for p in data["people"][:5]:
        p["left_on"] = "2027-01-09"
    loss = evaluate(policy, data, D).loss
    assert loss is not None
    assert (loss.on, loss.metric) == (date(2027, 1, 10), "Customers in production")
    assert loss.alternatives == (
        "alternative 2 of 2: certified people at least 5 and customers in production at least 4",
    )
