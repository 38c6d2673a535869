"""An invalid policy is refused with located problems: FILE:LINE:COL naming the offending key or entry.

Each case is the shipped policy's text with one change, written under tmp_path.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import line_of
from support import SHIPPED_POLICY, as_designations

from validator import schema
from validator.cli import main
from validator.policies import PolicyError, load_policies
from validator.problem import Problem

TEXT = SHIPPED_POLICY.read_text(encoding="utf-8")


def changed(*replacements: tuple[str, str]) -> str:
    """The shipped text with each (old, new) replaced exactly once; `old` must occur exactly once."""
    text = TEXT
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} is not unique in the shipped policy"
        text = text.replace(old, new, 1)
    return text


def problems(path: Path) -> list[Problem]:
    with pytest.raises(PolicyError) as caught:
        load_policies(path)
    return caught.value.problems


def only_problem(tmp_path: Path, text: str) -> tuple[Path, Problem]:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    found = problems(path)
    assert len(found) == 1, found
    return path, found[0]


def test_the_shipped_policy_has_no_problems() -> None:
    assert [p.version for p in load_policies(SHIPPED_POLICY).versions] == ["2026.1"]


def test_an_unknown_window_in_a_rule_is_located_at_the_rule(tmp_path) -> None:
    text = changed(("        window: activity\n", "        window: recent_activity\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "window: recent_activity"))
    assert problem.message == "unknown window 'recent_activity'; declared: activity, trailing_year"
    assert str(problem).startswith(f"{path}:{problem.line}:")


def test_an_unknown_window_inside_an_any_rule_is_found(tmp_path) -> None:
    text = changed(
        (
            "          - test: within_term\n",
            "          - test: in_window\n            fields: [issued_on]\n            window: award\n"
            "            reason: stale-award\n          - test: within_term\n",
        )
    )
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "window: award"))
    assert "unknown window 'award'" in problem.message


def test_a_tier_requiring_an_unknown_metric_is_located_at_the_requirement_with_every_id(tmp_path) -> None:
    text = changed(("{metric: public_stories, at_least: 1}", "{metric: case_studies, at_least: 1}"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "metric: case_studies"))
    assert problem.message == (
        "unknown metric 'case_studies'; declared: certified_people, customers_in_production, "
        "production_regions, public_stories, joint_business_plan"
    )


def test_a_from_metric_that_is_itself_derived_is_refused_not_counted_as_zero(tmp_path) -> None:
    again = "  - id: regions_again\n    from: production_regions\n    key: customer.region\n\n"
    text = changed(("  - id: public_stories\n", again + "  - id: public_stories\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "from: production_regions"))
    assert problem.message == (
        "metric 'production_regions' counts another metric's records; "
        "'from' must name a metric with 'records'"
    )


REGIONS_METRIC = """\
  - id: production_regions
    label: Regions with customers in production
    from: customers_in_production
    key: customer.region

