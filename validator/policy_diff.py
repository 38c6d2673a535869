"""Which firms' eligible tier, and awarded tier (standing), a change of policy moves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .evaluate import Timeline
from .language.diff import renamed_tiers
from .language.model import Policy, Tier
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
    direction: str  # "up" | "down" | "renamed": the same place on the ladder under a new id

    @property
    def moved(self) -> bool:
        return self.direction != "renamed"


@dataclass
class Moves:
    """One designation's firms that move: in eligible tier, and in awarded tier (standing)."""

    eligible: list[Move] = field(default_factory=list)
    standing: list[Move] = field(default_factory=list)  # a calendar change moves these alone

    @property
    def counts(self) -> Counter[tuple[str | None, str | None]]:
        """How many firms make each move of eligible tier (a renamed tier is no move)."""
        return Counter((m.old, m.new) for m in self.eligible if m.moved)


@dataclass
class Impact:
    """Which firms a policy change moves, as of one date: the first designations compared with each
    other (the top level), every other designation with the one of the same id."""

    as_of: date
    pairs: dict[str, str]  # a designation of the new version -> the old version's it is compared with
    places: dict[str, dict[str | None, float]]  # per designation: an old tier's place on the new ladder
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
        pairs = {first.id: old.designations[0].id} | {d.id: d.id for d in others if d.id in olds}
        return cls(
            as_of, pairs, {d: places(old.ladder(b).tiers, new.ladder(d).tiers) for d, b in pairs.items()}
        )

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
                moves.eligible.append(_move(self.places[designation], new, designation, file, data, a, b))
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
                moves.standing.append(_move(self.places[designation], new, designation, file, data, a, b))


def _move(
    place: dict[str | None, float],
    new: Policy,
    designation: str,
    file: str,
    data: dict[str, Any],
    a: str | None,
    b: str | None,
) -> Move:
    ladder = new.ladder(designation)  # a stated standing may name a tier of the new version alone
    return Move(file, data["firm"]["id"], a, b, direction(place.get(a, ladder.rank(a)), ladder.rank(b)))


def _tier(standing: Standing | None) -> str | None:
    return standing.tier if standing else None


def places(old: tuple[Tier, ...], new: tuple[Tier, ...]) -> dict[str | None, float]:
    """Each old tier's place on the new ladder, from 0 (None, no tier, is -1): a tier both have, or one
    renamed, where the new ladder has it; one the new ladder drops just above the highest tier below it
    that both keep."""
    renamed = renamed_tiers(old, new)
    rank = {t.id: float(i) for i, t in enumerate(new)}
    out: dict[str | None, float] = {None: -1.0}
    below = -1.0
    for t in old:
        if t.id in rank or t.id in renamed:
            out[t.id] = below = rank[renamed.get(t.id, t.id)]
        else:
            out[t.id] = below + 0.5
    return out


def direction(was: float, now: int) -> str:
    """A firm's move from its old tier's place on the new ladder to its new tier's rank there."""
    return "up" if now > was else "down" if now < was else "renamed"
