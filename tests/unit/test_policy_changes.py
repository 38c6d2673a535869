"""A program changes by a new policy file, never by Python: each fixture moves results as expected."""

from __future__ import annotations

from datetime import date

import pytest
from support import firm, policy_variant

from validator.evaluate import evaluate
from validator.policies import NoPolicyInEffect, load_policies

D = date(2026, 11, 25)


def tier(policy_path, data, day: date = D) -> str | None:
    versions = load_policies(policy_path)
    return evaluate(versions.in_effect(day), data, day).eligible_tier


def test_a_raised_threshold_moves_a_firm_down(tmp_path) -> None:
    data = firm(people=10, active_on="2026-11-20")
    raised = policy_variant(
        tmp_path / "p.yaml",
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"),
    )
    assert tier(None, data) == "select"
    assert tier(raised, data) == "registered"


def test_another_accepted_credential_makes_its_holders_count(tmp_path) -> None:
    data = firm(people=10, active_on="2026-11-20")
    for person in data["people"]:
        person["credentials"] = [
            {"name": "claude-certified-developer", "level": "associate", "issued_on": "2026-09-01"}
        ]
    widened = policy_variant(
        tmp_path / "p.yaml",
        (
            "  accepted:                     # choice: both levels count\n",
            "  accepted:\n    - {name: claude-certified-developer, level: associate, from: 2026-09-01}\n",
        ),
    )
    assert tier(None, data) == "registered"
    assert tier(widened, data) == "select"


def test_a_level_that_stops_counting_counts_until_the_day_before(tmp_path) -> None:
    data = firm(people=10, active_on="2026-12-20", activity=("2026-11-20",))
    retired = policy_variant(
        tmp_path / "p.yaml",
        ("level: foundations, from: 2026-03-01,", "level: foundations, from: 2026-03-01, until: 2027-01-01,"),
    )
    assert tier(retired, data, date(2026, 12, 31)) == "select"
    assert tier(retired, data, date(2027, 1, 1)) == "registered"
    versions = load_policies(retired)
    result = evaluate(versions.in_effect(D), data, D)
    assert {o.drops_out_on for o in result.metrics["certified_people"].counted} == {date(2027, 1, 1)}


def test_a_180_day_activity_window_keeps_people_counting_longer(tmp_path) -> None:
    data = firm(people=10, active_on="2026-07-01")  # 147 days before D
    longer = policy_variant(
        tmp_path / "p.yaml",
        ("activity: {days: 90, label: the last 90 days}", "activity: {days: 180, label: the last 180 days}"),
    )
    assert tier(None, data) == "registered"
    assert tier(longer, data) == "select"


def test_a_fifth_tier_between_select_and_preferred(tmp_path) -> None:
    fifth = policy_variant(
        tmp_path / "p.yaml",
        (
            "  - id: preferred\n",
            "  - id: advanced\n    label: Advanced\n    requires:\n"
            "      - {metric: certified_people, at_least: 50}\n"
            "      - {metric: customers_in_production, at_least: 8}\n"
            "      - {metric: public_stories, at_least: 2}\n"
            "  - id: preferred\n",
        ),
    )
    data = firm(people=60, customers=9, stories=2, active_on="2026-11-20")
    assert tier(None, data) == "select"
    assert tier(fifth, data) == "advanced"
    result = evaluate(load_policies(fifth).in_effect(D), data, D)
    assert result.next_tier is not None and result.next_tier.id == "preferred"


def test_a_new_requirement_on_existing_records_two_customers_in_one_region(tmp_path) -> None:
    grouped = policy_variant(
        tmp_path / "p.yaml",
        (
            "  - id: public_stories\n",
            "  - id: customers_in_one_region\n    label: Most production customers in one region\n"
            "    from: customers_in_production\n    key: customer\n    group_by: customer.region\n\n"
            "  - id: public_stories\n",
        ),
        (
            "      - {metric: public_stories, at_least: 1}\n",
            "      - {metric: public_stories, at_least: 1}\n"
            "      - {metric: customers_in_one_region, at_least: 2}\n",
        ),
    )
    spread = firm(customers=2, regions=("emea", "apac"), active_on="2026-11-20")
    together = firm(customers=3, regions=("emea", "apac", "emea"), active_on="2026-11-20")
    assert tier(None, spread) == "select"
    assert tier(grouped, spread) == "registered"
    assert tier(grouped, together) == "select"
    assert (
        evaluate(load_policies(grouped).in_effect(D), together, D).metrics["customers_in_one_region"].value
        == 2
    )


@pytest.fixture
def versions(tmp_path):
    folder = tmp_path / "versions"
    folder.mkdir()
    policy_variant(folder / "2026.yaml")
    policy_variant(
        folder / "2027.yaml",
        ('version: "2026.1"', 'version: "2027.1"'),
        ("effective_from: 2026-03-01", "effective_from: 2027-01-01"),
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"),
    )
    return load_policies(folder)


def test_the_version_in_effect_is_the_latest_that_has_started(versions) -> None:
    assert versions.in_effect(date(2026, 12, 31)).version == "2026.1"
    assert versions.in_effect(date(2027, 1, 1)).version == "2027.1"
    assert versions.in_effect(date(2026, 3, 1)).version == "2026.1"


def test_a_date_before_the_first_version_has_no_policy(versions) -> None:
    with pytest.raises(NoPolicyInEffect, match="first version takes effect on 2026-03-01"):
        versions.in_effect(date(2026, 2, 28))
