"""Every edge named in docs/program.md, one test each, against the SHIPPED policy and in-memory firms.

The as-of date D is 2026-11-25: the last 90 days are 2026-08-28 .. D, the trailing year 2025-11-26 .. D.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from support import (
    ARCHITECT,
    KNOWN,
    D,
    build_firm,
    credential,
    customer,
    day,
    deployment,
    firm_of,
    person,
    plan,
    story,
    write_yaml,
)

from validator.evaluate import eligible_tier, evaluate
from validator.policies import PolicySet, load_policies
from validator.result import Evaluation
from validator.standing import compute_standing
from validator.validate import check_file

SHIPPED: PolicySet = load_policies()


def run(data: dict[str, Any], as_of: date = D) -> Evaluation:
    """Evaluate under the shipped version in effect on `as_of`; the fast tier-only path must agree."""
    policy = SHIPPED.in_effect(as_of)
    result = evaluate(policy, data, as_of)
    assert eligible_tier(policy, data, as_of) == result.eligible_tier
    return result


def outcome(data: dict[str, Any], metric: str, as_of: date = D) -> tuple[int, list[str | None], list[str]]:
    """A metric's value, and the reason codes and sentences of the records it excluded."""
    m = run(data, as_of).metrics[metric]
    return m.value, [o.reason for o in m.excluded], [o.message or "" for o in m.excluded]


def one_person(as_of: date = D, **kw: Any) -> tuple[int, list[str | None], list[str]]:
    return outcome(firm_of(people=[person(0, **kw)]), "certified_people", as_of)


def one_deployment(as_of: date = D, **kw: Any) -> tuple[int, list[str | None], list[str]]:
    kw.setdefault("live_on", "2024-01-01")
    data = firm_of(customers=[customer(0)], deployments=[deployment(0, "c-0", **kw)])
    return outcome(data, "customers_in_production", as_of)


def one_story(**kw: Any) -> tuple[int, list[str | None], list[str]]:
    data = firm_of(customers=[customer(0)], stories=[story(0, "c-0", **kw)])
    return outcome(data, "public_stories")


def at_risk(result: Evaluation, metric: str) -> list[tuple[str, date | None]]:
    return [(o.id, o.drops_out_on) for o in result.at_risk if o.metric == metric]


# --- certified people: activity in the last 90 days ------------------------------------------------


def test_a_person_last_active_89_days_before_counts() -> None:
    assert one_person(active_on=day(-89)) == (1, [], [])


def test_a_person_last_active_90_days_before_does_not_count_and_the_message_says_when_and_90_days() -> None:
    value, reasons, messages = one_person(active_on=day(-90))
    assert (value, reasons) == (0, ["inactive"])
    assert "2026-08-27" in messages[0] and "90 days" in messages[0]
    assert messages[0] == (
        "last used Claude on 2026-08-27, 90 days before 2026-11-25; the window is the last 90 days"
    )


def test_activity_listed_after_the_as_of_date_is_not_known_then() -> None:
    value, reasons, messages = one_person(active_on=day(+1), activity=(day(-100),))
    assert (value, reasons) == (0, ["inactive"])
    assert messages[0].startswith(f"last used Claude on {day(-100)}, 100 days before")


def test_the_latest_activity_on_or_before_the_date_is_used_when_last_active_on_is_later() -> None:
    assert one_person(active_on=day(+1), activity=(day(-120), day(-10)))[0] == 1


def test_a_person_with_no_activity_known_at_the_date_is_inactive() -> None:
    assert one_person(active_on=day(+1))[:2] == (0, ["inactive"])


def test_an_earlier_activity_day_counts_when_evaluating_the_past() -> None:
    kw = {"active_on": "2026-11-20", "activity": ("2026-06-01",)}
    assert one_person(date(2026, 8, 29), **kw)[0] == 1  # 2026-06-01 is D-89
    assert one_person(date(2026, 8, 30), **kw)[:2] == (0, ["inactive"])  # and now D-90


# --- certified people: credentials -------------------------------------------------------------------


