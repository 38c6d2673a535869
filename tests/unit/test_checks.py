"""The rules a schema cannot state, on in-memory data."""

from __future__ import annotations

from typing import Any

from support import firm

from validator.checks import cross_checks


def findings(data: dict[str, Any]) -> list[tuple[tuple, str]]:
    return [(f.path, f.code) for f in cross_checks(data)]


def test_a_valid_firm_has_no_findings() -> None:
    assert findings(firm(people=3, customers=2, stories=1)) == []


def test_a_duplicate_id_is_reported_at_the_second_entry_of_its_list() -> None:
    data = firm(people=3, customers=2)
    data["people"][2]["id"] = "p-0"
    data["deployments"][1]["id"] = "d-0"
    assert findings(data) == [(("people", 2), "duplicate-id"), (("deployments", 1), "duplicate-id")]


def test_the_same_id_in_different_lists_is_fine() -> None:
    data = firm(people=1, customers=1)
    data["people"][0]["id"] = data["customers"][0]["id"]
    assert findings(data) == []


def test_emails_are_unique_ignoring_case() -> None:
    data = firm(people=2)
    data["people"][0]["email"] = "ada@example.com"
    data["people"][1]["email"] = "ADA@Example.com"
    assert findings(data) == [(("people", 1), "duplicate-email")]


def test_deployments_and_stories_must_name_a_listed_customer() -> None:
    data = firm(customers=1, stories=1)
    data["deployments"][0]["customer"] = "c-nobody"
    data["stories"][0]["customer"] = "c-nobody"
    assert findings(data) == [
        (("deployments", 0), "unknown-reference"),
        (("stories", 0), "unknown-reference"),
    ]


def test_retiring_on_the_day_it_went_live_is_fine_and_before_it_is_not() -> None:
    data = firm(customers=1, live_on="2026-05-01")
    data["deployments"][0]["retired_on"] = "2026-05-01"
    assert findings(data) == []
    data["deployments"][0]["retired_on"] = "2026-04-30"
    assert findings(data) == [(("deployments", 0), "date-order")]


def test_a_credential_must_expire_after_it_is_issued() -> None:
    data = firm(people=1, issued_on="2026-04-10")
    data["people"][0]["credentials"][0]["expires_on"] = "2026-04-10"
    assert findings(data) == [(("people", 0, "credentials", 0), "date-order")]


def test_a_story_cannot_be_withdrawn_before_it_is_published() -> None:
    data = firm(stories=1, published_on="2026-05-01")
    data["stories"][0]["withdrawn_on"] = "2026-04-30"
    assert findings(data) == [(("stories", 0), "date-order")]


def test_activity_after_last_active_on_is_refused() -> None:
    data = firm(people=1, active_on="2026-09-01", activity=("2026-08-01", "2026-09-02"))
    assert findings(data) == [(("people", 0, "activity"), "date-order")]


def test_a_production_deployment_needs_live_on_and_a_pilot_does_not() -> None:
    data = firm(customers=2)
    del data["deployments"][0]["live_on"]
    data["deployments"][1] |= {"stage": "pilot"}
    del data["deployments"][1]["live_on"]
    assert findings(data) == [(("deployments", 0), "missing-live-on")]


def test_wrongly_typed_data_is_left_to_the_schema_without_an_exception() -> None:
    for data in (
        [],
        "x",
        {"people": "nobody"},
        {"people": [1, None, {"id": 3}]},
        {"firm": [], "stories": [{}]},
    ):
        assert isinstance(cross_checks(data), list)
