"""CEL expressions: a condition no construct says, compiled once at load, judged day by day in standing.

The fixture `tests/policies/cel/measured-results.yaml` is the shipped policy where a story counts only
when its result is measured (states a number): `expr: 'record.result.matches("[0-9]")'`.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import line_of
from support import D, build_firm, day, policy_variant, story
from test_policy_check import changed, only_problem

from validator.evaluate import Timeline, evaluate
from validator.language import expressions
from validator.policies import PolicyError, load_policies
from validator.standing import compute_standing

FIXTURE = Path(__file__).resolve().parents[1] / "policies" / "cel" / "measured-results.yaml"
SHIPPED = Path(__file__).resolve().parents[2] / "policy"
RULE = "      - test: present\n        field: result\n"
ONE = "      - test: expression\n        expr: {expr}\n        reason: custom\n"
EXPRESSION = ONE + RULE

needs_cel = pytest.mark.skipif(
    not find_spec("cel_expr_python"),
    reason="CEL is not installed: pip install '.[cel]' (the test extra installs it)",
)


@needs_cel
def test_a_story_without_a_number_in_its_result_stops_counting_and_the_firm_drops_a_tier() -> None:
    policy = load_policies(FIXTURE).in_effect(D)
    data = build_firm(people=10, customers=2)
    data["stories"] = [story(1, "c-0", result="40% faster claims handling")]
    assert evaluate(policy, data, D).eligible_tier == "select"
    data["stories"] = [story(1, "c-0", result="much faster claims handling")]
    result = evaluate(policy, data, D)
    assert result.eligible_tier == "registered"
    (excluded,) = result.metrics["public_stories"].excluded
    assert excluded.reason == "result-not-measured"
    assert excluded.message == "states no measured result: much faster claims handling"


@needs_cel
def test_standing_judges_an_expression_metric_day_by_day_and_agrees_with_evaluate() -> None:
    policy = load_policies(FIXTURE).in_effect(D)
    data = build_firm(people=10, customers=2, activity=(day(-60),))
    data["stories"] = [
        story(1, "c-0", published_on="2026-06-10", result="twice as fast"),
        story(2, "c-0", published_on=day(-20), withdrawn_on=day(6), result="2x faster"),
    ]
    timeline = Timeline(policy, data)
    assert timeline.by_day == {"public_stories"}
    for offset in range(-40, 40, 3):
        on = D + timedelta(days=offset)
        assert timeline.tier_on(on) == evaluate(policy, data, on).eligible_tier, on
    assert timeline.tier_on(D - timedelta(days=21)) == "registered"  # only the unmeasured story
    assert timeline.tier_on(D - timedelta(days=20)) == "select"  # the measured one is published
    assert timeline.tier_on(D + timedelta(days=5)) == "select"
    assert timeline.tier_on(D + timedelta(days=6)) == "registered"  # withdrawn: its first day out


@needs_cel
def test_a_loss_ahead_counts_no_expression_judged_record_that_starts_after_the_as_of_date() -> None:
    data = build_firm(people=10, customers=2, activity=(day(-10),))
    data["stories"] = [
        story(1, "c-0", published_on=day(-20), withdrawn_on=day(6), result="2x faster"),
        story(2, "c-0", published_on=day(3), result="3x faster"),  # not known on D: it cannot keep Select
    ]
    ahead = Timeline(load_policies(FIXTURE).in_effect(D), data, known_on=D)
    assert [ahead.tier_on(D + timedelta(days=n)) for n in (5, 6, 7)] == ["select", "registered", "registered"]
    loss = evaluate(load_policies(FIXTURE).in_effect(D), data, D).loss
    shipped = evaluate(load_policies(SHIPPED).in_effect(D), data, D).loss
    assert loss is not None and shipped is not None
    assert (loss.on, loss.record and loss.record.id) == (shipped.on, "s-1") == (D + timedelta(days=6), "s-1")


@needs_cel
def test_a_record_an_expression_stops_counting_ahead_does_not_count_again_later(tmp_path) -> None:
    gap = day(4)  # the expression refuses the story on this one day only
    text = FIXTURE.read_text(encoding="utf-8").replace(
        """expr: 'record.result.matches("[0-9]")'""", f"""expr: 'as_of != "{gap}"'"""
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy = load_policies(path).in_effect(D)
    data = build_firm(people=10, customers=2, activity=(day(-10),))
    data["stories"] = [story(1, "c-0", published_on=day(-20), result="2x faster")]
    assert [Timeline(policy, data).tier_on(D + timedelta(days=n)) for n in (3, 4, 5)] == [
        "select",
        "registered",
        "select",
    ]
    ahead = Timeline(policy, data, known_on=D)  # out on the gap: back the day after would be joining
    assert [ahead.tier_on(D + timedelta(days=n)) for n in (3, 4, 5, 30)] == [
        "select",
        "registered",
        "registered",
        "registered",
    ]


@needs_cel
def test_the_standing_walk_promotes_only_at_a_review_where_the_expression_holds() -> None:
    data = build_firm(people=10, customers=2, active_on="2026-06-20")
    data["stories"] = [story(1, "c-0", published_on="2026-05-01", result="faster")]
    standing = compute_standing(load_policies(FIXTURE), data, date(2027, 1, 15))
    assert standing is not None and standing.tier == "registered"
    data["stories"][0]["result"] = "3x faster"
    standing = compute_standing(load_policies(FIXTURE), data, date(2027, 1, 15))
    assert standing is not None and (standing.tier, standing.since) == ("select", date(2026, 7, 1))


@needs_cel
def test_an_expression_that_cannot_be_judged_excludes_the_record_and_says_why(tmp_path) -> None:
    text = changed((RULE, EXPRESSION.format(expr="'record.score > 3'")))
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    result = evaluate(load_policies(path).in_effect(D), build_firm(people=10, customers=2, stories=1), D)
    (excluded,) = result.metrics["public_stories"].excluded
    assert excluded.reason == "custom"
    assert excluded.message.startswith("cannot be judged by the expression: ")
    assert "score" in excluded.message


@needs_cel
@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            "'record.result.matches(\"[0-9]\") &&'",
            "the expression does not compile, at its line 1, column 34: Syntax error: mismatched input",
        ),
        (
            "'recrd.result != \"\"'",
            "the expression does not compile, at its line 1, column 6: undeclared reference to 'recrd",
        ),
        ("'size(record.result)'", "a condition must give true or false; this one gives int"),
    ],
    ids=["syntax", "unknown-variable", "not-a-condition"],
)
def test_policy_check_locates_an_expression_that_does_not_compile_at_its_line(
    tmp_path, expr, message
) -> None:
    text = changed((RULE, EXPRESSION.format(expr=expr)))
    path, problem = only_problem(tmp_path, text)
    assert (problem.file, problem.line, problem.col) == (str(path), line_of(text, "expr: "), 9)
    assert problem.message.startswith(message)


def test_without_cel_installed_a_policy_with_an_expression_is_refused_with_how_to_install(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "cel_expr_python", None)  # `import` now fails as if absent
    expressions.condition.cache_clear()
    expressions._environment.cache_clear()
    try:
        text = changed((RULE, ONE.format(expr="'true'") + EXPRESSION.format(expr="'false'")))
        _, problem = only_problem(tmp_path, text)  # said once, not once per expression
        assert problem.line == line_of(text, "expr: 'true'")
        assert problem.message == (
            "this policy uses a CEL expression, and CEL is not installed: install it with "
            "pip install 'cel-expr-python>=0.1.3,<0.2' (the [cel] extra: pip install '.[cel]' in a clone)"
        )
    finally:
        expressions.condition.cache_clear()
        expressions._environment.cache_clear()


def test_a_policy_without_expressions_never_imports_cel(tmp_path) -> None:
    variant = policy_variant(tmp_path / "policy.yaml", ("at_risk_days: 90", "at_risk_days: 60"))
    code = (
        "import sys; from validator.policies import PolicyError, load_policies; "
        f"load_policies({str(variant)!r}); print('cel_expr_python' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "False\n"


RATIO = Path(__file__).resolve().parents[1] / "policies" / "cel" / "people-per-customer.yaml"
FORMULA = (
    "      metrics.customers_in_production == 0.0 ? 0.0\n"
    "      : metrics.certified_people / metrics.customers_in_production\n"
)


@needs_cel
def test_a_formula_metric_computes_a_ratio_and_a_tier_requires_it() -> None:
    policy = load_policies(RATIO).in_effect(D)
    result = evaluate(policy, build_firm(people=10, customers=2, stories=1), D)
    assert (result.metrics["people_per_customer"].value, result.eligible_tier) == (5, "select")
    result = evaluate(policy, build_firm(people=10, customers=6, stories=1), D)
    assert result.metrics["people_per_customer"].value == pytest.approx(10 / 6)
    assert result.eligible_tier == "registered"
    assert evaluate(policy, build_firm(people=10, stories=1), D).metrics["people_per_customer"].value == 0


@needs_cel
def test_standing_reads_a_formula_on_every_day_as_evaluate_does() -> None:
    policy = load_policies(RATIO).in_effect(D)
    data = build_firm(people=10, customers=4, stories=1, activity=(day(-60),))
    data["deployments"][0].update(live_on="2025-06-01", retired_on="2025-12-10")  # out from 2026-12-10
    for i in (8, 9):  # two more customers live from D-10
        data["customers"].append({"id": f"c-{i}", "name": f"Customer {i}", "region": "emea"})
        data["deployments"].append({"id": f"d-{i}", "customer": f"c-{i}", "stage": "production"})
        data["deployments"][-1]["live_on"] = day(-10)
    timeline = Timeline(policy, data)
    for offset in range(-30, 40, 2):
        on = D + timedelta(days=offset)
        assert timeline.tier_on(on) == evaluate(policy, data, on).eligible_tier, on
    assert timeline.tier_on(D - timedelta(days=11)) == "select"  # 10 people per 4 customers: 2.5
    assert timeline.tier_on(D - timedelta(days=10)) == "registered"  # per 6 customers: 1.67
    assert timeline.tier_on(date(2026, 12, 9)) == "registered"
    assert timeline.tier_on(date(2026, 12, 10)) == "select"  # per 5 customers: 2.0, the threshold


@needs_cel
@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "metrics.certified_people * 2",
            "the expression does not compile, at its line 1, column 26: found no",
        ),
        ("metrics.certified_people > 2.0", "a formula must give a number (a double); this one gives bool"),
        (
            "metrics.joint_business_plan + 1.0",
            "metric 'joint_business_plan' must be declared before 'people_per_customer' uses it",
        ),
        ("double(size(metrics))", "a formula names each metric literally: metrics.ID or metrics['ID']"),
    ],
    ids=["int-literal", "not-a-number", "declared-later", "not-literal"],
)
def test_policy_check_refuses_a_formula_it_cannot_compute_at_the_formula(tmp_path, formula, message) -> None:
    text = RATIO.read_text(encoding="utf-8").replace(FORMULA, f"      {formula}\n")
    _, problem = only_problem_in(tmp_path, text)
    assert (problem.line, problem.col) == (line_of(text, "formula: >-"), 5)
    assert problem.message.startswith(message)


@needs_cel
def test_a_from_naming_a_formula_is_refused(tmp_path) -> None:
    text = RATIO.read_text(encoding="utf-8").replace(
        "  - id: joint_business_plan",
        "  - id: again\n    from: people_per_customer\n\n  - id: joint_business_plan",
    )
    _, problem = only_problem_in(tmp_path, text)
    assert problem.line == line_of(text, "from: people_per_customer")
    assert "is a formula over metrics" in problem.message


def only_problem_in(tmp_path: Path, text: str):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policies(path)
    (problem,) = caught.value.problems
    return path, problem


@needs_cel
def test_a_formula_giving_no_number_gives_0(tmp_path) -> None:
    guarded = "metrics.customers_in_production == 0.0 ? 0.0\n      : metrics.certified_people"
    text = RATIO.read_text(encoding="utf-8")
    assert guarded in text
    path = tmp_path / "ratio.yaml"
    path.write_text(text.replace(guarded, "metrics.certified_people"), encoding="utf-8")
    policy = load_policies(path).in_effect(D)
    assert evaluate(policy, build_firm(stories=1), D).metrics["people_per_customer"].value == 0  # 0.0 / 0.0


@needs_cel
@pytest.mark.parametrize(("withdrawn", "lost"), [(1, 1), (60, 60), (61, None)], ids=["day-1", "last", "past"])
def test_a_loss_judged_day_by_day_is_found_from_the_day_after_to_the_horizons_last_day(
    tmp_path, withdrawn: int, lost: int | None
) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("at_risk_days: 90", "at_risk_days: 60", 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    data = build_firm(people=10, customers=2, activity=(day(-10),))  # people stale on day 80: past 60
    data["stories"] = [
        story(1, "c-0", published_on=day(-20), withdrawn_on=day(withdrawn), result="2x faster")
    ]
    loss = evaluate(load_policies(path).in_effect(D), data, D).loss
    assert (loss.on if loss else None) == (None if lost is None else D + timedelta(days=lost))
