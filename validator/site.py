"""The program site's content as plain values: each firm's index row and page, the index, the program."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .evaluate import Timeline, evaluate
from .language.diff import describe_changes
from .language.model import Policy
from .language.requirements import leaves
from .language.rules import Context
from .language.values import Number
from .language.words import metric_text, need_text, reviews_text, rule_text
from .loss import lost_on
from .policies import PolicySet
from .render.charts import daily_line, distribution_bars
from .render.evidence import context as pack_context
from .render.text import lacks, tier_label
from .result import REACH, Evaluation, LadderResult
from .standing import Standing, calendar_ahead, compute_standing

AHEAD_DAYS = 90  # the daily chart runs this many days past the as-of date, as the data stands


@dataclass(frozen=True)
class Daily:
    """Each headline metric's value on every day of the chart, and the day the tier would be lost."""

    first: date
    last: date
    values: dict[str, list[Number | None]]  # None: no policy version in effect that day
    thresholds: dict[tuple[str, str], list[Number | None]]  # (tier, metric) -> the tier's threshold each day
    lost_on: date | None


def headline(policy: Policy) -> list[str]:
    """The metrics some tier requires, in the policy's order: the numbers a firm watches."""
    required = {r.metric for t in policy.tiers for r in leaves(t.requires)}
    return [m.id for m in policy.metrics if m.id in required]


def daily(
    policies: PolicySet, data: dict[str, Any], e: Evaluation, metrics: list[str], tiers: list[str]
) -> Daily:
    """Every day from the start of the longest window to AHEAD_DAYS past the as-of date, each under the
    policy version in effect that day; `tiers` are the tiers whose thresholds are drawn."""
    first = min(date.fromisoformat(w["first"]) for w in e.windows.values()) if e.windows else e.as_of
    last = e.as_of + timedelta(days=AHEAD_DAYS)
    values: dict[str, list[Number | None]] = {m: [] for m in metrics}
    thresholds: dict[tuple[str, str], list[Number | None]] = {(t, m): [] for t in tiers for m in metrics}
    timelines: list[tuple[date, Timeline]] = []
    start = first
    for policy, seg_first, seg_last in _segments(policies, first, last):
        gap = (seg_first - start).days  # days before the first version: no value
        for m in metrics:
            values[m] += [None] * gap
        for key in thresholds:
            thresholds[key] += [None] * gap
        timeline = Timeline(policy, data, known_on=e.as_of)  # ahead: records dropping out, none joining
        timelines.append((seg_first, timeline))
        n = (seg_last - seg_first).days + 1
        for m in metrics:
            metric = timeline.metrics.get(m)
            values[m] += [None] * n if metric is None else list(timeline.series(metric, seg_first, seg_last))
        for t, m in thresholds:
            thresholds[(t, m)] += [_threshold(policy, t, m)] * n
        start = seg_last + timedelta(days=1)
    held, tiers = e.eligible_tier, [t.id for t in e.tiers]
    lost = None if held is None else lost_on(timelines, e.as_of, last, tiers, held)
    return Daily(first, last, values, thresholds, lost)


def _segments(policies: PolicySet, first: date, last: date) -> list[tuple[Policy, date, date]]:
    """The runs of days from `first` to `last` under one policy version each."""
    out = []
    for i, policy in enumerate(policies.versions):
        end = (
            policies.versions[i + 1].effective_from - timedelta(days=1)
            if i + 1 < len(policies.versions)
            else last
        )
        a, b = max(first, policy.effective_from), min(last, end)
        if a <= b:
            out.append((policy, a, b))
    return out


def _threshold(policy: Policy, tier: str, metric: str) -> Number | None:
    """The tier's threshold on the metric (with alternatives, the first that names it)."""
    t = policy.tier(tier)
    return None if t is None else next((r.at_least for r in leaves(t.requires) if r.metric == metric), None)


def assess(policies: PolicySet, file: str, sha256: str, data: dict[str, Any], as_of: date) -> Evaluation:
    """The evaluation with the standing in every designation, as the pack and the row read it."""
    e = evaluate(policies.in_effect(as_of), data, as_of, file=file, sha256=sha256)
    e.standing = compute_standing(policies, data, as_of, look_ahead=True)
    for ladder in e.other_designations:
        ladder.standing = compute_standing(policies, data, as_of, look_ahead=True, designation=ladder.id)
    return e


def _label(e: Evaluation, tier: str | None) -> str:
    t = e.tier(tier)
    return t.label if t else (tier or "")


def _demotion(s: Standing | None) -> tuple[str, date] | None:
    notice = None if s is None else (s.pending_demotion or s.look_notice)
    return None if notice is None else (notice.to_tier, notice.effective_on)


