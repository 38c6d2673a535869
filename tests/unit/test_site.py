from __future__ import annotations

from datetime import date, timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from support import SHIPPED_POLICY, Page, build_firm, firm, person, policy_variant

from validator.dates import Term
from validator.evaluate import Timeline, evaluate
from validator.language.model import Window
from validator.language.requirements import AllOf, AnyOf, Prerequisite, Threshold
from validator.language.rules import TESTS, Scope
from validator.language.words import need_text, rule_text
from validator.policies import PolicySet, load_policies
from validator.render.charts import daily_line
from validator.render.site import program_page
from validator.site import (
    AHEAD_DAYS,
    assess,
    daily,
    firm_page,
    firm_row,
    headline,
    program_context,
)

AS_OF = date(2026, 11, 25)
VERSIONS = Path(__file__).resolve().parents[1] / "policies" / "versions"
POLICIES = Path(__file__).resolve().parents[1] / "policies"
PROGRAMS = Path(__file__).resolve().parents[2] / "examples" / "programs"
CEL = Path(__file__).resolve().parents[1] / "policies" / "cel" / "measured-results.yaml"


@pytest.fixture(scope="module")
def shipped() -> PolicySet:
    return load_policies()


def test_a_metric_series_is_the_evaluator_on_every_day_across_29_february(shipped) -> None:
    data = firm(
        people=3,
        active_on="2028-02-29",
        activity=("2027-12-01", "2028-01-15"),
        issued_on="2027-03-01",
        live_on="2027-06-01",
        published_on="2028-02-29",
    )
    data["people"][1]["left_on"] = "2028-02-29"
    data["deployments"][0]["retired_on"] = "2027-03-01"
    policy = shipped.in_effect(AS_OF)
    first, last = date(2027, 11, 1), date(2028, 4, 30)
    timeline = Timeline(policy, data)
    for m in headline(policy):
        series = timeline.series(timeline.metrics[m], first, last)
        assert len(series) == (last - first).days + 1
        for i, value in enumerate(series):
            on = first + timedelta(days=i)
            assert value == evaluate(policy, data, on).metrics[m].value, (m, on)


@pytest.mark.skipif(not find_spec("cel_expr_python"), reason="CEL is not installed: tiercheck[cel]")
def test_a_metric_with_an_expression_is_judged_on_every_day_of_its_series() -> None:
    policy = load_policies(CEL).in_effect(AS_OF)
    data = firm(stories=3, active_on="2026-11-20", published_on="2026-06-01")
    data["stories"][1]["result"] = "faster claims"  # no number: the expression refuses it
    data["stories"][2]["published_on"] = "2026-10-10"
    timeline = Timeline(policy, data)
    first, last = date(2026, 5, 25), date(2026, 10, 20)
    series = timeline.series(timeline.metrics["public_stories"], first, last)
    for i, value in enumerate(series):
        on = first + timedelta(days=i)
        assert value == evaluate(policy, data, on).metrics["public_stories"].value, on
    assert (series[0], series[-1]) == (0, 2)


def test_the_daily_chart_runs_from_the_trailing_year_to_90_days_ahead_with_no_value_before_the_policy(
    shipped,
) -> None:
    data = firm(active_on="2026-11-20")
    e = assess(shipped, "f.yaml", "", data, AS_OF)
    d = daily(shipped, data, e, headline(shipped.in_effect(AS_OF)), ["select"])
    assert d.first == date(2025, 11, 26) and d.last == AS_OF + timedelta(days=AHEAD_DAYS)
    people = d.values["certified_people"]
    assert len(people) == (d.last - d.first).days + 1
    before = (date(2026, 3, 1) - d.first).days  # the first policy version takes effect on 2026-03-01
    assert set(people[:before]) == {None} and people[before] is not None
    assert people[(AS_OF - d.first).days] == 10


def test_thresholds_follow_the_policy_version_in_effect_each_day() -> None:
    versions = load_policies(VERSIONS)
    data = firm(people=12, active_on="2026-11-20")
    e = assess(versions, "f.yaml", "", data, AS_OF)
    d = daily(versions, data, e, ["certified_people"], ["select"])
    select = d.thresholds[("select", "certified_people")]
    new_year = (date(2027, 1, 1) - d.first).days
    assert select[new_year - 1] == 10 and select[new_year] == 12


def test_the_tier_is_lost_on_the_day_a_version_asking_more_takes_effect() -> None:
    # ten people active until February 2027; the 2027 version, from 2027-01-01, needs 12 for Select
    versions = load_policies(VERSIONS)
    data = firm(people=10, active_on="2026-11-20")
    e = assess(versions, "f.yaml", "", data, AS_OF)
    assert e.eligible_tier == "select"
    assert daily(versions, data, e, [], []).lost_on == date(2027, 1, 1)


