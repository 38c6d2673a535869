"""The compiled policy: frozen, typed objects with every default applied once; all downstream reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from ..dates import Term, add_months
from .expressions import Formula
from .requirements import Need
from .rules import (
    Context,
    Failed,
    Links,
    Record,
    RuleTest,
    Verdict,
    drop_reason,
    needs_days,
    run_rules,
    spans_of,
)
from .spans import Spans
from .values import Number, Points

Marks = Mapping[tuple[str | int, ...], tuple[int, int]]  # where each key of the document is: (line, col)


class Window(NamedTuple):
    """A named period ending on the as-of date (a tuple: each as-of date's windows are looked up by the
    policy's, and a tuple hashes in C)."""

    name: str
    label: str
    term: Term


@dataclass(frozen=True, slots=True)
class AcceptedCredential:
    """A credential name and level that counts from one day until (not including) another."""

    name: str
    level: str
    from_: date
    until: date | None
    label: str | None


@dataclass(frozen=True, slots=True)
class Metric:
    """A value over a firm's records: which records, the rules each must pass, and what each gives."""

    id: str
    label: str
    records: str | None  # the list it counts; None for a metric over another's records or a sum
    derived_from: str | None
    key: str | None
    group_by: str | None
    rules: tuple[RuleTest, ...]
    points: Points | None = None  # None: each record (or key) counts 1
    at_most: Number | None = None  # the cap on the value
    sum_of: tuple[str, ...] = ()  # a metric computed from metrics: the sum of their values
    groups_with_at_least: Number | None = None  # with group_by: the value is how many groups reach it
    formula: Formula | None = None  # a metric computed from metrics by a CEL expression
    by_day: bool = dataclasses.field(init=False, compare=False)  # a rule has no spans (an expression)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_day", needs_days(self.rules))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        """Whether `record` counts on `ctx.as_of`: the first failing rule decides."""
        return run_rules(self.rules, record, ctx)

    def drop_reason(self, record: Record, decider: int, ctx: Context) -> Failed | None:
        """Why `record`, counting until `ctx.as_of` as rule `decider` said, does not count on that day."""
        return drop_reason(self.rules, record, -1 if self.by_day else decider, ctx)

    def spans(self, record: Record, links: Links) -> Spans:
        """The days on which `record` counts."""
        return spans_of(self.rules, record, links)


@dataclass(frozen=True, slots=True)
class Tier:
    """A rung of the ladder: its requirements (with those of every rung below) and benefits."""

    id: str
    label: str
    partner: bool
    requires: tuple[Need, ...]  # all must hold: thresholds, prerequisites, any_of and all_of groups
    benefits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Designation:
    """One independent ladder of a program (a track, a specialization), lowest tier first."""

    id: str
    label: str
    tiers: tuple[Tier, ...]

    def rank(self, tier_id: str | None) -> int:
        """A tier's place on the ladder, from 0; -1 for none or a tier it does not have."""
        return next((i for i, t in enumerate(self.tiers) if t.id == tier_id), -1)


@dataclass(frozen=True, slots=True)
class OneOffReview:
    """An extra promotion review on one date, for the firms that joined by a day (None: every firm)."""

    on: date
    label: str
    joined_on_or_before: date | None


@dataclass(frozen=True, slots=True)
class ReviewDays:
    """The days a kind of review falls on: month-days of every year, or every N months from the day
    each firm joined (its anniversaries)."""

    month_days: tuple[str, ...] = ()  # MM-DD; 02-29 only in leap years
    every_months: int = 0  # 0: the month-days

    def in_year(self, year: int, joined_on: date | None) -> list[date]:
        """The review days in `year` for a firm that joined on `joined_on`, in order (no firm: None,
        and no anniversaries)."""
        if not self.every_months:
            return [d for md in self.month_days if (d := _month_day(year, md)) is not None]
        if joined_on is None:
            return []
        n, out = self.every_months, list[date]()
        k = max(1, ((year - joined_on.year) * 12 - joined_on.month) // n)  # at or before January
        while True:
            try:
                day = add_months(joined_on, k * n)
            except ValueError:  # past the calendar's end
                return out
            if day.year > year:
                return out
            if day.year == year:
                out.append(day)
            k += 1

    def __str__(self) -> str:
        if self.every_months:
            return f"every {self.every_months} months from the day the firm joined"
        return ", ".join(self.month_days) or "none"


def _month_day(year: int, md: str) -> date | None:
    try:
        return date(year, int(md[:2]), int(md[3:]))
    except ValueError:  # 02-29 in a common year
        return None


@dataclass(frozen=True, slots=True)
class DemotionLook:
    """The look at standing: on its days, with days of notice, and whether a cure cancels it."""

    on: ReviewDays
    notice_days: int
    cure: bool


@dataclass(frozen=True, slots=True)
class Reviews:
    """The review calendar: when the awarded tier (standing) may move."""

    promotion: ReviewDays
    one_off: tuple[OneOffReview, ...]
    demotion_look: DemotionLook
    promotion_replaces_notice: bool
    grace: Term | None = None  # no demotion notice within this term after a promotion


@dataclass(frozen=True)
class Policy:
    """One version of a program's policy, compiled."""

    path: str
    sha256: str
    id: str
    version: str
    title: str
    effective_from: date
    windows: Mapping[str, Window]
    at_risk_days: int
    regions: Mapping[str, str]
    links: Mapping[str, str]  # a field holding an id -> the list it points into
    default_term: Term  # of a credential with no expires_on
    accepted: tuple[AcceptedCredential, ...]
    metrics: tuple[Metric, ...]
    tiers: tuple[Tier, ...]  # the ladder of `designation`
    reviews: Reviews
    marks: Marks = dataclasses.field(default_factory=dict, repr=False, compare=False)
    designations: tuple[Designation, ...] = ()  # every ladder, in the order the policy declares them
    designation: str = ""  # which of them `tiers` is: the first declared, or the one `ladder` chose
    data: Mapping[str, Any] = dataclasses.field(
        default_factory=dict
    )  # the fields and record kinds it declares

    @cached_property
    def _ladders(self) -> dict[str, Policy]:
        return {d.id: replace(self, tiers=d.tiers, designation=d.id) for d in self.designations}

    def ladder(self, designation: str) -> Policy:
        """This policy seen through one designation: its `tiers`, `rank` and labels are that ladder's."""
        return self if designation == self.designation else self._ladders[designation]

    def tier(self, tier_id: str | None) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    def rank(self, tier_id: str | None) -> int:
        """A tier's place on the ladder, from 0; -1 for none or a tier this version does not have."""
        return next((i for i, t in enumerate(self.tiers) if t.id == tier_id), -1)

    def tier_label(self, tier_id: str | None) -> str:
        """A tier's label for sentences: 'Select', not 'select'; 'none' for no tier."""
        tier = self.tier(tier_id)
        return tier.label if tier else tier_id or "none"

    def tier_in(self, designation: str, tier_id: str) -> str:
        """A tier of a designation for sentences: 'Partner in Membership'."""
        ladder = self.ladder(designation)
        label = next(d.label for d in self.designations if d.id == designation)
        return f"{ladder.tier_label(tier_id)} in {label}"

    def credential_label(self, name: Any, level: Any) -> Any:
        """The policy's label for a credential, or its name."""
        found = next((c.label for c in self.accepted if (c.name, c.level) == (name, level) and c.label), None)
        return found or name