def test_a_credential_expiring_on_the_as_of_date_does_not_count() -> None:
    value, reasons, messages = one_person(expires_on=day(0))
    assert (value, reasons) == (0, ["no-current-credential"])
    assert messages[0] == (
        "holds no credential that counts on 2026-11-25: "
        "claude-certified-architect (foundations) expired on 2026-11-25"
    )


def test_a_credential_expiring_the_day_after_counts() -> None:
    assert one_person(expires_on=day(+1)) == (1, [], [])


def test_a_credential_issued_on_the_as_of_date_counts() -> None:
    assert one_person(issued_on=day(0)) == (1, [], [])


def test_a_credential_issued_the_day_after_does_not_count() -> None:
    value, reasons, messages = one_person(issued_on=day(+1))
    assert (value, reasons) == (0, ["no-current-credential"])
    assert "is issued on 2026-11-26, after 2026-11-25" in messages[0]


def test_the_default_term_is_12_months_the_last_day_is_the_day_before_the_anniversary() -> None:
    kw = {"issued_on": "2026-04-10", "active_on": "2027-04-01"}  # no expires_on
    assert one_person(date(2027, 4, 9), **kw)[0] == 1
    value, reasons, messages = one_person(date(2027, 4, 10), **kw)
    assert (value, reasons) == (0, ["no-current-credential"])
    assert messages[0].endswith("expired on 2027-04-10")


def test_the_default_term_from_29_february_ends_on_28_february() -> None:
    kw = {"issued_on": "2028-02-29", "active_on": "2029-02-20"}
    assert one_person(date(2029, 2, 27), **kw)[0] == 1
    assert one_person(date(2029, 2, 28), **kw)[1] == ["no-current-credential"]


def test_a_credential_without_expires_on_drops_out_on_its_anniversary() -> None:
    data = firm_of(people=[person(0, issued_on="2026-04-10", active_on="2027-04-01")])
    assert at_risk(run(data, date(2027, 4, 9)), "certified_people") == [("p-0", date(2027, 4, 10))]


def test_a_level_accepted_only_from_a_date_does_not_count_before_it() -> None:
    kw = {"level": "professional", "issued_on": "2026-06-15", "active_on": "2026-06-20"}
    value, reasons, messages = one_person(date(2026, 6, 30), **kw)
    assert (value, reasons) == (0, ["no-current-credential"])
    assert messages[0].endswith(
        "claude-certified-architect at level professional is not a credential the program accepts "
        "on 2026-06-30"
    )
    assert one_person(date(2026, 7, 1), **kw)[0] == 1


@pytest.mark.parametrize(
    "name,level",
    [
        ("claude-certified-associate", "foundations"),  # the Associate credential
        (ARCHITECT, "associate"),  # a level the policy does not list
        ("claude-certified-developer", "foundations"),  # not accepted by this version
        ("course-completion", "foundations"),
    ],
)
@pytest.mark.parametrize("as_of", [date(2026, 7, 1), D, date(2027, 2, 1)])
def test_a_credential_name_or_level_the_policy_does_not_accept_never_counts(name, level, as_of) -> None:
    value, reasons, messages = one_person(as_of, name=name, level=level, active_on=day(-1, as_of))
    assert (value, reasons) == (0, ["no-current-credential"])
    assert f"{name} at level {level} is not a credential the program accepts" in messages[0]


def test_a_person_without_any_credential_never_counts() -> None:
    value, reasons, messages = one_person(credentials=[])
    assert (value, reasons) == (0, ["no-current-credential"])
    assert messages[0] == "holds no credential that counts on 2026-11-25: no credentials listed"


def test_a_person_with_two_credentials_counts_once_until_the_later_one_expires() -> None:
    creds = [
        credential(issued_on="2026-03-10", expires_on=day(+10)),
        credential(level="professional", issued_on="2026-07-02", expires_on=day(+30)),
    ]
    result = run(firm_of(people=[person(0, credentials=creds)]))
    assert result.metrics["certified_people"].value == 1
    assert at_risk(result, "certified_people") == [("p-0", D + timedelta(days=30))]


def test_the_reason_names_the_credential_that_came_closest_to_counting() -> None:
    creds = [
        credential(name="claude-certified-associate"),  # fails the first rule
        credential(issued_on="2025-01-10", expires_on="2026-01-10"),  # passes two, then expired
    ]
    messages = one_person(credentials=creds)[2]
    assert messages == [
        "holds no credential that counts on 2026-11-25: "
        "claude-certified-architect (foundations) expired on 2026-01-10"
    ]


