"""Evaluate a firm's data under a policy as of a date: pure, no clock, no files."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from math import ceil
from operator import methodcaller
from typing import Any

from .language.model import Metric, Policy, Tier
from .language.requirements import AllOf, Need, Prerequisite, Threshold, closest, holds, leaves
from .language.rules import Context, Failed, Links, Via, getter, judge
from .language.spans import Spans, contains, span_on
from .language.values import Number, formula_of, sum_of, value_of
from .loss import first_loss
from .result import (
    Evaluation,
    LadderResult,
    MetricResult,
    Outcome,
    PolicyRef,
    PrerequisiteCheck,
    Requirement,
    TierCheck,
)

Getter = Callable[[dict[str, Any]], Any]
# a record with its id, the name a person knows it by (None: none) and the records its link fields name
Named = tuple[dict[str, Any], str, str | None, dict[str, Any] | None]


def evaluate(
    policy: Policy, data: dict[str, Any], as_of: date, *, file: str = "", sha256: str = ""
) -> Evaluation:
    """The firm's metrics, tier and at-risk records as of `as_of` under `policy`."""
    links = Links(policy.links, data)
    ctx = Context.build(as_of, policy.windows, links)
    metrics: dict[str, MetricResult] = {}
    horizon = as_of + timedelta(days=policy.at_risk_days)
    at_risk: list[Outcome] = []
    named: dict[str | None, list[Named]] = {}  # metrics of the same records share their names
    for metric in policy.metrics:
        if metric.sum_of:
            value = sum_of(metric, (metrics[m].value for m in metric.sum_of))
            metrics[metric.id] = MetricResult(metric.id, metric.label, value, [], [], sum_of=metric.sum_of)
            continue
        if metric.formula is not None:
            value = formula_of(metric, lambda m: metrics[m].value)
            metrics[metric.id] = MetricResult(metric.id, metric.label, value, [], [])
            continue
        if metric.derived_from is not None:
            counted = metrics[metric.derived_from].counted
            if metric.points is not None:  # each record shown with what it gives this metric
                counted = [o.giving(metric.id, metric.points.on(o.record, ctx)) for o in counted]
            value = _value(metric, counted, links)
            shown = counted if metric.points is not None else []
            metrics[metric.id] = MetricResult(metric.id, metric.label, value, shown, [], metric.derived_from)
            continue
        if metric.records not in named:
            named[metric.records] = _named(_records(data, metric.records), metric.records, links)
        counted, excluded, deciders = _outcomes(metric, named[metric.records], ctx)
        value = _value(metric, counted, links)
        metrics[metric.id] = MetricResult(metric.id, metric.label, value, counted, excluded)
        records = [o.record for o in counted]
        key = _reader(metric.key, links) if metric.key else None
        keys = [key(r) for r in records] if key else None
        for i in _at_risk(counted, keys, horizon):
            o = counted[i]
            o.drop = _why_out(metric, o, deciders[i], policy, links)
            at_risk.append(o)
    eligible = _EligibleByDesignation(
        policy, data, ctx.iso, lambda metric, n: metrics[metric].value >= n
    ).eligible
    ladders = {
        d.id: LadderResult(d.id, d.label, eligible(d.id), _checks(policy, d.tiers, metrics, eligible))
        for d in policy.designations
    }
    top = ladders[policy.designation]
    at_risk.sort(key=lambda o: (o.drops_out_on or date.max, o.metric, o.id))
    # a value falls only as a record drops out or, with points, gives fewer: else nothing can be lost
    falls = any(m.points is not None for m in policy.metrics) or any(
        o.drops_out_on <= horizon for m in metrics.values() for o in m.counted if o.drops_out_on
    )
    loss = None
    if top.eligible_tier is not None and falls:
        said = partial(_said, policy, metrics=metrics)
        counting = {m: r.counted for m, r in metrics.items()}
        timeline = Timeline(policy, data, known_on=as_of, counting=counting)
        loss = first_loss(timeline, top.eligible_tier, horizon, metrics, at_risk, said)
    return Evaluation(
        file=file,
        file_sha256=sha256,
        firm=data.get("firm", {}),
        as_of=as_of,
        policy=PolicyRef(policy.id, policy.version, policy.effective_from, policy.sha256, policy.path),
        eligible_tier=top.eligible_tier,
        metrics=metrics,
        tiers=top.tiers,
        windows={
            w.name: {"label": w.label, "first": w.first.isoformat(), "last": w.last.isoformat()}
            for w in ctx.windows.values()
        },
        at_risk=at_risk,
        designations=ladders,
        loss=loss,
    )