def test_the_tier_is_lost_on_the_first_day_the_firm_is_no_longer_eligible(shipped) -> None:
    # ten people, one last active on 2026-11-01: the activity window (90 days) lets them go on 2027-01-30
    data = firm(active_on="2026-11-20")
    data["people"][0]["last_active_on"] = "2026-11-01"
    e = assess(shipped, "f.yaml", "", data, AS_OF)
    d = daily(shipped, data, e, headline(shipped.in_effect(AS_OF)), ["select"])
    assert d.lost_on == date(2027, 1, 30)
    timeline = Timeline(shipped.in_effect(AS_OF), data)
    assert (
        timeline.tier_on(date(2027, 1, 29)) == "select"
        and timeline.tier_on(date(2027, 1, 30)) == "registered"
    )


def test_ahead_of_the_as_of_date_records_only_drop_out_none_join(shipped) -> None:
    # one person goes stale on 2027-01-30; another is certified on 2026-12-04, after the as-of date:
    # that is not known on the as-of date, so it does not hold the tier up
    data = firm(active_on="2026-11-20")
    data["people"][0]["last_active_on"] = "2026-11-01"
    data["people"].append(person("new", active_on="2026-11-20", issued_on="2026-12-04"))
    e = assess(shipped, "f.yaml", "", data, AS_OF)
    d = daily(shipped, data, e, headline(shipped.in_effect(AS_OF)), ["select"])
    people = d.values["certified_people"]
    assert people[(date(2026, 12, 4) - d.first).days] == 10  # the ten counted on the as-of date, no more
    assert people[(date(2027, 1, 30) - d.first).days] == 9
    assert d.lost_on == date(2027, 1, 30) == (e.loss.on if e.loss else None)


def test_a_tier_lost_on_the_last_day_of_the_chart_is_still_shown(shipped) -> None:
    data = firm(active_on="2026-11-25", issued_on="2026-11-01")  # active on the as-of day: 90 days on
    e = assess(shipped, "f.yaml", "", data, AS_OF)
    d = daily(shipped, data, e, headline(shipped.in_effect(AS_OF)), ["select"])
    assert d.lost_on == d.last == date(2027, 2, 23)


def test_the_row_says_within_reach_first_gap_and_facing_demotion(shipped) -> None:
    metrics = headline(shipped.in_effect(AS_OF))
    short = firm(people=8, active_on="2026-11-20")  # 8 of 10: within 75%
    row = firm_row(assess(shipped, "f.yaml", "", short, AS_OF), "firms/x.html", metrics, None)
    assert (row["eligible_tier"], row["next_tier"]) == ("registered", "select")
    assert row["within_reach"] and row["first_gap"] == "certified people: 2 more (8 of 10)"
    far = firm(people=7, active_on="2026-11-20")
    assert not firm_row(assess(shipped, "f.yaml", "", far, AS_OF), "p", metrics, None)["within_reach"]
    stale = firm(joined_on="2026-06-10", active_on="2026-09-15")  # Select since October, stale by the look
    row = firm_row(assess(shipped, "f.yaml", "", stale, AS_OF), "p", metrics, None)
    assert (row["standing"], row["demotion_to"], row["demotion_on"]) == ("select", "registered", "2027-03-31")


def test_the_firm_page_draws_each_headline_number_with_its_thresholds(shipped) -> None:
    data = firm(active_on="2026-11-20")
    e = assess(shipped, "f.yaml", "", data, AS_OF)
    ctx, d = firm_page(shipped, e, data, headline(shipped.in_effect(AS_OF)))
    people = ctx["daily"][0]
    assert people["title"] == "Certified people"
    assert [t["label"] for t in people["thresholds"]] == ["Select needs 10", "Preferred needs 100"]
    assert "0 from 2026-03-01, 10 from 2026-11-20, 0 from 2027-02-18" in people["description"]
    assert d.lost_on == date(2027, 2, 18) and ctx["lost"] == {"on": "2027-02-18", "tier": "Select"}
    assert people["lost"]["label"] == "lost 2027-02-18"


def test_daily_line_geometry_stays_inside_its_view_box() -> None:
    values: list[int | None] = [None] * 10 + [1] * 20 + [3] * 30
    c = daily_line("X", date(2028, 2, 1), values, [("Select", [None] * 10 + [2] * 50)], 40, 55)
    assert len(c["lines"]) == 1 and c["lines"][0].startswith(f"{c['x1'] + (c['x2'] - c['x1']) * 10 / 60:.1f}")
    for points in c["lines"] + c["thresholds"][0]["lines"]:
        for pair in points.split():
            x, y = map(float, pair.split(","))
            assert c["x1"] <= x <= c["x2"] and c["top"] <= y <= c["baseline"]
    assert c["last"] == "2028-03-31" and "1 from 2028-02-11, 3 from 2028-03-02" in c["description"]


