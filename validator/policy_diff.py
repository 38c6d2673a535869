"""Which firms' eligible tier, and awarded tier (standing), a change of policy moves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .evaluate import Timeline
from .language.model import Policy
from .policies import PolicySet
from .problem import Problem
from .standing import Standing, compute_standing


@dataclass(frozen=True)
class Move:
    """A firm whose eligible tier (or standing) differs under the new policy."""

    file: str
    firm: str
    old: str | None
    new: str | None
    direction: str  # "up" | "down"


@dataclass
class Moves:
    """One designation's firms that move: in eligible tier, and in awarded tier (standing)."""

    eligible: list[Move] = field(default_factory=list)
    standing: list[Move] = field(default_factory=list)  # a calendar change moves these alone

    @property
    def counts(self) -> Counter[tuple[str | None, str | None]]:
        return Counter((m.old, m.new) for m in self.eligible)


@dataclass
class Impact:
    """Which firms a policy change moves, as of one date: the first designations compared with each
    other (the top level), every other designation with the one of the same id."""

    as_of: date
    pairs: dict[str, str]  # a designation of the new version -> the old version's it is compared with
    designations: dict[str, Moves] = field(default_factory=dict)  # keyed and ordered as `pairs`
    firms: int = 0
    invalid: list[tuple[str, list[Problem]]] = field(default_factory=list)  # (file, its problems)
    _always: dict[int, PolicySet] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.designations = {d: Moves() for d in self.pairs}

    def _as_if_always(self, policy: Policy) -> PolicySet:
        """The version as if it had always been in effect, made once per policy: a firm's standing is
        walked under it from the day the firm joined, so a change of review calendar shows."""
        if id(policy) not in self._always:
            self._always[id(policy)] = PolicySet([replace(policy, effective_from=date.min)])
        return self._always[id(policy)]

    @classmethod
    def between(cls, old: Policy, new: Policy, as_of: date) -> Impact:
        first, *others = new.designations
        olds = {d.id for d in old.designations[1:]}
        return cls(as_of, {first.id: old.designations[0].id} | {d.id: d.id for d in others if d.id in olds})

    @property
    def first(self) -> Moves:
        """The first designation's moves: the top level of every format."""
        return next(iter(self.designations.values()))

    def add(self, old: Policy, new: Policy, file: str, data: dict[str, Any]) -> None:
        """Compare one valid firm in every designation."""
        self.firms += 1
        was_set, now_set = self._as_if_always(old), self._as_if_always(new)
        # one Timeline per version and firm serves its eligible tier and every designation's walk
        was, now = Timeline(was_set.versions[0], data), Timeline(now_set.versions[0], data)
        was_seen, now_seen = {id(was_set.versions[0]): was}, {id(now_set.versions[0]): now}
        for designation, moves in self.designations.items():
            before = self.pairs[designation]
            a, b = was.tier_on(self.as_of, before), now.tier_on(self.as_of, designation)
            if a != b:
                moves.eligible.append(_move(new, designation, file, data, a, b))
            # the firm file states its standing for one of the versions: each walk starts from it
            a = _tier(
                compute_standing(
                    was_set, data, self.as_of, designation=before, stated_as=designation, timelines=was_seen
                )
            )
            b = _tier(
                compute_standing(
                    now_set, data, self.as_of, designation=designation, stated_as=before, timelines=now_seen
                )
            )
            if a != b:
                moves.standing.append(_move(new, designation, file, data, a, b))


def _move(
    new: Policy, designation: str, file: str, data: dict[str, Any], a: str | None, b: str | None
) -> Move:
    return Move(file, data["firm"]["id"], a, b, direction(new.ladder(designation), a, b))


def _tier(standing: Standing | None) -> str | None:
    return standing.tier if standing else None


def direction(new: Policy, a: str | None, b: str | None) -> str:
    """Up or down, judged on the new ladder (a tier the new policy dropped ranks below all)."""
    return "up" if new.rank(b) > new.rank(a) else "down"
