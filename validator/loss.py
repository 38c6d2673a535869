"""The first day the eligible tier would be lost as the data stands, and why: evaluate's and the site's."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .language.model import Policy, Tier
from .language.requirements import AllOf, Need, Prerequisite, Threshold, closest, leaves
from .language.rules import Context
from .language.values import Number
from .result import Loss, MetricResult, Outcome

if TYPE_CHECKING:
    from .evaluate import Timeline

Segment = tuple[date, "Timeline"]  # from this day on, the version in effect, as its Timeline


def lost_on(
    segments: Sequence[Segment], as_of: date, last: date, tiers: Sequence[str], held: str
) -> date | None:
    """The first day after the as-of date, up to `last`, on which the firm is eligible for a lower tier of
    `tiers` (the ladder on the as-of date, lowest first) than `held`, under the version in effect that
    day: each Timeline is built with `known_on=as_of` (records dropping out, none joining).

    The tier changes only on a day some record stops counting or a version takes effect: only those
    days are asked. Under one version whose values only fall as records stop counting, a tier once
    lost stays lost: the days are halved to find the first; and when every tier up to `held` asks
    only for counts of records (in groups or alternatives), the first is read off the days those
    records stop."""
    rank = tiers.index(held)

    def lower(day: date) -> bool:
        timeline = next(t for start, t in reversed(segments) if start <= day)
        tier = timeline.tier_on(day)
        return tier not in tiers or tiers.index(tier) < rank

    if len(segments) == 1 and _only_falls(segments[0][1]):
        timeline = segments[0][1]
        ladder = timeline.policy.tiers
        upto = ladder[: rank + 1]  # the tier held and every tier below it
        if [t.id for t in ladder] == list(tiers) and all(_counts_only(timeline, t.requires) for t in upto):
            day = min(_held_until(timeline, t.requires) for t in upto)
            return day if day <= last else None
        days = _days(segments, as_of, last)
        i = bisect_left(days, True, key=lower)
        return days[i] if i < len(days) else None
    return next((day for day in _days(segments, as_of, last) if lower(day)), None)


def _counts_only(timeline: Timeline, needs: Sequence[Need]) -> bool:
    """Whether the requirements are thresholds on counts of records, in groups (no prerequisite,
    points or expression): the first day they fail is read off the days those records stop."""
    return all(
        timeline.counts(timeline.metrics[n.metric])
        if isinstance(n, Threshold)
        else not isinstance(n, Prerequisite) and bool(n.items) and _counts_only(timeline, n.items)
        for n in needs
    )


def _held_until(timeline: Timeline, needs: Sequence[Need], every: bool = True) -> date:
    """The first day after `known_on` on which the requirements (`every` one, or else any one) no
    longer hold, as counts only fall: a threshold's day its count goes below it, a group's the first
    of its items' days, alternatives' the last (date.max: never)."""
    days = []
    for n in needs:
        if isinstance(n, Threshold):
            days.append(timeline.short_from(n.metric, n.at_least))
        else:
            assert not isinstance(n, Prerequisite), "see _counts_only"
            days.append(_held_until(timeline, n.items, isinstance(n, AllOf)))
    return min(days, default=date.max) if every else max(days)


def _only_falls(timeline: Timeline) -> bool:
    """Whether no value can rise after `known_on`: each record counts from then on until it stops, and
    every value grows with the records counting (counts, points of at least 0, sums, caps, groups;
    not a formula, which may subtract, nor an expression, judged afresh each day). Tiers hold by
    thresholds at least a value and by tiers held (in order, up the ladder): they can only fall too."""
    metrics = timeline.policy.metrics
    return not timeline.by_day and all(m.formula is None for m in metrics)


def _days(segments: Sequence[Segment], as_of: date, last: date) -> list[date]:
    """The days after `as_of` up to `last` on which the tier may change (every day when an expression
    decides a value)."""
    days = {as_of + timedelta(days=1), *(start for start, _ in segments)}
    for _, timeline in segments:
        changes = timeline.changes()
        if changes is None:
            return [as_of + timedelta(days=i) for i in range(1, (last - as_of).days + 1)]
        days |= changes
    return sorted(d for d in days if as_of < d <= last)


def first_loss(
    timeline: Timeline,
    held: str,
    last: date,
    metrics: Mapping[str, MetricResult],
    at_risk: Sequence[Outcome],
    say: Callable[[Need], str],
) -> Loss | None:
    """The first day up to `last` the tier `held` would be lost under the timeline's policy, the
    requirement no longer met that day (of alternatives, the way closest to holding, said by `say`),
    and the record that does it: at risk and dropping out that day, or else giving fewer points."""
    policy = timeline.policy
    assert timeline.known_on is not None
    segments = [(policy.effective_from, timeline)]
    day = lost_on(segments, timeline.known_on, last, [t.id for t in policy.tiers], held)
    if day is None:
        return None

    short = _short(
        policy, _held_first(policy.tiers, held), _on(timeline, day - timedelta(days=1)), _on(timeline, day)
    )
    if short is None:
        return None
    need, choices = short
    family = [m for m in timeline.metrics if m in _family(timeline, need.metric)]
    dropping = [o for o in at_risk if o.metric in family and o.drops_out_on == day]
    record = _decider(timeline, need, day, dropping) or _falling(timeline, family, day, metrics)
    if record is None:
        return None
    metric = timeline.metrics[need.metric]
    said = tuple(f"alternative {k} of {n}: {say(alt)}" for k, n, alt in choices)
    left = timeline.value_on(metric, day)
    others = len({id(o.record) for o in dropping} - {id(record.record)})
    return Loss(day, policy.tier_label(held), metric.label, left, need.at_least, record, said, others)


def _decider(timeline: Timeline, need: Threshold, day: date, dropping: Sequence[Outcome]) -> Outcome | None:
    """Of the records dropping out on `day` (in at-risk order), the one whose drop takes the metric
    below the threshold, the records before it gone too."""
    from .evaluate import Timeline  # evaluate imports this module

    if len(dropping) == 1:
        return dropping[0]
    metric = timeline.metrics[need.metric]
    gone: set[int] = set()
    for o in dropping:
        gone.add(id(o.record))
        counting = {m: [c for c in cs if id(c.record) not in gone] for m, cs in timeline.counting.items()}
        fewer = Timeline(timeline.policy, _without(timeline.data, gone), timeline.known_on, counting)
        if fewer.value_on(metric, day - timedelta(days=1)) < need.at_least:
            return o
    return None


def _falling(
    timeline: Timeline, family: Sequence[str], day: date, metrics: Mapping[str, MetricResult]
) -> Outcome | None:
    """The first record still counting on `day` that gives a metric of `family` fewer points than the
    day before (a credential worth more has expired)."""
    before, on = (Context.build(d, timeline.windows, timeline.links) for d in (day - timedelta(days=1), day))
    for m in family:
        points = timeline.metrics[m].points
        source = timeline.metrics[m].derived_from or m
        if points is None:
            continue
        for o in metrics[source].counted:
            if points.on(o.record, on) < points.on(o.record, before):
                return o
    return None


def _without(data: dict[str, Any], gone: set[int]) -> dict[str, Any]:
    """The firm's data without the records in `gone` (by identity)."""
    out = {k: [r for r in v if id(r) not in gone] if isinstance(v, list) else v for k, v in data.items()}
    firm = data.get("firm", {})
    if id(firm.get("joint_business_plan")) in gone:
        out["firm"] = {k: v for k, v in firm.items() if k != "joint_business_plan"}
    return out


