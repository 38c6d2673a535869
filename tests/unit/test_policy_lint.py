"""`policy check` lints: valid policies that are almost surely not what was meant, located at FILE:LINE:COL.

A rule field no firm file can have and a lowest tier with requirements are errors (the results would be
silently wrong); a higher tier easier than a lower one and a window, metric or credential never used are
warnings (exit 0 unless --strict). Each case is the shipped policy's text with one change.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import line_of
from support import SHIPPED_POLICY, refused_policy
from test_policy_check import changed, only_problem

from validator.cli import main
from validator.policies import load_policies
from validator.problem import Problem


def warnings_of(tmp_path: Path, text: str) -> tuple[Path, list[Problem]]:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_policies(path).warnings


def test_the_shipped_policy_and_every_fixture_policy_have_no_lint() -> None:
    fixtures = sorted((Path(__file__).parents[1] / "policies").rglob("*.yaml"))
    if not find_spec("cel_expr_python"):  # test_expressions.py says it is skipped, and why
        fixtures = [f for f in fixtures if "cel" not in f.parts]
    for path in [SHIPPED_POLICY, *fixtures]:
        assert load_policies(path).warnings == [], path


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "    key: customer\n    rules:\n      - test: equals\n",
            "    key: custmer\n    rules:\n      - test: equals\n",
            "key: custmer",
            "'custmer': this record has no field 'custmer'; its fields: customer, evidence, id, live_on, "
            "retired_on, stage",
        ),
        (
            "        field: live_on\n",
            "        field: live_date\n",
            "field: live_date",
            "'live_date': this record has no field 'live_date'; its fields: customer, evidence, id, "
            "live_on, retired_on, stage",
        ),
        (
            "        field: consent.given_on\n",
            "        field: consent.given\n",
            "field: consent.given",
            "'consent.given': consent has no field 'given'; its fields: by, given_on",
        ),
        (
            "    key: customer.region\n",
            "    key: customer.regoin\n",
            "key: customer.regoin",
            "'customer.regoin': customer has no field 'regoin'; its fields: country, id, name, region",
        ),
        (
            "            field: issued_on\n",
            "            field: issue_date\n",
            "field: issue_date",
            "'issue_date': this record has no field 'issue_date'; its fields: expires_on, id, issued_on, "
            "level, name",
        ),
        (
            "        fields: [last_active_on, activity]\n",
            "        fields: [last_active_on, activities]\n",
            "fields: [last_active_on, activities]",
            "'activities': this record has no field 'activities'; its fields: activity, credentials, "
            "email, id, last_active_on, left_on, name",
        ),
        (
            "        of: credentials\n",
            "        of: certificates\n",
            "of: certificates",
            "'certificates': this record has no field 'certificates'; its fields: activity, credentials, "
            "email, id, last_active_on, left_on, name",
        ),
        (
            "        field: executive_sponsors.firm\n",
            "        field: executive_sponsors.partner\n",
            "field: executive_sponsors.partner",
            "'executive_sponsors.partner': executive_sponsors has no field 'partner'; its fields: "
            "anthropic, firm",
        ),
    ],
    ids=["key", "field", "dotted", "through-a-link", "inside-any", "one-of-fields", "any-of", "plan"],
)
def test_a_rule_field_no_firm_file_can_have_is_an_error_at_the_field(
    tmp_path, old, new, needle, message
) -> None:
    text = changed((old, new))
    path, problem = only_problem(tmp_path, text)
    line = line_of(text, needle)
    assert (problem.file, problem.line, problem.code) == (str(path), line, "policy")
    at = "activities" if "fields:" in needle else needle.split(":")[0]  # a list entry, or a key
    assert problem.col == text.splitlines()[line - 1].index(at) + 1
    assert problem.message == message


def test_a_field_through_a_link_the_policy_does_not_declare_is_an_error(tmp_path) -> None:
    text = changed(("links:\n  customer: customers\n", ""))
    _, problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "key: customer.region")
    assert problem.message.startswith("'customer.region': customer has no field 'region'")


def test_a_lowest_tier_with_requirements_is_an_error(tmp_path) -> None:
    text = changed(
        (
            "    partner: false\n    requires: []\n",
            "    partner: false\n    requires:\n      - {metric: certified_people, at_least: 1}\n",
        )
    )
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (line_of(text, "requires:", line_of(text, "id: registered")), 5)
    assert problem.message.startswith("the lowest tier 'registered' has requirements: every firm")


def test_a_higher_tier_easier_than_a_lower_one_is_a_warning_at_its_threshold(tmp_path) -> None:
    text = changed(
        ("{metric: customers_in_production, at_least: 15}", "{metric: customers_in_production, at_least: 1}")
    )
    path, found = warnings_of(tmp_path, text)
    line = line_of(text, "{metric: customers_in_production, at_least: 1}")
    assert [(w.line, w.severity, w.message) for w in found] == [
        (
            line,
            "warning",
            "tier 'preferred' asks customers_in_production at least 1, less than the 2 of 'select' "
            "below it: the ladder is cumulative, so 2 applies",
        )
    ]
    assert str(found[0]).startswith(f"{path}:{line}:")
    assert ": warning: tier 'preferred'" in str(found[0])


def test_a_higher_tiers_alternative_easier_than_a_lower_tiers_threshold_is_a_warning_at_it(tmp_path) -> None:
    text = changed(
        (
            "      - {metric: customers_in_production, at_least: 15}\n",
            "      - any_of:\n"
            "          - {metric: customers_in_production, at_least: 15}\n"
            "          - {metric: customers_in_production, at_least: 1}\n",
        )
    )
    _, found = warnings_of(tmp_path, text)
    assert [(w.line, w.message) for w in found] == [
        (
            line_of(text, "{metric: customers_in_production, at_least: 1}"),
            "tier 'preferred' asks customers_in_production at least 1, less than the 2 of 'select' "
            "below it: the ladder is cumulative, so 2 applies",
        )
    ]


def test_a_lower_tiers_alternative_sets_no_floor_for_the_tiers_above(tmp_path) -> None:
    text = changed(
        (
            "      - {metric: customers_in_production, at_least: 2}\n",
            "      - any_of:\n"
            "          - {metric: customers_in_production, at_least: 20}\n"
            "          - {metric: public_stories, at_least: 2}\n",
        )
    )
    assert warnings_of(tmp_path, text)[1] == []  # preferred's 15 customers: select may be met by stories


def test_a_lower_tiers_all_of_group_sets_a_floor_for_the_tiers_above(tmp_path) -> None:
    text = changed(
        (
            "      - {metric: customers_in_production, at_least: 2}\n",
            "      - all_of:\n          - {metric: customers_in_production, at_least: 20}\n",
        )
    )
    _, found = warnings_of(tmp_path, text)
    assert [(w.line, w.message) for w in found] == [
        (
            line_of(text, "{metric: customers_in_production, at_least: 15}"),
            "tier 'preferred' asks customers_in_production at least 15, less than the 20 of 'select' "
            "below it: the ladder is cumulative, so 20 applies",
        )
    ]


def test_an_equal_threshold_on_a_higher_tier_is_no_warning(tmp_path) -> None:
    text = changed(("{metric: public_stories, at_least: 3}", "{metric: public_stories, at_least: 1}"))
    assert warnings_of(tmp_path, text)[1] == []


def test_an_unused_window_is_a_warning_at_its_name(tmp_path) -> None:
    text = changed(("windows:\n", "windows:\n  quarter: {days: 91}\n"))
    _, found = warnings_of(tmp_path, text)
    assert [(w.line, w.col, w.message) for w in found] == [
        (line_of(text, "quarter:"), 3, "window 'quarter' is declared and never used by a rule")
    ]


def test_an_unused_metric_is_a_warning_and_one_used_only_by_from_is_not(tmp_path) -> None:
    text = changed(("      - {metric: production_regions, at_least: 3}\n", ""))
    _, found = warnings_of(tmp_path, text)
    assert [(w.line, w.message) for w in found] == [
        (
            line_of(text, "  - id: production_regions"),
            "metric 'production_regions' is declared and never required by a tier or metric",
        )
    ]  # customers_in_production is still required; it is also the source of production_regions


def test_accepted_credentials_no_rule_tests_are_a_warning(tmp_path) -> None:
    text = changed(
        (
            "          - test: accepted_credential\n"
            "            reason: credential-not-accepted\n"
            '            message: "{name} at level {level} is not a credential the program accepts on '
            '{as_of}"\n',
            "",
        )
    )
    _, found = warnings_of(tmp_path, text)
    assert [(w.line, w.message) for w in found] == [
        (
            line_of(text, "  accepted:"),
            "credentials are accepted but no rule tests accepted_credential: they are never used",
        )
    ]


def test_policy_check_prints_warnings_exits_0_and_1_with_strict(tmp_path, capsys) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(changed(("windows:\n", "windows:\n  quarter: {days: 91}\n")), encoding="utf-8")
    assert main(["policy", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:{line_of(path.read_text(), 'quarter:')}:3: warning: window 'quarter'" in out
    assert out.endswith(": ok\n1 warning\n")
    assert main(["policy", "check", "--strict", str(path)]) == 1
    assert capsys.readouterr().out.endswith("1 warning (--strict: failing)\n")


def test_evaluate_runs_under_a_policy_with_warnings(tmp_path, capsys) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(changed(("windows:\n", "windows:\n  quarter: {days: 91}\n")), encoding="utf-8")
    firm = Path(__file__).parents[2] / "examples" / "firms" / "northwind-advisory.yaml"
    assert main(["evaluate", str(firm), "--policy", str(path), "--as-of", "2026-11-25"]) == 0
    assert "warning" not in capsys.readouterr().err


POLICIES = Path(__file__).parents[1] / "policies"
PRACTICES = (POLICIES / "practices-and-plan-targets.yaml").read_text(encoding="utf-8")
STAGES = "its values: production, pilot, proof-of-concept"


def col_of(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


def test_an_equals_value_the_field_never_holds_is_an_error_at_the_value(tmp_path) -> None:
    text = changed(("        value: production\n", "        value: prodution\n"))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (line_of(text, "value: prodution"), 9)
    assert problem.message == (
        f"'prodution' is never a value of 'stage', so this never matches; did you mean 'production'? {STAGES}"
    )


def test_an_in_value_the_field_never_holds_is_an_error_at_that_value(tmp_path) -> None:
    text = changed(
        (
            "      - test: equals\n        field: stage\n        value: production\n",
            "      - test: in\n        field: stage\n        values: [production, pilot, prod]\n",
        )
    )
    _, problem = only_problem(tmp_path, text)
    line = line_of(text, "values: [production, pilot, prod]")
    assert (problem.line, problem.col) == (line, col_of(text, line, "prod]"))
    assert problem.message == f"'prod' is never a value of 'stage', so this never matches; {STAGES}"


def test_an_in_value_no_item_of_a_declared_list_field_holds_is_an_error(tmp_path) -> None:
    text, (problem,) = refused_policy(tmp_path, PRACTICES, ("values: [data]", "values: [dta]"))
    line = line_of(text, "values: [dta]")
    assert (problem.line, problem.col) == (line, col_of(text, line, "dta"))
    assert problem.message == (
        "'dta' is never a value of 'practices', so this never matches; did you mean 'data'? "
        "its values: data, security, apps"
    )


def test_a_points_table_key_the_field_never_holds_is_an_error_at_the_key(tmp_path) -> None:
    regions = "    from: customers_in_production\n    key: customer.region\n"
    table = "    points: {field: stage, table: {production: 2, pilots: 1}}\n"
    text = changed((regions, regions + table))
    _, problem = only_problem(tmp_path, text)
    line = line_of(text, "pilots: 1")
    assert (problem.line, problem.col) == (line, col_of(text, line, "pilots"))
    assert problem.message == (
        f"'pilots' is never a value of 'stage', so this never matches; did you mean 'pilot'? {STAGES}"
    )


def test_values_of_a_field_without_listed_values_are_not_checked(tmp_path) -> None:
    regions = "    from: customers_in_production\n    key: customer.region\n"
    text = changed((regions, regions + "    points: {field: customer, table: {anyone: 2}}\n"))
    _, found = warnings_of(tmp_path, text)
    assert found == []


ACCEPTED = "from: 2026-07-01,\n"


@pytest.mark.parametrize("until", ["2026-06-30", "2026-07-01"])
def test_an_accepted_credential_until_on_or_before_its_from_is_an_error_at_until(tmp_path, until) -> None:
    text = changed((ACCEPTED, f"from: 2026-07-01, until: {until},\n"))
    _, problem = only_problem(tmp_path, text)
    line = line_of(text, f"until: {until}")
    assert (problem.line, problem.col) == (line, col_of(text, line, "until"))
    assert problem.message == (
        f"until {until} is not after from 2026-07-01: this entry accepts claude-certified-architect "
        "professional on no day (until is the first day it no longer counts)"
    )


def test_an_accepted_credential_until_the_day_after_its_from_accepts_it_one_day(tmp_path) -> None:
    text = changed((ACCEPTED, "from: 2028-02-29, until: 2028-03-01,\n"))
    assert warnings_of(tmp_path, text)[1] == []


SECOND = "    - {name: claude-certified-architect, level: professional, from: 2026-07-01,\n"


@pytest.mark.parametrize(
    ("first", "again", "warned"),
    [
        ("from: 2026-07-01", "from: 2026-07-01", True),  # the same entry twice
        ("from: 2026-07-01, until: 2027-01-01", "from: 2026-12-31", True),  # one day in common
        ("from: 2026-07-01, until: 2027-01-01", "from: 2027-01-01", False),  # one after the other
        ("from: 2026-07-01, until: 2028-02-29", "from: 2028-02-29", False),  # ... on 29 February
        ("from: 2026-07-01, until: 2028-03-01", "from: 2028-02-29", True),
    ],
)
def test_a_credential_accepted_twice_for_the_same_days_is_a_warning_at_the_second(
    tmp_path, first: str, again: str, warned: bool
) -> None:
    repeated = f"    - {{name: claude-certified-architect, level: professional, {again}}}\n"
    label = '       label: "Claude Certified Architect, Professional"}\n'
    text = changed((SECOND, SECOND.replace("from: 2026-07-01", first)), (label, label + repeated))
    _, found = warnings_of(tmp_path, text)
    expected = [
        (
            line_of(text, f"professional, {again}}}"),
            "claude-certified-architect professional is already accepted on these days by entry 2 of the "
            "list: list each period once",
        )
    ]
    assert [(w.line, w.message) for w in found] == (expected if warned else [])
