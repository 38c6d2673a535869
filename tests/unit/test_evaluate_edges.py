"""Every edge named in program-rules.md, one test each, against the shipped policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from support import firm

from validator.evaluate import eligible_tier, evaluate
from validator.policies import Policy, load_policies
from validator.result import Evaluation

D = date(2026, 11, 25)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policies().in_effect(D)


def day(offset: int, base: date = D) -> str:
    return (base + timedelta(days=offset)).isoformat()


def run(policy: Policy, data: dict, as_of: date = D) -> Evaluation:
    result = evaluate(policy, data, as_of)
    assert eligible_tier(policy, data, as_of) == result.eligible_tier  # the fast path agrees
    return result


def person(data: dict, policy: Policy, as_of: date = D) -> tuple[bool, str | None, str | None]:
    """Whether the firm's first person counted, and if not, the reason code and sentence."""
    m = run(policy, data, as_of).metrics["certified_people"]
    if m.counted:
        return True, None, None
    return False, m.excluded[0].reason, m.excluded[0].message


def one(**kw) -> dict:
    return firm(people=1, **kw)


# certified people: activity
def test_active_89_days_before_counts(policy) -> None:
    assert person(one(active_on=day(-89)), policy)[0]


def test_active_90_days_before_does_not_count_and_says_why(policy) -> None:
    counted, reason, message = person(one(active_on=day(-90)), policy)
    assert (counted, reason) == (False, "inactive")
    assert (
        message == "last used Claude on 2026-08-27, 90 days before 2026-11-25; the window is the last 90 days"
    )


def test_activity_recorded_after_the_as_of_date_is_not_known_then(policy) -> None:
    data = one(active_on=day(+1), activity=(day(-120),))
    assert person(data, policy)[1] == "inactive"
    assert person(one(active_on=day(+1), activity=(day(-10),)), policy)[0]


def test_an_earlier_activity_day_counts_when_evaluating_the_past(policy) -> None:
    data = one(active_on="2026-11-20", activity=("2026-06-01",))
    assert person(data, policy, date(2026, 8, 29))[0]  # 89 days after 2026-06-01
    assert not person(data, policy, date(2026, 8, 30))[0]


# certified people: credentials
def test_a_credential_expiring_on_the_as_of_date_does_not_count(policy) -> None:
    data = one(active_on=day(-1))
    data["people"][0]["credentials"][0]["expires_on"] = day(0)
    assert person(data, policy)[1] == "no-current-credential"


def test_a_credential_expiring_the_day_after_counts_and_is_at_risk(policy) -> None:
    data = one(active_on=day(-1))
    data["people"][0]["credentials"][0]["expires_on"] = day(+1)
    result = run(policy, data)
    assert result.metrics["certified_people"].value == 1
    assert [o.drops_out_on for o in result.at_risk] == [D + timedelta(days=1)]


def test_a_credential_issued_on_the_as_of_date_counts(policy) -> None:
    assert person(one(active_on=day(0), issued_on=day(0)), policy)[0]


def test_a_credential_issued_the_day_after_does_not_count(policy) -> None:
    counted, reason, message = person(one(active_on=day(0), issued_on=day(+1)), policy)
    assert (counted, reason) == (False, "no-current-credential")
    assert "is issued on 2026-11-26, after 2026-11-25" in message


def test_the_default_term_is_twelve_months_from_the_award(policy) -> None:
    data = one(active_on="2027-04-01", issued_on="2026-04-10")
    assert person(data, policy, date(2027, 4, 9))[0]
    counted, _, message = person(data, policy, date(2027, 4, 10))
    assert not counted and "expired on 2027-04-10" in message


def test_the_default_term_from_29_february_ends_on_28_february(policy) -> None:
    data = one(active_on="2029-02-20", issued_on="2028-02-29")
    assert person(data, policy, date(2029, 2, 27))[0]
    assert not person(data, policy, date(2029, 2, 28))[0]


def test_a_level_counts_only_from_the_day_the_program_accepts_it(policy) -> None:
    data = one(active_on="2026-06-20", issued_on="2026-06-01")
    data["people"][0]["credentials"][0]["level"] = "professional"
    counted, _, message = person(data, policy, date(2026, 6, 30))
    assert not counted and "not a credential the program accepts on 2026-06-30" in message
    data["people"][0]["last_active_on"] = "2026-07-01"
    assert person(data, policy, date(2026, 7, 1))[0]


