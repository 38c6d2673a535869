"""The rules a schema cannot state, on in-memory data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from support import ARCHITECT, credential, customer, firm, firm_of, person

from validator.checks import LISTS, cross_checks, far_future, vocabulary_checks
from validator.firm_schema import bundled_firm_schema
from validator.vocabulary import Vocabulary

KNOWS = Vocabulary(
    ("amer", "emea", "apac"),
    {ARCHITECT: ("foundations", "professional")},
    ("registered", "select", "preferred", "global-premier"),
    bundled_firm_schema(),
)


def findings(data: Any) -> list[tuple[tuple, str]]:
    return [(f.path, f.code) for f in cross_checks(data)]


def test_a_valid_firm_has_no_findings() -> None:
    assert findings(firm(people=3, customers=2, stories=1)) == []


def test_a_firm_with_no_lists_at_all_has_no_findings() -> None:
    assert findings({"schema_version": 1, "firm": {"id": "x", "name": "X", "joined_on": "2026-01-01"}}) == []


# Unique ids


def test_a_duplicate_id_is_reported_at_the_second_entry_of_its_list() -> None:
    data = firm(people=3, customers=2)
    data["people"][2]["id"] = "p-0"
    data["deployments"][1]["id"] = "d-0"
    assert findings(data) == [(("people", 2), "duplicate-id"), (("deployments", 1), "duplicate-id")]


@pytest.mark.parametrize("key", LISTS)
def test_ids_are_unique_within_each_list(key: str) -> None:
    data = firm(people=2, customers=2, stories=2)
    data[key][1]["id"] = data[key][0]["id"]
    [finding] = [f for f in cross_checks(data) if f.code == "duplicate-id"]
    assert (finding.path, finding.code) == ((key, 1), "duplicate-id")
    assert finding.message == f"duplicate id {data[key][0]['id']!r} in {key}"
    assert finding.first == (key, 0)


def test_each_repeat_of_an_id_is_reported_and_points_back_to_the_first() -> None:
    data = firm(people=4)
    for entry in data["people"][1:]:
        entry["id"] = "p-0"
    found = cross_checks(data)
    assert [f.path for f in found] == [("people", 1), ("people", 2), ("people", 3)]
    assert all(f.first == ("people", 0) for f in found)


def test_the_same_id_in_different_lists_is_fine() -> None:
    data = firm(people=1, customers=1)
    data["people"][0]["id"] = data["customers"][0]["id"]
    assert findings(data) == []


# Unique emails


def test_emails_are_unique_ignoring_case() -> None:
    data = firm(people=3)
    data["people"][0]["email"] = "ada@example.com"
    data["people"][1]["email"] = "bo@example.com"
    data["people"][2]["email"] = "ADA@Example.com"
    [finding] = cross_checks(data)
    assert (finding.path, finding.code) == (("people", 2), "duplicate-email")
    assert "'ADA@Example.com'" in finding.message and "'p-0'" in finding.message


def test_people_without_an_email_do_not_clash() -> None:
    data = firm(people=3)
    data["people"][1]["email"] = "bo@example.com"
    assert findings(data) == []


# References


def test_deployments_and_stories_must_name_a_listed_customer() -> None:
    data = firm(customers=1, stories=1)
    data["deployments"][0]["customer"] = "c-nobody"
    data["stories"][0]["customer"] = "c-nobody"
    found = cross_checks(data)
    assert [(f.path, f.code) for f in found] == [
        (("deployments", 0), "unknown-reference"),
        (("stories", 0), "unknown-reference"),
    ]
    assert all(f.message == "customer 'c-nobody' is not listed under customers" for f in found)


def test_a_reference_needs_a_customer_list() -> None:
    data = firm(customers=1)
    del data["customers"]
    assert ("deployments", 0) in [path for path, _ in findings(data)]


def test_a_story_without_a_customer_is_fine() -> None:
    data = firm(stories=1)
    del data["stories"][0]["customer"]
    assert findings(data) == []


def test_references_are_exact_not_case_insensitive() -> None:
    data = firm(customers=1)
    data["deployments"][0]["customer"] = "C-0"
    assert findings(data) == [(("deployments", 0), "unknown-reference")]


# Dates in order


def test_retiring_on_the_day_it_went_live_is_fine_and_before_it_is_not() -> None:
    data = firm(customers=1, live_on="2026-05-01")
    data["deployments"][0]["retired_on"] = "2026-05-01"
    assert findings(data) == []
    data["deployments"][0]["retired_on"] = "2026-04-30"
    [finding] = cross_checks(data)
    assert (finding.path, finding.code) == (("deployments", 0), "date-order")
    assert "retired_on 2026-04-30 is before live_on 2026-05-01" in finding.message


def test_a_stated_standing_may_start_the_day_the_firm_joined_but_not_before() -> None:
    # walked from before joining, the standing met demotion looks the firm could not pass
    data = firm(joined_on="2026-06-10", standing={"tier": "select", "since": "2026-06-10"})
    assert findings(data) == []
    data["firm"]["standing"]["since"] = "2026-06-09"
    [finding] = cross_checks(data)
    assert (finding.path, finding.code) == (("firm", "standing"), "date-order")
    assert finding.message == (
        "since 2026-06-09 is before joined_on 2026-06-10: a firm holds no tier before it joins"
    )
    data["firm"]["standing"] = {
        "membership": {"tier": "partner", "since": "2026-06-10"},
        "data": {"tier": "data-specialist", "since": "2026-01-01"},
    }
    assert findings(data) == [(("firm", "standing", "data"), "date-order")]


def test_a_credential_must_expire_after_it_is_issued() -> None:
    data = firm(people=1, issued_on="2026-04-10")
    credential = data["people"][0]["credentials"][0]
    credential["expires_on"] = "2026-04-11"
    assert findings(data) == []
    credential["expires_on"] = "2026-04-10"
    [finding] = cross_checks(data)
    assert (finding.path, finding.code) == (("people", 0, "credentials", 0), "date-order")
    assert "expires_on 2026-04-10 is not after issued_on 2026-04-10" in finding.message
    credential["expires_on"] = "2025-04-10"
    assert findings(data) == [(("people", 0, "credentials", 0), "date-order")]


def test_the_second_credential_of_the_second_person_is_pointed_at() -> None:
    data = firm(people=2)
    data["people"][1]["credentials"].append(
        {
            "name": "claude-certified-architect",
            "level": "professional",
            "issued_on": "2026-05-01",
            "expires_on": "2026-04-01",
        }
    )
    assert findings(data) == [(("people", 1, "credentials", 1), "date-order")]


def test_a_story_cannot_be_withdrawn_before_it_is_published() -> None:
    data = firm(stories=1, published_on="2026-05-01")
    data["stories"][0]["withdrawn_on"] = "2026-05-01"
    assert findings(data) == []
    data["stories"][0]["withdrawn_on"] = "2026-04-30"
    assert findings(data) == [(("stories", 0), "date-order")]


def test_a_joint_business_plan_must_expire_after_it_is_signed() -> None:
    data = firm()
    data["firm"]["joint_business_plan"] = {
        "signed_on": "2026-05-01",
        "expires_on": "2026-05-01",
        "executive_sponsors": {"firm": "Dana", "anthropic": "Ravi"},
    }
    assert findings(data) == [(("firm", "joint_business_plan"), "date-order")]


def test_activity_after_last_active_on_is_refused() -> None:
    data = firm(people=1, active_on="2026-09-01", activity=("2026-08-01", "2026-09-02"))
    assert findings(data) == [(("people", 0, "activity"), "date-order")]


@pytest.mark.parametrize("malformed", ["05/09/2026", "2026-02-30", "20260905", "2026-9-05", ""])
def test_a_malformed_date_takes_no_part_in_date_order_checks(malformed: str) -> None:
    """The schema refuses it; comparing it as text would add a false second problem."""
    data = firm(people=1, customers=1, stories=1, active_on=malformed, activity=("2026-06-10",))
    data["people"][0]["credentials"][0]["expires_on"] = malformed
    data["deployments"][0]["retired_on"] = malformed
    data["stories"][0]["withdrawn_on"] = malformed
    assert findings(data) == []
    data["people"][0]["activity"] = [malformed]
    data["people"][0]["last_active_on"] = "2026-01-01"
    assert findings(data) == []


def test_activity_on_the_last_active_day_is_fine() -> None:
    assert findings(firm(people=1, active_on="2026-09-01", activity=("2026-09-01",))) == []


# Production needs live_on


def test_a_production_deployment_needs_live_on_and_a_pilot_does_not() -> None:
    data = firm(customers=3)
    del data["deployments"][0]["live_on"]
    data["deployments"][1]["stage"] = "pilot"
    del data["deployments"][1]["live_on"]
    data["deployments"][2]["stage"] = "proof-of-concept"
    del data["deployments"][2]["live_on"]
    [finding] = cross_checks(data)
    assert (finding.path, finding.code) == (("deployments", 0), "missing-live-on")
    assert "production deployment needs live_on" in finding.message


# Wrongly typed data is the schema's to report; the cross checks must not fall over it.


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "x",
        7,
        {"people": "nobody"},
        {"people": [1, None, {"id": 3}, {"id": ["p"]}, {"email": 5}, {"email": None}]},
        {"people": [{"id": "p", "credentials": "many"}, {"id": "q", "credentials": [1, {"issued_on": 5}]}]},
        {"people": [{"last_active_on": 5, "activity": [1, None, "2026-01-01"]}, {"activity": "2026-01-01"}]},
        {
            "customers": {"c-0": {}},
            "deployments": [{"customer": 5}, {"customer": None, "stage": "production"}],
        },
        {
            "deployments": [
                {"live_on": 20260501, "retired_on": "2026-01-01"},
                {"live_on": None, "retired_on": None},
            ]
        },
        {"stories": [{"published_on": ["2026-01-01"], "withdrawn_on": {}}]},
        {"firm": [], "stories": [{}]},
        {"firm": {"joint_business_plan": "yes"}},
        {"firm": {"joint_business_plan": {"signed_on": 1, "expires_on": "2026-01-01"}}},
        {1: 2, None: [], "people": [{1: 2}]},
        {"customers": [{"region": 5}, {"region": None}, "emea"]},
        {
            "people": [
                {"credentials": [{"name": 5, "level": "x"}, {"name": ARCHITECT, "level": 1}, {"id": 7}]}
            ]
        },
        {"people": [{"credentials": [{"id": "N-1"}]}, {"credentials": [{"id": ["N-1"]}, "N-1"]}]},
        {"firm": {"standing": "select"}},
        {"firm": {"standing": {"tier": 3}}},
    ],
)
def test_wrongly_typed_data_gives_findings_or_none_but_never_an_exception(data: Any) -> None:
    found = [*cross_checks(data), *vocabulary_checks(data, KNOWS)]
    assert isinstance(found, list)
    assert all(
        f.code
        in {
            "duplicate-id",
            "duplicate-email",
            "duplicate-credential-number",
            "unknown-reference",
            "date-order",
            "missing-live-on",
        }
        for f in found
    )


# Credential numbers


def numbered(*numbers: str | None) -> dict[str, Any]:
    """A firm whose people hold one credential each, with these numbers (None: no number)."""
    data = firm_of(people=[person(i) for i in range(len(numbers))])
    for p, number in zip(data["people"], numbers, strict=True):
        if number is not None:
            p["credentials"][0]["id"] = number
    return data


def test_a_credential_number_claimed_by_two_people_points_at_the_second_and_names_the_first() -> None:
    data = numbered("CCAR-P-01000", "CCAR-F-00001", "CCAR-P-01000")
    [finding] = cross_checks(data)
    assert (finding.path, finding.code) == (
        ("people", 2, "credentials", 0, "id"),
        "duplicate-credential-number",
    )
    assert finding.message == (
        "credential number 'CCAR-P-01000' is already claimed by 'p-0' (Person 0): "
        "a credential belongs to one person"
    )


def test_credential_numbers_are_compared_ignoring_case() -> None:
    assert findings(numbered("CCAR-P-01000", "ccar-p-01000")) == [
        (("people", 1, "credentials", 0, "id"), "duplicate-credential-number")
    ]


def test_credentials_without_a_number_never_clash() -> None:
    assert findings(numbered(None, None, "CCAR-P-01000")) == []


def test_one_person_listing_their_own_credential_twice_is_not_a_claim_by_two_people() -> None:
    data = firm_of(people=[person(0, credentials=[credential(), credential(level="professional")])])
    for c in data["people"][0]["credentials"]:
        c["id"] = "CCAR-P-01000"
    assert findings(data) == []


# Values the policy knows


def known(data: Any, vocabulary: Vocabulary = KNOWS) -> list[tuple[tuple, str, str, str]]:
    return [(f.path, f.code, f.severity, f.message) for f in vocabulary_checks(data, vocabulary)]


def test_values_the_policy_knows_give_no_findings() -> None:
    assert known(firm(people=3, customers=3, regions=("amer", "emea", "apac"))) == []


@pytest.mark.parametrize("region", ["europe", "eu", "mars"])
def test_a_region_the_policy_does_not_list_is_an_error_listing_the_allowed_ids(region: str) -> None:
    assert known(firm_of(customers=[customer(0), customer(1, region)])) == [
        (
            ("customers", 1, "region"),
            "unknown-region",
            "error",
            f"unknown region {region!r}: the policy lists: amer, emea, apac",
        )
    ]


@pytest.mark.parametrize("region", ["EMEA", "Emea", "emae"])
def test_a_region_a_typo_or_a_case_away_from_a_listed_one_suggests_it(region: str) -> None:
    [(_, _, _, message)] = known(firm_of(customers=[customer(0, region)]))
    assert message == f"unknown region {region!r}: did you mean 'emea'? the policy lists: amer, emea, apac"


def test_a_policy_listing_no_regions_accepts_any_region() -> None:
    assert (
        known(
            firm_of(customers=[customer(0, "mars")]),
            Vocabulary((), {}, ("registered",), bundled_firm_schema()),
        )
        == []
    )


def test_a_known_credential_at_a_level_the_policy_does_not_know_is_an_error_with_a_hint() -> None:
    data = firm_of(people=[person(0), person(1, level="foundation")])
    assert known(data) == [
        (
            ("people", 1, "credentials", 0, "level"),
            "unknown-level",
            "error",
            f"unknown level 'foundation' for {ARCHITECT}: did you mean 'foundations'? "
            "the policy knows: foundations, professional",
        )
    ]


def test_a_level_with_nothing_close_lists_the_known_levels_without_a_hint() -> None:
    [(_, _, _, message)] = known(firm_of(people=[person(0, level="expert")]))
    assert message == f"unknown level 'expert' for {ARCHITECT}: the policy knows: foundations, professional"


@pytest.mark.parametrize(
    "name", ["aws-certified-solutions-architect", "claude-certified-developer", "certified-architect"]
)
def test_a_credential_the_policy_does_not_know_is_valid_data_whatever_its_level(name: str) -> None:
    assert known(firm_of(people=[person(0, name=name, level="associate")])) == []


@pytest.mark.parametrize(
    "name", ["claude-certified-architec", "claud-certified-architect", "claude-certfied-architect"]
)
def test_a_credential_name_a_typo_away_from_a_known_one_is_a_warning_with_a_hint(name: str) -> None:
    assert known(firm_of(people=[person(0, name=name, level="foundation")])) == [
        (
            ("people", 0, "credentials", 0, "name"),
            "unknown-credential",
            "warning",
            f"credential {name!r} is not one the policy knows, so it never counts: "
            f"did you mean {ARCHITECT!r}?",
        )
    ]


def test_a_stated_tier_the_policy_does_not_list_is_an_error_with_a_hint() -> None:
    data = firm_of()
    data["firm"]["standing"] = {"tier": "Select", "since": "2026-07-01"}
    assert known(data) == [
        (
            ("firm", "standing", "tier"),
            "unknown-tier",
            "error",
            "unknown tier 'Select': did you mean 'select'? "
            "the policy's tiers: registered, select, preferred, global-premier",
        )
    ]


# Far-future dates: a warning, counted from the `today` passed in


@pytest.mark.parametrize(
    ("today", "last_active_on", "warned"),
    [
        (date(2026, 11, 25), "2027-11-25", False),  # one year on: the last day without a warning
        (date(2026, 11, 25), "2027-11-26", True),  # the day after
        (date(2028, 2, 29), "2029-02-28", False),  # a year after 29 February is 28 February
        (date(2028, 2, 29), "2029-03-01", True),
        (date(2026, 11, 25), "2026-11-25", False),
    ],
)
def test_a_date_more_than_a_year_after_today_is_a_warning(
    today: date, last_active_on: str, warned: bool
) -> None:
    found = far_future(firm(people=1, active_on=last_active_on), today)
    assert [(f.path, f.code, f.severity) for f in found] == (
        [(("people", 0, "last_active_on"), "far-future", "warning")] if warned else []
    )


def test_a_far_future_date_says_how_many_years_ahead_and_expiries_are_left_alone() -> None:
    data = firm(people=1, active_on="2096-09-05", activity=("2099-01-01",))
    data["people"][0]["credentials"][0]["expires_on"] = "2099-01-01"
    found = far_future(data, date(2026, 11, 25))
    assert [f.message for f in found] == [
        "last_active_on 2096-09-05 is 69 years from today: a typo?",
        "activity 2099-01-01 is 72 years from today: a typo?",
    ]
