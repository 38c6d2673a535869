"""A tier's requirements as a small tree: thresholds on metrics, tiers of other designations, all of a
group, or any one of several."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Number = int | float


@dataclass(frozen=True, slots=True)
class Threshold:
    """A metric's value must be at least a threshold (fractional thresholds allowed)."""

    metric: str
    at_least: Number

    def __str__(self) -> str:
        return f"{self.metric} >= {self.at_least}"


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """A tier of another designation the firm must be eligible for (or above) on the same day."""

    designation: str
    tier: str

    def __str__(self) -> str:
        return f"{self.tier} in {self.designation}"


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every one of the requirements must hold."""

    items: tuple[Need, ...]

    def __str__(self) -> str:
        return " and ".join(_inner(n) for n in self.items) or "nothing"


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one of the alternatives must hold."""

    items: tuple[Need, ...]

    def __str__(self) -> str:
        return " or ".join(_inner(n) for n in self.items)


Need = Threshold | Prerequisite | AllOf | AnyOf
Leaf = Threshold | Prerequisite


def _inner(need: Need) -> str:
    return str(need) if isinstance(need, Leaf) or len(need.items) < 2 else f"({need})"


def compile_needs(docs: Sequence[Mapping[str, Any]]) -> tuple[Need, ...]:
    """A `requires` list (or a group's items) as written in a policy document."""
    return tuple(_need(d) for d in docs)


def _need(doc: Mapping[str, Any]) -> Need:
    if "any_of" in doc:
        return AnyOf(compile_needs(doc["any_of"]))
    if "all_of" in doc:
        return AllOf(compile_needs(doc["all_of"]))
    if "designation" in doc:
        return Prerequisite(doc["designation"], doc["tier"])
    return Threshold(doc["metric"], doc["at_least"])


Meets = Callable[[str, Number], bool]  # whether a metric reaches a threshold
Has = Callable[[Prerequisite], bool]  # whether the firm holds a tier of another designation


def holds(needs: Sequence[Need], meets: Meets, has: Has) -> bool:
    """Whether every one of `needs` holds, `meets(metric, n)` saying whether a metric reaches n and
    `has(p)` whether a prerequisite tier is held."""
    return all(_holds(n, meets, has) for n in needs)


def _holds(need: Need, meets: Meets, has: Has) -> bool:
    if isinstance(need, Threshold):
        return meets(need.metric, need.at_least)
    if isinstance(need, Prerequisite):
        return has(need)
    if isinstance(need, AllOf):
        return holds(need.items, meets, has)
    return any(_holds(n, meets, has) for n in need.items)


def metrics_of(needs: Sequence[Need]) -> list[str]:
    """Every metric the requirements name, in order, once each."""
    out: list[str] = []
    for r in leaves(needs):
        if r.metric not in out:
            out.append(r.metric)
    return out


def leaves(needs: Sequence[Need]) -> list[Threshold]:
    """Every threshold in the tree, alternatives included."""
    return [n for n in _leaves(needs) if isinstance(n, Threshold)]


def prerequisites(needs: Sequence[Need]) -> list[Prerequisite]:
    """Every prerequisite in the tree, alternatives included."""
    return [n for n in _leaves(needs) if isinstance(n, Prerequisite)]


def _leaves(needs: Sequence[Need]) -> list[Leaf]:
    out: list[Leaf] = []
    for n in needs:
        out += [n] if isinstance(n, Leaf) else _leaves(n.items)
    return out


def is_simple(needs: Sequence[Need]) -> bool:
    """Whether the requirements are a plain list of thresholds and prerequisites, all of which must hold."""
    return all(isinstance(n, Leaf) for n in needs)


def closest(
    needs: Sequence[Need], value: Callable[[str], Number], has: Has
) -> tuple[list[Leaf], list[tuple[int, int, Need]]]:
    """The thresholds and prerequisites on the path closest to holding: of each `any_of`, the
    alternative that holds, or else the one with the fewest unmet items and then the smallest relative
    shortfall (the first on a tie). With it, each choice made: (its place from 1, how many
    alternatives, the alternative)."""
    path: list[Leaf] = []
    choices: list[tuple[int, int, Need]] = []
    for need in needs:
        if isinstance(need, Leaf):
            path.append(need)
        elif isinstance(need, AllOf):
            more, made = closest(need.items, value, has)
            path += more
            choices += made
        else:
            options = [closest((n,), value, has) for n in need.items]
            best = min(range(len(options)), key=lambda i: distance(options[i][0], value, has))
            path += options[best][0]
            choices += [(best + 1, len(options), need.items[best]), *options[best][1]]
    return path, choices


def distance(path: Sequence[Leaf], value: Callable[[str], Number], has: Has) -> tuple[int, float]:
    """Unmet items, then the sum of their relative shortfalls (a tier not held lacks all of itself):
    smaller is closer."""
    short = [_shortfall(n, value, has) for n in path]
    return sum(s > 0 for s in short), sum(short)


def _shortfall(leaf: Leaf, value: Callable[[str], Number], has: Has) -> float:
    if isinstance(leaf, Prerequisite):
        return 0.0 if has(leaf) else 1.0
    return max(0.0, (leaf.at_least - value(leaf.metric)) / leaf.at_least) if leaf.at_least else 0.0