def _checks(
    policy: Policy,
    tiers: tuple[Tier, ...],
    metrics: dict[str, MetricResult],
    eligible: Callable[[str], str | None],
) -> list[TierCheck]:
    """Each tier of a ladder against the firm's values and its tiers in other designations."""

    def check(p: Prerequisite) -> PrerequisiteCheck:
        held, ladder = eligible(p.designation), policy.ladder(p.designation)
        return PrerequisiteCheck(p.designation, p.tier, held, ladder.rank(held) >= ladder.rank(p.tier))

    return [_tier_check(policy, t, metrics, check) for t in tiers]


def _tier_check(
    policy: Policy,
    tier: Tier,
    metrics: dict[str, MetricResult],
    check: Callable[[Prerequisite], PrerequisiteCheck],
) -> TierCheck:
    """A tier against the firm's values; of alternatives, the path closest to being met is shown."""
    path, choices = closest(tier.requires, lambda m: metrics[m].value, lambda p: check(p).met)
    return TierCheck(
        tier.id,
        tier.label,
        tier.partner,
        tuple(
            Requirement(r.metric, metrics[r.metric].label, metrics[r.metric].value, r.at_least)
            for r in path
            if isinstance(r, Threshold)
        ),
        tier.benefits,
        tuple(check(p) for p in path if isinstance(p, Prerequisite)),
        tuple(f"alternative {k} of {n}: {_said(policy, need, metrics)}" for k, n, need in choices),
    )


def _said(policy: Policy, need: Need, metrics: dict[str, MetricResult]) -> str:
    """An alternative in words, with the metrics' and tiers' labels."""
    if isinstance(need, Threshold):
        return f"{metrics[need.metric].label.lower()} at least {need.at_least}"
    if isinstance(need, Prerequisite):
        return policy.tier_in(need.designation, need.tier)
    joiner = " and " if isinstance(need, AllOf) else " or "
    return joiner.join(_said(policy, n, metrics) for n in need.items)


def eligible_tier(policy: Policy, data: dict[str, Any], as_of: date) -> str | None:
    """Only the tier the firm is eligible for as of `as_of`."""
    return Timeline(policy, data).tier_on(as_of)