def test_of_credentials_coming_equally_close_the_reason_names_the_first_listed() -> None:
    creds = [
        credential(issued_on="2025-01-10", expires_on="2026-01-10"),
        credential(level="professional", issued_on="2025-02-10", expires_on="2026-02-10"),
    ]
    assert one_person(credentials=creds)[2] == [
        "holds no credential that counts on 2026-11-25: "
        "claude-certified-architect (foundations) expired on 2026-01-10"
    ]


# --- certified people: leaving the firm ------------------------------------------------------------


def test_a_person_who_left_on_the_as_of_date_does_not_count() -> None:
    assert one_person(left_on=day(0)) == (0, ["left-firm"], ["left the firm on 2026-11-25"])


def test_a_person_leaving_the_day_after_counts_and_is_at_risk_dropping_out_that_day() -> None:
    result = run(firm_of(people=[person(0, left_on=day(+1))]))
    assert result.metrics["certified_people"].value == 1
    assert at_risk(result, "certified_people") == [("p-0", D + timedelta(days=1))]


# --- customers in production: the trailing year 2025-11-26 .. 2026-11-25 ----------------------------


def test_a_deployment_retired_the_day_before_the_trailing_year_began_does_not_count() -> None:
    assert one_deployment(retired_on="2025-11-25") == (
        0,
        ["retired-before-window"],
        ["retired on 2025-11-25, before the trailing year began on 2025-11-26"],
    )


def test_a_deployment_retired_on_the_first_day_of_the_trailing_year_counts() -> None:
    assert one_deployment(retired_on="2025-11-26") == (1, [], [])


def test_a_deployment_going_live_on_the_as_of_date_counts() -> None:
    assert one_deployment(live_on=day(0)) == (1, [], [])


def test_a_deployment_going_live_the_day_after_does_not_count() -> None:
    assert one_deployment(live_on=day(+1)) == (
        0,
        ["not-yet-live"],
        ["goes live on 2026-11-26, after 2026-11-25"],
    )


@pytest.mark.parametrize("stage", ["pilot", "proof-of-concept"])
def test_pilots_and_proofs_of_concept_never_count(stage) -> None:
    value, reasons, messages = one_deployment(stage=stage, live_on="2025-01-01")
    assert (value, reasons) == (0, ["not-production"])
    assert messages == [f"is a {stage}; pilots and proofs of concept never count"]


def test_a_customer_with_two_production_deployments_counts_once() -> None:
    data = firm_of(
        customers=[customer(0)],
        deployments=[deployment(0, "c-0"), deployment(1, "c-0", live_on="2026-06-01")],
    )
    m = run(data).metrics["customers_in_production"]
    assert (m.value, len(m.counted)) == (1, 2)


def test_the_trailing_year_ending_on_29_february_starts_on_1_march() -> None:
    leap = date(2028, 2, 29)  # 2027-03-01 .. 2028-02-29
    assert one_deployment(leap, retired_on="2027-02-28") == (
        0,
        ["retired-before-window"],
        ["retired on 2027-02-28, before the trailing year began on 2027-03-01"],
    )
    assert one_deployment(leap, retired_on="2027-03-01") == (1, [], [])


def test_the_trailing_year_ending_on_1_march_after_29_february_starts_on_2_march() -> None:
    after = date(2028, 3, 1)  # 2027-03-02 .. 2028-03-01
    assert one_deployment(after, retired_on="2027-03-01")[:2] == (0, ["retired-before-window"])
    assert one_deployment(after, retired_on="2027-03-02") == (1, [], [])


# --- public customer stories -------------------------------------------------------------------------


def test_a_story_published_on_the_as_of_date_counts() -> None:
    assert one_story(published_on=day(0)) == (1, [], [])


def test_a_story_published_the_day_after_does_not_count() -> None:
    assert one_story(published_on=day(+1)) == (
        0,
        ["not-yet-published"],
        ["is published on 2026-11-26, after 2026-11-25"],
    )


