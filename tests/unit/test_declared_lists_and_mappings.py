"""Declared fields beyond scalars: a list (type: array, items), a mapping (type: object, properties,
closed), fields on the joint business plan; each checked as strictly as the firm file's own, located at
FILE:LINE:COL, and read by rules (`in` over a list, `present`, a dotted field into a mapping)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import line_of
from support import D, build_firm, plan, refused_policy, write_yaml

from validator.cli import main
from validator.evaluate import Timeline, evaluate
from validator.firm_schema import TEXT_PATTERN
from validator.policies import load_policies
from validator.result import evaluation_json

POLICY = Path(__file__).resolve().parents[1] / "policies" / "practices-and-plan-targets.yaml"
PRACTICES = load_policies(POLICY)
TEXT = POLICY.read_text(encoding="utf-8")


def declaring_firm() -> dict[str, Any]:
    """A Select firm under the fixture: a data deployment, a customer contact, a plan with targets."""
    data = build_firm(people=10, customers=2, stories=1)
    data["deployments"][0]["practices"] = ["security", "data"]
    data["deployments"][1]["practices"] = ["apps"]
    data["customers"][0]["contact"] = {"name": "Ada Park", "email": "ada.park@northwind.example"}
    data["firm"]["joint_business_plan"] = {**plan(), "targets": [{"quarter": "2026-Q3", "revenue": 250000}]}
    return data


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_a_firm_with_declared_lists_mappings_and_plan_fields_is_valid_under_the_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml(tmp_path / "firm.yaml", declaring_firm())
    assert run(capsys, "validate", path, "--policy", POLICY) == (0, "1 file checked: all valid\n")


def test_the_same_firm_is_refused_under_the_shipped_policy_at_each_declared_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml(tmp_path / "firm.yaml", declaring_firm())
    code, out = run(capsys, "validate", path)
    text = path.read_text(encoding="utf-8")
    assert code == 1
    for key in ("targets:", "contact:", "practices:"):
        assert f"{path}:{line_of(text, key)}:" in out and f"unknown key '{key[:-1]}'" in out


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (
            _set(("deployments", 0, "practices", 1), "dta"),
            "- dta",
            "'dta' is not one of: data, security, apps",
        ),
        (_set(("deployments", 0, "practices"), ["data", "data"]), "practices:", "'data' is listed twice"),
        (
            _set(("deployments", 1, "practices"), []),
            "practices: []",
            "needs at least 1 item, found an empty list",
        ),
        (_set(("deployments", 1, "practices"), "apps"), "practices: apps", "expected a list, found 'apps'"),
        (_set(("customers", 0, "contact", "emial"), "x@y.example"), "emial:", "unknown key 'emial'"),
        (_set(("customers", 0, "contact"), {"name": "Ada"}), "contact:", "missing required key 'email'"),
        (_set(("customers", 0, "contact", "email"), 42), "email: 42", "expected text, found 42"),
        (
            _set(("customers", 0, "contact", "name"), "Ada\x1b[2J"),
            'name: "Ada',
            "contains control character U+001B",
        ),
        (
            _set(("firm", "joint_business_plan", "targets", 0, "quarter"), "2026-Q4\x1b"),
            'quarter: "2026-Q4',
            "contains control character U+001B",
        ),
        (
            _set(("firm", "joint_business_plan", "targets", 0, "quarter"), "2026-Q5"),
            "quarter: 2026-Q5",
            "'2026-Q5' is not a valid value",
        ),
        (
            _set(("firm", "joint_business_plan", "targets", 0, "revenue"), -1),
            "revenue: -1",
            "-1 is less than the minimum of 0",
        ),
        (
            _set(("firm", "joint_business_plan", "targets", 0, "currency"), "EUR"),
            "currency: EUR",
            "unknown key 'currency': allowed here: quarter, revenue",
        ),
        (
            _set(("firm", "joint_business_plan", "targets", 0, "revenue"), float("nan")),
            "revenue: .nan",
            "expected a finite number, found .nan",
        ),
        (
            _set(("firm", "joint_business_plan", "targets", 0, "revenue"), float("inf")),
            "revenue: .inf",
            "expected a finite number, found .inf",
        ),
    ],
    ids=[
        "item-outside-enum",
        "item-twice",
        "empty-list",
        "scalar-for-list",
        "unknown-key-in-mapping",
        "missing-required-key",
        "number-for-email",
        "control-character-in-text",
        "control-character-in-patterned-text",
        "plan-target-pattern",
        "plan-target-minimum",
        "plan-target-unknown-key",
        "plan-target-nan",
        "plan-target-infinite",
    ],
)
def test_each_problem_in_a_declared_list_or_mapping_is_located_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, needle: str, message: str
) -> None:
    data = declaring_firm()
    change(data)
    path = write_yaml(tmp_path / "firm.yaml", data)
    code, out = run(capsys, "validate", path, "--policy", POLICY)
    line = line_of(path.read_text(encoding="utf-8"), needle)
    assert code == 1
    assert any(row.startswith(f"{path}:{line}:") and message in row for row in out.splitlines()), out


def test_a_number_too_large_for_a_double_in_a_json_firm_is_refused_as_not_finite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(declaring_firm(), indent=2).replace('"revenue": 250000', '"revenue": 1e400')
    path = tmp_path / "firm.json"
    path.write_text(text, encoding="utf-8")
    code, out = run(capsys, "validate", path, "--policy", POLICY)
    line = line_of(text, '"revenue"')
    assert code == 1
    assert f"{path}:{line}:" in out and "expected a finite number, found 1e400" in out, out


def tiers_and_values(data: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    policy = PRACTICES.in_effect(D)
    result = evaluate(policy, data, D)
    assert Timeline(policy, data).tier_on(D) == result.eligible_tier  # both readings agree
    return result.eligible_tier, evaluation_json(result)["metrics"]


def test_in_over_a_list_field_passes_when_some_item_is_one_of_the_values() -> None:
    tier, metrics = tiers_and_values(declaring_firm())
    assert (tier, metrics["data_customers"]["value"]) == ("select", 1)
    data = declaring_firm()
    data["deployments"][0]["practices"] = ["security"]
    tier, metrics = tiers_and_values(data)
    assert (tier, metrics["data_customers"]["value"]) == ("registered", 0)
    assert metrics["data_customers"]["excluded"][0]["message"] == "is in the practices ['security'], not data"


def test_a_deployment_without_the_optional_list_is_not_in_the_data_practice() -> None:
    data = declaring_firm()
    del data["deployments"][0]["practices"]
    assert tiers_and_values(data)[1]["data_customers"]["value"] == 0


def test_a_plan_counts_only_with_the_targets_the_policy_declares_on_it() -> None:
    assert tiers_and_values(declaring_firm())[1]["joint_business_plan"]["value"] == 1
    data = declaring_firm()
    del data["firm"]["joint_business_plan"]["targets"]
    metric = tiers_and_values(data)[1]["joint_business_plan"]
    assert metric["value"] == 0 and metric["excluded"][0]["message"] == "sets no revenue targets"


def test_schema_prints_lists_and_mappings_closed_and_a_format_as_text_without_control_characters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "schema", "--policy", POLICY)
    doc = json.loads(out)
    practices = doc["properties"]["deployments"]["items"]["properties"]["practices"]
    contact = doc["properties"]["customers"]["items"]["properties"]["contact"]
    targets = doc["properties"]["firm"]["properties"]["joint_business_plan"]["properties"]["targets"]
    assert code == 0
    assert practices["items"] == {"enum": ["data", "security", "apps"]}
    assert contact["additionalProperties"] is False and contact["properties"]["email"] == {
        "format": "email",
        "type": "string",
        "pattern": TEXT_PATTERN,
    }
    bundled_name = doc["properties"]["people"]["items"]["properties"]["name"]
    assert bundled_name["pattern"] == TEXT_PATTERN  # the firm file's own text fields say the same
    assert targets["items"]["additionalProperties"] is False and targets["items"]["required"] == [
        "quarter",
        "revenue",
    ]


# --- policy check ---------------------------------------------------------------------------------

CONTACT = "        required: [email]\n"


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            CONTACT,
            CONTACT + "        $ref: https://example.com/contact.json\n",
            "$ref:",
            "unknown key '$ref'",
        ),
        (
            "          email: {format: email}\n",
            "          email: {$ref: '#/$defs/email'}\n",
            "$ref:",
            "unknown key '$ref'",
        ),
        (
            "        items: {enum: [data, security, apps]}\n",
            "        items: {enum: [data, security, apps]}\n        properties: {a: {type: string}}\n",
            "properties: {a:",
            "'properties' is for type: object; this field is type: array",
        ),
        (
            "          name: {type: string, minLength: 1}\n",
            "          name: {type: string, minLength: 1, items: {type: string}}\n",
            "name: {type: string",
            "'items' is for type: array; this field is type: string",
        ),
        (
            "        items: {enum: [data, security, apps]}\n",
            "",
            "      practices:",
            "missing required key 'items'",
        ),
        (CONTACT, "        required: [mail]\n", "required: [mail]", "required key 'mail' is not one of"),
        (
            "        uniqueItems: true\n",
            "        uniqueItems: true\n        enum: [data]\n",
            "enum: [data]",
            "'enum' is for one value, not a list: put it in items",
        ),
        (
            CONTACT,
            CONTACT + "        additionalProperties: true\n",
            "additionalProperties: true",
            "False was expected",
        ),
    ],
    ids=[
        "remote-ref",
        "local-ref",
        "properties-on-a-list",
        "items-on-text",
        "list-without-items",
        "required-not-declared",
        "enum-on-a-list",
        "open-mapping",
    ],
)
def test_a_declared_field_outside_the_subset_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, needle: str, message: str
) -> None:
    text, problems = refused_policy(tmp_path, TEXT, (old, new))
    assert [p.line for p in problems if message in p.message] == [line_of(text, needle)], problems


def test_additional_properties_false_may_be_written(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        TEXT.replace(CONTACT, CONTACT + "        additionalProperties: false\n"), encoding="utf-8"
    )
    (policy,) = load_policies(path).versions
    assert policy.data["fields"]["customers"]["contact"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "    key: customer.region\n",
            "    key: customer.contact\n",
            "key: customer.contact",
            "'customer.contact' is a mapping: a key, group_by or points field reads one value per record",
        ),
        (
            '        message: "sets no revenue targets"\n',
            '        message: "sets no revenue targets"\n      - test: on_or_before\n'
            "        field: targets  # as a date\n        reason: x\n        message: x\n",
            "field: targets  # as a date",
            "'targets' is a list: this test reads a date (YYYY-MM-DD)",
        ),
        (
            "      - test: in                          # over a list field: some item is one of the values\n"
            "        field: practices\n        values: [data]\n        reason: not-data\n"
            '        message: "is in the practices {value}, not data"\n',
            "      - test: any\n        of: practices\n        reason: x\n        message: x\n"
            "        rules: [{test: present, field: id, reason: x, message: x}]\n",
            "of: practices",
            "'practices' is a list: 'any' tests the items of a list of mappings; for a list of values, "
            "use 'in'",
        ),
        (
            "        field: targets\n",
            "        field: targets.quarter\n",
            "field: targets.quarter",
            "'targets.quarter': targets is a list; test its items with 'any' (of: targets)",
        ),
    ],
    ids=["key-on-a-mapping", "date-test-on-a-list", "any-over-values", "dotted-into-a-list"],
)
def test_a_rule_or_key_reading_a_list_or_mapping_as_what_it_is_not_is_refused(
    tmp_path: Path, old: str, new: str, needle: str, message: str
) -> None:
    text, problems = refused_policy(tmp_path, TEXT, (old, new))
    located = [(p.line, p.message) for p in problems if p.message.startswith(message)]
    assert located and located[0][0] == line_of(text, needle), problems


def test_declaring_a_field_the_plan_already_has_is_refused(tmp_path: Path) -> None:
    text, (problem,) = refused_policy(tmp_path, TEXT, ("      targets:\n", "      signed_on:\n"))
    assert problem.line == line_of(text, "      signed_on:")
    assert problem.message == (
        "the joint business plan has a field 'signed_on'; a policy declares only new fields"
    )


def test_policy_diff_names_each_declared_field_added_removed_or_changed(tmp_path: Path) -> None:
    from validator.language.diff import describe_changes

    changed = tmp_path / "policy.yaml"
    changed.write_text(
        TEXT.replace("items: {enum: [data, security, apps]}", "items: {enum: [data, security, apps, ai]}")
        .replace("      targets:\n", "      goals:\n")
        .replace("        field: targets\n", "        field: goals\n"),
        encoding="utf-8",
    )
    lines = describe_changes(PRACTICES.versions[0], load_policies(changed).versions[0])
    said = [re.match(r"data: [a-z_ ]+'\w+'( added| removed)?", line) for line in lines]
    assert [m.group() for m in said if m] == [
        "data: deployments field 'practices'",
        "data: joint_business_plan field 'goals' added",
        "data: joint_business_plan field 'targets' removed",
    ]
    (practices,) = [line for line in lines if "'practices'" in line]
    assert '"enum": ["data", "security", "apps"]' in practices.split(" -> ")[0]
    assert '"enum": ["data", "security", "apps", "ai"]' in practices.split(" -> ")[1]


def test_any_tests_the_items_of_a_declared_list_of_mappings(tmp_path: Path) -> None:
    variant = tmp_path / "policy.yaml"
    variant.write_text(
        TEXT.replace(
            "      - test: present\n        field: targets\n        reason: no-targets\n"
            '        message: "sets no revenue targets"\n',
            "      - test: any\n        of: targets\n        reason: no-coming-target\n"
            '        message: "sets no target for the coming quarters: {detail}"\n'
            "        rules: [{test: in, field: quarter, values: [2026-Q4, 2027-Q1], reason: past,"
            ' message: "{quarter} is past"}]\n',
        ),
        encoding="utf-8",
    )
    policy, data = load_policies(variant).in_effect(D), declaring_firm()

    def plan_metric() -> dict[str, Any]:
        return evaluation_json(evaluate(policy, data, D))["metrics"]["joint_business_plan"]

    assert (
        plan_metric()["excluded"][0]["message"] == "sets no target for the coming quarters: 2026-Q3 is past"
    )
    data["firm"]["joint_business_plan"]["targets"].append({"quarter": "2026-Q4", "revenue": 1})
    assert plan_metric()["value"] == 1


def test_schema_as_markdown_describes_declared_lists_mappings_and_formats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "schema", "--policy", POLICY, "--format", "markdown")
    rows = {row.split(" | ")[0].strip("| `"): row.split(" | ")[1:3] for row in out.splitlines()[2:]}
    assert code == 0
    assert rows["deployments[].practices"] == ["no", "a list, each one of `data`, `security`, `apps`"]
    assert rows["customers[].contact"] == ["no", "a mapping"]
    assert rows["customers[].contact.email"] == ["yes", "an email address"]
    assert rows["firm.joint_business_plan.targets"] == ["no", "a list of mappings"]
    assert rows["firm.joint_business_plan.targets[].revenue"] == ["yes", "a number"]


def test_a_declared_record_kind_may_have_list_and_mapping_fields_checked_as_strictly() -> None:
    from validator.firm_schema import firm_schema_for

    speakers = {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}
    schema = firm_schema_for([{"records": {"events": {"fields": {"speakers": speakers}}}}])
    data = build_firm()
    data["events"] = [{"id": "e-1", "speakers": [{"name": "Ada Park"}]}]
    assert schema.fast.is_valid(data)
    data["events"][0]["speakers"][0]["title"] = "CTO"  # a key the mapping does not declare
    assert not schema.fast.is_valid(data)
