"""An invalid policy is refused with located problems: FILE:LINE:COL naming the offending key or entry.

Each case is the shipped policy's text with one change, written under tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import line_of
from support import SHIPPED_POLICY

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


def test_a_tier_requiring_an_unknown_metric_is_located_at_the_requirement(tmp_path) -> None:
    text = changed(("{metric: public_stories, at_least: 1}", "{metric: case_studies, at_least: 1}"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "metric: case_studies"))
    assert problem.message == "unknown metric 'case_studies'"


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


def test_an_unknown_test_is_located_at_the_rule(tmp_path) -> None:
    text = changed(("      - test: is_true\n", "      - test: is_truthy\n"))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line) == (str(path), line_of(text, "test: is_truthy"))
    assert problem.message.startswith("'is_truthy' is not one of: on_or_before, absent_or_after, in_window")


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


def test_two_versions_with_the_same_effective_from_are_refused_at_effective_from(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(TEXT, encoding="utf-8")
    second = changed(('version: "2026.1"', 'version: "2026.2"'))
    (tmp_path / "b.yaml").write_text(second, encoding="utf-8")
    found = problems(tmp_path)
    assert len(found) == 1, found
    problem = found[0]
    assert problem.file == str(tmp_path / "b.yaml")
    assert problem.message == f"takes effect on 2026-03-01, as {tmp_path / 'a.yaml'} does"
    # cli.md: the line of the offending key, here `effective_from`
    assert problem.line == line_of(second, "effective_from:")