def test_a_story_withdrawn_on_the_as_of_date_does_not_count() -> None:
    assert one_story(withdrawn_on=day(0)) == (0, ["withdrawn"], ["was withdrawn on 2026-11-25"])


def test_a_story_withdrawn_the_day_after_counts() -> None:
    assert one_story(withdrawn_on=day(+1)) == (1, [], [])


@pytest.mark.parametrize(
    "change,reason",
    [
        ({"customer_named": False}, "anonymous"),
        ({"consent_on": None}, "no-consent"),
        ({"consent_on": day(+1)}, "consent-not-yet-given"),
        ({"result": ""}, "no-result"),
        ({"result": " \t "}, "no-result"),
    ],
    ids=["anonymous", "no-consent", "consent-given-after-the-date", "empty-result", "whitespace-result"],
)
def test_a_story_is_excluded_with_its_reason(change, reason) -> None:
    assert one_story(**change)[:2] == (0, [reason])


def test_a_story_does_not_expire() -> None:
    data = firm_of(customers=[customer(0)], stories=[story(0, "c-0", published_on="2026-03-01")])
    assert run(data, date(2031, 6, 1)).metrics["public_stories"].value == 1


# --- tiers -------------------------------------------------------------------------------------------


def select_firm(**kw: Any) -> dict[str, Any]:
    counts = {"people": 10, "customers": 2, "stories": 1, **kw}
    return build_firm(**counts)


@pytest.mark.parametrize(
    "short", [{"people": 9}, {"customers": 1}, {"stories": 0}], ids=["people", "customers", "stories"]
)
def test_missing_any_one_requirement_of_select_holds_registered(short) -> None:
    assert run(select_firm(**short)).eligible_tier == "registered"


def test_meeting_every_select_requirement_exactly_at_its_threshold_is_select() -> None:
    result = run(select_firm())
    assert result.eligible_tier == "select"
    assert [(r.metric, r.value, r.threshold, r.met) for r in result.tier("select").requirements] == [
        ("certified_people", 10, 10, True),
        ("customers_in_production", 2, 2, True),
        ("public_stories", 1, 1, True),
    ]


def test_the_next_tiers_requirements_report_value_threshold_and_shortfall() -> None:
    result = run(select_firm())
    assert result.next_tier is not None and result.next_tier.id == "preferred"
    assert [(r.metric, r.value, r.threshold, r.shortfall) for r in result.next_tier.requirements] == [
        ("certified_people", 10, 100, 90),
        ("customers_in_production", 2, 15, 13),
        ("public_stories", 1, 3, 2),
    ]
    below = run(select_firm(people=9))
    assert below.next_tier is not None and below.next_tier.id == "select"
    assert [(r.value, r.threshold, r.shortfall, r.met) for r in below.next_tier.requirements] == [
        (9, 10, 1, False),
        (2, 2, 0, True),
        (1, 1, 0, True),
    ]


def test_before_the_firm_joined_there_is_no_eligible_tier() -> None:
    data = select_firm(joined_on=day(+1))
    assert run(data).eligible_tier is None
    assert run(data, D + timedelta(days=1)).eligible_tier == "select"


def test_a_firm_is_registered_from_the_day_it_joins_with_nothing_else() -> None:
    assert run(firm_of(joined_on=day(0))).eligible_tier == "registered"


REGIONS = ("amer", "emea", "apac")


def premier(regions: tuple[str, ...] = REGIONS, **plan_fields: Any) -> dict[str, Any]:
    """A firm meeting every Global Premier requirement: 1000 people, 100 customers, 15 stories, a plan."""
    return build_firm(
        people=1000, customers=100, stories=15, regions=regions, joint_business_plan=plan(**plan_fields)
    )


def test_global_premier_with_three_regions_and_a_plan_with_both_sponsors() -> None:
    result = run(premier())
    assert result.eligible_tier == "global-premier"
    values = {m: result.metrics[m].value for m in result.metrics}
    assert values == {
        "certified_people": 1000,
        "customers_in_production": 100,
        "production_regions": 3,
        "public_stories": 15,
        "joint_business_plan": 1,
    }
    assert result.next_tier is None


