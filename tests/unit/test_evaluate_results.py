"""What `evaluate` reports beside the values: the file and policy it names, sums, formulas and metrics of
metrics, the records at risk and why, the first loss, and each tier's alternatives in words (found by
mutation testing, `nox -s mutation`)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from pathlib import Path

from support import SHIPPED_POLICY, D, build_firm, day, deployment, person, policy_variant
from test_expressions import needs_cel

from validator.evaluate import eligible_tier, evaluate
from validator.policies import load_policies
from validator.result import Outcome, PrerequisiteCheck, Requirement

POLICIES = Path(__file__).resolve().parents[1] / "policies"
SHIPPED = load_policies(SHIPPED_POLICY).in_effect(D)
BENCH = POLICIES / "architecture-select-or-a-big-bench.yaml"


def test_an_evaluation_of_data_from_no_file_names_no_file_and_names_the_policy_file() -> None:
    result = evaluate(SHIPPED, build_firm(people=1), D)
    assert (result.file, result.file_sha256) == ("", "")
    assert result.policy.path == SHIPPED.path
    assert result.policy.path.endswith("cpn-services-2026-03-01.yaml")


def test_data_without_a_firm_header_is_eligible_for_no_tier_and_has_no_plan() -> None:
    data = build_firm(people=10, customers=2, stories=1)
    del data["firm"]
    result = evaluate(SHIPPED, data, D)
    assert (result.firm, result.eligible_tier) == ({}, None)
    assert result.metrics["joint_business_plan"].value == 0
    assert eligible_tier(SHIPPED, data, D) is None


def test_each_tier_check_says_whether_the_tier_makes_the_firm_a_partner() -> None:
    result = evaluate(SHIPPED, build_firm(people=1), D)
    assert [(t.id, t.partner) for t in result.tiers] == [
        ("registered", False),
        ("select", True),
        ("preferred", True),
        ("global-premier", True),
    ]


@needs_cel
def test_sums_and_formulas_are_shown_by_their_own_id_and_label_with_no_records() -> None:
    data = build_firm(people=10, customers=2, stories=1)
    score = evaluate(load_policies(POLICIES / "capability-score.yaml").in_effect(D), data, D).metrics["score"]
    assert (score.id, score.label, score.counted, score.excluded) == ("score", "Capability score", [], [])
    ratio_policy = load_policies(POLICIES / "cel" / "people-per-customer.yaml").in_effect(D)
    ratio = evaluate(ratio_policy, data, D).metrics["people_per_customer"]
    assert (ratio.id, ratio.label, ratio.value, ratio.counted, ratio.excluded) == (
        "people_per_customer",
        "Certified people per customer in production",
        5,
        [],
        [],
    )


def test_a_metric_of_a_metric_names_its_source_and_lists_records_only_when_it_gives_points() -> None:
    data = build_firm(people=1, customers=2)
    regions = evaluate(SHIPPED, data, D).metrics["production_regions"]
    assert (regions.derived_from, regions.value, regions.counted) == ("customers_in_production", 1, [])
    score = evaluate(load_policies(POLICIES / "capability-score.yaml").in_effect(D), data, D)
    skilling = score.metrics["skilling_points"]
    assert (skilling.derived_from, [o.id for o in skilling.counted]) == ("certified_people", ["p-0"])


def test_an_at_risk_record_says_the_rule_it_fails_on_the_day_it_drops_out() -> None:
    data = build_firm(customers=1)
    data["people"] = [person(0, active_on=day(-1), expires_on=day(10))]
    (at_risk,) = evaluate(SHIPPED, data, D).at_risk
    assert (at_risk.id, at_risk.drops_out_on) == ("p-0", date(2026, 12, 5))
    assert at_risk.drop is not None and at_risk.drop.reason == "no-current-credential"


def test_a_drop_decided_by_a_linked_record_says_so(tmp_path: Path) -> None:
    churned = (
        '        message: "retired on {value}, before the trailing year began on {first}"\n',
        '        message: "retired on {value}, before the trailing year began on {first}"\n'
        "      - test: absent_or_after\n"
        "        field: customer.left_on\n"
        "        reason: customer-left\n"
        '        message: "is for a customer who leaves on {value}"\n',
    )
    declared = (
        "\nmetrics:\n",
        "\ndata:\n  fields:\n    customers:\n      left_on: {format: date}\n\nmetrics:\n",
    )
    policy = load_policies(policy_variant(tmp_path / "policy.yaml", declared, churned)).in_effect(D)
    data = build_firm(customers=2)
    data["customers"][0]["left_on"] = day(20)
    (at_risk,) = evaluate(policy, data, D).at_risk
    assert (at_risk.id, at_risk.drops_out_on) == ("d-0", date(2026, 12, 15))
    assert at_risk.drop is not None and at_risk.drop.reason == "customer-left"
    assert at_risk.drop.message == f"is for a customer who leaves on {day(20)}"


def test_of_a_customers_deployments_dropping_on_one_day_the_first_listed_is_at_risk() -> None:
    data = build_firm(customers=1)
    data["deployments"] = [
        deployment(i, "c-0", live_on="2025-06-01", retired_on="2026-01-10") for i in range(2)
    ]
    result = evaluate(SHIPPED, data, D)
    assert [(o.id, o.drops_out_on) for o in result.at_risk] == [("d-0", date(2027, 1, 10))]


def test_a_tier_met_exactly_is_lost_on_the_day_its_one_record_at_risk_drops_out() -> None:
    data = build_firm(people=10, customers=2, stories=1)
    data["deployments"][0].update(live_on="2025-06-01", retired_on="2026-01-10")  # out from 2027-01-10
    result = evaluate(SHIPPED, data, D)
    assert result.eligible_tier == "select" and result.loss is not None
    loss = result.loss
    assert (loss.on, loss.metric, loss.left, loss.threshold, loss.record.id) == (
        date(2027, 1, 10),
        "Customers in production",
        1,
        2,
        "d-0",
    )


def test_a_tier_reached_through_a_prerequisite_shows_that_way_and_not_a_bench_one_person_short() -> None:
    policy = load_policies(BENCH).in_effect(D)
    result = evaluate(policy, build_firm(people=49, customers=5, stories=1), D)  # the bench: 50 and 5
    architect = result.designations["architecture"].tiers[1]
    assert result.designations["architecture"].eligible_tier == "architecture-specialist"
    assert architect.prerequisites == (PrerequisiteCheck("services", "select", "select", True),)
    assert architect.requirements == (Requirement("certified_people", "Certified people", 49, 20),)
    assert architect.alternatives == ("alternative 1 of 2: Select in Services track",)


def test_an_alternative_is_said_with_its_prerequisite_and_its_own_alternatives(tmp_path: Path) -> None:
    nested = (
        "              - {designation: services, tier: select}\n",
        "              - all_of:\n"
        "                  - {designation: services, tier: select}\n"
        "                  - any_of:\n"
        "                      - {metric: public_stories, at_least: 2}\n"
        "                      - {metric: customers_in_production, at_least: 2}\n",
    )
    text = BENCH.read_text(encoding="utf-8").replace(*nested)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    result = evaluate(load_policies(path).in_effect(D), build_firm(people=20, customers=2, stories=1), D)
    architect = result.designations["architecture"].tiers[1]
    assert architect.alternatives == (
        "alternative 1 of 2: Select in Services track and "
        "public customer stories at least 2 or customers in production at least 2",
        "alternative 2 of 2: customers in production at least 2",
    )


def test_a_group_floor_without_a_key_counts_each_record_of_a_group_by_its_id(tmp_path: Path) -> None:
    text = (POLICIES / "five-customers-in-each-of-2-regions.yaml").read_text(encoding="utf-8")
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("    key: customer\n    group_by:", "    group_by:", 1), encoding="utf-8")
    data = build_firm(customers=2, regions=("emea", "amer"))
    data["deployments"] += [deployment(f"{c}{i}", f"c-{c}") for c in (0, 1) for i in range(4)]
    result = evaluate(load_policies(path).in_effect(D), data, D)
    assert result.metrics["regions_with_5_customers"].value == 2  # five deployments in each region


def test_a_record_counted_through_one_of_its_items_is_shown_with_the_records_it_links_to(
    tmp_path: Path,
) -> None:
    declared = (
        "\nmetrics:\n",
        "\ndata:\n  fields:\n    people:\n      customer: {type: string}\n\nmetrics:\n",
    )
    policy = load_policies(policy_variant(tmp_path / "policy.yaml", declared)).in_effect(D)
    data = build_firm(people=1, customers=1)
    data["people"][0]["customer"] = "c-0"  # the customer a person works for
    (counted,) = evaluate(policy, data, D).metrics["certified_people"].counted
    assert counted.via is not None and counted.linked == {"customer": data["customers"][0]}


def test_an_outcome_giving_points_to_another_metric_keeps_every_other_field_of_its_own() -> None:
    own = Outcome(**{f.name: f"{f.name} of its own" for f in fields(Outcome)})  # each field set, new ones too
    assert own.giving("skilling", 3) == replace(own, metric="skilling", points=3)