def test_every_test_of_the_policy_language_is_put_in_words() -> None:
    windows = {"w": Window("w", "the last 90 days", Term(days=90))}
    scope = Scope(windows, Term(months=12), {}, {})
    inner = {"test": "present", "field": "a", "reason": "r"}
    for test, cls in TESTS.items():
        rule = {"test": test, "field": "a", "fields": ["a"], "window": "w", "start": "a", "end": "b",
                "value": "x", "values": ["x"], "days": 3, "of": "items", "rules": [inner], "rule": inner,
                "reason": "r", "expr": "true"}  # fmt: skip
        assert "passes the" not in rule_text(cls.compile(rule, scope), {"w": "the last 90 days"}), test


def test_the_program_page_lists_every_version_with_what_changed() -> None:
    ctx = program_context(load_policies(VERSIONS), date(2027, 2, 1))
    assert [(v["version"], v["in_effect"]) for v in ctx["versions"]] == [("2026.1", False), ("2027.1", True)]
    assert "tier 'select': certified_people at least 10 -> 12" in ctx["versions"][1]["changes"]
    assert ctx["designations"][0]["tiers"][1]["requires"][0] == "Certified people at least 12"
    assert {"label": "the trailing year", "first": "2026-02-02", "last": "2027-02-01"} in ctx["windows"]
    assert [r["on"] for r in ctx["reviews"]][:2] == ["2027-07-01", "2027-12-31"]


def test_the_program_page_says_anniversary_reviews_in_words_and_lists_no_dates_for_them(tmp_path) -> None:
    path = policy_variant(
        tmp_path / "anniversary.yaml",
        ('promotion: ["01-01", "07-01"]', "promotion: {every_months: 6}"),
        ('    on: "12-31"', "    on: {every_months: 12}"),
    )
    ctx = program_context(load_policies(path), AS_OF)
    assert ctx["reviews"] == []  # every review day is a firm's own
    page = program_page(ctx)
    assert "Anniversary reviews fall every 6 months from the day the firm joined." in page
    assert "Demotion looks fall every 12 months from the day the firm joined." in page
    assert "Anniversary reviews fall" not in program_page(program_context(load_policies(), AS_OF))


def test_a_requirement_group_is_put_in_words_with_and_and_or() -> None:
    label = {"a": "Certified people", "b": "Stories", "c": "Regions"}
    policy = load_policies(POLICIES / "architecture-specialization.yaml").versions[0]
    need = AnyOf(
        (
            Threshold("a", 10),
            AllOf((Threshold("b", 2), Prerequisite("services", "select"))),
            Threshold("c", 1.5),
        )
    )
    assert need_text(need, label, policy) == (
        "(Certified people at least 10 or (Stories at least 2 and at least Select in Services track) or "
        "Regions at least 1.5)"
    )


def test_a_firm_without_people_still_gets_a_row_and_a_page(shipped) -> None:
    data = build_firm()
    data["people"] = [person(1, active_on="2026-11-20")]
    e = assess(shipped, "f.yaml", "", data, AS_OF)
    ctx, _ = firm_page(shipped, e, data, headline(shipped.in_effect(AS_OF)))
    assert ctx["lost"] is None  # Registered cannot be lost


def program_of(path: Path) -> dict:
    return program_context(load_policies(path), AS_OF)


def meanings(path: Path) -> dict[str, str]:
    """What the program page says each metric's value is, as one paragraph per metric id."""
    return {m["id"]: m["meaning"] for m in program_of(path)["metrics"]}


def test_a_points_metric_says_what_each_record_gives_and_its_cap_and_a_sum_names_its_parts() -> None:
    said = meanings(PROGRAMS / "points" / "policy")
    assert said["certified_people"] == "Counts people, each once."
    assert said["skilling_points"] == (
        "Counts the people counted for Certified people, each once. Points per record: by level of the best "
        "counting item of credentials: professional 3, otherwise 1. The value is the sum of the points. "
        "The value is capped at 40."
    )
    assert said["performance_points"] == (
        "Counts the deployments counted for Customers in production, each distinct customer once. Points per "
        "customer: 2 each; a customer with several records gives the most any of them gives. The value is "
        "the sum of the points. The value is capped at 30."
    )
    assert said["score"] == (
        "The sum of Performance points, Skilling points and Customer success points, each after its own cap."
    )


