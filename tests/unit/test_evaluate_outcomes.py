"""How `evaluate` shows each record: its label, the records it links to, and the linked fields read on
the as-of date (found by mutation testing, `nox -s mutation`)."""

from __future__ import annotations

from support import SHIPPED_POLICY, D, build_firm, customer, deployment, plan

from validator.evaluate import evaluate
from validator.policies import load_policies


def test_a_record_without_name_or_title_is_shown_as_its_linked_customer_with_that_customer() -> None:
    policy = load_policies(SHIPPED_POLICY).in_effect(D)
    data = build_firm(people=1, customers=1)
    data["customers"].append(customer(1, "amer"))
    data["deployments"].append(deployment(1, "c-1", stage="pilot"))
    result = evaluate(policy, data, D).metrics["customers_in_production"]
    (counted,) = result.counted
    (pilot,) = result.excluded
    assert (counted.id, counted.label, counted.linked) == (
        "d-0",
        "Customer 0",
        {"customer": data["customers"][0]},
    )
    assert (pilot.id, pilot.label, pilot.linked) == ("d-1", "Customer 1", {"customer": data["customers"][1]})


def test_a_record_without_name_title_or_named_linked_record_is_shown_by_its_metrics_label() -> None:
    policy = load_policies(SHIPPED_POLICY).in_effect(D)
    data = build_firm(people=1, joint_business_plan=plan())
    (counted,) = evaluate(policy, data, D).metrics["joint_business_plan"].counted
    assert (counted.id, counted.label) == ("firm.joint_business_plan[0]", "Joint business plan")


def test_a_record_with_a_title_is_shown_by_it_and_one_without_any_id_by_its_place() -> None:
    policy = load_policies(SHIPPED_POLICY).in_effect(D)
    data = build_firm(people=1, customers=1, stories=1)
    del data["deployments"][0]["id"]
    result = evaluate(policy, data, D)
    (story,) = result.metrics["public_stories"].counted
    assert story.label == "Story 0"
    (place,) = result.metrics["customers_in_production"].counted
    assert place.id == "deployments[0]"


def test_a_firm_file_without_a_list_has_none_of_its_records() -> None:
    policy = load_policies(SHIPPED_POLICY).in_effect(D)
    data = build_firm(people=1, customers=1)
    del data["stories"]
    result = evaluate(policy, data, D).metrics["public_stories"]
    assert (result.value, result.counted, result.excluded) == (0, [], [])