class Timeline:
    """One firm under one policy with the days each record counts: the eligible tier on any day, cheaply.

    A metric's spans are worked out the first time a tier needs it, and not at all when even every
    record counting could not reach the threshold. A metric with an expression has no spans: its
    records are judged on each day asked.
    """

    def __init__(
        self,
        policy: Policy,
        data: dict[str, Any],
        known_on: date | None = None,
        counting: Mapping[str, Sequence[Outcome]] | None = None,
    ) -> None:
        """With `known_on`, a day after it counts only the records counting on `known_on`, until each
        drops out as the data stands on that day: what starts later, and any date after it, is not
        known then. `counting`: each metric's records counting on `known_on` as evaluate judged them
        that day (else judged here when first needed)."""
        self.policy, self.data, self.known_on = policy, data, known_on
        self.counting = dict(counting or {})
        self.clipped: dict[str, list[tuple[Spans, dict[str, Any], Number]]] = {}
        self.links = Links(policy.links, data)
        self.metrics = {m.id: m for m in policy.metrics}
        self.windows = policy.windows
        self.by_day = {m.id for m in policy.metrics if m.by_day}
        self.rows: dict[str, list[tuple[Spans, dict[str, Any], Number]]] = {}
        self.spans: dict[str, list[Spans]] = {}  # a metric's records' days, as far as worked out yet
        self.bounds: dict[str, Number] = {}
        self.ends: dict[str, list[date]] = {}  # a counting metric's keys' last days, after known_on
        self.kept: dict[str, dict[date, list[dict[str, Any]]]] = {}  # an expression's records, after known_on
        self.least: dict[tuple[str, int], tuple[date, Number]] = {}  # their fewest points since known_on
        self.order: dict[int, tuple[Need, ...]] = {}  # a tier's requirements by id, cheapest first

    def tier_on(self, on: date, designation: str | None = None) -> str | None:
        """The tier the firm is eligible for on `on` (in the policy's own ladder, or in `designation`)."""
        eligible = _EligibleByDesignation(
            self.policy,
            self.data,
            on.isoformat(),
            lambda m, n: self._reaches(m, n, on),
            self._may_reach,
            self._cheapest_first,
        ).eligible
        return eligible(designation or self.policy.designation)

    def _cheapest_first(self, needs: tuple[Need, ...]) -> tuple[Need, ...]:
        """A tier's requirements, the counts over the fewest records first: every one must hold, so the
        order changes only how many records' days are worked out (a firm with no story yet on a day is
        not asked about each person's days)."""
        if id(needs) not in self.order:
            self.order[id(needs)] = tuple(sorted(needs, key=self._cost))
        return self.order[id(needs)]

    def _cost(self, need: Need) -> float:
        """How many records a count reads; points, sums, groups and prerequisites stay last, as written."""
        if not isinstance(need, Threshold) or not self.counts(self.metrics[need.metric]):
            return float("inf")
        return len(_records(self.data, self._source(self.metrics[need.metric]).records))

    def _may_reach(self, metric_id: str, threshold: Number) -> bool:
        """Whether the metric could reach `threshold` on some day: its value with every record counting
        does (a tier needing more of one metric than that fails before any record's days are asked)."""
        return self._bound(self.metrics[metric_id]) >= threshold

    def _reaches(self, metric_id: str, threshold: Number, on: date) -> bool:
        if not self._may_reach(metric_id, threshold):
            return False
        metric = self.metrics[metric_id]
        if self.counts(metric):
            return self._count_reaches(metric, threshold, on)
        return self.value_on(metric, on) >= threshold

    def counts(self, metric: Metric) -> bool:
        """Whether the metric's value is how many records (or distinct keys) count: it only grows as
        more records are seen to count, so a threshold is reached before every record is looked at."""
        plain = metric.points is None and metric.group_by is None and metric.at_most is None
        computed = bool(metric.sum_of) or metric.formula is not None
        return plain and not computed and self._source(metric).id not in self.by_day

    def short_from(self, metric_id: str, threshold: Number) -> date:
        """The first day after `known_on` on which a counting metric is below `threshold`, as the data
        stands then (date.max: never): the day the last key still meeting it stops counting."""
        assert self.known_on is not None
        ends, need = self._ends(self.metrics[metric_id]), ceil(threshold)
        if need <= 0:
            return date.max
        if need > len(ends):  # short already: the first day asked is the day after
            return self.known_on + timedelta(days=1)
        return ends[-need]

    def _count_reaches(self, metric: Metric, threshold: Number, on: date) -> bool:
        """Whether a counting metric reaches `threshold` on `on`: its records' days are worked out only
        until enough of them count that day; from `known_on` on, how many keys still count is read off
        the days they stop."""
        if self.known_on is not None and on >= self.known_on:
            ends = self._ends(metric)
            return len(ends) - bisect_right(ends, on) >= threshold
        key = self._getters(metric)[0]
        seen: set[Any] = set()
        for i, (spans, record) in enumerate(self._each(self._source(metric))):
            if contains(spans, on):
                k = i if key is None else key(record)
                if k is not None:
                    seen.add(k)
                    if len(seen) >= threshold:
                        return True
        return len(seen) >= threshold

    def _ends(self, metric: Metric) -> list[date]:
        """Of a counting metric's keys counting on `known_on`, the day each stops counting as the data
        stands then, in order: on a later day, the keys counting are those ending after it. (Each row
        from `known_on` on is one span from that day: see `_clip`.)"""
        if metric.id not in self.ends:
            assert self.known_on is not None
            key = self._getters(metric)[0]
            ends: dict[Any, date] = {}
            for i, (((_, end),), record, _) in enumerate(self._rows_on(self._source(metric), self.known_on)):
                k = i if key is None else key(record)
                if k is not None:
                    ends[k] = max(end, ends.get(k, end))
            self.ends[metric.id] = sorted(ends.values())
        return self.ends[metric.id]

    def _each(self, metric: Metric) -> Iterator[tuple[Spans, dict[str, Any]]]:
        """Each record of a metric without points with the days it counts, worked out as far as the
        caller reads and kept for the next."""
        records = _records(self.data, metric.records)
        done = self.spans.setdefault(metric.id, [])
        if len(done) == len(records):
            return zip(done, records, strict=True)
        return self._more(metric, records, done)

    def _more(
        self, metric: Metric, records: list[dict[str, Any]], done: list[Spans]
    ) -> Iterator[tuple[Spans, dict[str, Any]]]:
        for i, record in enumerate(records):
            if i == len(done):
                done.append(metric.spans(record, self.links))
            yield done[i], record

    def _bound(self, metric: Metric) -> Number:
        """The value with every record counting, each giving its most: no day has more."""
        if metric.id not in self.bounds:
            if metric.formula is not None:  # a formula need not grow with its metrics: no bound
                bound = float("inf")
            elif metric.sum_of:
                bound = sum_of(metric, (self._bound(self.metrics[m]) for m in metric.sum_of))
            else:
                every = _records(self.data, self._source(metric).records)
                points = [metric.points.most(r) for r in every] if metric.points is not None else None
                bound = value_of(metric, every, points, *self._getters(metric))
            self.bounds[metric.id] = bound
        return self.bounds[metric.id]

    def value_on(self, metric: Metric, on: date) -> Number:
        """The metric's value on `on`, from the records whose spans hold that day."""
        if metric.sum_of:
            return sum_of(metric, (self.value_on(self.metrics[m], on) for m in metric.sum_of))
        if metric.formula is not None:
            return formula_of(metric, lambda m: self.value_on(self.metrics[m], on))
        source = self._source(metric)
        if source.id in self.by_day:  # an expression: no spans, so each record is judged on the day
            counted = self._judged(source, on)
            points = [self._points(metric, r, on) for r in counted] if metric.points is not None else None
            return value_of(metric, counted, points, *self._getters(metric))
        if metric.points is None:
            counted = [r for s, r, _ in self._rows_on(self._source(metric), on) if contains(s, on)]
            return value_of(metric, counted, None, *self._getters(metric))
        best: dict[int, tuple[dict[str, Any], Number]] = {}  # a record's rows: the best holding the day
        for s, r, p in self._rows_on(metric, on):
            if contains(s, on) and p > best.get(id(r), (r, -1))[1]:
                best[id(r)] = (r, p)
        rows = list(best.values())
        return value_of(metric, [r for r, _ in rows], [p for _, p in rows], *self._getters(metric))

    def _judged(self, metric: Metric, on: date) -> list[dict[str, Any]]:
        """The records of an expression's metric counting on `on`; after `known_on`, those that have
        counted on every day since (a record that stops has dropped out, and none joins)."""
        if self.known_on is None or on <= self.known_on:
            return self._counting(metric, _records(self.data, metric.records), on)
        kept = self.kept.setdefault(metric.id, {})
        day = max((d for d in kept if d <= on), default=self.known_on)
        if day not in kept:
            kept[day] = self._counting(metric, _records(self.data, metric.records), day)
        while day < on:
            day += timedelta(days=1)
            kept[day] = self._counting(metric, kept[day - timedelta(days=1)], day)
        return kept[on]

    def _points(self, metric: Metric, record: dict[str, Any], on: date) -> Number:
        """A record's points on `on`, judged that day; after `known_on`, the fewest it has given on any
        day since: nothing joins, so no item counting later raises them (as the spans' rows say)."""
        assert metric.points is not None
        if self.known_on is None or on <= self.known_on:
            return metric.points.on(record, Context.build(on, self.windows, self.links))
        day, least = self.least.get((metric.id, id(record)), (self.known_on, None))
        if day > on:  # asked out of order: start again
            day, least = self.known_on, None
        if least is None:
            least = metric.points.on(record, Context.build(day, self.windows, self.links))
        while day < on:
            day += timedelta(days=1)
            least = min(least, metric.points.on(record, Context.build(day, self.windows, self.links)))
        self.least[(metric.id, id(record))] = (day, least)
        return least

    def _counting(self, metric: Metric, records: list[dict[str, Any]], on: date) -> list[dict[str, Any]]:
        ctx = Context.build(on, self.windows, self.links)
        return [r for r in records if not isinstance(metric.verdict(r, ctx), Failed)]

    def series(self, metric: Metric, first: date, last: date) -> list[Number]:
        """The metric's value on each day from `first` to `last` inclusive, worked out only on the days
        a record starts or stops counting."""
        edges = self._edges(metric)
        if edges is None:  # an expression decides: no spans, so every day is judged
            return [self.value_on(metric, first + timedelta(days=i)) for i in range((last - first).days + 1)]
        if self.known_on is not None:  # from the day after, only what counted that day, to its drop-out
            edges |= {self.known_on + timedelta(days=1), *(self._edges(metric, self.known_on) or ())}
        cuts = sorted({first, *(d for d in edges if first < d <= last)})
        out: list[Number] = []
        for i, cut in enumerate(cuts):
            end = cuts[i + 1] if i + 1 < len(cuts) else last + timedelta(days=1)
            out += [self.value_on(metric, cut)] * (end - cut).days
        return out

    def changes(self) -> set[date] | None:
        """The days on which a metric some tier of any designation requires may change value (after
        `known_on`, only as the records counting that day stop); None when an expression decides one,
        which may change it on any day."""
        after = date.min if self.known_on is None else self.known_on + timedelta(days=1)
        required = {r.metric for d in self.policy.designations for t in d.tiers for r in leaves(t.requires)}
        days: set[date] = set()
        for metric in required:
            edges = self._edges(self.metrics[metric], after)
            if edges is None:
                return None
            days |= edges
        return days

    def _edges(self, metric: Metric, after: date = date.min) -> set[date] | None:
        """The days on which some record of the metric starts or stops counting (of the rows that may
        count after `after`); None when an expression decides, which has no spans."""
        uses = metric.formula.uses if metric.formula is not None else metric.sum_of
        if uses:
            parts = [self._edges(self.metrics[m], after) for m in uses]
            return None if None in parts else {d for p in parts if p is not None for d in p}
        if self._source(metric).id in self.by_day:
            return None
        rows = self._rows_on(metric if metric.points is not None else self._source(metric), after)
        return {d for spans, _, _ in rows for span in spans for d in span}

    def _rows_on(self, metric: Metric, on: date) -> list[tuple[Spans, dict[str, Any], Number]]:
        """The rows that may count on `on`: from `known_on` on, only the spans holding `known_on`."""
        if self.known_on is None or on < self.known_on:
            return self._rows(metric)
        if metric.id not in self.clipped:
            self.clipped[metric.id] = self._clip(metric, self.known_on)
        return self.clipped[metric.id]

    def _clip(self, metric: Metric, known_on: date) -> list[tuple[Spans, dict[str, Any], Number]]:
        """Each row counting on `known_on`, from that day to the day it drops out as the data stands
        then: the verdict's drop-out day, which reads no date after `known_on` (activity recorded later
        does not keep a record counting)."""
        counting, points = self._known(self._source(metric)), metric.points
        if points is None:
            return [(((known_on, o.drops_out_on or date.max),), o.record, 1.0) for o in counting]
        rows: list[tuple[Spans, dict[str, Any], Number]] = []
        for o in counting:
            drops = o.drops_out_on or date.max
            gives = points.single(o.record)
            if gives is not None:
                rows.append((((known_on, drops),), o.record, gives))
                continue
            # items giving points of their own, each on its own days, none beyond the record's
            for spans, given in points.rows(self._source(metric).rules, o.record, self.links):
                span = span_on(spans, known_on)
                if span is not None:
                    rows.append((((known_on, min(span[1], drops)),), o.record, given))
        return rows

    def _known(self, source: Metric) -> Sequence[Outcome]:
        """The records of a metric counting on `known_on`, as evaluate judges them that day (given, or
        judged here once)."""
        if source.id not in self.counting:
            assert self.known_on is not None
            ctx = Context.build(self.known_on, self.windows, self.links)
            named = _named(_records(self.data, source.records), source.records, self.links)
            self.counting[source.id] = _outcomes(source, named, ctx)[0]
        return self.counting[source.id]

    def _rows(self, metric: Metric) -> list[tuple[Spans, dict[str, Any], Number]]:
        """Each record that counts on some day, with those days and the points it gives on them."""
        if metric.id not in self.rows:
            source = self._source(metric)
            records = _records(self.data, source.records)
            if metric.points is None:
                rows = [(spans, r, 1.0) for spans, r in self._each(source)]
            else:
                rows = [
                    (s, r, p) for r in records for s, p in metric.points.rows(source.rules, r, self.links)
                ]
            self.rows[metric.id] = [row for row in rows if row[0]]
        return self.rows[metric.id]

    def _source(self, metric: Metric) -> Metric:
        return self.metrics[metric.derived_from] if metric.derived_from else metric

    def _getters(self, metric: Metric) -> tuple[Getter | None, Getter | None]:
        return _key_getters(metric, self.links)