def test_a_sum_with_a_cap_says_its_cap(tmp_path) -> None:
    text = (POLICIES / "capability-score.yaml").read_text()
    capped = "    sum: [performance_points, skilling_points, success_points]\n"
    assert capped in text
    (tmp_path / "capped.yaml").write_text(text.replace(capped, capped + "    at_most: 90\n"))
    assert meanings(tmp_path / "capped.yaml")["score"].endswith(
        "each after its own cap. The value is capped at 90."
    )


def test_groups_reaching_a_floor_and_the_largest_group_are_said_with_what_a_groups_total_is() -> None:
    said = meanings(PROGRAMS / "levels" / "policy")
    assert said["regions_with_3_customers"] == (
        "Counts the deployments counted for Customers in production, each distinct customer once. They are "
        "grouped by customer region, a group's total being its number of distinct values of customer; the "
        "value is how many groups have a total of at least 3."
    )
    assert meanings(POLICIES / "customers-in-one-region.yaml")["customers_in_one_region"].endswith(
        "a group's total being its number of distinct values of customer; the value is the largest group's "
        "total."
    )


def test_a_points_table_that_gives_0_otherwise_says_which_records_give_points() -> None:
    said = meanings(PROGRAMS / "specializations" / "policy")
    assert "Points per customer: by solution area: data 1, otherwise 0;" in said["data_customers"]
    assert "Points per record: by solution area: security 1, otherwise 0." in said["security_stories"]


@pytest.mark.skipif(not find_spec("cel_expr_python"), reason="CEL is not installed: tiercheck[cel]")
def test_a_formula_metric_says_its_formula() -> None:
    said = meanings(POLICIES / "cel" / "people-per-customer.yaml")["people_per_customer"]
    assert said.startswith("The value of the formula metrics.customers_in_production == 0.0 ? 0.0")


def test_a_metric_over_anothers_records_links_to_the_metric_whose_rules_it_takes() -> None:
    ctx = program_of(PROGRAMS / "levels" / "policy")
    metric = next(m for m in ctx["metrics"] if m["id"] == "regions_with_3_customers")
    assert metric["from"] == {"id": "customers_in_production", "label": "Customers in production"}
    page = Page(program_page(ctx))
    assert "#m-customers_in_production" in page.hrefs()
    assert "Its rules are those of Customers in production" in page.all_text()


def test_the_program_page_shows_every_designations_ladder_with_its_prerequisites_and_benefits() -> None:
    ctx = program_of(PROGRAMS / "specializations" / "policy")
    assert [d["label"] for d in ctx["designations"]] == [
        "Membership",
        "Data specialization",
        "Security specialization",
    ]
    assert ctx["designations"][1]["tiers"][1] == {
        "label": "Data Specialist",
        "partner": True,
        "requires": [
            "at least Partner in Membership",
            "Certified people at least 5",
            "Customers in production on data work at least 3",
            "Public customer stories on data work at least 1",
        ],
        "benefits": ["The Data Specialist badge"],
    }
    text = Page(program_page(ctx)).all_text()
    for said in (
        "Each designation below is a ladder of its own",
        "Security specialization No security specialization (not partner status)",
        "Security Specialist Requires: at least Partner in Membership Certified people at least 5",
        "Benefits of Security Specialist: The Security Specialist badge",
        "No benefits are listed for Member.",
    ):
        assert said in text
    one = Page(program_page(program_of(PROGRAMS / "levels" / "policy"))).all_text()
    assert "Each designation" not in one and "Requires: ((Certified people at least 4 and" in one


def test_the_review_calendar_says_the_grace_after_a_promotion_and_whether_a_notice_can_be_cured(
    tmp_path,
) -> None:
    levels = Page(program_page(program_of(PROGRAMS / "levels" / "policy"))).all_text()
    assert "A demotion look within 365 days after the firm's last promotion gives no notice." in levels
    assert "Being eligible again inside the notice period does not cancel a notice (no cure)." in levels
    cured = policy_variant(
        tmp_path / "cured.yaml",
        ("    cure: false", "    cure: true"),
        ("promotion_replaces_notice: true", "promotion_replaces_notice: false"),
    )
    text = Page(program_page(program_of(cured))).all_text()
    assert "A firm eligible for its tier again on any day inside the notice period keeps it (a cure)." in text
    assert "no cure" not in text and "withdraws the notice" not in text and "grace" not in text
    assert "after the firm's last promotion" not in text
    shipped = Page(program_page(program_of(SHIPPED_POLICY))).all_text()
    assert "A promotion at a review inside the notice period withdraws the notice." in shipped