def test_global_premier_with_only_two_regions_is_preferred() -> None:
    result = run(premier(regions=("amer", "emea")))
    assert (result.eligible_tier, result.metrics["production_regions"].value) == ("preferred", 2)


def test_global_premier_without_a_joint_business_plan_is_preferred() -> None:
    data = premier()
    del data["firm"]["joint_business_plan"]
    result = run(data)
    assert (result.eligible_tier, result.metrics["joint_business_plan"].value) == ("preferred", 0)


def test_global_premier_with_a_plan_expiring_on_the_as_of_date_is_preferred() -> None:
    result = run(premier(expires_on=day(0)))
    assert result.eligible_tier == "preferred"
    assert [o.reason for o in result.metrics["joint_business_plan"].excluded] == ["plan-expired"]
    assert run(premier(expires_on=day(+1))).eligible_tier == "global-premier"


@pytest.mark.parametrize(
    "fields,reason",
    [
        ({"signed_on": day(+1)}, "plan-not-yet-signed"),
        ({"firm_sponsor": ""}, "no-firm-sponsor"),
        ({"anthropic_sponsor": "  "}, "no-anthropic-sponsor"),
    ],
)
def test_global_premier_with_a_plan_not_yet_signed_or_missing_a_sponsor_is_preferred(fields, reason) -> None:
    result = run(premier(**fields))
    assert result.eligible_tier == "preferred"
    assert [o.reason for o in result.metrics["joint_business_plan"].excluded] == [reason]


# --- at risk: counted records that drop out within 90 days ------------------------------------------


def test_activity_going_stale_is_at_risk_from_the_day_it_leaves_the_90_days() -> None:
    result = run(firm_of(people=[person(0, active_on=day(-10))]))
    assert at_risk(result, "certified_people") == [("p-0", D + timedelta(days=80))]


def test_a_credential_expiring_is_at_risk_on_its_expiry_date() -> None:
    result = run(firm_of(people=[person(0, expires_on=day(+30))]))
    assert at_risk(result, "certified_people") == [("p-0", D + timedelta(days=30))]


def test_a_retired_deployment_is_at_risk_until_it_leaves_the_trailing_year() -> None:
    data = firm_of(customers=[customer(0)], deployments=[deployment(0, "c-0", retired_on="2025-12-10")])
    assert at_risk(run(data), "customers_in_production") == [("d-0", date(2026, 12, 10))]


def test_at_risk_reaches_exactly_90_days_ahead() -> None:
    data = firm_of(
        customers=[customer(0), customer(1)],
        deployments=[
            deployment(0, "c-0", live_on="2025-01-01", retired_on="2026-02-23"),  # drops out on D+90
            deployment(1, "c-1", live_on="2025-01-01", retired_on="2026-02-24"),  # drops out on D+91
        ],
    )
    result = run(data)
    assert result.metrics["customers_in_production"].value == 2
    assert at_risk(result, "customers_in_production") == [("d-0", D + timedelta(days=90))]


def test_a_customer_with_another_live_deployment_is_not_at_risk() -> None:
    data = firm_of(
        customers=[customer(0)],
        deployments=[deployment(0, "c-0", retired_on="2025-12-10"), deployment(1, "c-0")],
    )
    assert at_risk(run(data), "customers_in_production") == []


def test_records_that_never_drop_out_are_not_at_risk_and_the_list_is_in_date_order() -> None:
    data = firm_of(
        people=[person(0, active_on=day(-10)), person(1, expires_on=day(+30)), person(2, left_on=day(+5))],
        customers=[customer(0)],
        deployments=[deployment(0, "c-0")],
        stories=[story(0, "c-0")],
    )
    result = run(data)
    assert [(o.metric, o.id, o.drops_out_on) for o in result.at_risk] == [
        ("certified_people", "p-2", D + timedelta(days=5)),
        ("certified_people", "p-1", D + timedelta(days=30)),
        ("certified_people", "p-0", D + timedelta(days=80)),
    ]