class _EligibleByDesignation:
    """The eligible tier in each designation on one day, each worked out once, when first asked for
    (a prerequisite's designation before the tier that requires it). A class, not two closures that
    call each other: such closures make a reference cycle, which kept every Timeline asked alive until
    the garbage collector's next pass."""

    def __init__(
        self,
        policy: Policy,
        data: dict[str, Any],
        on: str,
        meets: Callable[[str, Number], bool],
        may: Callable[[str, Number], bool] | None = None,
        order: Callable[[tuple[Need, ...]], tuple[Need, ...]] | None = None,
    ) -> None:
        """`may`: a cheaper test that holds whenever `meets` does, asked of a tier's every requirement
        first (a tier one of whose thresholds cannot be met fails before the costly ones are asked)."""
        self.ladders = {d.id: d for d in policy.designations}
        self.data, self.on, self.meets, self.may, self.order = data, on, meets, may, order
        self.found: dict[str, str | None] = {}

    def has(self, p: Prerequisite) -> bool:
        ladder = self.ladders[p.designation]
        return ladder.rank(self.eligible(p.designation)) >= ladder.rank(p.tier)

    def eligible(self, designation: str) -> str | None:
        if designation not in self.found:
            tiers = self.ladders[designation].tiers
            self.found[designation] = _eligible(
                tiers, self.data, self.on, self.meets, self.has, self.may, self.order
            )
        return self.found[designation]


