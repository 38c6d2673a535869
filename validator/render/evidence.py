"""The evidence pack: build its context from one evaluation, render it as HTML and Markdown."""

from __future__ import annotations

import calendar
import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..evaluate import evaluate
from ..inputs import UsageError
from ..language.model import Metric, Policy
from ..language.rules import AnyItem, WithinTerm
from ..language.values import Number
from ..language.words import points_text
from ..policies import PolicySet
from ..result import Evaluation, LadderResult, MetricResult, Outcome, evaluation_json, standing_json
from ..standing import Standing
from .charts import month_line, threshold_bar
from .text import gaps, loss_sentence, tier_label


def safe_url(url: Any) -> str | None:
    """A link only for http(s) URLs; javascript:, data: and anything else stays plain text."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return url
    return None


def month_ends(first: date, last: date) -> list[date]:
    """Every month's last day from `first` to `last` inclusive, then `last` itself if it is not one."""
    days, year, month = [], first.year, first.month
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > last:
            break
        if end >= first:
            days.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days if days and days[-1] == last else [*days, last]


def monthly_values(
    policies: PolicySet, data: dict[str, Any], days: list[date]
) -> dict[date, dict[str, Number]]:
    """Each metric's value at each day, under the policy version in effect that day (days before the
    first version are left out)."""
    out = {}
    for day in days:
        if day >= policies.versions[0].effective_from:
            e = evaluate(policies.in_effect(day), data, day)
            out[day] = {m.id: m.value for m in e.metrics.values()}
    return out


def _latest_use(record: dict[str, Any], as_of: str) -> str | None:
    days = [record.get("last_active_on"), *(record.get("activity") or [])]
    known = [d for d in days if isinstance(d, str) and d <= as_of]
    return max(known) if known else None


def expires_on(metric: Metric | None, item: dict[str, Any]) -> date | None:
    """The first day outside an item's term (a credential's expiry), as the metric's own rule reads it."""
    for rule in metric.rules if metric else ():
        if isinstance(rule, AnyItem):
            for inner in rule.rules:
                if isinstance(inner, WithinTerm):
                    return inner.ends(item)
    return None


def _row(o: Outcome, e: Evaluation, policy: Policy) -> dict[str, Any]:
    """One record as the pack shows it: plain values for whatever kind of record it is."""
    r, as_of = o.record, e.as_of.isoformat()
    row: dict[str, Any] = {
        "id": o.id,
        "label": o.label,
        "reason": o.reason,
        "message": o.message,
        "drops_out_on": o.drops_out_on.isoformat() if o.drops_out_on else None,
        "why": o.drop_message,
        "points": o.points,
    }
    kind = _kind(r)
    if kind == "people":
        cred = o.via or {}
        expires = expires_on(_metric_of(policy, o.metric), cred) if cred else None
        row |= {
            "credential": policy.credential_label(cred.get("name"), cred.get("level")),
            "level": cred.get("level"),
            "credential_id": cred.get("id"),
            "issued": cred.get("issued_on"),
            "expires": expires.isoformat() if expires else None,
            "last_active": _latest_use(r, as_of),
        }
    elif kind == "deployments":
        customer = (o.linked or {}).get("customer") or {}
        row |= {
            "customer": customer.get("name", r.get("customer")),
            "region": policy.regions.get(str(customer.get("region")), customer.get("region")),
            "stage": r.get("stage"),
            "live": r.get("live_on"),
            "retired": r.get("retired_on"),
            "evidence": r.get("evidence"),
            "evidence_url": safe_url(r.get("evidence")),
        }
    elif kind == "stories":
        consent = r.get("consent") or {}
        row |= {
            "title": r.get("title"),
            "url": r.get("url"),
            "safe_url": safe_url(r.get("url")),
            "published": r.get("published_on"),
            "consent_by": consent.get("by"),
            "consent_on": consent.get("given_on"),
            "result": r.get("result"),
        }
    return row


NOUNS = {
    "people": ("person", "people"),
    "deployments": ("deployment", "deployments"),
    "stories": ("story", "stories"),
    "other": ("record", "records"),
}


def count_of(n: int, kind: str) -> str:
    """'1 person', '4 deployments': a count with the noun for its kind of record."""
    one, many = NOUNS.get(kind, NOUNS["other"])
    return f"{n} {one if n == 1 else many}"


def _metric_of(policy: Policy, metric_id: str) -> Metric | None:
    return next((m for m in policy.metrics if m.id == metric_id), None)


