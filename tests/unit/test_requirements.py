"""A tier's requirement tree: compiled from a policy, held or not, put in words, the closest path chosen."""

from __future__ import annotations

from validator.language.requirements import (
    AllOf,
    AnyOf,
    Prerequisite,
    Threshold,
    closest,
    compile_needs,
    distance,
    holds,
    is_simple,
    leaves,
    metrics_of,
    prerequisites,
)

A, B, C = Threshold("a", 10), Threshold("b", 2), Threshold("c", 4)
PARTNER = Prerequisite("membership", "partner")


def held(*tiers: Prerequisite):
    return lambda p: p in tiers


def value(values: dict[str, float]):
    return lambda metric: values[metric]


def meets(values: dict[str, float]):
    return lambda metric, n: values[metric] >= n


def test_a_requires_list_compiles_to_thresholds_groups_and_alternatives() -> None:
    docs = [
        {"metric": "a", "at_least": 10},
        {
            "any_of": [
                {"metric": "b", "at_least": 2},
                {"all_of": [{"metric": "c", "at_least": 4}, {"metric": "a", "at_least": 10}]},
            ]
        },
        {"designation": "membership", "tier": "partner"},
    ]
    assert compile_needs(docs) == (A, AnyOf((B, AllOf((C, A)))), PARTNER)


def test_requirements_read_as_thresholds_joined_by_and_and_or_with_groups_in_brackets() -> None:
    assert str(A) == "a >= 10"
    assert str(AllOf((A, B))) == "a >= 10 and b >= 2"
    assert str(AnyOf((A, AllOf((B, C))))) == "a >= 10 or (b >= 2 and c >= 4)"
    assert str(AnyOf((AllOf((B,)), C))) == "b >= 2 or c >= 4"  # a group of one needs no brackets
    assert str(AllOf(())) == "nothing"
    assert (
        str(AnyOf((PARTNER, AllOf((A, PARTNER)))))
        == "partner in membership or (a >= 10 and partner in membership)"
    )


def test_every_requirement_must_hold_and_one_alternative_is_enough() -> None:
    needs = (A, AnyOf((B, AllOf((C, Threshold("d", 1))))))
    assert holds(needs, meets({"a": 10, "b": 2, "c": 0, "d": 0}), held())
    assert holds(needs, meets({"a": 10, "b": 0, "c": 4, "d": 1}), held())
    assert not holds(needs, meets({"a": 9, "b": 2, "c": 4, "d": 1}), held())
    assert not holds(needs, meets({"a": 10, "b": 1, "c": 4, "d": 0}), held())
    assert holds((), meets({}), held())
    assert holds((A, AnyOf((B, PARTNER))), meets({"a": 10, "b": 0}), held(PARTNER))
    assert not holds((A, PARTNER), meets({"a": 10}), held())


def test_the_metrics_named_are_listed_once_each_in_order_alternatives_included() -> None:
    needs = (B, AnyOf((A, AllOf((C, B)))), A)
    assert metrics_of(needs) == ["b", "a", "c"]
    assert leaves(needs) == [B, A, C, B, A]
    assert leaves((A, PARTNER)) == [A] and prerequisites((A, AnyOf((B, PARTNER)))) == [PARTNER]


def test_only_a_plain_list_of_thresholds_is_simple() -> None:
    assert is_simple((A, B))
    assert not is_simple((A, AnyOf((B, C))))
    assert not is_simple((AllOf((A,)),))
    assert is_simple((A, PARTNER))


def test_the_distance_counts_unmet_thresholds_then_sums_their_relative_shortfalls() -> None:
    assert distance([A, B, C], value({"a": 5, "b": 1, "c": 4}), held()) == (2, 0.5 + 0.5)
    assert distance([A, B], value({"a": 10, "b": 3}), held()) == (0, 0)
    # a tier of another designation not held lacks all of itself; a threshold of 0 is always met
    assert distance([PARTNER, A, Threshold("z", 0)], value({"a": 12, "z": -1}), held()) == (1, 1.0)
    assert distance([PARTNER], value({}), held(PARTNER)) == (0, 0)


def test_of_alternatives_the_path_shown_is_the_one_that_holds_even_when_listed_last() -> None:
    path, choices = closest((A, AnyOf((B, C))), value({"a": 10, "b": 0, "c": 4}), held())
    assert path == [A, C]
    assert choices == [(2, 2, C)]


def test_of_unmet_alternatives_the_one_with_fewer_unmet_thresholds_is_shown() -> None:
    far = AllOf((B, Threshold("d", 1)))
    path, choices = closest((AnyOf((far, C)),), value({"b": 1.9, "c": 0, "d": 0}), held())
    assert (path, choices) == ([C], [(2, 2, C)])


def test_of_alternatives_equally_unmet_the_smallest_relative_shortfall_is_shown_the_first_on_a_tie() -> None:
    nearer = closest((AnyOf((A, B)),), value({"a": 1, "b": 1}), held())  # 90% short against 50% short
    assert nearer == ([B], [(2, 2, B)])
    tie = closest((AnyOf((A, Threshold("e", 10))),), value({"a": 5, "e": 5}), held())
    assert tie == ([A], [(1, 2, A)])


def test_a_choice_inside_a_chosen_alternative_or_a_group_is_listed_after_it() -> None:
    inner = AnyOf((B, C))
    path, choices = closest(
        (AllOf((A, inner)), AnyOf((AllOf((inner,)), A))), value({"a": 0, "b": 2, "c": 0}), held()
    )
    assert path == [A, B, B]
    assert choices == [(1, 2, B), (1, 2, AllOf((inner,))), (1, 2, B)]


def test_a_groups_thresholds_and_choices_follow_those_listed_before_it() -> None:
    needs = (AnyOf((A, B)), AllOf((C, AnyOf((B, A)))))
    path, choices = closest(needs, value({"a": 10, "b": 0, "c": 4}), held())
    assert path == [A, C, A]
    assert choices == [(1, 2, A), (2, 2, A)]


def test_a_tier_not_held_is_as_far_off_as_a_threshold_with_nothing_toward_it() -> None:
    # equally far: the first listed is shown
    assert closest((AnyOf((PARTNER, A)),), value({"a": 0}), held()) == ([PARTNER], [(1, 2, PARTNER)])
    assert closest((AnyOf((A, PARTNER)),), value({"a": 0}), held()) == ([A], [(1, 2, A)])
