"""The one result of evaluating a firm as of a date, and its plain-JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .language.rules import Failed
from .language.values import Number, tidy

if TYPE_CHECKING:
    from .standing import Standing


REACH = 0.75  # within reach of a tier: every requirement of it at least this share met


@dataclass(slots=True)
class Outcome:
    """Whether one record counted for a metric, and if not, why; if so, until when."""

    metric: str
    id: str
    label: str
    counted: bool
    record: dict[str, Any]
    failed: Failed | None = None
    drops_out_on: date | None = None
    via: dict[str, Any] | None = None
    linked: dict[str, Any] | None = None
    points: Number | None = None  # what it gives a points metric
    drop: Failed | None = None  # at risk: the rule it fails on drops_out_on, so the reason it drops out

    def giving(self, metric: str, points: Number) -> Outcome:
        """The same record's outcome under a metric of its metric's records that gives it `points`: as
        `dataclasses.replace` would make it, at a tenth of the cost (a points metric shows each record)."""
        return Outcome(
            metric,
            self.id,
            self.label,
            self.counted,
            self.record,
            self.failed,
            self.drops_out_on,
            self.via,
            self.linked,
            points,
            self.drop,
        )

    @property
    def drop_reason(self) -> str | None:
        return self.drop.reason if self.drop else None

    @property
    def drop_message(self) -> str | None:
        return self.drop.message if self.drop else None

    @property
    def reason(self) -> str | None:
        return self.failed.reason if self.failed else None

    @property
    def message(self) -> str | None:
        return self.failed.message if self.failed else None


@dataclass(slots=True)
class MetricResult:
    """A metric's value with the records that counted and those that did not."""

    id: str
    label: str
    value: Number
    counted: list[Outcome]
    excluded: list[Outcome]
    derived_from: str | None = None
    sum_of: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement of a tier against the firm's value."""

    metric: str
    label: str
    value: Number
    threshold: Number

    @property
    def met(self) -> bool:
        return self.value >= self.threshold

    @property
    def shortfall(self) -> Number:
        return tidy(round(max(0, self.threshold - self.value), 9))


@dataclass(frozen=True, slots=True)
class PrerequisiteCheck:
    """A tier of another designation a tier requires, against the firm's eligible tier there."""

    designation: str
    tier: str
    held: str | None  # the firm's eligible tier in that designation
    met: bool  # held is that tier or above it


@dataclass(frozen=True, slots=True)
class TierCheck:
    """A tier of the ladder and how the firm stands against each of its requirements."""

    id: str
    label: str
    partner: bool
    requirements: tuple[Requirement, ...]  # with alternatives: those of the one closest to being met
    benefits: tuple[str, ...]
    prerequisites: tuple[PrerequisiteCheck, ...] = ()
    alternatives: tuple[str, ...] = ()  # of each any_of, which alternative `requirements` follows

    @property
    def met(self) -> bool:
        return all(r.met for r in self.requirements) and all(p.met for p in self.prerequisites)

    @property
    def to_close(self) -> list[Requirement]:
        """The unmet requirements, the first gap to close first: smallest share of its threshold missing."""
        return sorted((r for r in self.requirements if not r.met), key=lambda r: r.shortfall / r.threshold)

    @property
    def within_reach(self) -> bool:
        """Some requirement unmet, but every one at least REACH met, and every prerequisite tier held
        (one not held is not met at all): what "within reach" means everywhere."""
        return (
            any(not r.met for r in self.requirements)
            and all(r.value >= REACH * r.threshold for r in self.requirements)
            and all(p.met for p in self.prerequisites)
        )


def next_tier(tiers: list[TierCheck], eligible: str | None) -> TierCheck | None:
    """The tier above the eligible one (the lowest when there is none), or None at the top."""
    if eligible is None:
        return tiers[0] if tiers else None
    i = [t.id for t in tiers].index(eligible)
    return tiers[i + 1] if i + 1 < len(tiers) else None


@dataclass
class LadderResult:
    """One designation's ladder for the firm: the eligible tier, each tier checked, and its standing."""

    id: str
    label: str
    eligible_tier: str | None
    tiers: list[TierCheck]
    standing: Standing | None = None

    @property
    def next_tier(self) -> TierCheck | None:
        return next_tier(self.tiers, self.eligible_tier)


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """Which policy version decided, and its digest."""

    id: str
    version: str
    effective_from: date
    sha256: str
    path: str


@dataclass(frozen=True, slots=True)
class Loss:
    """The first day the eligible tier would be lost if the data stayed as it is, and why."""

    on: date
    tier: str  # its label
    metric: str  # the label of the requirement that falls short
    left: Number  # the metric's value on that day
    threshold: Number
    record: Outcome  # the record whose drop takes it below the threshold
    alternatives: tuple[str, ...] = ()  # of each any_of on the way to the requirement, the one closest
    others: int = 0  # how many more of the requirement's records drop out on that day


