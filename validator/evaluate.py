"""Evaluate a firm's data under a policy as of a date: pure, no clock, no files."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .policies import Metric, Policy
from .result import Evaluation, MetricResult, Outcome, PolicyRef, Requirement, TierCheck
from .rules import Context, Failed, run_rules


def evaluate(
    policy: Policy, data: dict[str, Any], as_of: date, *, file: str = "", sha256: str = ""
) -> Evaluation:
    """The firm's metrics, tier and at-risk records as of `as_of` under `policy`."""
    doc = policy.doc
    ctx = Context.build(as_of, doc)
    firm = data.get("firm", {})
    indexes = {name: {r["id"]: r for r in data.get(name, ())} for name in set(doc.get("links", {}).values())}
    links: dict[str, str] = doc.get("links", {})
    metrics: dict[str, MetricResult] = {}
    horizon = as_of + timedelta(days=doc.get("at_risk_days", 0))
    at_risk: list[Outcome] = []
    for metric in policy.metrics:
        if metric.derived_from is not None:
            source = metrics[metric.derived_from]
            metrics[metric.id] = MetricResult(
                metric.id,
                metric.label,
                _value(metric, source.counted, links, indexes),
                [],
                [],
                metric.derived_from,
            )
            continue
        counted, excluded = _outcomes(metric, _records(data, metric.records), ctx, links, indexes)
        metrics[metric.id] = MetricResult(
            metric.id, metric.label, _value(metric, counted, links, indexes), counted, excluded
        )
        at_risk.extend(_at_risk(metric, counted, horizon, links, indexes))
    tiers = [
        TierCheck(
            t["id"],
            t.get("label", t["id"]),
            t.get("partner", True),
            tuple(
                Requirement(
                    r["metric"], metrics[r["metric"]].label, metrics[r["metric"]].value, r["at_least"]
                )
                for r in t["requires"]
            ),
            tuple(t.get("benefits", ())),
        )
        for t in doc["tiers"]
    ]
    eligible = None
    if firm.get("joined_on", "9999-12-31") <= ctx.iso:
        for tier in tiers:
            if not tier.met:
                break
            eligible = tier.id
    at_risk.sort(key=lambda o: (o.drops_out_on or date.max, o.metric, o.id))
    return Evaluation(
        file=file,
        file_sha256=sha256,
        firm=firm,
        as_of=as_of,
        policy=PolicyRef(policy.id, policy.version, policy.effective_from, policy.sha256, policy.path),
        eligible_tier=eligible,
        metrics=metrics,
        tiers=tiers,
        windows={
            w.name: {"label": w.label, "first": w.first.isoformat(), "last": w.last.isoformat()}
            for w in ctx.windows.values()
        },
        at_risk=at_risk,
        warnings=_warnings(data, doc),
    )


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
    links: dict[str, str],
    indexes: dict[str, dict[str, Any]],
) -> tuple[list[Outcome], list[Outcome]]:
    counted, excluded = [], []
    tests = list(metric.tests)
    for i, record in enumerate(records):
        linked = {f: indexes[links[f]].get(record[f]) for f in links if f in record} or None
        ident, label = _label(record, i, metric, linked)
        verdict = run_rules(tests, record, ctx)
        if isinstance(verdict, Failed):
            excluded.append(
                Outcome(
                    metric.id, ident, label, False, record, verdict.reason, verdict.message, linked=linked
                )
            )
        else:
            counted.append(
                Outcome(
                    metric.id,
                    ident,
                    label,
                    True,
                    record,
                    drops_out_on=verdict.drop,
                    via=verdict.via,
                    linked=linked,
                )
            )
    return counted, excluded


def _key(
    record: dict[str, Any], path: str | None, links: dict[str, str], indexes: dict[str, dict[str, Any]]
) -> Any:
    """Follow a dotted key through links: `customer.region` is the region of the linked customer."""
    value: Any = record
    parts = (path or "id").split(".")
    for i, part in enumerate(parts):
        if isinstance(value, str) and parts[i - 1] in links:
            value = indexes[links[parts[i - 1]]].get(value)
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _value(
    metric: Metric, counted: list[Outcome], links: dict[str, str], indexes: dict[str, dict[str, Any]]
) -> int:
    if metric.key is None and metric.group_by is None:
        return len(counted)
    if metric.group_by is None:
        return len({_key(o.record, metric.key, links, indexes) for o in counted} - {None})
    groups: dict[Any, set[Any]] = {}
    for o in counted:
        groups.setdefault(_key(o.record, metric.group_by, links, indexes), set()).add(
            _key(o.record, metric.key, links, indexes)
        )
    return max((len(keys) for keys in groups.values()), default=0)


def _at_risk(
    metric: Metric,
    counted: list[Outcome],
    horizon: date,
    links: dict[str, str],
    indexes: dict[str, dict[str, Any]],
) -> list[Outcome]:
    """Counted records whose key stops counting by `horizon`: the last of each key's records to drop."""
    last: dict[Any, Outcome] = {}
    for o in counted:
        k = _key(o.record, metric.key, links, indexes) if metric.key else id(o)
        held = last.get(k)
        if held is None or (
            held.drops_out_on is not None and (o.drops_out_on is None or o.drops_out_on > held.drops_out_on)
        ):
            last[k] = o
    return [o for o in last.values() if o.drops_out_on is not None and o.drops_out_on <= horizon]


def _warnings(data: dict[str, Any], doc: dict[str, Any]) -> list[str]:
    regions = doc.get("regions")
    if not regions:
        return []
    return [
        f"customer {c['id']!r} is in region {c['region']!r}, which the policy does not list "
        f"({', '.join(regions)})"
        for c in data.get("customers", ())
        if c.get("region") not in regions
    ]
