"""Changes real partner programs make, each a fixture in tests/policies/ and a test of the tiers it moves.

Each fixture is the shipped policy with one change (`diff policy/cpn-services-2026-03-01.yaml FILE`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import D, build_firm, credential, story

from validator.evaluate import Timeline, evaluate
from validator.policies import load_policies

POLICIES = Path(__file__).resolve().parents[1] / "policies"
SHIPPED = load_policies()
STORIES_EXPIRE = load_policies(POLICIES / "stories-expire-after-24-months.yaml")


def select_firm_with_a_story_published_on(published_on: str) -> dict:
    data = build_firm(people=10, customers=2, active_on="2028-02-20", activity=("2026-11-20",))
    for p in data["people"]:
        p["credentials"] = [credential(issued_on="2026-03-10", expires_on="2030-01-01")]
    data["stories"] = [story(1, "c-0", published_on=published_on, consent_on=published_on)]
    return data


def tier_on(policies, data: dict, on: date) -> str | None:
    policy = policies.in_effect(on)
    result = evaluate(policy, data, on)
    assert Timeline(policy, data).tier_on(on) == result.eligible_tier  # both readings agree
    return result.eligible_tier


@pytest.mark.parametrize(
    ("published_on", "on", "counts"),
    [
        ("2024-11-26", D, True),  # the first day of the last 24 months
        ("2024-11-25", D, False),  # the day before it
        ("2026-03-01", date(2028, 2, 29), True),  # 24 months before 29 Feb steps back to 28 Feb
        ("2026-02-28", date(2028, 2, 29), False),
        ("2026-02-28", date(2028, 2, 27), True),  # its last day inside
        ("2026-02-28", date(2028, 2, 28), False),  # its first day out
        ("2026-03-01", date(2028, 3, 1), False),
    ],
)
def test_a_story_counts_for_24_months_from_its_publication(published_on, on, counts) -> None:
    data = select_firm_with_a_story_published_on(published_on)
    assert tier_on(SHIPPED, data, on) == "select"  # stories never expire in the shipped policy
    assert tier_on(STORIES_EXPIRE, data, on) == ("select" if counts else "registered")


def test_an_expired_story_says_when_its_24_months_began_and_a_fresh_one_is_at_risk() -> None:
    data = select_firm_with_a_story_published_on("2024-11-25")
    result = evaluate(STORIES_EXPIRE.in_effect(D), data, D)
    (excluded,) = result.metrics["public_stories"].excluded
    assert (excluded.reason, excluded.message) == (
        "story-expired",
        "was published on 2024-11-25, before the last 24 months began on 2024-11-26",
    )
    data = select_firm_with_a_story_published_on("2025-02-01")
    at_risk = evaluate(STORIES_EXPIRE.in_effect(D), data, D).at_risk
    stories = [(o.id, o.drops_out_on) for o in at_risk if o.metric == "public_stories"]
    assert stories == [("s-1", date(2027, 2, 1))]  # within the 90 days at risk
