"""Evaluate a firm's data under a policy as of a date: pure, no clock, no files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from .language.model import Metric, Policy, Tier
from .language.rules import Context, Failed, Via
from .language.spans import Spans, contains
from .result import Evaluation, MetricResult, Outcome, PolicyRef, Requirement, TierCheck

Getter = Callable[[dict[str, Any]], Any]


def evaluate(
    policy: Policy, data: dict[str, Any], as_of: date, *, file: str = "", sha256: str = ""
) -> Evaluation:
    """The firm's metrics, tier and at-risk records as of `as_of` under `policy`."""
    ctx = Context.build(as_of, policy.windows)
    links, indexes = _links(policy, data)
    metrics: dict[str, MetricResult] = {}
    horizon = as_of + timedelta(days=policy.at_risk_days)
    at_risk: list[Outcome] = []
    for metric in policy.metrics:
        if metric.derived_from is not None:
            counted = metrics[metric.derived_from].counted
            value = _value(metric, [o.record for o in counted], links, indexes)
            metrics[metric.id] = MetricResult(metric.id, metric.label, value, [], [], metric.derived_from)
            continue
        counted, excluded = _outcomes(metric, _records(data, metric.records), ctx, links, indexes)
        records = [o.record for o in counted]
        value = _value(metric, records, links, indexes)
        metrics[metric.id] = MetricResult(metric.id, metric.label, value, counted, excluded)
        keys = [_getter(metric.key, links, indexes)(r) for r in records] if metric.key else None
        at_risk.extend(_at_risk(counted, keys, horizon))
    tiers = [
        TierCheck(
            t.id,
            t.label,
            t.partner,
            tuple(
                Requirement(r.metric, metrics[r.metric].label, metrics[r.metric].value, r.at_least)
                for r in t.requires
            ),
            t.benefits,
        )
        for t in policy.tiers
    ]
    at_risk.sort(key=lambda o: (o.drops_out_on or date.max, o.metric, o.id))
    return Evaluation(
        file=file,
        file_sha256=sha256,
        firm=data.get("firm", {}),
        as_of=as_of,
        policy=PolicyRef(policy.id, policy.version, policy.effective_from, policy.sha256, policy.path),
        eligible_tier=_eligible(policy.tiers, data, ctx.iso, lambda metric, n: metrics[metric].value >= n),
        metrics=metrics,
        tiers=tiers,
        windows={
            w.name: {"label": w.label, "first": w.first.isoformat(), "last": w.last.isoformat()}
            for w in ctx.windows.values()
        },
        at_risk=at_risk,
    )


def eligible_tier(policy: Policy, data: dict[str, Any], as_of: date) -> str | None:
    """Only the tier the firm is eligible for as of `as_of`."""
    return Timeline(policy, data).tier_on(as_of)


class Timeline:
    """One firm under one policy with the days each record counts: the eligible tier on any day, cheaply.

    A metric's spans are worked out the first time a tier needs it, and not at all when even every
    record counting could not reach the threshold.
    """

    def __init__(self, policy: Policy, data: dict[str, Any]) -> None:
        self.tiers, self.data = policy.tiers, data
        self.links, self.indexes = _links(policy, data)
        self.metrics = {m.id: m for m in policy.metrics}
        self.rows: dict[str, list[tuple[Spans, dict[str, Any]]]] = {}
        self.bounds: dict[str, int] = {}

    def tier_on(self, on: date) -> str | None:
        """The tier the firm is eligible for on `on`."""
        return _eligible(self.tiers, self.data, on.isoformat(), lambda m, n: self._reaches(m, n, on))

    def _reaches(self, metric_id: str, threshold: int, on: date) -> bool:
        metric = self.metrics[metric_id]
        source = self.metrics[metric.derived_from] if metric.derived_from else metric
        if metric_id not in self.bounds:  # the value with every record counting: no day has more
            every = _records(self.data, source.records)
            self.bounds[metric_id] = _value(metric, every, self.links, self.indexes)
        if self.bounds[metric_id] < threshold:
            return False
        if source.id not in self.rows:
            spans = ((source.spans(r), r) for r in _records(self.data, source.records))
            self.rows[source.id] = [(s, r) for s, r in spans if s]
        counted = [r for s, r in self.rows[source.id] if contains(s, on)]
        return _value(metric, counted, self.links, self.indexes) >= threshold


