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
from .standing import Standing, compute_standing


@dataclass(frozen=True)
class Shortfall:
    """How far a firm is from a tier's requirement."""

    metric: str
    label: str
    value: Number
    threshold: Number


@dataclass(frozen=True)
class FirmLine:
    """What the summary keeps of one firm file: its tiers, its distance to the next, its demotion risk."""

    file: str
    firm: str = ""
    name: str = ""
    eligible: str | None = None
    standing: str | None = None
    next_tier: str | None = None
    shortfalls: tuple[Shortfall, ...] = ()
    demotion_on: date | None = None  # the day a demotion would take effect
    demotion_to: str | None = None
    problems: tuple[Problem, ...] = ()  # an invalid file's problems
    designations: tuple[tuple[str, str | None, str | None], ...] = ()  # each other: id, eligible, standing
    within_reach: bool = False  # of the next tier (TierCheck.within_reach)

    @property
    def distance(self) -> tuple[int, float]:
        """Unmet requirements, then the sum of their relative shortfalls: smaller is closer."""
        return len(self.shortfalls), sum((s.threshold - s.value) / s.threshold for s in self.shortfalls)


def firm_line(policies: PolicySet, file: str, data: dict[str, Any], as_of: date) -> FirmLine:
    """Evaluate one valid firm for the summary: tier, standing, next-tier shortfalls, demotion at the look."""
    result = evaluate(policies.in_effect(as_of), data, as_of, file=file)
    standing = compute_standing(policies, data, as_of, look_ahead=True)
    nxt = result.next_tier
    shortfalls = tuple(
        Shortfall(r.metric, r.label, r.value, r.threshold)
        for r in (nxt.requirements if nxt else ())
        if not r.met
    )
    notice = None
    if standing is not None:
        notice = standing.pending_demotion or standing.look_notice
    firm = data["firm"]
    return FirmLine(
        file,
        firm["id"],
        firm["name"],
        result.eligible_tier,
        standing.tier if standing else None,
        nxt.id if nxt else None,
        shortfalls,
        notice.effective_on if notice else None,
        notice.to_tier if notice else None,
        within_reach=bool(nxt and nxt.within_reach),
        designations=tuple(
            (d.id, d.eligible_tier, _tier_of(compute_standing(policies, data, as_of, designation=d.id)))
            for d in result.other_designations
        ),
    )


def _tier_of(standing: Standing | None) -> str | None:
    return standing.tier if standing else None


@dataclass
class Summary:
    """Totals over every firm, with shortlists capped at `keep` entries (None: all) so memory stays flat;
    each list's full count is kept, so a capped list says how many it leaves out."""

    as_of: date
    tier_ids: list[str]
    keep: int | None = 50
    files: int = 0
    eligible: Counter[str] = field(default_factory=Counter)
    standing: Counter[str] = field(default_factory=Counter)
    invalid_count: int = 0
    within_reach_count: int = 0
    facing_demotion_count: int = 0
    _reach: list[tuple[tuple[int, float], int, FirmLine]] = field(default_factory=list)
    _demotion: list[tuple[int, int, FirmLine]] = field(default_factory=list)
    _invalid: list[tuple[int, str, FirmLine]] = field(default_factory=list)
    others: dict[str, tuple[Counter[str | None], Counter[str | None]]] = field(default_factory=dict)

    def add(self, line: FirmLine, order: int) -> None:
        """Fold in one firm; `order` (its place in the input) breaks ties, so runs are reproducible."""
        self.files += 1
        if line.problems:
            self.invalid_count += 1
            self._push(self._invalid, (-order, line.file, line))
            return
        self.eligible[line.eligible or "none"] += 1
        self.standing[line.standing or "none"] += 1
        for designation, eligible, standing in line.designations:
            counts = self.others.setdefault(designation, (Counter(), Counter()))
            counts[0][eligible] += 1  # None: not yet joined (a designation may have a tier named "none")
            counts[1][standing] += 1
        if line.within_reach:
            self.within_reach_count += 1
            self._push(self._reach, (_negate(line.distance), -order, line))
        if line.demotion_on is not None:
            self.facing_demotion_count += 1
            self._push(self._demotion, (_negate_day(line.demotion_on), -order, line))

    def _push(self, heap: list[Any], item: Any) -> None:
        """Keep the `keep` smallest by key (stored negated in a min-heap of the largest)."""
        if self.keep is None or len(heap) < self.keep:
            heapq.heappush(heap, item)
        else:
            heapq.heappushpop(heap, item)

    @property
    def within_reach(self) -> list[FirmLine]:
        return [line for _, _, line in sorted(self._reach, key=lambda x: (_negate(x[0]), -x[1]))]

    @property
    def invalid(self) -> list[FirmLine]:
        """The first `keep` invalid files in input order."""
        return [line for _, _, line in sorted(self._invalid, key=lambda x: -x[0])]

    @property
    def facing_demotion(self) -> list[FirmLine]:
        return [line for _, _, line in sorted(self._demotion, key=lambda x: (-x[0], -x[1]))]


def _negate(distance: tuple[int, float]) -> tuple[int, float]:
    return (-distance[0], -distance[1])


def _negate_day(day: date) -> int:
    return -day.toordinal()
