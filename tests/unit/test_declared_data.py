"""Data a policy declares: optional fields on a record kind and new record kinds, checked as strictly as the
bundled firm schema (an unknown key still refused, every problem at FILE:LINE:COL), and counted by metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import line_of
from support import SHIPPED_POLICY, build_firm, refused_policy, tiercheck, write_yaml

from validator.firm_schema import bundled_firm_schema, firm_schema_for
from validator.loader import Located
from validator.policies import load_policies
from validator.schema import exact_validator_for, located_problems
from validator.vocabulary import vocabulary

POLICY = Path(__file__).resolve().parents[1] / "policies" / "solution-areas.yaml"


def declared_firm(area: str = "data", events: int = 1) -> dict[str, Any]:
    """A Select firm under the shipped policy, with a data deployment and partner events."""
    data = build_firm(people=10, customers=2, stories=1)
    data["deployments"][0]["solution_area"] = area
    data["stories"][0]["solution_area"] = "apps"
    data["events"] = [
        {"id": f"e-{i}", "title": f"Claude day {i}", "held_on": "2026-06-10", "attendees": 40}
        for i in range(events)
    ]
    return data


def validate(tmp_path: Path, data: dict[str, Any], *policy: str | Path) -> Any:
    path = write_yaml(tmp_path / "firm.yaml", data)
    return path, tiercheck("validate", path, *policy)


def test_a_declared_field_and_record_kind_are_valid_under_the_policy_that_declares_them(tmp_path) -> None:
    _, run = validate(tmp_path, declared_firm(), "--policy", POLICY)
    assert run.returncode == 0, run.stdout


def test_the_same_file_is_refused_under_a_policy_that_does_not_declare_them(tmp_path) -> None:
    path, run = validate(tmp_path, declared_firm())
    text = path.read_text(encoding="utf-8")
    assert run.returncode == 1
    assert f"{path}:{line_of(text, 'solution_area: data')}:" in run.stdout
    assert f"{path}:{line_of(text, 'events:')}:1: unknown key 'events'" in run.stdout


def test_an_unknown_key_next_to_a_declared_field_is_still_refused_with_a_hint(tmp_path) -> None:
    data = declared_firm()
    data["deployments"][1]["solution_areas"] = "data"
    path, run = validate(tmp_path, data, "--policy", POLICY)
    line = line_of(path.read_text(encoding="utf-8"), "solution_areas:")
    assert run.returncode == 1
    assert (
        f"{path}:{line}:" in run.stdout
        and "unknown key 'solution_areas': did you mean 'solution_area'?" in run.stdout
    )


def test_a_value_outside_the_declared_enum_is_located(tmp_path) -> None:
    path, run = validate(tmp_path, declared_firm(area="dta"), "--policy", POLICY)
    line = line_of(path.read_text(encoding="utf-8"), "solution_area: dta")
    assert run.returncode == 1
    assert f"{path}:{line}:" in run.stdout and "'dta' is not one of: data, security, apps" in run.stdout


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (lambda e: e.update(held_on="2026-13-01"), "held_on: '2026-13-01'", "is not a valid date"),
        (lambda e: e.pop("held_on"), "- id: e-1", "missing required key 'held_on'"),
        (lambda e: e.update(place="Oslo"), "place: Oslo", "unknown key 'place'"),
        (lambda e: e.update(attendees=-1), "attendees: -1", "-1 is less than the minimum of 0"),
        (lambda e: e.update(id="e-0"), "- id: e-0", "duplicate id 'e-0' in events (first on line"),
        (lambda e: e.update(customer="c-9"), "customer: c-9", "customer 'c-9' is not listed under customers"),
        (
            lambda e: e.update(id="Big Summit 2026!"),
            "Big Summit 2026!",
            "'Big Summit 2026!' is not a valid slug",
        ),
    ],
    ids=[
        "bad-date",
        "missing-required",
        "unknown-key",
        "below-minimum",
        "duplicate-id",
        "dangling-link",
        "id-not-a-slug",
    ],
)
def test_a_declared_record_kind_is_checked_as_strictly_as_the_firm_files_own(
    tmp_path, change, needle, message
) -> None:
    data = declared_firm(events=2)
    change(data["events"][1])
    path, run = validate(tmp_path, data, "--policy", POLICY)
    text = path.read_text(encoding="utf-8")
    start = line_of(text, "events:")
    line = max(
        n for n, row in enumerate(text.splitlines(), 1) if n >= start and needle in row
    )  # the 2nd event
    assert run.returncode == 1, run.stdout
    assert any(row.startswith(f"{path}:{line}:") and message in row for row in run.stdout.splitlines()), (
        run.stdout
    )


def test_the_metrics_count_declared_fields_and_records_and_move_the_tier(tmp_path) -> None:
    data = declared_firm()
    doc = json.loads(
        tiercheck(
            "evaluate",
            write_yaml(tmp_path / "f.yaml", data),
            "--policy",
            POLICY,
            "--as-of=2026-11-25",
            "--format=json",
        ).stdout
    )
    assert (doc["metrics"]["data_customers"]["value"], doc["metrics"]["partner_events"]["value"]) == (1, 1)
    assert doc["eligible_tier"] == "select"
    data["deployments"][0]["solution_area"] = "security"
    doc = json.loads(
        tiercheck(
            "evaluate",
            write_yaml(tmp_path / "g.yaml", data),
            "--policy",
            POLICY,
            "--as-of=2026-11-25",
            "--format=json",
        ).stdout
    )
    assert doc["eligible_tier"] == "registered"
    assert (
        doc["metrics"]["data_customers"]["excluded"][0]["message"] == "is in the security practice, not data"
    )


def test_schema_prints_the_composed_schema_and_the_bundled_one_without_a_declaring_policy() -> None:
    composed = json.loads(tiercheck("schema", "--policy", POLICY).stdout)
    assert composed["properties"]["deployments"]["items"]["properties"]["solution_area"]["enum"] == [
        "data",
        "security",
        "apps",
    ]
    assert composed["properties"]["events"]["items"]["additionalProperties"] is False
    assert json.loads(tiercheck("schema").stdout) == bundled_firm_schema().doc


def test_schema_as_markdown_lists_every_field_the_policy_declares_beside_the_bundled_ones() -> None:
    result = tiercheck("schema", "--policy", POLICY, "--format", "markdown")
    rows = result.stdout.splitlines()
    assert result.returncode == 0 and rows[0] == "| field | required | kind | description |"
    assert any(
        r.startswith("| `deployments[].solution_area` | no | one of `data`, `security`, `apps` |")
        for r in rows
    )
    assert "| `events[].id` | yes | a slug | Unique among events. |" in rows
    bundled = tiercheck("schema", "--format", "markdown").stdout
    assert "solution_area" not in bundled and "| `people[].credentials[].level` |" in bundled


def test_the_composed_schema_is_built_once_and_a_policy_without_data_reuses_the_bundled_one() -> None:
    assert vocabulary(load_policies().versions).schema is bundled_firm_schema()
    known = vocabulary(load_policies(POLICY).versions)
    assert known.schema.record_kinds == ("events",)
    assert known.schema.fast is known.schema.fast  # compiled once, then kept


def test_a_field_two_versions_declare_differently_accepts_what_either_allows() -> None:
    a = {"fields": {"stories": {"solution_area": {"enum": ["data"]}}}}
    b = {
        "fields": {"stories": {"solution_area": {"enum": ["security"]}}},
        "records": {"events": {"fields": {}}},
    }
    schema = firm_schema_for([a, b])
    story = schema.doc["properties"]["stories"]["items"]["properties"]["solution_area"]
    assert story == {"anyOf": [{"enum": ["data"]}, {"enum": ["security"]}]}
    assert schema.record_kinds == ("events",)


def test_a_value_neither_version_allows_is_said_with_the_values_of_both() -> None:
    a = {"fields": {"stories": {"solution_area": {"enum": ["data"]}}}}
    b = {"fields": {"stories": {"solution_area": {"enum": ["security", "data"]}}}}
    exact = exact_validator_for(firm_schema_for([a, b]).doc)
    data = build_firm(stories=1)
    data["stories"][0]["solution_area"] = "securty"
    assert [(p.path, p.message) for p in located_problems(exact, "firm.yaml", Located(data))] == [
        (
            "$.stories[0].solution_area",
            "solution_area 'securty' is not one of: data, security; did you mean 'security'?",
        )
    ]


# --- policy check ---------------------------------------------------------------------------------

TEXT = POLICY.read_text(encoding="utf-8")


def test_declaring_a_field_the_record_kind_already_has_is_refused_at_its_line(tmp_path) -> None:
    text, (problem,) = refused_policy(
        tmp_path,
        TEXT,
        ("      solution_area: {enum: [data, security, apps]}\n", "      result: {type: string}\n"),
    )
    assert problem.line == line_of(text, "result: {type: string}")
    assert problem.message == "stories already have a field 'result'; a policy declares only new fields"


def test_a_new_record_kind_named_as_a_firm_file_list_is_refused(tmp_path) -> None:
    _, problems = refused_policy(tmp_path, TEXT, ("    events:\n      label", "    customers:\n      label"))
    assert "'customers' is already a list of the firm file; name the new record kind otherwise" in [
        p.message for p in problems
    ]


def test_a_required_field_must_be_declared(tmp_path) -> None:
    text, problems = refused_policy(tmp_path, TEXT, ("required: [title, held_on]", "required: [title, date]"))
    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, "required: [title, date]"), "required field 'date' is not one of events's fields")
    ]


def test_a_metric_over_an_undeclared_record_kind_is_refused(tmp_path) -> None:
    _, problems = refused_policy(tmp_path, TEXT, ("    records: events\n", "    records: meetups\n"))
    assert problems[0].message.startswith("unknown records 'meetups'; one of: people, customers,")
    assert problems[0].message.endswith(", events")


def test_the_shipped_policy_declares_no_data() -> None:
    assert "data:" not in SHIPPED_POLICY.read_text(encoding="utf-8")


def test_a_link_may_point_into_a_declared_record_kind_and_nowhere_unknown(tmp_path) -> None:
    linked = tmp_path / "linked.yaml"
    linked.write_text(TEXT.replace("  customer: customers\n", "  customer: customers\n  event: events\n"))
    assert load_policies(linked).versions[0].links["event"] == "events"
    text, (problem,) = refused_policy(
        tmp_path, TEXT, ("  customer: customers\n", "  customer: customers\n  event: meetups\n")
    )
    assert (problem.line, problem.message) == (
        line_of(text, "event: meetups"),
        "link 'event' points into 'meetups', which is not a list of the firm file: one of people, customers, "
        "deployments, stories, events",
    )