def _metric(m: MetricResult, e: Evaluation, policy: Policy) -> dict[str, Any]:
    kind = _kind((m.counted + m.excluded)[0].record) if m.counted or m.excluded else "other"
    metric = _metric_of(policy, m.id)
    cap = f"; the value is capped at {metric.at_most}" if metric and metric.at_most is not None else ""
    per_key = metric.key if metric and metric.key not in (None, "id") else None
    parts = ", ".join(f"{e.metrics[p].label} ({e.metrics[p].value})" for p in m.sum_of)
    return {
        "id": m.id,
        "label": m.label,
        "value": m.value,
        "derived": m.derived_from is not None,
        "points": bool(metric and metric.points),
        "points_caption": (
            f"Points each counted record gives ({points_text(metric.points)})"
            + (f"; each {per_key} gives the most of its records" if per_key else "")
            + cap
            if metric and metric.points
            else ""
        ),
        "sum_of": m.sum_of,
        "sum_caption": f"The sum of {parts}{cap}." if parts else "",
        "kind": kind,
        "counted": [_row(o, e, policy) for o in m.counted],
        "excluded": [_row(o, e, policy) for o in m.excluded],
        "counted_caption": f"Counted: {count_of(len(m.counted), kind)}",
        "excluded_caption": f"Did not count: {count_of(len(m.excluded), kind)}, each with the reason",
    }


def context(
    e: Evaluation,
    policy: Policy,
    monthly: dict[date, dict[str, Number]],
    generated_at: str | None = None,
) -> dict[str, Any]:
    """Everything the pack shows, as plain named values; templates compute nothing more.

    A pure function of its arguments: `monthly` comes from `monthly_values`, and `generated_at`
    (from SOURCE_DATE_EPOCH, see `generated_at_from`) is shown only when given.
    """
    tier, nxt = e.tier(e.eligible_tier), e.next_tier
    labels = {t.id: t.label for t in e.tiers}
    required = [m for m in e.metrics if any(r.metric == m for t in e.tiers for r in t.requirements)]
    thresholds = {
        m: [(t.label, r.threshold) for t in e.tiers for r in t.requirements if r.metric == m]
        for m in required
    }
    next_threshold = {r.metric: (nxt.label, r.threshold) for r in nxt.requirements} if nxt else {}
    held_threshold = {r.metric: (tier.label, r.threshold) for r in tier.requirements} if tier else {}
    # every trend chart shows a threshold: the next tier's, else the one the firm must keep, else the lowest
    line_threshold = {m: next_threshold.get(m) or held_threshold.get(m) or thresholds[m][0] for m in required}
    days = sorted(monthly)
    return {
        "firm": {"id": e.firm.get("id"), "name": e.firm.get("name"), "joined_on": e.firm.get("joined_on")},
        "file": e.file,
        "file_name": Path(e.file).name,
        "file_sha256": e.file_sha256,
        "as_of": e.as_of.isoformat(),
        "policy": {
            "id": e.policy.id,
            "version": e.policy.version,
            "sha256": e.policy.sha256,
            "effective_from": e.policy.effective_from.isoformat(),
            "title": policy.title,
        },
        "eligible": tier.label if tier else None,
        "partner": bool(tier and tier.partner),
        "next": nxt.label if nxt else None,
        "windows": [{"name": name, **w} for name, w in e.windows.items()],
        "tiers": [
            {
                "label": t.label,
                "kind": kind,
                "met": t.met,
                "requirements": [
                    {
                        "label": r.label,
                        "value": r.value,
                        "threshold": r.threshold,
                        "met": r.met,
                        "shortfall": r.shortfall,
                    }
                    for r in t.requirements
                ],
                "alternatives": list(t.alternatives),
            }
            for t, kind in ((tier, "eligible"), (nxt, "next"))
            if t is not None
        ],
        "metrics": [_metric(m, e, policy) for m in e.metrics.values()],
        "at_risk": [{**_row(o, e, policy), "metric": e.metrics[o.metric].label} for o in e.at_risk],
        "at_risk_days": policy.at_risk_days,
        "loss": loss_sentence(e.loss) if e.loss else None,
        "benefits": e.benefits,
        "no_benefits": f"No benefits are listed for {tier.label}." if tier else "None before the firm joins.",
        "bars": [threshold_bar(e.metrics[m].label, e.metrics[m].value, thresholds[m]) for m in required],
        "lines": [
            month_line(e.metrics[m].label, [(d, monthly[d].get(m, 0)) for d in days], line_threshold[m])
            for m in required
        ]
        if days
        else [],
        "standing": _standing(e.standing, lambda t: labels.get(t, t)),
        "standings": [
            {"label": d.label, **standing}
            for i, d in enumerate(e.designations.values())
            if (standing := _standing(e.standing if i == 0 else d.standing, _labeller(e, d.id)))
        ],
        "designations": [_designation(e, d) for d in e.other_designations],
        "generated_at": generated_at,
    }