def _eligible(
    tiers: tuple[Tier, ...], data: dict[str, Any], on: str, meets: Callable[[str, int], bool]
) -> str | None:
    """The highest tier whose requirements, and those of every tier below, all hold; None before joining."""
    if data.get("firm", {}).get("joined_on", "9999-12-31") > on:
        return None
    eligible = None
    for tier in tiers:
        if not all(meets(r.metric, r.at_least) for r in tier.requires):
            break
        eligible = tier.id
    return eligible


def _links(policy: Policy, data: dict[str, Any]) -> tuple[Mapping[str, str], dict[str, dict[str, Any]]]:
    """The policy's link fields, and an index by id of every list they point into."""
    links = policy.links
    return links, {name: {r["id"]: r for r in data.get(name, ())} for name in set(links.values())}


def _records(data: dict[str, Any], name: str | None) -> list[dict[str, Any]]:
    if name == "firm.joint_business_plan":
        plan = data.get("firm", {}).get("joint_business_plan")
        return [plan] if plan else []
    return list(data.get(name or "", ()))


def _label(
    record: dict[str, Any], index: int, metric: Metric, linked: dict[str, Any] | None
) -> tuple[str, str]:
    """An id and a name a person recognises: a person's name, a story's title, a deployment's customer."""
    ident = record.get("id") or f"{metric.records}[{index}]"
    names = [v["name"] for v in (linked or {}).values() if isinstance(v, dict) and "name" in v]
    return ident, record.get("name") or record.get("title") or (names[0] if names else metric.label)


def _outcomes(
    metric: Metric,
    records: list[dict[str, Any]],
    ctx: Context,
    links: Mapping[str, str],
    indexes: dict[str, dict[str, Any]],
) -> tuple[list[Outcome], list[Outcome]]:
    counted, excluded = [], []
    for i, record in enumerate(records):
        linked = {f: indexes[links[f]].get(record[f]) for f in links if f in record} or None
        ident, label = _label(record, i, metric, linked)
        verdict = metric.verdict(record, ctx)
        if isinstance(verdict, Failed):
            excluded.append(Outcome(metric.id, ident, label, False, record, verdict, linked=linked))
        elif isinstance(verdict, Via):
            counted.append(
                Outcome(metric.id, ident, label, True, record, None, verdict.drop, verdict.item, linked)
            )
        else:
            counted.append(Outcome(metric.id, ident, label, True, record, None, verdict, None, linked))
    return counted, excluded


def _getter(path: str | None, links: Mapping[str, str], indexes: dict[str, dict[str, Any]]) -> Getter:
    """Read a dotted key through links: `customer.region` is the region of the linked customer."""
    parts = (path or "id").split(".")
    if len(parts) == 1:
        return lambda record: record.get(parts[0])

    def get(record: dict[str, Any]) -> Any:
        value: Any = record
        for i, part in enumerate(parts):
            if isinstance(value, str) and parts[i - 1] in links:
                value = indexes[links[parts[i - 1]]].get(value)
            value = value.get(part) if isinstance(value, dict) else None
        return value

    return get


def _value(
    metric: Metric,
    records: list[dict[str, Any]],
    links: Mapping[str, str],
    indexes: dict[str, dict[str, Any]],
) -> int:
    """Distinct keys over the counted records (or their number); with group_by, the largest group's."""
    if metric.key is None and metric.group_by is None:
        return len(records)
    key = _getter(metric.key, links, indexes)
    if metric.group_by is None:
        return len({key(r) for r in records} - {None})
    group = _getter(metric.group_by, links, indexes)
    groups: dict[Any, set[Any]] = {}
    for r in records:
        g, k = group(r), key(r)
        if g is not None and k is not None:  # an absent key or group adds nothing
            groups.setdefault(g, set()).add(k)
    return max((len(keys) for keys in groups.values()), default=0)


def _at_risk(counted: list[Outcome], keys: list[Any] | None, horizon: date) -> list[Outcome]:
    """Counted records whose key stops counting by `horizon`: the last of each key's records to drop."""
    last: dict[Any, Outcome] = {}
    for i, o in enumerate(counted):
        k = keys[i] if keys is not None else i
        held = last.get(k)
        if held is None or (
            held.drops_out_on is not None and (o.drops_out_on is None or o.drops_out_on > held.drops_out_on)
        ):
            last[k] = o
    return [o for o in last.values() if o.drops_out_on is not None and o.drops_out_on <= horizon]
