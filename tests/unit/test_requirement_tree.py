"""A tier's requirement tree: whether it holds and the path its gap shows always agree, prerequisites
(tiers of other designations) included at any depth."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from validator.language.requirements import AllOf, AnyOf, Need, Prerequisite, Threshold, closest, holds

METRICS = ("a", "b", "c")
OTHERS = (Prerequisite("membership", "partner"), Prerequisite("security", "specialist"))

leaves = st.one_of(
    st.builds(Threshold, st.sampled_from(METRICS), st.sampled_from([0, 1, 2.5, 5, 10])),
    st.sampled_from(OTHERS),
)
trees: st.SearchStrategy[Need] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(AllOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.lists(trees, max_size=3),
    st.fixed_dictionaries({m: st.sampled_from([0, 1, 2, 3, 6, 12]) for m in METRICS}),
    st.sets(st.sampled_from(OTHERS)),
)
def test_a_tier_holds_exactly_when_every_item_on_the_path_its_gap_shows_is_met(
    needs: list[Need], values: dict[str, int], held: set[Prerequisite]
) -> None:
    def met(leaf: Threshold | Prerequisite) -> bool:
        return leaf in held if isinstance(leaf, Prerequisite) else values[leaf.metric] >= leaf.at_least

    path, choices = closest(needs, values.__getitem__, held.__contains__)
    assert holds(needs, lambda m, n: values[m] >= n, held.__contains__) is all(map(met, path))
    assert all(1 <= k <= n for k, n, _ in choices)


def test_a_prerequisite_not_held_is_one_whole_item_short_so_fewer_unmet_thresholds_win() -> None:
    either = AnyOf((Prerequisite("membership", "partner"), AllOf((Threshold("a", 10), Threshold("b", 10)))))
    path, choices = closest((either,), {"a": 9, "b": 0}.__getitem__, lambda p: False)
    assert path == [Prerequisite("membership", "partner")]  # 1 item short beats 2
    assert choices == [(1, 2, Prerequisite("membership", "partner"))]
    path, _ = closest((either,), {"a": 9, "b": 10}.__getitem__, lambda p: False)
    assert path == [Threshold("a", 10), Threshold("b", 10)]  # 1 item, 10% short, beats 1 item wholly short
