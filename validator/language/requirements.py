"""A tier's requirements as a small tree: thresholds on metrics, all of a group, or any one of several."""

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


Need = Threshold | AllOf | AnyOf


def _inner(need: Need) -> str:
    return str(need) if isinstance(need, Threshold) or len(need.items) < 2 else f"({need})"


def compile_needs(docs: Sequence[Mapping[str, Any]]) -> tuple[Need, ...]:
    """A `requires` list (or a group's items) as written in a policy document."""
    return tuple(_need(d) for d in docs)


def _need(doc: Mapping[str, Any]) -> Need:
    if "any_of" in doc:
        return AnyOf(compile_needs(doc["any_of"]))
    if "all_of" in doc:
        return AllOf(compile_needs(doc["all_of"]))
    return Threshold(doc["metric"], doc["at_least"])


def holds(needs: Sequence[Need], meets: Callable[[str, Number], bool]) -> bool:
    """Whether every one of `needs` holds, `meets(metric, n)` saying whether a metric reaches n."""
    return all(_holds(n, meets) for n in needs)


def _holds(need: Need, meets: Callable[[str, Number], bool]) -> bool:
    if isinstance(need, Threshold):
        return meets(need.metric, need.at_least)
    if isinstance(need, AllOf):
        return holds(need.items, meets)
    return any(_holds(n, meets) for n in need.items)


def metrics_of(needs: Sequence[Need]) -> list[str]:
    """Every metric the requirements name, in order, once each."""
    out: list[str] = []
    for r in leaves(needs):
        if r.metric not in out:
            out.append(r.metric)
    return out


def leaves(needs: Sequence[Need]) -> list[Threshold]:
    """Every threshold in the tree, alternatives included."""
    out: list[Threshold] = []
    for n in needs:
        out += [n] if isinstance(n, Threshold) else leaves(n.items)
    return out


def is_simple(needs: Sequence[Need]) -> bool:
    """Whether the requirements are a plain list of thresholds, all of which must hold."""
    return all(isinstance(n, Threshold) for n in needs)


def closest(
    needs: Sequence[Need], value: Callable[[str], Number]
) -> tuple[list[Threshold], list[tuple[int, int, Need]]]:
    """The thresholds on the path closest to holding: of each `any_of`, the alternative that holds, or
    else the one with the fewest unmet thresholds and then the smallest relative shortfall (the first
    on a tie). With it, each choice made: (its place from 1, how many alternatives, the alternative)."""
    path: list[Threshold] = []
    choices: list[tuple[int, int, Need]] = []
    for need in needs:
        if isinstance(need, Threshold):
            path.append(need)
        elif isinstance(need, AllOf):
            more, made = closest(need.items, value)
            path += more
            choices += made
        else:
            options = [closest((n,), value) for n in need.items]
            best = min(range(len(options)), key=lambda i: distance(options[i][0], value))
            path += options[best][0]
            choices += [(best + 1, len(options), need.items[best]), *options[best][1]]
    return path, choices


def distance(path: Sequence[Threshold], value: Callable[[str], Number]) -> tuple[int, float]:
    """Unmet thresholds, then the sum of their relative shortfalls: smaller is closer."""
    short = [(r.at_least - value(r.metric)) / r.at_least for r in path if value(r.metric) < r.at_least]
    return len(short), sum(short)