def _eligible(
    tiers: tuple[Tier, ...],
    data: dict[str, Any],
    on: str,
    meets: Callable[[str, Number], bool],
    has: Callable[[Prerequisite], bool],
    may: Callable[[str, Number], bool] | None = None,
    order: Callable[[tuple[Need, ...]], tuple[Need, ...]] | None = None,
) -> str | None:
    """The highest tier whose requirements, and those of every tier below, all hold; None before joining.
    With `may` (holding whenever `meets` does), a tier whose requirements fail by it fails unasked;
    with `order`, each tier's requirements are asked in the order it gives."""
    if data.get("firm", {}).get("joined_on", "9999-12-31") > on:
        return None
    eligible = None
    for tier in tiers:
        if may is not None and not holds(tier.requires, may, _held):
            break
        if not holds(tier.requires if order is None else order(tier.requires), meets, has):
            break
        eligible = tier.id
    return eligible


def _held(_: Prerequisite) -> bool:
    """A prerequisite, when asking only whether a tier could hold: it might be."""
    return True


def _records(data: dict[str, Any], name: str | None) -> list[dict[str, Any]]:
    if name == "firm.joint_business_plan":
        plan = data.get("firm", {}).get("joint_business_plan")
        return [plan] if plan else []
    return list(data.get(name or "", ()))