"""


def test_a_from_metric_declared_later_is_located_at_from(tmp_path) -> None:
    text = changed((REGIONS_METRIC, ""))
    text = text.replace(
        "  - id: customers_in_production\n", REGIONS_METRIC + "  - id: customers_in_production\n"
    )
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "from: customers_in_production"))
    assert problem.message == (
        "metric 'customers_in_production' must be declared before 'production_regions' uses it"
    )


def test_a_from_metric_that_does_not_exist_is_refused(tmp_path) -> None:
    text = changed(("    from: customers_in_production\n", "    from: customers_live\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "from: customers_live"))
    assert "'customers_live'" in problem.message


def test_an_unknown_test_is_located_at_the_rule_named_and_a_close_one_suggested(tmp_path) -> None:
    text = changed(("      - test: is_true\n", "      - test: is_truthy\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "test: is_truthy"))
    assert problem.message.startswith(
        "test 'is_truthy' is not one of: on_or_before, absent_or_after, in_window"
    )
    assert problem.message.endswith("; did you mean 'is_true'?")


def test_a_rule_missing_its_reason_is_located_at_the_rule(tmp_path) -> None:
    text = changed(("        reason: anonymous\n", ""))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "test: is_true"))
    assert problem.message == "missing required key 'reason'"


def test_a_duplicated_key_is_located_at_its_second_occurrence(tmp_path) -> None:
    text = changed(("title: Claude Partner Network, services track\n", "title: A\ntitle: B\n"))
    path, problem = only_problem(tmp_path, text)
    first = line_of(text, "title: A")
    assert (problem.file, problem.line, problem.col) == (str(path), first + 1, 1)
    assert problem.message == f"duplicate key 'title' (first on line {first})"


def test_a_duplicated_key_inside_a_flow_mapping_is_located(tmp_path) -> None:
    text = changed(
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 10, at_least: 12}")
    )
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "at_least: 10, at_least: 12"))
    assert problem.message.startswith("duplicate key 'at_least'")


def test_a_duplicated_window_name_is_a_duplicated_key(tmp_path) -> None:
    text = changed(("  trailing_year: {months: 12", "  activity: {months: 12"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "activity: {months: 12"))
    assert problem.message.startswith("duplicate key 'activity'")


def test_unknown_records_are_located_at_records(tmp_path) -> None:
    text = changed(("    records: stories\n", "    records: case_studies\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "records: case_studies"))
    assert problem.message.startswith("unknown records 'case_studies'; one of: people, customers")


def test_every_problem_in_a_file_is_reported_not_only_the_first(tmp_path) -> None:
    text = changed(
        ("        window: activity\n", "        window: recent_activity\n"),
        ("{metric: public_stories, at_least: 1}", "{metric: case_studies, at_least: 1}"),
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    assert [(p.line, p.message.split(";")[0]) for p in problems(path)] == [
        (line_of(text, "window: recent_activity"), "unknown window 'recent_activity'"),
        (line_of(text, "metric: case_studies"), "unknown metric 'case_studies'"),
    ]


def second_version_problem(tmp_path: Path, first: str, second: str) -> Problem:
    """The one problem of a folder holding `first` as a.yaml and `second` as b.yaml: in b.yaml."""
    (tmp_path / "a.yaml").write_text(first, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(second, encoding="utf-8")
    [problem] = problems(tmp_path)
    assert problem.file == str(tmp_path / "b.yaml")
    return problem


def test_two_versions_with_the_same_effective_from_are_refused_at_effective_from(tmp_path) -> None:
    second = changed(('version: "2026.1"', 'version: "2026.2"'))
    problem = second_version_problem(tmp_path, TEXT, second)
    assert problem.message == f"takes effect on 2026-03-01, as {tmp_path / 'a.yaml'} does"
    # cli.md: the line of the offending key, here `effective_from`
    assert problem.line == line_of(second, "effective_from:")


# A message template is filled with str.format_map: only plain names may reach it.
@pytest.mark.parametrize(
    "placeholder,says",
    [
        ("{value.__class__.__mro__}", "is not one of this test's (as_of, value)"),
        ("{value[0]}", "is not one of this test's (as_of, value)"),
        ("{0}", "is not one of this test's"),
        ("{}", "is not one of this test's"),
        ("{value:>300000000}", "has a format spec or conversion; write a plain {value}"),
        ("{value!z}", "has a format spec or conversion"),
        ("{value!r}", "has a format spec or conversion"),
        ("{valeu}", "is not one of this test's (as_of, value) nor a field"),
        ("{value", "is not a valid template"),
        ("value}", "is not a valid template"),
    ],
    ids=[
        "attribute",
        "index",
        "positional",
        "empty",
        "format-spec",
        "bad-conversion",
        "repr-conversion",
        "unknown-name",
        "unclosed",
        "unopened",
    ],
)
def test_a_message_placeholder_other_than_a_plain_documented_name_is_refused_at_the_message(
    tmp_path, placeholder: str, says: str
) -> None:
    text = changed(('message: "left the firm on {value}"', f'message: "left the firm on {placeholder}"'))
    path, problem = only_problem(tmp_path, text)
    line = line_of(text, "left the firm on")
    col = text.splitlines()[line - 1].index("message:") + 1
    assert (problem.file, problem.line, problem.col) == (str(path), line, col)
    assert says in problem.message


def test_a_message_may_use_the_tests_values_as_of_record_fields_and_escaped_braces(tmp_path) -> None:
    text = changed(
        (
            'message: "left the firm on {value}"',
            'message: "{name} ({email}) left on {value}, {{before}} {as_of}"',
        )
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_policies(path).versions[0].metrics[0].rules[0].message.startswith("{name} ({email})")


@pytest.mark.parametrize(
    "old,new,needle,col",
    [
        ('on: "12-31"', 'on: "04-31"', "04-31", 5),  # at the key of a mapping's value
        ('promotion: ["01-01", "07-01"]', 'promotion: ["01-01", "02-30"]', "02-30", 24),  # at a list's item
        ('promotion: ["01-01", "07-01"]', 'promotion: ["06-31", "07-01"]', "06-31", 15),
    ],
    ids=["04-31", "02-30", "06-31"],
)
def test_a_review_month_day_no_year_has_is_refused_where_it_is_written(
    tmp_path, old, new, needle, col
) -> None:
    text = changed((old, new))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, needle))
    assert problem.col == col
    assert problem.message.startswith(f"'{needle}' is not a valid month-day: ")


def test_29_february_is_a_review_day_of_leap_years(tmp_path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(changed(('promotion: ["01-01", "07-01"]', 'promotion: ["02-29"]')), encoding="utf-8")
    days = load_policies(path).versions[0].reviews.promotion
    assert days.in_year(2027, date(2026, 3, 1)) == []  # a common year has no such review
    assert days.in_year(2028, date(2026, 3, 1)) == [date(2028, 2, 29)]


@pytest.mark.parametrize(
    "old,new,needle,says",
    [
        (
            "at_risk_days: 90",
            "at_risk_days: 36501",
            "at_risk_days",
            "36501 is greater than the maximum of 36500",
        ),
        ("at_risk_days: 90", "at_risk_days: 1000000000", "at_risk_days", "greater than the maximum of 36500"),
        (
            "activity: {days: 90,",
            "activity: {days: 1000000000,",
            "activity:",
            "greater than the maximum of 36500",
        ),
        ("trailing_year: {months: 12,", "trailing_year: {months: 1201,", "trailing_year:", "maximum of 1200"),
        ("default_term: {months: 12}", "default_term: {months: 1000000}", "default_term:", "maximum of 1200"),
        ("notice_days: 90", "notice_days: 36501", "notice_days", "greater than the maximum of 36500"),
        (
            "effective_from: 2026-03-01",
            "effective_from: 0000-01-01",
            "effective_from",
            "from 1900-01-01 to 9000",
        ),
        ("effective_from: 2026-03-01", "effective_from: 1899-12-31", "effective_from", "is not a valid date"),
        ("effective_from: 2026-03-01", "effective_from: 9001-01-01", "effective_from", "is not a valid date"),
        ("    - on: 2026-10-01\n", "    - on: 9999-12-31\n", "on: 9999", "is not a valid date"),
    ],
    ids=[
        "at-risk-36501",
        "at-risk-1e9",
        "activity-days-1e9",
        "trailing-months-1201",
        "default-term-1e6",
        "notice-36501",
        "effective-year-0",
        "effective-1899",
        "effective-9001",
        "one-off-9999",
    ],
)
def test_sizes_and_dates_past_what_the_calendar_can_compute_are_refused(
    tmp_path, old, new, needle, says
) -> None:
    text = changed((old, new))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, needle))
    assert says in problem.message


def test_the_largest_sizes_and_the_last_dates_allowed_still_load(tmp_path) -> None:
    text = changed(
        ("at_risk_days: 90", "at_risk_days: 36500"),
        ("activity: {days: 90,", "activity: {days: 36500,"),
        ("trailing_year: {months: 12,", "trailing_year: {months: 1200,"),
        ("notice_days: 90", "notice_days: 36500"),
        ("effective_from: 2026-03-01", "effective_from: 1900-01-01"),
        ("    - on: 2026-10-01\n", "    - on: 9000-12-31\n"),
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy = load_policies(path).versions[0]
    assert (policy.at_risk_days, policy.windows["trailing_year"].term.months) == (36500, 1200)


SELECT_NEEDS = (
    "      - {metric: certified_people, at_least: 10}\n"
    "      - {metric: customers_in_production, at_least: 2}\n"
)


def test_an_unknown_metric_inside_an_alternative_is_located_where_it_is_named_with_the_closest(
    tmp_path,
) -> None:
    groups = (
        "      - any_of:\n          - {metric: certified_people, at_least: 10}\n"
        "          - all_of:\n              - {metric: certified_peple, at_least: 5}\n"
        "      - {metric: customers_in_production, at_least: 2}\n"
    )
    text = changed((SELECT_NEEDS, groups))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "certified_peple"))
    assert (problem.message, problem.path) == (
        "unknown metric 'certified_peple'; did you mean 'certified_people'?",
        "$.tiers[1].requires[0].any_of[1].all_of[0].metric",
    )


@pytest.mark.parametrize(
    "item",
    [
        "{metric: certified_people, at_least: 10, any_of: [{metric: public_stories, at_least: 1}]}",
        "{metric: certified_people}",
        "{any_of: []}",
        "{}",
    ],
    ids=["threshold-and-group", "threshold-without-at-least", "empty-any-of", "empty"],
)
def test_a_requirement_is_a_threshold_or_one_group_nothing_else(tmp_path, item: str) -> None:
    text = changed((SELECT_NEEDS, f"      - {item}\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, item))


def test_a_second_program_in_one_policy_folder_is_refused_at_its_id(tmp_path) -> None:
    second = changed(
        ("id: cpn-services\n", "id: cpn-products\n"),
        ("effective_from: 2026-03-01", "effective_from: 2027-01-01"),
    )
    problem = second_version_problem(tmp_path, TEXT, second)
    assert problem.line == line_of(second, "id: cpn-products")
    assert problem.message == (
        f"policy id 'cpn-products' differs from 'cpn-services' in {tmp_path / 'a.yaml'}: "
        "one program per policy folder"
    )


def test_a_version_declaring_other_designations_is_refused_at_designations(tmp_path) -> None:
    first = changed(("id: cpn-services\n", "id: cpn\n"))
    second = as_designations(
        first.replace("effective_from: 2026-03-01", "effective_from: 2027-01-01"), "cpn", "security"
    )
    problem = second_version_problem(tmp_path, first, second)
    assert problem.line == line_of(second, "designations:")
    assert problem.message == (
        f"declares the designations cpn, security, {tmp_path / 'a.yaml'} declares cpn: "
        "every version of a program declares the same ones, in order"
    )


def test_a_one_ladder_version_after_a_designations_one_is_refused_at_its_tiers(tmp_path) -> None:
    second = changed(("effective_from: 2026-03-01", "effective_from: 2027-01-01"))
    problem = second_version_problem(tmp_path, as_designations(TEXT, "services"), second)
    assert problem.line == line_of(second, "tiers:")
    assert problem.message.startswith("declares the designations cpn-services, ")


def test_a_from_metric_nothing_declares_is_unknown_with_the_closest_one(tmp_path) -> None:
    text = changed(("    from: customers_in_production\n", "    from: customers_in_prodution\n"))
    _, problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "from: customers_in_prodution")
    assert problem.message == (
        "unknown metric 'customers_in_prodution'; did you mean 'customers_in_production'?"
    )


POINTS = Path(__file__).resolve().parents[2] / "examples/programs/points/policy/points-2026-03-01.yaml"


@pytest.mark.parametrize(
    ("text", "old", "new", "written"),
    [
        (TEXT, "at_least: 1000}", "at_least: .inf}", ".inf"),
        (TEXT, "at_least: 1000}", "at_least: -.inf}", "-.inf"),
        (TEXT, "at_least: 1000}", "at_least: .nan}", ".nan"),
        (TEXT, "at_least: 1000}", "at_least: 1e400}", "1e400"),
        (POINTS.read_text(encoding="utf-8"), "  at_most: 40", "  at_most: .inf", ".inf"),
        (POINTS.read_text(encoding="utf-8"), "{professional: 3}", "{professional: .nan}", ".nan"),
    ],
    ids=["at-least-inf", "at-least-minus-inf", "at-least-nan", "at-least-1e400", "at-most-inf", "points-nan"],
)
def test_a_number_that_is_not_finite_is_refused_where_it_is_written(
    tmp_path, text: str, old: str, new: str, written: str
) -> None:
    assert text.count(old) == 1
    text = text.replace(old, new)
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, new.strip()))
    assert problem.message == f"expected a finite number, found {written}"


def test_a_later_version_with_an_infinite_threshold_is_refused_not_dropped_from_the_folder(
    tmp_path, capsys
) -> None:
    later = changed(
        ('version: "2026.1"', 'version: "2027.1"'),
        ("effective_from: 2026-03-01", "effective_from: 2027-01-01"),
        ("at_least: 1000}", "at_least: .inf}"),
    )
    problem = second_version_problem(tmp_path, TEXT, later)
    assert (problem.line, problem.message) == (
        line_of(later, "at_least: .inf"),
        "expected a finite number, found .inf",
    )
    firm = Path(__file__).resolve().parents[2] / "examples/firms/northwind-advisory.yaml"
    code = main(["evaluate", str(firm), "--policy", str(tmp_path), "--as-of", "2027-01-15"])
    assert code == 2
    assert f"{tmp_path / 'b.yaml'}:{problem.line}:" in capsys.readouterr().err


def test_a_policy_the_fast_schema_refuses_is_a_located_problem_even_if_the_exact_one_sees_none(
    tmp_path, monkeypatch
) -> None:
    """Whatever the two validators disagree on, a refused version is never dropped without a word."""

    class SeesNothing:
        def iter_errors(self, data: object) -> list[object]:
            return []

    monkeypatch.setattr(schema, "_exact_validator", lambda name: SeesNothing())
    text = changed(("at_least: 1000}", 'at_least: "1000"}'))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, 'at_least: "1000"'))
    assert problem.message.startswith("does not fit the schema: ")
