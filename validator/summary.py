"""The program-wide view: one small line per firm, folded into bounded totals and shortlists."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .evaluate import evaluate
from .language.values import Number
from .policies import PolicySet
from .problem import Problem
from .result import LadderResult
from .standing import Timelines, compute_standing


@dataclass(frozen=True)
class Shortfall:
    """How far a firm is from a tier's requirement."""

    metric: str
    label: str
    value: Number
    threshold: Number


@dataclass(frozen=True)
class LadderLine:
    """A firm in one designation: its tiers, its distance to the next, its demotion risk."""

    designation: str
    eligible: str | None = None
    standing: str | None = None
    next_tier: str | None = None
    shortfalls: tuple[Shortfall, ...] = ()
    alternatives: tuple[str, ...] = ()  # of each any_of of the next tier, the one the shortfalls follow
    within_reach: bool = False  # of the next tier (TierCheck.within_reach)
    demotion_on: date | None = None  # the day a demotion would take effect
    demotion_to: str | None = None

    @property
    def distance(self) -> tuple[int, float]:
        """Unmet requirements, then the sum of their relative shortfalls: smaller is closer."""
        return len(self.shortfalls), sum((s.threshold - s.value) / s.threshold for s in self.shortfalls)


@dataclass(frozen=True)
class FirmLine:
    """What the summary keeps of one firm file: who it is and its line in each designation."""

    file: str
    firm: str = ""
    name: str = ""
    ladders: tuple[LadderLine, ...] = ()  # one per designation, in the order the policy declares them
    problems: tuple[Problem, ...] = ()  # an invalid file's problems


def firm_line(policies: PolicySet, file: str, data: dict[str, Any], as_of: date) -> FirmLine:
    """Evaluate one valid firm for the summary: in each designation its tier, standing, next-tier
    shortfalls and demotion at the next look."""
    result = evaluate(policies.in_effect(as_of), data, as_of, file=file)
    firm = data["firm"]
    timelines: Timelines = {}
    return FirmLine(
        file,
        firm["id"],
        firm["name"],
        tuple(_ladder_line(policies, data, as_of, d, timelines) for d in result.designations.values()),
    )


def _ladder_line(
    policies: PolicySet, data: dict[str, Any], as_of: date, ladder: LadderResult, timelines: Timelines
) -> LadderLine:
    standing = compute_standing(
        policies, data, as_of, look_ahead=True, designation=ladder.id, timelines=timelines
    )
    nxt = ladder.next_tier
    notice = (standing.pending_demotion or standing.look_notice) if standing else None
    return LadderLine(
        ladder.id,
        ladder.eligible_tier,
        standing.tier if standing else None,
        nxt.id if nxt else None,
        tuple(
            Shortfall(r.metric, r.label, r.value, r.threshold)
            for r in (nxt.requirements if nxt else ())
            if not r.met
        ),
        nxt.alternatives if nxt else (),
        bool(nxt and nxt.within_reach),
        notice.effective_on if notice else None,
        notice.to_tier if notice else None,
    )


Listed = tuple[FirmLine, LadderLine]


@dataclass
class Ladder:
    """One designation's totals over every valid firm, with its shortlists capped at `keep` entries (None:
    all); each list's full count is kept, so a capped list says how many it leaves out."""

    keep: int | None = 50
    eligible: Counter[str | None] = field(default_factory=Counter)  # None: not yet joined
    standing: Counter[str | None] = field(default_factory=Counter)
    within_reach_count: int = 0
    facing_demotion_count: int = 0
    _reach: list[tuple[tuple[int, float], int, Listed]] = field(default_factory=list)
    _demotion: list[tuple[int, int, Listed]] = field(default_factory=list)

    def add(self, firm: FirmLine, line: LadderLine, order: int) -> None:
        self.eligible[line.eligible] += 1
        self.standing[line.standing] += 1
        if line.within_reach:
            self.within_reach_count += 1
            _push(self._reach, (_negate(line.distance), -order, (firm, line)), self.keep)
        if line.demotion_on is not None:
            self.facing_demotion_count += 1
            _push(self._demotion, (_negate_day(line.demotion_on), -order, (firm, line)), self.keep)

    @property
    def within_reach(self) -> list[Listed]:
        """The closest firms first (fewest unmet requirements, then smallest relative shortfall)."""
        return [x for _, _, x in sorted(self._reach, key=lambda x: (_negate(x[0]), -x[1]))]

    @property
    def facing_demotion(self) -> list[Listed]:
        """The earliest demotion first."""
        return [x for _, _, x in sorted(self._demotion, key=lambda x: (-x[0], -x[1]))]


@dataclass
class Summary:
    """Totals over every firm, in each designation, with shortlists capped at `keep` entries (None: all)."""

    as_of: date
    tier_ids: list[str]
    keep: int | None = 50
    files: int = 0
    invalid_count: int = 0
    ladders: dict[str, Ladder] = field(default_factory=dict)
    _invalid: list[tuple[int, str, FirmLine]] = field(default_factory=list)

    def add(self, line: FirmLine, order: int) -> None:
        """Fold in one firm; `order` (its place in the input) breaks ties, so runs are reproducible."""
        self.files += 1
        if line.problems:
            self.invalid_count += 1
            _push(self._invalid, (-order, line.file, line), self.keep)
            return
        for ladder in line.ladders:
            self.ladders.setdefault(ladder.designation, Ladder(self.keep)).add(line, ladder, order)

    def ladder(self, designation: str) -> Ladder:
        """A designation's totals; empty when no valid firm was folded in."""
        return self.ladders.get(designation) or Ladder(self.keep)

    @property
    def invalid(self) -> list[FirmLine]:
        """The first `keep` invalid files in input order."""
        return [line for _, _, line in sorted(self._invalid, key=lambda x: -x[0])]


def _push(heap: list[Any], item: Any, keep: int | None) -> None:
    """Keep the `keep` smallest by key (stored negated in a min-heap of the largest)."""
    if keep is None or len(heap) < keep:
        heapq.heappush(heap, item)
    else:
        heapq.heappushpop(heap, item)


def _negate(distance: tuple[int, float]) -> tuple[int, float]:
    return (-distance[0], -distance[1])


def _negate_day(day: date) -> int:
    return -day.toordinal()