def _designation(e: Evaluation, d: LadderResult) -> dict[str, Any]:
    """Another designation's row: its eligible tier, its standing, and what its next tier lacks."""
    s, nxt = d.standing, d.next_tier
    return {
        "label": d.label,
        "eligible": tier_label(e, d.id, d.eligible_tier),
        "standing": tier_label(e, d.id, s.tier) if s else None,
        "since": s.since.isoformat() if s else None,
        "pending": f"demotion to {tier_label(e, d.id, s.pending_demotion.to_tier)} on "
        f"{s.pending_demotion.effective_on}"
        if s and s.pending_demotion
        else None,
        "next": nxt.label if nxt else None,
        "needs": "; ".join(gaps(e, nxt)) or "nothing more: met" if nxt else None,
        "alternatives": list(nxt.alternatives) if nxt else [],
    }


def _labeller(e: Evaluation, designation: str) -> Callable[[str], str]:
    return lambda tier: tier_label(e, designation, tier)


def generated_at_from(epoch: str | None) -> str | None:
    """A time in the pack only when SOURCE_DATE_EPOCH asks for one, so packs are reproducible."""
    if not epoch:
        return None
    if not epoch.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds")
    try:
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch} is past the year 9999") from None


def _kind(record: dict[str, Any]) -> str:
    """Which list of the firm file a record comes from, by the field only that kind has."""
    if "last_active_on" in record:
        return "people"
    if "stage" in record:
        return "deployments"
    if "published_on" in record:
        return "stories"
    return "other"


def _standing(standing: Standing | None, name: Callable[[str], str]) -> dict[str, Any] | None:
    """A standing for the pack: its tiers by label, its history, a pending demotion, the next review."""
    s = standing_json(standing)
    if s["standing"] is None:
        return None
    return {
        "tier": name(s["standing"]["tier"]),
        "since": s["standing"]["since"],
        "history": [{**h, "from": name(h["from"]), "to": name(h["to"])} for h in s["history"]],
        "pending": s["pending_demotion"]
        and {**s["pending_demotion"], "to": name(s["pending_demotion"]["to"])},
        "next": s["next_review"],
    }


def render(
    e: Evaluation,
    policy: Policy,
    policies: PolicySet,
    data: dict[str, Any],
    templates: str | Path | None = None,
) -> dict[str, str]:
    """The pack's three files, rendered in memory: evidence.html, evidence.md, evidence.json."""
    year = _year_window(policy)
    first = date.fromisoformat(e.windows[year]["first"]) if year else e.as_of
    monthly = monthly_values(policies, data, month_ends(first, e.as_of))
    ctx = context(e, policy, monthly, generated_at_from(os.environ.get("SOURCE_DATE_EPOCH")))
    from .templates import environment  # here: Jinja takes ~65 ms to import, which jsonl need not pay

    return {
        "evidence.html": environment(templates).get_template("evidence.html.j2").render(ctx),
        "evidence.md": markdown_env(templates).get_template("evidence.md.j2").render(ctx),
        "evidence.json": json.dumps(evaluation_json(e), indent=2) + "\n",
    }


def render_markdown(e: Evaluation, policy: Policy, templates: str | Path | None = None) -> str:
    """The pack's Markdown alone (for `evaluate --format markdown`): it draws no chart, so no series."""
    ctx = context(e, policy, {}, generated_at_from(os.environ.get("SOURCE_DATE_EPOCH")))
    return str(markdown_env(templates).get_template("evidence.md.j2").render(ctx))


def _year_window(policy: Policy) -> str | None:
    """The longest window, over which the monthly chart runs (the trailing year in the shipped policy)."""
    windows = policy.windows
    if not windows:
        return None
    return max(windows, key=lambda n: windows[n].term.days + 31 * windows[n].term.months)


def markdown_env(templates: str | Path | None) -> Any:
    """The same loader without HTML escaping; firm text is escaped for Markdown by the `md` filter."""
    from .templates import environment

    env = environment(templates, autoescape=False)
    env.filters["md"] = md_escape
    env.filters["md_url"] = md_url
    return env


def markdown_problems(file: str, problems: list[str]) -> str:
    """An invalid file in Markdown output: a heading and one list item per `FILE:LINE:COL: message`."""
    items = "".join(f"- {md_escape(p)}\n" for p in problems)
    return f"## {md_escape(file)}: invalid, not evaluated\n\n{items}\n"


def md_escape(value: Any) -> str:
    """Escape text for a Markdown table cell: no table break, emphasis, link, HTML or code."""
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ")
    for ch in "\\`*_[]<>|#!":
        text = text.replace(ch, "\\" + ch)
    return text


MD_URL_ESCAPES = {"|": "%7C", "<": "%3C", ">": "%3E", " ": "%20", "\\": "%5C", "`": "%60"}


def md_url(url: str) -> str:
    """Percent-encode what would end an autolink or a table cell, or escape the closing bracket."""
    return "".join(MD_URL_ESCAPES.get(ch, ch) for ch in url)
