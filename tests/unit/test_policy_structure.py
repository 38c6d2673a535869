"""A policy's structural mistakes (a choice of keys, a key needing another, a number for text) are said in
words at the offending key: never a dump of the policy or metric as a Python mapping.

Each case is the shipped policy's text with one change, as in test_policy_check.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import line_of
from support import SHIPPED_POLICY
from test_policy_check import changed, only_problem

from validator.loader import Located, read_source
from validator.locate import read_located
from validator.policies import check_policy
from validator.resources import schema
from validator.schema import exact_validator_for, located_problems

GIVES = "a policy gives 'tiers' (one ladder) or 'designations' (several ladders)"
REGIONS = "    from: customers_in_production\n    key: customer.region\n"


def test_a_policy_with_both_tiers_and_designations_is_refused_at_the_second(tmp_path) -> None:
    designations = "designations:\n  - id: services\n    tiers:\n      - {id: registered, requires: []}\n"
    text = changed(("tiers:\n  - id: registered\n", designations + "tiers:\n  - id: registered\n"))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (text.splitlines().index("tiers:") + 1, 1)
    assert problem.message == f"{GIVES}, not both"


def test_a_policy_with_neither_tiers_nor_designations_says_which_to_give(tmp_path) -> None:
    text = changed(("tiers:\n", "levels:\n"))
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_policy(str(path))[1]
    assert [(p.line, p.message) for p in problems if p.message.startswith("a policy")] == [
        (line_of(text, "policy_language:"), f"{GIVES}: this one has none of them")
    ]


def test_a_metric_with_records_and_from_is_refused_at_the_second_key(tmp_path) -> None:
    text = changed((REGIONS, REGIONS.replace("key:", "records: deployments\n    key:")))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (
        line_of(text, "records: deployments", line_of(text, "id: production_regions")),
        5,
    )
    assert problem.message == "a metric counts 'records' or derives 'from' another, not both"


def test_a_metric_from_another_with_its_own_rules_is_refused_at_the_rules(tmp_path) -> None:
    rules = "    rules:\n      - {test: present, field: customer, reason: no-customer}\n"
    text = changed((REGIONS, REGIONS + rules))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (
        line_of(text, "    rules:", line_of(text, "id: production_regions")),
        5,
    )
    assert problem.message == "a metric that derives 'from' another cannot also have 'rules'"


def test_a_window_of_both_days_and_months_is_refused_at_the_second(tmp_path) -> None:
    text = changed(("  activity: {days: 90, label", "  activity: {days: 90, months: 3, label"))
    _, problem = only_problem(tmp_path, text)
    line = line_of(text, "months: 3")
    assert (problem.line, problem.col) == (line, text.splitlines()[line - 1].index("months") + 1)
    assert problem.message == "a window is {days: N} or {months: N}, not both"


def test_a_term_of_neither_days_nor_months_says_what_a_term_is(tmp_path) -> None:
    text = changed(("  default_term: {months: 12}", "  default_term: {label: a year}"))
    _, problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, "default_term:")
    assert problem.message == "a term is {days: N} or {months: N}: this one has none of them"


def test_groups_with_at_least_without_group_by_is_refused_at_it(tmp_path) -> None:
    text = changed((REGIONS, REGIONS + "    groups_with_at_least: 2\n"))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (line_of(text, "groups_with_at_least: 2"), 5)
    assert problem.message == "'groups_with_at_least' needs 'group_by'"


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("-1", "-1 is less than the minimum of 0"),
        ("many", "expected a number or a mapping, found 'many'"),
        ("{field: stage}", "missing required key 'table'"),
        ("{field: stage, table: {}}", "needs at least 1 entry, found an empty mapping"),
    ],
)
def test_points_are_explained_in_the_form_their_type_picks(tmp_path, points: str, message: str) -> None:
    text = changed((REGIONS, REGIONS + f"    points: {points}\n"))
    _, problem = only_problem(tmp_path, text)
    assert problem.line == line_of(text, f"points: {points}")
    assert problem.message == message


@pytest.mark.parametrize("written", ["2026.10", "2026.1", "2026", "0x7EA", "2e3"])  # 2026.1, ..., 2000.0
def test_a_version_yaml_reads_as_a_number_is_said_as_written_with_the_quoted_form(tmp_path, written) -> None:
    text = changed(('version: "2026.1"', f"version: {written}   # unquoted"))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.col) == (line_of(text, "version:"), 1)
    assert problem.message == f'expected text, found {written}: quote it (version: "{written}")'


def test_a_version_in_json_is_said_as_written_with_the_quoted_form_in_json(tmp_path) -> None:
    text = '{"policy_language": 1, "id": "p", "version": 2026.10}'
    path = tmp_path / "policy.json"
    path.write_text(text, encoding="utf-8")
    problems = check_policy(str(path))[1]
    assert 'expected text, found 2026.10: quote it ("version": "2026.10")' in {p.message for p in problems}


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("effective_from: 2026-03-01", "effective_from: 20260301", "a date (YYYY-MM-DD), found 20260301"),
        (
            '    on: "12-31"',
            "    on: 1231",
            "a month-day (MM-DD), a list of them or {every_months: N}, found 1231",
        ),
    ],
    ids=["date", "review-days"],
)
def test_a_date_or_day_written_as_a_number_is_said_by_its_shape_not_quoted(tmp_path, old, new, says) -> None:
    text = changed((old, new))
    _, problem = only_problem(tmp_path, text)
    assert (problem.line, problem.message) == (line_of(text, new.strip()), f"expected {says}")


# Every oneOf, anyOf and dependentRequired of the policy schema that can fail on its own, and documents
# failing each: by all of its keys at once, by none, by the wrong type, by a key it excludes.
SCHEMA = schema("policy")
VALIDATOR = exact_validator_for(SCHEMA)
SHIPPED = read_located(read_source(SHIPPED_POLICY)).data
TERM_SPOTS = (("windows", "activity"), ("credentials", "default_term"))


CHOICES = ("oneOf", "anyOf", "dependentRequired")


def _sites(node: Any) -> Iterator[tuple[int, str]]:
    """Each oneOf, anyOf and dependentRequired outside a `not`: the id of its schema node, and which."""
    if isinstance(node, dict):
        yield from ((id(node), k) for k in CHOICES if k in node)
        for key, value in node.items():
            if key != "not":
                yield from _sites(value)
    elif isinstance(node, list):
        for value in node:
            yield from _sites(value)


def _mutants() -> Iterator[dict[str, Any]]:
    """The shipped policy broken once per document, at each choice the schema makes."""

    def one(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
        doc = copy.deepcopy(SHIPPED)
        change(doc)
        return doc

    yield one(lambda d: d.update(designations=[{"id": "x", "tiers": d["tiers"]}]))
    yield one(lambda d: d.pop("tiers"))
    regions = 2  # production_regions: `from` another metric
    for extra in ({"records": "deployments"}, {"sum": ["certified_people"]}, {"formula": "1"}, {"rules": []}):
        yield one(lambda d, extra=extra: d["metrics"][regions].update(extra))
    yield one(lambda d: d["metrics"][regions].pop("from"))
    yield one(lambda d: d["metrics"][regions].update(groups_with_at_least=2))
    for points in (-1, "many", {"field": "stage"}, {"field": "stage", "table": {}}, [1]):
        yield one(lambda d, points=points: d["metrics"][regions].update(points=points))
    for at, key in TERM_SPOTS:
        yield one(lambda d, at=at, key=key: d[at][key].update(days=1, months=1))
        yield one(lambda d, at=at, key=key: d[at].update({key: {"label": "none"}}))
    select = ("tiers", 1, "requires")
    for need in ({}, {"metric": "certified_people"}, {"metric": "x", "at_least": 1, "designation": "y"}):
        yield one(lambda d, need=need: d[select[0]][select[1]][select[2]].append(need))
    yield one(lambda d: d.update(data={"fields": {"deployments": {"tier": {"description": "no type"}}}}))
    yield one(lambda d: d.update(data={"fields": {"deployments": {"tier": {"type": ["a", {"b": 1}]}}}}))


def test_no_message_of_any_choice_the_policy_schema_makes_dumps_a_mapping_or_a_list() -> None:
    hit: set[tuple[int, str]] = set()
    for doc in _mutants():
        errors = list(VALIDATOR.iter_errors(doc))
        assert errors, doc
        hit |= {(id(e.schema), e.validator) for e in errors if e.validator in CHOICES}
        for problem in located_problems(VALIDATOR, "policy.yaml", Located(doc)):
            assert "{'" not in problem.message and "['" not in problem.message, problem
            assert len(problem.message) < 200, problem
    missed = set(_sites(SCHEMA)) - hit
    assert not missed, "a choice of the policy schema no mutant breaks: add one to _mutants"
