"""Properties of evaluation: more that counts never lowers a tier; order and format never change a result."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import KNOWN, D, cases, customer, deployment, firm_of, person, story, tier_of_values

from validator.evaluate import Timeline, evaluate
from validator.loader import Source
from validator.policies import load_policies
from validator.render.evidence import render
from validator.result import evaluation_json
from validator.standing import compute_standing
from validator.validate import check_source

POLICIES = load_policies()
POLICY = POLICIES.in_effect(D)
LEVELS = load_policies(str(Path(__file__).resolve().parents[2] / "examples/programs/levels/policy"))
RANK = {tier.id: i for i, tier in enumerate(POLICY.tiers)}
QUICK = settings(
    max_examples=cases(40), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

days_back = st.integers(-500, 30).map(lambda n: (D + timedelta(days=n)).isoformat())
regions = st.sampled_from(["emea", "amer", "apac"])


@st.composite
def firms(draw: st.DrawFn) -> dict[str, Any]:
    """A valid firm of a few people, customers with deployments, and stories, dates around D."""
    people = [
        person(
            i,
            active_on=draw(days_back),
            issued_on=draw(days_back),
            level=draw(st.sampled_from(["foundations", "professional"])),
        )
        for i in range(draw(st.integers(0, 14)))
    ]
    n = draw(st.integers(0, 6))
    customers = [customer(i, draw(regions)) for i in range(n)]
    deployments = [
        deployment(i, f"c-{i}", stage=draw(st.sampled_from(["production", "pilot"])), live_on=draw(days_back))
        for i in range(n)
    ]
    stories = [
        story(i, f"c-{i}" if i < n else None, published_on=draw(days_back))
        for i in range(draw(st.integers(0, 3)))
    ]
    return firm_of(people=people, customers=customers, deployments=deployments, stories=stories)


def checked(data: dict[str, Any], name: str = "f.json", text: str | None = None) -> dict[str, Any]:
    result = check_source(Source(name, text if text is not None else json.dumps(data), ""), KNOWN)
    assert result.valid, result.problems
    return result.data


def outputs(data: dict[str, Any], as_of: date = D) -> dict[str, Any]:
    """Every output a firm gives: the JSON evaluation and the evidence pack's three files."""
    result = evaluate(POLICY, data, as_of, file="f")
    result.standing = compute_standing(POLICIES, data, as_of)
    return {"evaluation": evaluation_json(result), **render(result, POLICY, POLICIES, data, None)}


def tier_rank(data: dict[str, Any]) -> int:
    tier = evaluate(POLICY, data, D).eligible_tier
    return -1 if tier is None else RANK[tier]


@QUICK
@given(firms(), st.sampled_from(["person", "deployment", "story"]), days_back, regions)
def test_adding_a_record_that_counts_never_lowers_the_eligible_tier(data, kind, on, region) -> None:
    before = tier_rank(checked(data))
    more = json.loads(json.dumps(data))
    if kind == "person":
        more["people"].append(person("new", active_on=D.isoformat(), issued_on=on))
    elif kind == "deployment":
        more["customers"].append(customer("new", region))
        more["deployments"].append(deployment("new", "c-new", live_on=on))
    else:
        more["stories"].append(story("new", published_on=on))
    assert tier_rank(checked(more)) >= before


@QUICK
@given(firms(), st.randoms(use_true_random=False))
def test_record_order_never_changes_any_output(data, rng: random.Random) -> None:
    shuffled = json.loads(json.dumps(data))
    for records in ("people", "customers", "deployments", "stories"):
        rng.shuffle(shuffled[records])
    assert outputs(checked(shuffled)) == outputs(checked(data))


@QUICK
@given(firms())
def test_a_firm_file_and_its_json_twin_give_identical_evaluations(data) -> None:
    as_yaml = checked(data, "f.yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    as_json = checked(data, "f.json", json.dumps(data, ensure_ascii=False, indent=1))
    assert as_yaml == as_json
    assert outputs(as_yaml) == outputs(as_json)


near = st.integers(-120, 0).map(lambda n: (D + timedelta(days=n)).isoformat())


@st.composite
def firms_near_thresholds(draw: st.DrawFn) -> dict[str, Any]:
    """A firm whose counts hover around the shipped Select's thresholds (10 people, 2 customers, 1 story)
    and the levels program's (4 people, 2 or 3 customers) on the days before D."""
    people = [person(i, active_on=draw(near), issued_on=draw(near)) for i in range(draw(st.integers(3, 12)))]
    n = draw(st.integers(1, 4))
    customers = [customer(i, draw(regions)) for i in range(n)]
    deployments = [deployment(i, f"c-{i}", live_on=draw(near)) for i in range(n)]
    stories = [story(i, published_on=draw(near)) for i in range(draw(st.integers(0, 2)))]
    return firm_of(people=people, customers=customers, deployments=deployments, stories=stories)


@settings(max_examples=cases(80), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(firms_near_thresholds(), st.lists(near, min_size=1, max_size=6), st.sampled_from([POLICIES, LEVELS]))
def test_the_timeline_gives_evaluates_tier_on_any_days_asked_in_any_order(data, days, policies) -> None:
    """One timeline asked about several days (it works out a count's records only until the threshold is
    reached, and carries on from there for the next day) agrees with evaluating on each day."""
    data = checked(data)
    policy = policies.versions[0]
    timeline = Timeline(policy, data)
    for on in map(date.fromisoformat, days):
        assert timeline.tier_on(on) == evaluate(policy, data, on).eligible_tier, on


@settings(max_examples=cases(40), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(firms_near_thresholds(), near, st.lists(st.integers(1, 120), min_size=1, max_size=5))
def test_a_timeline_known_on_a_day_gives_its_values_tier_on_the_days_after(data, known, ahead) -> None:
    """After `known_on` only the records counting that day count, each until it drops out: the tier the
    timeline finds (stopping once a threshold is reached) is the tier of each metric's value that day."""
    data, policy, known_on = checked(data), POLICY, date.fromisoformat(known)
    timeline = Timeline(policy, data, known_on=known_on)
    for on in (known_on + timedelta(days=n) for n in ahead):
        values = Timeline(policy, data, known_on=known_on)
        given = {m.id: values.series(m, on, on)[0] for m in policy.metrics}
        assert timeline.tier_on(on) == tier_of_values(policy, data, given, on), on