def test_an_unaccepted_credential_never_counts(policy) -> None:
    data = one(active_on=day(-1))
    data["people"][0]["credentials"][0]["name"] = "claude-certified-associate"
    assert person(data, policy)[1] == "no-current-credential"


def test_a_person_with_two_credentials_counts_once(policy) -> None:
    data = firm(people=1, active_on=day(-1))
    cred = data["people"][0]["credentials"][0]
    data["people"][0]["credentials"].append({**cred, "level": "professional", "issued_on": "2026-07-02"})
    assert run(policy, data).metrics["certified_people"].value == 1


def test_no_credential_never_counts(policy) -> None:
    data = one(active_on=day(-1))
    data["people"][0]["credentials"] = []
    assert person(data, policy)[2] == "holds no credential that counts on 2026-11-25: no credentials listed"


# certified people: leaving
def test_left_on_the_as_of_date_does_not_count(policy) -> None:
    data = one(active_on=day(-1))
    data["people"][0]["left_on"] = day(0)
    assert person(data, policy)[1:] == ("left-firm", "left the firm on 2026-11-25")


def test_leaving_the_day_after_still_counts_and_is_at_risk(policy) -> None:
    data = one(active_on=day(-1))
    data["people"][0]["left_on"] = day(+1)
    result = run(policy, data)
    assert result.metrics["certified_people"].value == 1
    assert result.at_risk[0].drops_out_on == D + timedelta(days=1)


# customers in production: the trailing year, 2025-11-26 .. 2026-11-25
def customers(policy, data, as_of: date = D) -> tuple[int, list[str | None]]:
    m = run(policy, data, as_of).metrics["customers_in_production"]
    return m.value, [o.reason for o in m.excluded]


def deployment(**fields) -> dict:
    data = firm(customers=1, live_on="2024-01-01")
    data["deployments"][0].update(fields)
    return data


def test_retired_the_day_before_the_trailing_year_began_does_not_count(policy) -> None:
    assert customers(policy, deployment(retired_on="2025-11-25")) == (0, ["retired-before-window"])


def test_retired_on_the_first_day_of_the_trailing_year_counts(policy) -> None:
    assert customers(policy, deployment(retired_on="2025-11-26")) == (1, [])


def test_live_on_the_as_of_date_counts_and_the_day_after_does_not(policy) -> None:
    assert customers(policy, deployment(live_on=day(0))) == (1, [])
    assert customers(policy, deployment(live_on=day(+1))) == (0, ["not-yet-live"])


def test_pilots_and_proofs_of_concept_never_count(policy) -> None:
    assert customers(policy, deployment(stage="pilot")) == (0, ["not-production"])
    assert customers(policy, deployment(stage="proof-of-concept")) == (0, ["not-production"])


def test_a_customer_with_two_production_deployments_counts_once(policy) -> None:
    data = deployment()
    data["deployments"].append({**data["deployments"][0], "id": "d-second"})
    assert customers(policy, data) == (1, [])


def test_the_trailing_year_on_29_february(policy) -> None:
    leap = date(2028, 2, 29)  # the trailing year is 2027-03-01 .. 2028-02-29
    assert customers(policy, deployment(retired_on="2027-02-28"), leap)[0] == 0
    assert customers(policy, deployment(retired_on="2027-03-01"), leap)[0] == 1


def test_the_trailing_year_on_1_march_after_29_february(policy) -> None:
    after = date(2028, 3, 1)  # the trailing year is 2027-03-02 .. 2028-03-01
    assert customers(policy, deployment(retired_on="2027-03-01"), after)[0] == 0
    assert customers(policy, deployment(retired_on="2027-03-02"), after)[0] == 1


def test_a_retired_deployment_is_at_risk_until_it_leaves_the_trailing_year(policy) -> None:
    result = run(policy, deployment(retired_on="2025-12-10"))
    risk = [o.drops_out_on for o in result.at_risk if o.metric == "customers_in_production"]
    assert risk == [date(2026, 12, 10)]  # the first as-of date whose trailing year starts after 2025-12-10


# public customer stories
def stories(policy, edit) -> tuple[int, list[str | None]]:
    data = firm(stories=1, published_on="2026-06-01")
    edit(data["stories"][0])
    m = run(policy, data).metrics["public_stories"]
    return m.value, [o.reason for o in m.excluded]