def firm_row(e: Evaluation, page: str, metrics: list[str], lost_on: date | None) -> dict[str, Any]:
    """What the index, firms.csv and firms.json say of one evaluated firm: plain values only."""
    nxt = e.next_tier
    needs = {r.metric: r for r in nxt.requirements} if nxt else {}
    short = nxt.to_close if nxt else []  # the first gap to close first
    s = e.standing
    demotion = _demotion(s)
    ranks = [t.id for t in e.tiers]
    others = [_ladder_row(e, d) for d in e.other_designations]
    return {
        "id": e.firm["id"],
        "name": e.firm["name"],
        "file": e.file,
        "page": page,
        "eligible_tier": e.eligible_tier,
        "eligible_label": _label(e, e.eligible_tier) or "Not yet joined",
        "eligible_rank": ranks.index(e.eligible_tier) if e.eligible_tier in ranks else -1,
        "standing": s.tier if s else None,
        "standing_label": _label(e, s.tier) if s else "",
        "standing_rank": ranks.index(s.tier) if s and s.tier in ranks else -1,
        "standing_since": s.since.isoformat() if s else None,
        "next_tier": nxt.id if nxt else None,
        "next_label": nxt.label if nxt else "",
        "requirements": [
            {
                "metric": m,
                "value": e.metrics[m].value,
                "threshold": needs[m].threshold if m in needs else None,
                "met": needs[m].met if m in needs else None,
            }
            for m in metrics
        ],
        "first_gap": lacks(short[0].label, short[0].value, short[0].threshold) if short else "",
        "gap_share": round(sum(r.shortfall / r.threshold for r in short), 4),
        "within_reach": bool(nxt and nxt.within_reach),
        "demotion_to": demotion[0] if demotion else None,
        "demotion_label": _label(e, demotion[0]) if demotion else "",
        "demotion_on": demotion[1].isoformat() if demotion else None,
        "tier_lost_on": lost_on.isoformat() if lost_on else None,
        "designations": others,
        "any_within_reach": bool(nxt and nxt.within_reach) or any(d["within_reach"] for d in others),
        "any_demotion": demotion is not None or any(d["demotion_on"] for d in others),  # the filters'
        "problems": [],
    }


def _ladder_row(e: Evaluation, d: LadderResult) -> dict[str, Any]:
    """The firm in another designation: its eligible tier, its standing, what comes next, a demotion."""
    s, nxt = d.standing, d.next_tier
    demotion = _demotion(s)
    return {
        "id": d.id,
        "label": d.label,
        "eligible_tier": d.eligible_tier,
        "eligible_label": tier_label(e, d.id, d.eligible_tier),
        "standing": s.tier if s else None,
        "standing_label": tier_label(e, d.id, s.tier) if s else "",
        "standing_since": s.since.isoformat() if s else None,
        "next_tier": nxt.id if nxt else None,
        "within_reach": bool(nxt and nxt.within_reach),
        "demotion_to": demotion[0] if demotion else None,
        "demotion_label": tier_label(e, d.id, demotion[0]) if demotion else "",
        "demotion_on": demotion[1].isoformat() if demotion else None,
    }


def invalid_row(file: str, problems: list[str]) -> dict[str, Any]:
    """An invalid file as the index lists it: where it is and what is wrong."""
    return {"id": None, "file": file, "eligible_tier": None, "standing": None, "problems": problems}


def firm_page(
    policies: PolicySet, e: Evaluation, data: dict[str, Any], metrics: list[str]
) -> tuple[dict[str, Any], Daily]:
    """The firm page: the evidence pack's content with a daily chart of each headline number."""
    policy = policies.in_effect(e.as_of)
    ctx = pack_context(e, policy, {})
    nxt = e.next_tier
    tiers = [t for t in (e.eligible_tier, nxt.id if nxt else None) if t is not None]
    d = daily(policies, data, e, metrics, tiers)
    as_of_index = (e.as_of - d.first).days
    lost_index = (d.lost_on - d.first).days if d.lost_on else None
    labels = {t.id: t.label for t in e.tiers}
    ctx["daily"] = [
        daily_line(
            e.metrics[m].label,
            d.first,
            d.values[m],
            [(labels.get(t, t), d.thresholds[(t, m)]) for t in tiers if any(d.thresholds[(t, m)])],
            as_of_index,
            lost_index,
        )
        for m in metrics
    ]
    ctx["daily_first"], ctx["daily_last"] = d.first.isoformat(), d.last.isoformat()
    ctx["lost"] = (
        None
        if d.lost_on is None
        else {"on": d.lost_on.isoformat(), "tier": labels.get(e.eligible_tier or "", e.eligible_tier)}
    )
    ctx["ahead_days"] = AHEAD_DAYS
    return ctx, d


