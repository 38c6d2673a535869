"""The first day the eligible tier would be lost: one answer for evaluate's `loss` and the site's chart."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from support import D

from validator.cli import main
from validator.evaluate import evaluate
from validator.loader import parse_located, read_source
from validator.policies import load_policies
from validator.site import assess, daily

POINTS = Path(__file__).resolve().parents[2] / "examples" / "programs" / "points"


def points_firm(name: str) -> dict[str, Any]:
    data: dict[str, Any] = parse_located(read_source(POINTS / "firms" / name)).data
    return data


def test_a_points_score_falling_below_its_threshold_is_a_loss_with_its_day_and_the_drop_doing_it() -> None:
    # 16 people all go stale on 2027-01-31; the score needs 70: the second Professional (3 points)
    # to drop takes it from 74 to 68
    policies = load_policies(POINTS / "policy")
    data = points_firm("summit-partners.yaml")
    loss = evaluate(policies.in_effect(D), data, D).loss
    assert loss is not None
    assert (loss.on, loss.tier, loss.metric, loss.left, loss.threshold, loss.record.id) == (
        date(2027, 1, 31),
        "Solutions Partner",
        "Capability score",
        68,
        70,
        "p-02",
    )
    e = assess(policies, "summit-partners.yaml", "", data, D)
    assert daily(policies, data, e, [], []).lost_on == loss.on


def test_evaluate_says_when_and_why_the_points_tier_would_be_lost(capsys) -> None:
    code = main(
        [
            "evaluate",
            str(POINTS / "firms" / "summit-partners.yaml"),
            "--policy",
            str(POINTS / "policy"),
            "--as-of",
            D.isoformat(),
        ]
    )
    assert code == 0
    assert (
        "  eligible for Solutions Partner until 2027-01-30 if nothing changes: on 2027-01-31, capability "
        "score: 68, below the 70 Solutions Partner needs, when Ravi Haddad [p-02] drops out: last used "
        "Claude on 2026-11-02, 90 days before 2027-01-31; the window is the last 90 days\n"
    ) in capsys.readouterr().out
