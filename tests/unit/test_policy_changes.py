"""A program changes by a new policy file, never by Python: each fixture in tests/policies moves results.

Every fixture is the shipped policy with one change (`diff policy/cpn-services-2026-03-01.yaml FILE`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support import (
    ARCHITECT,
    D,
    build_firm,
    credential,
    customer,
    day,
    deployment,
    firm_of,
    person,
    policy_variant,
    story,
)

from validator.evaluate import eligible_tier, evaluate
from validator.policies import NoPolicyInEffect, PolicySet, load_policies
from validator.render.text import render_text
from validator.result import Evaluation, evaluation_json
from validator.standing import compute_standing

POLICIES = Path(__file__).resolve().parents[1] / "policies"
FIXTURES = sorted(POLICIES.glob("*.yaml"))
SHIPPED = load_policies()


def load(name: str | None) -> PolicySet:
    return SHIPPED if name is None else load_policies(POLICIES / name)


def run(name: str | None, data: dict[str, Any], as_of: date = D) -> Evaluation:
    policy = load(name).in_effect(as_of)
    result = evaluate(policy, data, as_of)
    assert eligible_tier(policy, data, as_of) == result.eligible_tier
    return result


def tier(name: str | None, data: dict[str, Any], as_of: date = D) -> str | None:
    return run(name, data, as_of).eligible_tier


@pytest.mark.parametrize("path", [*FIXTURES, POLICIES / "versions"], ids=lambda p: p.name)
def test_every_fixture_policy_passes_the_policy_check(path) -> None:
    assert load_policies(path).versions


def test_a_raised_select_threshold_moves_a_firm_with_10_certified_people_to_registered() -> None:
    data = build_firm(people=10, customers=2, stories=1)
    assert tier(None, data) == "select"
    result = run("select-certified-people-12.yaml", data)
    assert result.eligible_tier == "registered"
    people = result.next_tier.requirements[0]
    assert (people.metric, people.value, people.threshold, people.shortfall) == (
        "certified_people",
        10,
        12,
        2,
    )
    assert tier("select-certified-people-12.yaml", build_firm(people=12, customers=2, stories=1)) == "select"


def test_an_accepted_developer_credential_makes_people_who_hold_only_it_count() -> None:
    data = build_firm(customers=2, stories=1)
    data["people"] = [
        person(i, credentials=[credential(name="claude-certified-developer", level="foundations")])
        for i in range(10)
    ]
    assert run(None, data).metrics["certified_people"].value == 0
    assert tier(None, data) == "registered"
    result = run("developer-credential-accepted.yaml", data)
    assert (result.metrics["certified_people"].value, result.eligible_tier) == (10, "select")


def test_accepting_the_developer_credential_does_not_accept_other_names_or_levels() -> None:
    data = firm_of(
        people=[
            person(0, name="claude-certified-associate", level="foundations"),
            person(1, name="claude-certified-developer", level="professional"),
        ]
    )
    m = run("developer-credential-accepted.yaml", data).metrics["certified_people"]
    assert (m.value, [o.reason for o in m.excluded]) == (0, ["no-current-credential"] * 2)


def test_a_level_that_stops_counting_from_a_date_counts_on_the_day_before_and_not_on_that_day() -> None:
    name = "foundations-until-2027-01-01.yaml"
    data = build_firm(people=10, customers=2, stories=1, active_on="2026-12-20")
    assert tier(name, data, date(2026, 12, 31)) == "select"
    result = run(name, data, date(2027, 1, 1))
    assert result.eligible_tier == "registered"
    assert result.metrics["certified_people"].excluded[0].message == (
        "holds no credential that counts on 2027-01-01: claude-certified-architect at level foundations "
        "is not a credential the program accepts on 2027-01-01"
    )
    assert tier(None, data, date(2027, 1, 1)) == "select"  # the shipped policy still accepts it


def test_a_level_that_stops_counting_puts_its_holders_at_risk_from_that_day() -> None:
    data = firm_of(people=[person(0, active_on="2026-11-20")])
    result = run("foundations-until-2027-01-01.yaml", data)
    assert [(o.id, o.drops_out_on) for o in result.at_risk] == [("p-0", date(2027, 1, 1))]


def test_a_professional_holder_still_counts_when_foundations_stops_counting() -> None:
    data = firm_of(people=[person(0, level="professional", issued_on="2026-09-01", active_on="2026-12-20")])
    result = run("foundations-until-2027-01-01.yaml", data, date(2027, 1, 1))
    assert result.metrics["certified_people"].value == 1


def test_a_180_day_activity_window_keeps_people_counting_longer() -> None:
    data = build_firm(people=10, customers=2, stories=1, active_on="2026-07-01")  # 147 days before D
    assert tier(None, data) == "registered"
    assert tier("activity-180-days.yaml", data) == "select"


def test_a_180_day_activity_window_has_its_edge_at_179_days() -> None:
    name = "activity-180-days.yaml"
    assert run(name, firm_of(people=[person(0, active_on=day(-179))])).metrics["certified_people"].value == 1
    m = run(name, firm_of(people=[person(0, active_on=day(-180))])).metrics["certified_people"]
    assert m.value == 0
    assert m.excluded[0].message == (
        f"last used Claude on {day(-180)}, 180 days before 2026-11-25; the window is the last 180 days"
    )


ADVANCED = "advanced-tier.yaml"


def test_a_fifth_tier_between_select_and_preferred() -> None:
    data = build_firm(people=60, customers=9, stories=2)
    assert tier(None, data) == "select"
    result = run(ADVANCED, data)
    assert result.eligible_tier == "advanced"
    assert [t.id for t in result.tiers] == ["registered", "select", "advanced", "preferred", "global-premier"]
    assert result.next_tier is not None and result.next_tier.id == "preferred"
    assert "A named partner manager" in result.benefits


def test_the_fifth_tier_needs_every_one_of_its_requirements() -> None:
    assert tier(ADVANCED, build_firm(people=50, customers=8, stories=2)) == "advanced"  # exactly at each
    assert tier(ADVANCED, build_firm(people=50, customers=8, stories=1)) == "select"
    assert tier(ADVANCED, build_firm(people=49, customers=8, stories=2)) == "select"
    assert tier(ADVANCED, build_firm(people=100, customers=15, stories=3)) == "preferred"


def test_a_select_firm_under_the_five_tier_ladder_is_told_what_advanced_needs() -> None:
    result = run(ADVANCED, build_firm(people=10, customers=2, stories=1))
    assert result.next_tier is not None and result.next_tier.id == "advanced"
    assert [(r.value, r.threshold, r.shortfall) for r in result.next_tier.requirements] == [
        (10, 50, 40),
        (2, 8, 6),
        (1, 2, 1),
    ]


ONE_REGION = "customers-in-one-region.yaml"


def test_a_new_requirement_two_production_customers_in_one_region_for_select() -> None:
    spread = build_firm(people=10, customers=2, stories=1, regions=("emea", "apac"))
    together = build_firm(people=10, customers=3, stories=1, regions=("emea", "apac"))  # emea, apac, emea
    assert tier(None, spread) == "select"
    result = run(ONE_REGION, spread)
    assert (result.eligible_tier, result.metrics["customers_in_one_region"].value) == ("registered", 1)
    result = run(ONE_REGION, together)
    assert (result.eligible_tier, result.metrics["customers_in_one_region"].value) == ("select", 2)


def test_customers_in_one_region_counts_only_production_customers_once_each() -> None:
    data = build_firm(people=10, stories=1)
    data["customers"] = [customer(0, "emea"), customer(1, "emea"), customer(2, "apac")]
    data["deployments"] = [
        deployment(0, "c-0"),
        deployment(1, "c-0", live_on="2026-05-01"),  # the same customer again
        deployment(2, "c-1", stage="pilot"),  # not in production
        deployment(3, "c-2"),
    ]
    result = run(ONE_REGION, data)
    assert result.metrics["customers_in_production"].value == 2
    assert (result.metrics["customers_in_one_region"].value, result.eligible_tier) == (1, "registered")


def test_a_record_without_the_key_or_group_adds_nothing_to_a_grouped_metric(tmp_path) -> None:
    grouped = policy_variant(
        tmp_path / "stories-by-region.yaml",
        (
            "  - id: public_stories\n    label: Public customer stories\n    records: stories\n    key: id\n",
            "  - id: public_stories\n    label: Public customer stories\n    records: stories\n"
            "    key: customer\n    group_by: customer.region\n",
        ),
    )
    policy = load_policies(grouped).in_effect(D)
    data = build_firm(people=10, customers=2, stories=1, regions=("emea", "apac"))
    data["stories"] = [story(0)]  # names no customer: no key and no region
    result = evaluate(policy, data, D)
    assert (result.metrics["public_stories"].value, result.eligible_tier) == (0, "registered")
    assert eligible_tier(policy, data, D) == "registered"
    data["stories"] = [story(0, "c-0"), story(1, "c-0"), story(2, "c-1")]  # one customer per region
    assert evaluate(policy, data, D).metrics["public_stories"].value == 1


# --- two versions in one folder ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def versions() -> PolicySet:
    return load_policies(POLICIES / "versions")


def test_the_version_in_effect_is_the_latest_whose_start_is_on_or_before_the_date(versions) -> None:
    assert [p.version for p in versions.versions] == ["2026.1", "2027.1"]
    assert versions.in_effect(date(2026, 3, 1)).version == "2026.1"
    assert versions.in_effect(date(2026, 12, 31)).version == "2026.1"
    assert versions.in_effect(date(2027, 1, 1)).version == "2027.1"
    assert versions.in_effect(date(2030, 1, 1)).version == "2027.1"


def test_the_raised_threshold_applies_from_the_day_the_new_version_takes_effect(versions) -> None:
    data = build_firm(people=10, customers=2, stories=1, active_on="2026-12-20")

    def tier_on(as_of: date) -> str | None:
        return evaluate(versions.in_effect(as_of), data, as_of).eligible_tier

    assert tier_on(date(2026, 12, 31)) == "select"
    assert tier_on(date(2027, 1, 1)) == "registered"


def test_a_date_before_the_first_version_has_no_policy_in_effect(versions) -> None:
    with pytest.raises(NoPolicyInEffect, match="no policy is in effect on 2026-02-28"):
        versions.in_effect(date(2026, 2, 28))


def test_the_shipped_architect_credential_is_named_as_the_fixtures_expect() -> None:
    accepted = SHIPPED.versions[0].accepted
    assert {(c.name, c.level) for c in accepted} == {
        (ARCHITECT, "foundations"),
        (ARCHITECT, "professional"),
    }


def test_a_window_rule_can_read_a_nested_date_field(tmp_path) -> None:
    # The meta-schema lets `fields` be dotted, as `field` is: consent.given_on is a story's nested date.
    text = Path(SHIPPED.versions[0].path).read_text(encoding="utf-8")
    old = "      - test: present\n        field: result\n"
    rule = (
        "      - test: in_window\n"
        "        fields: [consent.given_on]\n"
        "        window: trailing_year\n"
        "        reason: consent-too-old\n"
        '        message: "has consent given on {value}, before {first}"\n'
    )
    assert old in text
    path = tmp_path / "consent-window.yaml"
    path.write_text(text.replace(old, rule + old, 1), encoding="utf-8")
    data = firm_of(
        customers=[customer(0)],
        stories=[story(0, "c-0", consent_on="2026-06-01"), story(1, "c-0", consent_on="2025-06-01")],
    )
    m = evaluate(load_policies(path).in_effect(D), data, D).metrics["public_stories"]
    assert (m.value, [o.reason for o in m.excluded]) == (1, ["consent-too-old"])
    assert m.excluded[0].message == "has consent given on 2025-06-01, before 2025-11-26"


HELD_30 = "certified-at-least-30-days.yaml"


@pytest.mark.parametrize(
    "issued,counts",
    [(day(-30), True), (day(-29), False), (day(-400 + 40), True)],  # 30 days held: the first day it counts
)
def test_a_credential_counts_once_held_for_30_days(issued: str, counts: bool) -> None:
    data = build_firm(people=10, customers=2, stories=1)
    data["people"][0]["credentials"] = [credential(issued_on=issued)]
    assert tier(None, data) == "select"
    result = run(HELD_30, data)
    assert (result.metrics["certified_people"].value, result.eligible_tier) == (
        (10, "select") if counts else (9, "registered")
    )
    if not counts:
        assert result.metrics["certified_people"].excluded[0].message == (
            "holds no credential that counts on 2026-11-25: claude-certified-architect (foundations) was "
            "issued on 2026-10-27, 29 days before 2026-11-25; it counts once held 30 days"
        )


def test_a_credential_issued_on_29_february_is_held_30_days_on_30_march() -> None:
    data = build_firm(people=1, active_on="2028-03-29", issued_on="2028-02-29")
    assert run(HELD_30, data, date(2028, 3, 29)).metrics["certified_people"].value == 0
    assert run(HELD_30, data, date(2028, 3, 30)).metrics["certified_people"].value == 1


def test_a_newer_credential_already_held_takes_over_so_the_person_is_not_at_risk() -> None:
    # the old credential expires in 10 days; a renewal issued 20 days ago counts from day +10
    data = build_firm(people=1, active_on=day(-1))
    data["people"][0]["credentials"] = [
        credential(issued_on=day(-300), expires_on=day(10)),
        credential(issued_on=day(-20)),
    ]
    result = run(HELD_30, data)
    (counted,) = result.metrics["certified_people"].counted
    assert counted.drops_out_on == date.fromisoformat(day(89))  # activity on D-1 leaves the 90 days
    assert counted.via == data["people"][0]["credentials"][0]


OUTSIDE_APAC = "customers-outside-apac-by-link.yaml"


def test_customers_in_asia_pacific_do_not_count_read_through_the_deployments_customer() -> None:
    spread = build_firm(people=10, customers=2, stories=1, regions=("emea", "apac"))
    assert tier(None, spread) == "select"
    result = run(OUTSIDE_APAC, spread)
    assert (result.metrics["customers_outside_apac"].value, result.eligible_tier) == (1, "registered")
    (excluded,) = result.metrics["customers_outside_apac"].excluded
    assert (excluded.reason, excluded.message) == (
        "customer-in-apac",
        "is for c-1, a customer in Asia Pacific",
    )
    result = run(OUTSIDE_APAC, build_firm(people=10, customers=2, stories=1, regions=("emea", "amer")))
    assert (result.metrics["customers_outside_apac"].value, result.eligible_tier) == (2, "select")


def test_a_deployment_whose_customer_is_not_listed_is_not_in_apac() -> None:
    data = build_firm(people=10, customers=2, stories=1, regions=("apac",))
    data["deployments"][0]["customer"] = "c-unlisted"  # validate refuses this file; evaluate still reads it
    assert run(OUTSIDE_APAC, data).metrics["customers_outside_apac"].value == 1


WITHIN_730 = "stories-published-within-730-days.yaml"


@pytest.mark.parametrize(
    "published,counts", [(day(-729), True), (day(-730), False), (day(0), True), (day(1), False)]
)
def test_a_story_counts_from_its_publication_through_729_days_later(published: str, counts: bool) -> None:
    data = build_firm(people=10, customers=2, stories=1, published_on=published)
    assert tier(None, data) == ("select" if published <= D.isoformat() else "registered")
    assert tier(WITHIN_730, data) == ("select" if counts else "registered")


def test_a_story_published_on_29_february_drops_out_730_days_later() -> None:
    data = build_firm(people=1, stories=1, published_on="2028-02-29", active_on="2028-03-01")
    result = run(WITHIN_730, data, date(2028, 3, 1))
    assert result.metrics["public_stories"].counted[0].drops_out_on == date(2030, 2, 28)
    assert run(WITHIN_730, data, date(2030, 2, 27)).metrics["public_stories"].value == 1
    assert run(WITHIN_730, data, date(2030, 2, 28)).metrics["public_stories"].value == 0


EITHER = "select-either-of-two-ways.yaml"


@pytest.mark.parametrize(
    "people,customers,expected",
    [(10, 2, "select"), (5, 4, "select"), (9, 4, "select"), (10, 1, "registered"), (4, 4, "registered")],
)
def test_select_is_reached_either_way(people: int, customers: int, expected: str) -> None:
    assert tier(EITHER, build_firm(people=people, customers=customers, stories=1)) == expected


def test_the_next_tier_names_the_alternative_closest_to_being_met_and_what_it_lacks() -> None:
    result = run(EITHER, build_firm(people=6, customers=3, stories=1))
    nxt = result.next_tier
    assert result.eligible_tier == "registered" and nxt is not None and not nxt.met
    # 10 and 2: one short by 40%; 5 and 4: one short by 25%, so the second way is named
    assert nxt.alternatives == (
        "alternative 2 of 2: certified people at least 5 and customers in production at least 4",
    )
    assert [(r.metric, r.value, r.threshold, r.shortfall) for r in nxt.requirements] == [
        ("certified_people", 6, 5, 0),
        ("customers_in_production", 3, 4, 1),
        ("public_stories", 1, 1, 0),
    ]
    doc = evaluation_json(result)["next_tier"]
    assert doc["alternatives"] == list(nxt.alternatives)
    assert [r["shortfall"] for r in doc["requirements"]] == [0, 1, 0]


def test_an_alternative_that_holds_is_the_one_shown_even_when_another_is_listed_first() -> None:
    result = run(EITHER, build_firm(people=5, customers=4, stories=1))
    select = result.tier("select")
    assert select is not None and select.met
    assert select.alternatives[0].startswith("alternative 2 of 2:")


def test_simple_requirements_keep_the_json_shape_without_alternatives() -> None:
    doc = evaluation_json(run(None, build_firm(people=6, customers=3, stories=1)))
    assert set(doc["next_tier"]) == {"id", "requirements"}


def test_standing_is_promoted_by_the_second_way_at_the_review() -> None:
    data = build_firm(people=5, customers=4, stories=1, joined_on="2026-03-01")
    standing = compute_standing(load(EITHER), data, date(2027, 1, 1))
    assert standing is not None and (standing.tier, standing.since) == ("select", date(2027, 1, 1))
    assert compute_standing(SHIPPED, data, date(2027, 1, 1)).tier == "registered"  # type: ignore[union-attr]


def test_a_fractional_threshold_needs_the_whole_next_count(tmp_path) -> None:
    path = policy_variant(
        tmp_path / "half.yaml",
        (
            "{metric: customers_in_production, at_least: 2}",
            "{metric: customers_in_production, at_least: 2.5}",
        ),
    )
    policies = load_policies(path)
    two = evaluate(policies.in_effect(D), build_firm(people=10, customers=2, stories=1), D)
    assert two.eligible_tier == "registered"
    assert [r.shortfall for r in two.next_tier.requirements if not r.met] == [0.5]  # type: ignore[union-attr]
    assert evaluate(
        policies.in_effect(D), build_firm(people=10, customers=3, stories=1), D
    ).eligible_tier == ("select")


def test_text_output_names_the_closest_way_to_the_next_tier() -> None:
    text = render_text(run(EITHER, build_firm(people=6, customers=3, stories=1)))
    assert (
        "  closest way to Select: alternative 2 of 2: certified people at least 5 and customers in "
        "production at least 4\n  to reach Select, fix first:\n"
        "    - customers in production: 1 more (3 of 4)\n"
    ) in text