def index_context(
    policies: PolicySet,
    as_of: date,
    metrics: list[str],
    eligible: Counter[tuple[str, str | None]],
    standing: Counter[tuple[str, str | None]],
    invalid: int,
) -> dict[str, Any]:
    """The index page around its rows: totals, the tier distribution chart of each designation (counts
    keyed by designation id and tier, None for not yet joined), the filters' choices."""
    policy = policies.in_effect(as_of)
    tiers = [(t.id, t.label) for t in policy.tiers]
    labels = {m.id: m.label for m in policy.metrics}
    main = policy.designations[0].id
    valid = sum(n for (d, _), n in eligible.items() if d == main)
    return {
        "as_of": as_of.isoformat(),
        "policy": {
            "id": policy.id,
            "version": policy.version,
            "sha256": policy.sha256,
            "title": policy.title,
        },
        "files": valid + invalid,
        "valid": valid,
        "invalid": invalid,
        "tiers": [{"id": t, "label": label} for t, label in tiers],
        "metrics": [{"id": m, "label": labels[m]} for m in metrics],
        "distribution": _distribution(tiers, main, eligible, standing, valid),
        "designations": [
            {
                "id": d.id,
                "label": d.label,
                "distribution": _distribution(
                    [(t.id, t.label) for t in d.tiers], d.id, eligible, standing, valid
                ),
            }
            for d in policy.designations[1:]
        ],
        "reach_percent": round(REACH * 100),
    }


def _distribution(
    tiers: list[tuple[str, str]],
    designation: str,
    eligible: Counter[tuple[str, str | None]],
    standing: Counter[tuple[str, str | None]],
    valid: int,
) -> dict[str, Any]:
    """One designation's firms by tier, eligible and held, as bars."""
    counts = [(label, eligible[designation, t], standing[designation, t]) for t, label in tiers]
    if eligible[designation, None] or standing[designation, None]:
        counts.append(("Not yet joined", eligible[designation, None], standing[designation, None]))
    return distribution_bars(counts, valid)


def program_context(policies: PolicySet, as_of: date) -> dict[str, Any]:
    """The policy in effect, for people: ladder, metrics, windows, credentials, reviews, every version."""
    policy = policies.in_effect(as_of)
    metrics = {m.id: m for m in policy.metrics}
    label = {m.id: m.label for m in policy.metrics}
    windows = Context.build(as_of, policy.windows).windows
    names = {n: w.label for n, w in windows.items()}
    reviews = calendar_ahead(policies, as_of, 400)
    per_firm = (
        ("Anniversary reviews fall", policy.reviews.promotion),
        ("Demotion looks fall", policy.reviews.demotion_look.on),
    )
    return {
        "as_of": as_of.isoformat(),
        "policy": {
            "id": policy.id,
            "version": policy.version,
            "sha256": policy.sha256,
            "title": policy.title,
            "effective_from": policy.effective_from.isoformat(),
            "file": Path(policy.path).name,
        },
        "several": len(policy.designations) > 1,
        "tier_level": 4 if len(policy.designations) > 1 else 3,
        "designations": [
            {
                "label": d.label,
                "tiers": [
                    {
                        "label": t.label,
                        "partner": t.partner,
                        "requires": [need_text(n, label, policy) for n in t.requires],
                        "benefits": list(t.benefits),
                    }
                    for t in d.tiers
                ],
            }
            for d in policy.designations
        ],
        "metrics": [
            {
                "id": m.id,
                "label": m.label,
                "meaning": " ".join(metric_text(m, metrics)),
                "from": {"id": m.derived_from, "label": label[m.derived_from]} if m.derived_from else None,
                "rules": [{"reason": r.reason, "text": rule_text(r, names)} for r in m.rules],
            }
            for m in policy.metrics
        ],
        "windows": [
            {"label": w.label, "first": w.first.isoformat(), "last": w.last.isoformat()}
            for w in windows.values()
        ],
        "credentials": [
            {
                "label": c.label or f"{c.name} ({c.level})",
                "from": c.from_.isoformat(),
                "until": c.until.isoformat() if c.until else None,
            }
            for c in policy.accepted
        ],
        "credential_term": str(policy.default_term),
        "reviews": [{"on": r.on.isoformat(), "label": r.label, "kind": r.kind} for r in reviews],
        "anniversaries": [f"{what} {days}" for what, days in per_firm if days.every_months],
        "notice_days": policy.reviews.demotion_look.notice_days,
        "notice_rules": reviews_text(policy.reviews),
        "cohorts": [
            {
                "on": o.on.isoformat(),
                "label": o.label,
                "joined_by": o.joined_on_or_before.isoformat() if o.joined_on_or_before else None,
            }
            for o in policy.reviews.one_off
        ],
        "versions": [
            {
                "id": v.id,
                "version": v.version,
                "effective_from": v.effective_from.isoformat(),
                "in_effect": v is policy,
                "changes": describe_changes(policies.versions[i - 1], v) if i else [],
                "first": i == 0,
            }
            for i, v in enumerate(policies.versions)
        ],
    }