Judge = tuple[Callable[[str], Number], Callable[[Prerequisite], bool]]  # a metric's value; a tier held


def _on(timeline: Timeline, day: date) -> Judge:
    """The metrics' values and the tiers held in other designations on `day`."""

    def value(metric: str) -> Number:
        return timeline.value_on(timeline.metrics[metric], day)

    def has(p: Prerequisite) -> bool:
        ladder = timeline.policy.ladder(p.designation)
        return ladder.rank(timeline.tier_on(day, p.designation)) >= ladder.rank(p.tier)

    return value, has


def _held_first(tiers: Sequence[Tier], held: str) -> list[Tier]:
    """The tier `held`, then those below it from the lowest: each must hold for it to be held."""
    i = next(i for i, t in enumerate(tiers) if t.id == held)
    return [tiers[i], *tiers[:i]]


def _short(
    policy: Policy, tiers: Sequence[Tier], before: Judge, on: Judge
) -> tuple[Threshold, list[tuple[int, int, Need]]] | None:
    """The first threshold not met `on` the day of the first tier not held then, on the way that held
    the day `before` (of alternatives, the first holding), with the alternatives chosen on the way to
    it; a tier of another designation no longer held: its own."""
    value, has = on
    for tier in tiers:
        path, choices = closest(tier.requires, *before)
        for leaf in path:
            if isinstance(leaf, Threshold) and value(leaf.metric) < leaf.at_least:
                return leaf, [c for c in choices if leaf in leaves((c[2],))]
            if isinstance(leaf, Prerequisite) and not has(leaf):
                ladder = policy.ladder(leaf.designation).tiers
                found = _short(policy, _held_first(ladder, leaf.tier), before, on)
                if found is not None:
                    return found
    return None


def _family(timeline: Timeline, metric: str) -> set[str]:
    """The metric and every metric it derives from, sums or computes from: whose records move it."""
    m = timeline.metrics[metric]
    uses = (m.derived_from,) if m.derived_from else m.formula.uses if m.formula is not None else m.sum_of
    return {metric}.union(*(_family(timeline, u) for u in uses))