def test_a_story_published_the_day_after_does_not_count(policy) -> None:
    assert stories(policy, lambda s: s.update(published_on=day(+1))) == (0, ["not-yet-published"])
    assert stories(policy, lambda s: s.update(published_on=day(0))) == (1, [])


def test_a_story_withdrawn_on_the_as_of_date_does_not_count_and_the_day_after_does(policy) -> None:
    assert stories(policy, lambda s: s.update(withdrawn_on=day(0))) == (0, ["withdrawn"])
    assert stories(policy, lambda s: s.update(withdrawn_on=day(+1))) == (1, [])


@pytest.mark.parametrize(
    "edit,reason",
    [
        (lambda s: s.update(customer_named=False), "anonymous"),
        (lambda s: s.pop("consent"), "no-consent"),
        (lambda s: s["consent"].update(given_on=day(+1)), "consent-not-yet-given"),
        (lambda s: s.update(result=""), "no-result"),
        (lambda s: s.update(result="   "), "no-result"),
    ],
    ids=["anonymous", "no-consent", "consent-after-as-of", "empty-result", "blank-result"],
)
def test_a_story_without_a_named_customer_consent_or_result_does_not_count(policy, edit, reason) -> None:
    assert stories(policy, edit) == (0, [reason])


def test_stories_do_not_expire(policy) -> None:
    data = firm(stories=1, published_on="2026-03-01", active_on="2030-01-01")
    assert run(policy, data, date(2030, 1, 1)).metrics["public_stories"].value == 1


# tiers
@pytest.mark.parametrize(
    "short", [{"people": 9}, {"customers": 1}, {"stories": 0}], ids=["people", "customers", "stories"]
)
def test_missing_any_one_requirement_holds_the_tier_below(policy, short) -> None:
    assert run(policy, firm(**{"active_on": day(-1), **short})).eligible_tier == "registered"


def test_exactly_at_every_threshold_is_select(policy) -> None:
    result = run(policy, firm(people=10, customers=2, stories=1, active_on=day(-1)))
    assert result.eligible_tier == "select"
    assert [(r.metric, r.value, r.threshold, r.shortfall) for r in result.next_tier.requirements] == [
        ("certified_people", 10, 100, 90),
        ("customers_in_production", 2, 15, 13),
        ("public_stories", 1, 3, 2),
    ]


def test_before_joining_no_tier(policy) -> None:
    assert run(policy, firm(joined_on=day(+1), active_on=day(-1))).eligible_tier is None


def premier(**kw) -> dict:
    data = firm(
        people=1000, customers=100, stories=15, regions=("amer", "emea", "apac"), active_on=day(-1), **kw
    )
    data["firm"]["joint_business_plan"] = {
        "signed_on": "2026-05-01",
        "executive_sponsors": {"firm": "Dana Whitfield", "anthropic": "Ravi Osei"},
    }
    return data


def test_global_premier_needs_three_regions_and_a_joint_business_plan(policy) -> None:
    assert run(policy, premier()).eligible_tier == "global-premier"


def test_two_regions_hold_preferred(policy) -> None:
    data = premier()
    for customer in data["customers"]:
        customer["region"] = "apac" if customer["region"] == "amer" else customer["region"]
    result = run(policy, data)
    assert (result.eligible_tier, result.metrics["production_regions"].value) == ("preferred", 2)


@pytest.mark.parametrize(
    "edit",
    [
        lambda plan: plan.clear(),
        lambda plan: plan.update(expires_on=day(0)),
        lambda plan: plan.update(signed_on=day(+1)),
        lambda plan: plan["executive_sponsors"].update(anthropic=""),
    ],
    ids=["no-plan", "plan-expired-on-as-of", "signed-after-as-of", "no-anthropic-sponsor"],
)
def test_without_a_current_plan_with_both_sponsors_it_is_preferred(policy, edit) -> None:
    data = premier()
    edit(data["firm"]["joint_business_plan"])
    assert run(policy, data).eligible_tier == "preferred"


def test_what_the_policy_does_not_list_is_warned_about(policy) -> None:
    data = firm(customers=1, standing={"tier": "gold", "since": "2026-04-01"}, regions=("mars",))
    assert run(policy, data).warnings == [
        "customer 'c-0' is in region 'mars', which the policy does not list (amer, emea, apac)",
        "the stated standing 'gold' is not a tier of the policy "
        "(registered, select, preferred, global-premier)",
    ]