@dataclass
class Evaluation:
    """Everything the renderers show about one firm as of one date; they compute nothing more."""

    file: str
    file_sha256: str
    firm: dict[str, Any]
    as_of: date
    policy: PolicyRef
    eligible_tier: str | None
    metrics: dict[str, MetricResult]
    tiers: list[TierCheck]
    windows: dict[str, dict[str, str]]
    at_risk: list[Outcome]
    standing: Standing | None = None
    designations: dict[str, LadderResult] = field(default_factory=dict)  # every ladder; the first is above
    loss: Loss | None = None  # the first day the eligible tier would be lost, within the at-risk horizon

    def tier(self, tier_id: str | None) -> TierCheck | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    @property
    def next_tier(self) -> TierCheck | None:
        return next_tier(self.tiers, self.eligible_tier)

    @property
    def other_designations(self) -> list[LadderResult]:
        """Every ladder but the first (whose tier, tiers and standing are the evaluation's own)."""
        return list(self.designations.values())[1:]

    @property
    def benefits(self) -> list[str]:
        """The benefits of the eligible tier and every tier below it (the ladder is cumulative)."""
        out: list[str] = []
        for tier in self.tiers:
            out.extend(tier.benefits)
            if tier.id == self.eligible_tier:
                return out
        return []


def outcome_json(o: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {"id": o.id, "label": o.label}
    if o.counted:
        out["drops_out_on"] = o.drops_out_on.isoformat() if o.drops_out_on else None
        drop = o.drop
        if drop is not None:  # why it drops out: the reason it will not count on that day
            out["drop_reason"], out["drop_message"] = drop.reason, drop.message
        if o.points is not None:
            out["points"] = o.points
    else:
        failed = o.failed
        out["reason"], out["message"] = (failed.reason, failed.message) if failed else (None, None)
    return out


def requirement_json(r: Requirement) -> dict[str, Any]:
    return {
        "metric": r.metric,
        "value": r.value,
        "threshold": r.threshold,
        "met": r.met,
        "shortfall": r.shortfall,
    }


def evaluation_json(e: Evaluation) -> dict[str, Any]:
    """The machine-readable form of `tiercheck evaluate --format json` (see docs/cli.md)."""
    shown: dict[int, dict[str, Any]] = {}  # an at-risk record is also a counted one: said once

    def said(o: Outcome) -> dict[str, Any]:
        out = shown.get(id(o))
        if out is None:
            out = shown[id(o)] = outcome_json(o)
        return out

    return {
        "file": e.file,
        "file_sha256": e.file_sha256,
        "firm": {"id": e.firm.get("id"), "name": e.firm.get("name"), "joined_on": e.firm.get("joined_on")},
        "as_of": e.as_of.isoformat(),
        "policy": {
            "id": e.policy.id,
            "version": e.policy.version,
            "effective_from": e.policy.effective_from.isoformat(),
            "sha256": e.policy.sha256,
        },
        "eligible_tier": e.eligible_tier,
        "metrics": {
            m.id: {
                "label": m.label,
                "value": m.value,
                "counted": [said(o) for o in m.counted],
                "excluded": [outcome_json(o) for o in m.excluded],
            }
            for m in e.metrics.values()
        },
        "next_tier": next_tier_json(e.next_tier),
        "at_risk": [{"metric": o.metric, **said(o)} for o in e.at_risk],
        "loss": loss_json(e.loss),
        "windows": e.windows,
        **standing_json(e.standing),
        "designations": {
            d.id: {
                "label": d.label,
                "eligible_tier": d.eligible_tier,
                "metrics": {
                    r.metric: r.value for t in d.tiers for r in t.requirements
                },  # the values its tiers require
                "next_tier": next_tier_json(d.next_tier),
                **standing_json(e.standing if i == 0 else d.standing),
            }
            for i, d in enumerate(e.designations.values())
        },
    }


def loss_json(loss: Loss | None) -> dict[str, Any] | None:
    """The first day the eligible tier would be lost if nothing changed, and the record that does it."""
    if loss is None:
        return None
    return {
        "on": loss.on.isoformat(),
        "tier": loss.tier,
        "requirement": loss.metric,
        "value": loss.left,
        "threshold": loss.threshold,
        "record": {"metric": loss.record.metric, **outcome_json(loss.record)},
        "others_dropping_out": loss.others,
    }


def next_tier_json(t: TierCheck | None) -> dict[str, Any] | None:
    """The tier above, each requirement with its value and shortfall, any prerequisite tiers, and of
    alternatives the one its requirements follow."""
    if t is None:
        return None
    out: dict[str, Any] = {"id": t.id, "requirements": [requirement_json(r) for r in t.requirements]}
    if t.prerequisites:
        out["prerequisites"] = [
            {"designation": p.designation, "tier": p.tier, "held": p.held, "met": p.met}
            for p in t.prerequisites
        ]
    if t.alternatives:
        out["alternatives"] = list(t.alternatives)
    return out


def standing_json(s: Standing | None) -> dict[str, Any]:
    """The awarded tier, its history, a pending demotion and the next review, as plain JSON."""
    if s is None:
        return {"standing": None, "history": [], "pending_demotion": None, "next_review": None}
    pending, nxt = s.pending_demotion, s.next_review
    return {
        "standing": {"tier": s.tier, "since": s.since.isoformat()},
        "history": [
            {
                "on": c.on.isoformat(),
                "kind": c.kind,
                "review": c.label,
                "from": c.from_tier,
                "to": c.to_tier,
                "why": c.why,
            }
            for c in s.history
        ],
        "pending_demotion": None
        if pending is None
        else {
            "given_on": pending.given_on.isoformat(),
            "effective_on": pending.effective_on.isoformat(),
            "to": pending.to_tier,
        },
        "next_review": None
        if nxt is None
        else {
            "on": nxt.on.isoformat(),
            "kind": nxt.kind,
            "review": nxt.label,
            "eligible_tier": nxt.eligible_tier,
            "tier_after": nxt.tier_after,
            "outcome": nxt.outcome,
        },
    }