def test_the_builder_makes_valid_firm_files(tmp_path) -> None:
    data = firm_of(
        people=[person(0, left_on=day(+1), activity=(day(-30),), expires_on=day(+40))],
        customers=[customer(0), customer(1, "apac")],
        deployments=[deployment(0, "c-0", retired_on="2026-06-01"), deployment(1, "c-1", stage="pilot")],
        stories=[story(0, "c-0", withdrawn_on=day(+1)), story(1, consent_on=None, customer_named=False)],
        joint_business_plan=plan(expires_on="2027-05-01"),
    )
    for name, firm_data in {"one.yaml": data, "select.yaml": select_firm()}.items():
        checked = check_file(write_yaml(tmp_path / name, firm_data), KNOWN)
        assert checked.problems == []


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.update(last_active_on="8999-12-01"),
        lambda p: p["credentials"].append(credential(issued_on="8999-06-01")),
        lambda p: p["credentials"].append(credential(issued_on="8999-12-31")),
    ],
    ids=["active-in-8999", "issued-in-8999-with-no-expiry", "issued-on-the-last-supported-day"],
)
def test_dates_in_the_last_supported_year_are_valid_and_evaluate_without_overflow(tmp_path, change) -> None:
    data = build_firm(people=11, customers=2, stories=1)  # Select even if the changed person did not count
    change(data["people"][0])
    checked = check_file(str(write_yaml(tmp_path / "far.yaml", data)), KNOWN)
    assert checked.valid, checked.problems
    assert run(checked.data).eligible_tier == "select"
    standing = compute_standing(SHIPPED, checked.data, D)
    assert standing is not None and standing.next_review is not None  # active only lately: Select at the
    assert (standing.next_review.on, standing.next_review.tier_after) == (date(2027, 1, 1), "select")  # next


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2)], ids=["012", "210", "102"])
def test_a_customer_is_at_risk_through_its_last_deployment_to_drop_wherever_it_is_listed(order) -> None:
    made = [
        deployment(0, "c-0", live_on="2025-06-01", retired_on="2025-12-10"),
        deployment(1, "c-0", live_on="2025-06-01", retired_on="2025-12-20"),
        deployment(2, "c-1", live_on="2025-06-01", retired_on="2025-12-15"),
    ]
    data = firm_of(customers=[customer(0), customer(1)], deployments=[made[i] for i in order])
    result = run(data)
    assert [o.counted for o in result.metrics["customers_in_production"].counted] == [True, True, True]
    assert at_risk(result, "customers_in_production") == [
        ("d-2", date(2026, 12, 15)),
        ("d-1", date(2026, 12, 20)),
    ]
    live = deployment(3, "c-0")  # c-0 also has a deployment that never drops out
    for where in (0, 3):
        deployments = [made[i] for i in order]
        deployments.insert(where, live)
        again = run(firm_of(customers=[customer(0), customer(1)], deployments=deployments))
        assert at_risk(again, "customers_in_production") == [("d-2", date(2026, 12, 15))]


def test_records_excluded_are_flagged_not_counted() -> None:
    data = firm_of(people=[person(0), person(1, left_on=day(-1))])
    m = run(data).metrics["certified_people"]
    assert [(o.id, o.counted) for o in m.counted] == [("p-0", True)]
    assert [(o.id, o.counted, o.reason) for o in m.excluded] == [("p-1", False, "left-firm")]


def test_the_tier_is_lost_on_the_day_the_drop_that_takes_a_requirement_below_it_happens() -> None:
    # 12 certified people for Select's 10: the third to drop out (in date order) loses it
    data = build_firm(people=9, customers=2, stories=1, active_on=day(-1))
    data["people"] += [person(10 + i, left_on=day(n)) for i, n in enumerate((20, 5, 40, 10))]
    result = run(data)
    assert (result.eligible_tier, result.metrics["certified_people"].value) == ("select", 13)
    loss = result.loss
    assert loss is not None
    assert (loss.on, loss.tier, loss.metric, loss.left, loss.threshold, loss.record.id) == (
        D + timedelta(days=40),
        "Select",
        "Certified people",
        9,
        10,
        "p-12",
    )
    data["people"] = data["people"][:-1]  # three can drop: still 10 after the first two, 9 after the third
    lost = run(data).loss
    assert lost is not None and (lost.on, lost.left, lost.record.id) == (D + timedelta(days=40), 9, "p-12")