def _named(records: list[dict[str, Any]], name: str | None, links: Links) -> list[Named]:
    """Each record with its id, the name a person knows it by (its own, else its linked records'; None:
    the metric's label) and the records its link fields name: the same for every metric of these records."""
    out: list[Named] = []
    for i, record in enumerate(records):
        linked = None
        for f in links.fields:
            if f in record:
                if linked is None:
                    linked = {}
                linked[f] = links.follow(f, record[f])
        label = record.get("name") or record.get("title") or None
        if label is None and linked:
            label = next((v["name"] for v in linked.values() if isinstance(v, dict) and "name" in v), None)
        out.append((record, record.get("id") or f"{name}[{i}]", label, linked))
    return out


def _outcomes(
    metric: Metric,
    named: list[Named],
    ctx: Context,
) -> tuple[list[Outcome], list[Outcome], list[int]]:
    """The records counted and those not, with the rule deciding each counted one's drop-out date."""
    counted, excluded, deciders = [], [], []
    rules, metric_id = metric.rules, metric.id
    for record, ident, label, linked in named:
        if label is None:
            label = metric.label
        verdict, decider = judge(rules, record, ctx)
        if isinstance(verdict, Failed):
            excluded.append(Outcome(metric_id, ident, label, False, record, verdict, linked=linked))
            continue
        deciders.append(decider)
        if isinstance(verdict, Via):
            drop, item = verdict
            counted.append(Outcome(metric_id, ident, label, True, record, None, drop, item, linked))
        else:
            counted.append(Outcome(metric_id, ident, label, True, record, None, verdict, None, linked))
    if metric.points is not None:
        for o in counted:
            o.points = metric.points.on(o.record, ctx)
    return counted, excluded, deciders


