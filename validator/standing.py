"""The tier a firm holds: walk the review calendar from the day it joined to the as-of date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .dates import add_months, term_end
from .evaluate import Timeline
from .language.model import Policy
from .policies import NoPolicyInEffect, PolicySet
from .result import Evaluation


@dataclass(frozen=True, slots=True)
class Review:
    """A day on which standing may move: a promotion review, a demotion look, or a demotion taking effect."""

    on: date
    kind: str  # "promotion" | "demotion-look" | "demotion"
    label: str


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the history: what a review did to the standing, and why."""

    on: date
    kind: str
    label: str
    from_tier: str
    to_tier: str
    why: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A pending demotion: given at a look, taking effect on a later day."""

    given_on: date
    effective_on: date
    to_tier: str


@dataclass(frozen=True, slots=True)
class NextReview:
    """The next review after the as-of date, and what it would do if the data stayed as it is."""

    on: date
    kind: str
    label: str
    eligible_tier: str | None
    tier_after: str
    outcome: str


@dataclass
class Standing:
    """The awarded tier as of a date, since when, how it got there, and what comes next."""

    tier: str
    since: date
    history: list[Change] = field(default_factory=list)
    pending_demotion: Notice | None = None
    next_review: NextReview | None = None
    look_notice: Notice | None = None  # with look_ahead: what the next look that can move it would give
    promoted_on: date | None = None  # the last promotion, from which a grace period runs


def _calendar(policy: Policy, year: int, joined_on: date | None) -> Iterator[Review]:
    reviews = policy.reviews
    label = "Anniversary review" if reviews.promotion.every_months else "Promotion review"
    for day in reviews.promotion.in_year(year, joined_on):
        yield Review(day, "promotion", label)
    for one in reviews.one_off:
        cohort = one.joined_on_or_before
        if one.on.year == year and (cohort is None or joined_on is None or joined_on <= cohort):
            yield Review(one.on, "promotion", one.label)
    for day in reviews.demotion_look.on.in_year(year, joined_on):
        yield Review(day, "demotion-look", "Demotion look")


def reviews_between(policies: PolicySet, first: date, last: date, joined_on: date | None) -> Iterator[Review]:
    """Every review from `first` to `last` inclusive, in order, each as declared by the policy in effect
    on its day; worked out a year at a time, so a walk that stops at the next review pays for no more.
    `joined_on` None: the reviews of no firm in particular (every one-off, no anniversaries)."""
    for year in range(first.year, last.year + 1):
        out: dict[tuple[date, str], Review] = {}
        for policy in policies.versions:
            for review in _calendar(policy, year, joined_on):
                if first <= review.on <= last and _in_effect(policies, review.on) is policy:
                    out.setdefault((review.on, review.kind), review)
        yield from sorted(out.values(), key=lambda r: (r.on, r.kind != "promotion"))


def calendar_ahead(policies: PolicySet, as_of: date, days: int) -> list[Review]:
    """The reviews no firm's joining day sets (month-days and one-offs) in the `days` after `as_of`,
    and the next of each kind that none of those is, however far ahead."""
    last, kinds, shown = as_of + timedelta(days=days), set[str](), list[Review]()
    for review in reviews_between(policies, as_of + timedelta(days=1), _horizon(policies, as_of), None):
        if review.on <= last or review.kind not in kinds:
            shown.append(review)
        kinds.add(review.kind)
    return shown


# A month-day comes round at least every eight years (29 February: 2096, then 2104).
_MONTH_DAYS_COME_ROUND = 8 * 12  # months


def _horizon(policies: PolicySet, after: date) -> date:
    """A day by which every kind of review a version holds has come round after `after` (or after the
    last version takes effect, or the last one-off review): the next review is looked for up to it,
    however far apart the reviews are (anniversaries every N months: N months)."""
    months = max(
        _MONTH_DAYS_COME_ROUND,
        *(
            days.every_months
            for v in policies.versions
            for days in (v.reviews.promotion, v.reviews.demotion_look.on)
        ),
    )
    start = max(
        after,
        policies.versions[-1].effective_from,
        *(o.on for v in policies.versions for o in v.reviews.one_off),
    )
    try:
        return add_months(start, months)
    except (ValueError, OverflowError):  # past the calendar's end
        return date.max


def _in_effect(policies: PolicySet, day: date) -> Policy | None:
    try:
        return policies.in_effect(day)
    except NoPolicyInEffect:
        return None


def _can_move(policy: Policy, s: Standing, review: Review) -> bool:
    """Whether a review could change this standing at all: no look below the lowest tier, while a
    notice is pending or within the grace period after a promotion; no promotion above the highest."""
    if review.kind == "promotion":
        return policy.rank(s.tier) < len(policy.tiers) - 1
    if review.kind == "demotion-look":
        return (
            s.pending_demotion is None
            and policy.rank(s.tier) > 0
            and not _in_grace(policy, s.promoted_on, review.on)
        )
    return True


def _in_grace(policy: Policy, promoted_on: date | None, look_on: date) -> bool:
    """Whether a look falls inside the grace period after the last promotion."""
    grace = policy.reviews.grace
    return (
        grace is not None and promoted_on is not None and look_on < term_end(promoted_on.isoformat(), grace)
    )


def _notice(
    policy: Policy, eligible: str | None, tier: str, look_on: date, promoted_on: date | None
) -> Notice | None:
    """The notice a demotion look on `look_on` gives a firm holding `tier`, or None if it keeps it
    (eligible for it still, or within the grace period after its last promotion)."""
    if policy.rank(eligible) >= policy.rank(tier) or _in_grace(policy, promoted_on, look_on):
        return None
    notice_days = policy.reviews.demotion_look.notice_days
    return Notice(look_on, look_on + timedelta(days=notice_days), eligible or "none")


Timelines = dict[int, Timeline]  # a version's id -> its Timeline of one firm's data


class _Eligibility:
    """The tier a firm is eligible for on any day in one designation, under the version in effect that
    day (seen through that designation's ladder). Each version's Timeline may be shared with the walks
    of other designations: they read the same metrics."""

    def __init__(
        self, policies: PolicySet, data: dict[str, Any], designation: str, timelines: Timelines
    ) -> None:
        self.policies, self.data, self.designation, self.timelines = policies, data, designation, timelines

    def on(self, day: date) -> tuple[Policy, str | None]:
        """The ladder in effect on `day` and the tier the firm is eligible for on it."""
        return self.ladder(day), self.tier_on(day)

    def ladder(self, day: date) -> Policy:
        """The version in effect on `day`, seen through the designation's ladder."""
        return self.policies.in_effect(day).ladder(self.designation)

    def tier_on(self, day: date) -> str | None:
        policy = self.policies.in_effect(day)
        timeline = self.timelines.get(id(policy))
        if timeline is None:
            timeline = self.timelines[id(policy)] = Timeline(policy, self.data)
        return timeline.tier_on(day, self.designation)


def _notice_at_next_look(
    eligibility: _Eligibility, policies: PolicySet, as_of: date, joined: date, s: Standing
) -> Notice | None:
    """The notice the first demotion look after `as_of` that can move the standing (see `_can_move`)
    would give if the data stayed as it is; None if a review before it would promote the firm (that
    look would judge another standing). `policies` is seen through the designation's ladder."""
    ahead = replace(s, history=[], next_review=None)
    for review in _events(policies, ahead, as_of + timedelta(days=1), _horizon(policies, as_of), joined):
        if review.kind == "demotion-look" and _can_move(policies.in_effect(review.on), ahead, review):
            policy, eligible = eligibility.on(review.on)
            return _notice(policy, eligible, s.tier, review.on, s.promoted_on)
        _apply(eligibility, ahead, review)
        if ahead.tier != s.tier:
            return None
    return None


def with_standings(e: Evaluation, policies: PolicySet, data: dict[str, Any]) -> Evaluation:
    """The evaluation with the standing in every designation (the first's is `e.standing`)."""
    timelines: Timelines = {}
    e.standing = compute_standing(policies, data, e.as_of, timelines=timelines)
    for ladder in e.other_designations:
        ladder.standing = compute_standing(
            policies, data, e.as_of, designation=ladder.id, timelines=timelines
        )
    return e


def stated_standing(
    policy: Policy, firm: dict[str, Any], designation: str, stated_as: str | None = None
) -> dict[str, str] | None:
    """The standing the firm file states in a designation: one ladder's `{tier, since}` is the first
    designation's; keyed by designation id, the entry of `designation`, or else of `stated_as` (the
    designation it is compared with in another version: a file written for either version is read)."""
    stated = firm.get("standing")
    if not stated:
        return None
    if "since" in stated:
        return stated if designation == policy.designations[0].id else None
    found: dict[str, str] | None = stated.get(designation) or stated.get(stated_as or designation)
    return found


def compute_standing(
    policies: PolicySet,
    data: dict[str, Any],
    as_of: date,
    *,
    look_ahead: bool = False,
    designation: str | None = None,
    stated_as: str | None = None,
    timelines: Timelines | None = None,
) -> Standing | None:
    """Walk reviews, looks and demotions in order up to `as_of`; None before the firm joined.

    With `designation`, in that designation's ladder (None: the first), from the standing the firm
    file states for it (or for `stated_as`: see `stated_standing`). With `look_ahead`, also the
    notice the next demotion look that can move the standing would give (`look_notice`), which only
    the summary's and site's "facing demotion" need.
    `timelines` shares the versions' Timelines of this firm's data between the calls for its
    designations, so each metric's days are worked out once.
    """
    firm = data["firm"]
    joined = date.fromisoformat(firm["joined_on"])
    if as_of < joined:
        return None
    designation = designation or policies.versions[0].designation
    stated = stated_standing(policies.versions[0], firm, designation, stated_as)
    if stated and date.fromisoformat(stated["since"]) > as_of:
        stated = None  # not awarded yet on the as-of date: the calendar is walked from joining
    eligibility = _Eligibility(policies, data, designation, {} if timelines is None else timelines)
    policies = PolicySet([v.ladder(designation) for v in policies.versions])
    if stated:
        standing = Standing(stated["tier"], date.fromisoformat(stated["since"]))
        start = standing.since + timedelta(days=1)
    else:
        first_policy = _in_effect(policies, joined) or policies.versions[0]
        standing = Standing(first_policy.tiers[0].id, joined)
        start = joined
    for review in _events(policies, standing, start, _horizon(policies, as_of), joined):
        if review.on <= as_of:
            _apply(eligibility, standing, review)
        elif _can_move(policies.in_effect(review.on), standing, review):
            standing.next_review = _preview(eligibility, standing, review)
            break
    if look_ahead and standing.pending_demotion is None:
        standing.look_notice = _notice_at_next_look(eligibility, policies, as_of, joined, standing)
    return standing


def _events(
    policies: PolicySet, standing: Standing, start: date, end: date, joined: date
) -> Iterator[Review]:
    """Calendar reviews in order, with a pending demotion's effective day slotted in as it arises."""
    for review in reviews_between(policies, start, end, joined):
        notice = standing.pending_demotion
        if notice is not None and notice.effective_on <= review.on:
            yield Review(notice.effective_on, "demotion", "Demotion takes effect")
        yield review
    notice = standing.pending_demotion
    if notice is not None:
        yield Review(notice.effective_on, "demotion", "Demotion takes effect")


def _apply(eligibility: _Eligibility, s: Standing, review: Review) -> None:
    """A review, look or demotion taking effect, applied to the standing. What the firm is eligible for
    is worked out only where it could move the standing (`_can_move`): a promotion review of a firm
    holding the highest tier, or a look while a notice is pending, at the lowest tier or in the grace
    period, leaves it as it is, whatever the day's tier."""
    policy = eligibility.ladder(review.on)
    if not _can_move(policy, s, review):
        return
    if review.kind == "demotion":
        if s.pending_demotion is not None:
            _demote(eligibility, policy, s, review, s.pending_demotion)
        return
    eligible = eligibility.tier_on(review.on)
    tier, name = eligible or "none", policy.tier_label(eligible)
    if review.kind == "promotion":
        if policy.rank(eligible) > policy.rank(s.tier):
            why = f"eligible for {name} on {review.on}"
            if s.pending_demotion is not None and policy.reviews.promotion_replaces_notice:
                why += "; the pending demotion notice is withdrawn"
                s.pending_demotion = None
            s.history.append(Change(review.on, review.kind, review.label, s.tier, tier, why))
            s.tier, s.since, s.promoted_on = tier, review.on, review.on
        return
    notice = _notice(policy, eligible, s.tier, review.on, s.promoted_on)  # a look, none pending
    if notice is not None:
        s.pending_demotion = notice
        why = f"eligible only for {name} on {review.on}; demotion to {name} takes effect on "
        why += str(notice.effective_on)
        s.history.append(Change(review.on, "notice", review.label, s.tier, s.tier, why))


def _demote(eligibility: _Eligibility, policy: Policy, s: Standing, review: Review, notice: Notice) -> None:
    """A pending demotion takes effect, unless the firm cured it within its notice period."""
    s.pending_demotion = None
    if policy.reviews.demotion_look.cure and _cured(eligibility, s.tier, notice):
        why = f"eligible for {policy.tier_label(s.tier)} again before {notice.effective_on}; "
        why += "the notice is cured"
        s.history.append(Change(review.on, "cure", review.label, s.tier, s.tier, why))
        return
    why = f"notice given on {notice.given_on}"
    s.history.append(Change(review.on, review.kind, review.label, s.tier, notice.to_tier, why))
    s.tier, s.since = notice.to_tier, review.on


def _cured(eligibility: _Eligibility, tier: str, notice: Notice) -> bool:
    """Whether the firm was eligible for its standing again on some day inside the notice period."""
    day = notice.given_on + timedelta(days=1)
    while day < notice.effective_on:
        policy, eligible = eligibility.on(day)
        if policy.rank(eligible) >= policy.rank(tier):
            return True
        day += timedelta(days=1)
    return False


def _preview(eligibility: _Eligibility, s: Standing, review: Review) -> NextReview:
    """What `review` would do if the data stayed as it is (expiries and stale activity included)."""
    policy, eligible = eligibility.on(review.on)
    stays = f"stays {policy.tier_label(s.tier)}"
    if review.kind == "promotion":
        up = policy.rank(eligible) > policy.rank(s.tier)
        return NextReview(
            review.on,
            review.kind,
            review.label,
            eligible,
            (eligible or "none") if up else s.tier,
            f"promotion to {policy.tier_label(eligible)}" if up else stays,
        )
    if review.kind == "demotion-look":
        notice = _notice(policy, eligible, s.tier, review.on, s.promoted_on)  # none pending: see _can_move
        outcome = (
            f"notice of demotion to {policy.tier_label(eligible)}, taking effect on {notice.effective_on}"
            if notice
            else stays
        )
        return NextReview(review.on, review.kind, review.label, eligible, s.tier, outcome)
    notice = s.pending_demotion
    to = notice.to_tier if notice else s.tier
    outcome = f"demotion to {policy.tier_label(to)}"
    return NextReview(review.on, review.kind, review.label, eligible, to, outcome)
