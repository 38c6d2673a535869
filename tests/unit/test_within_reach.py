"""'Within reach of the next tier', the one definition summary and site share: every requirement 75% met."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from validator.result import REACH, PrerequisiteCheck, Requirement, TierCheck


def tier(*values_and_thresholds: tuple[float, float]) -> TierCheck:
    reqs = tuple(Requirement(f"m{i}", f"M{i}", v, t) for i, (v, t) in enumerate(values_and_thresholds))
    return TierCheck("next", "Next", True, reqs, ())


def test_three_quarters_of_every_requirement_is_within_reach() -> None:
    assert tier((75, 100), (2, 2)).within_reach
    assert tier((9, 10), (3, 4)).within_reach


def test_just_under_three_quarters_of_one_requirement_is_out_of_reach() -> None:
    assert not tier((74.99, 100), (2, 2)).within_reach
    assert not tier((29, 100), (3, 3), (2, 3)).within_reach  # close on two, far on one


def test_a_prerequisite_tier_not_held_puts_the_tier_out_of_reach_however_close_the_metrics() -> None:
    close = tier((9, 10), (2, 2))
    elsewhere = PrerequisiteCheck("membership", "partner", "member", met=False)
    assert not replace(close, prerequisites=(elsewhere,)).within_reach
    assert replace(close, prerequisites=(replace(elsewhere, held="partner", met=True),)).within_reach


def test_a_tier_already_met_is_not_within_reach_but_reached() -> None:
    assert not tier((10, 10), (5, 2)).within_reach


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 100)), min_size=1, max_size=5))
def test_within_reach_is_unmet_with_every_value_at_least_reach_of_its_threshold(pairs) -> None:
    expected = any(v < t for v, t in pairs) and all(v >= REACH * t for v, t in pairs)
    assert tier(*pairs).within_reach is expected