def _reader(path: str | None, links: Links) -> Getter:
    """Read a dotted key through the firm's links, as rules read fields: `customer.region`. A plain
    field is `record.get(field)` itself: a key is read for every record on every day a value is asked."""
    path = path or "id"
    if "." not in path:
        reader: Getter = methodcaller("get", path)
        return reader
    get = getter(path, links.fields)
    return lambda record: get(record, links)


def _value(metric: Metric, counted: list[Outcome], links: Links) -> Number:
    """The metric's value over the records counted on the as-of date, with the points each gives."""
    records = [o.record for o in counted]
    points = [o.points or 0 for o in counted] if metric.points is not None else None
    return value_of(metric, records, points, *_key_getters(metric, links))


def _key_getters(metric: Metric, links: Links) -> tuple[Getter | None, Getter | None]:
    """The metric's key and group as readers through links; no key and no group: each record counts."""
    if metric.key is None and metric.group_by is None:
        return None, None
    group = _reader(metric.group_by, links) if metric.group_by else None
    return _reader(metric.key, links), group


def _why_out(metric: Metric, o: Outcome, decider: int, policy: Policy, links: Links) -> Failed | None:
    """Why a counted record drops out (expiry, inactivity, retirement, ...): the rule it fails on the
    day it drops out, said as the rule says it of any record that does not count."""
    assert o.drops_out_on is not None
    return metric.drop_reason(o.record, decider, Context.build(o.drops_out_on, policy.windows, links))


def _at_risk(counted: list[Outcome], keys: list[Any] | None, horizon: date) -> list[int]:
    """Counted records whose key stops counting by `horizon`: the last of each key's records to drop
    (their places in `counted`)."""
    last: dict[Any, int] = {}
    for i, o in enumerate(counted):
        k = keys[i] if keys is not None else i
        held = last.get(k)
        held_drop = None if held is None else counted[held].drops_out_on
        if held is None or (held_drop is not None and (o.drops_out_on is None or o.drops_out_on > held_drop)):
            last[k] = i
    return [i for i in last.values() if (d := counted[i].drops_out_on) is not None and d <= horizon]
