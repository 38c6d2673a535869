"""The human-readable summary of an evaluation, for a terminal or a CI log."""

from __future__ import annotations

from datetime import timedelta

from ..language.values import Number, tidy
from ..problem import shown
from ..result import Evaluation, LadderResult, Loss, TierCheck

AT_RISK_SHOWN = 10  # the soonest; a terminal is not the place for all of them


def render_text(e: Evaluation) -> str:
    """Tier, the numbers against the next tier, what to fix first, what did not count, what is at risk."""
    tier = e.tier(e.eligible_tier)
    lines = [
        f"{shown(e.file)}: {e.firm.get('name')} ({e.firm.get('id')})",
        f"  as of {e.as_of} under policy {e.policy.id} {e.policy.version} "
        f"(in effect from {e.policy.effective_from})",
        f"  eligible tier: {tier.label if tier else 'none (not yet joined on this date)'}",
    ]
    if e.loss is not None:
        lines.append(f"  {loss_sentence(e.loss)}")
    lines.extend(_standing_lines(e))
    for ladder in e.other_designations:
        lines.extend(_designation_lines(e, ladder))
    nxt = e.next_tier
    width = max(len(m.label) for m in e.metrics.values())
    needs = {r.metric: r for r in nxt.requirements} if nxt else {}
    for m in e.metrics.values():
        req = needs.get(m.id)
        against = ""
        if req:
            against = f"   {nxt.label if nxt else ''} needs {req.threshold}" + (
                f", {req.shortfall} short" if req.shortfall else ", met"
            )
        lines.append(f"    {m.label:<{width}} {m.value:>6}{against}")
    if nxt:
        lines.extend(f"  closest way to {nxt.label}: {a}" for a in nxt.alternatives)
        short = gaps(e, nxt)
        if short:
            lines.append(f"  to reach {nxt.label}, fix first:")
            lines.extend(f"    - {g}" for g in short)
    excluded = [o for m in e.metrics.values() for o in m.excluded]
    if excluded:
        lines.append(f"  did not count ({len(excluded)}):")
        lines.extend(
            f"    - {e.metrics[o.metric].label.lower()}: {o.label} [{o.id}] {o.message}" for o in excluded
        )
    if e.at_risk:
        lines.append(f"  at risk ({len(e.at_risk)}), still counting but dropping out:")
        lines.extend(
            f"    - {o.drops_out_on}  {e.metrics[o.metric].label.lower()}: {o.label} [{o.id}]"
            + (f": {o.drop_message}" if o.drop_message else "")
            for o in e.at_risk[:AT_RISK_SHOWN]
        )
        if len(e.at_risk) > AT_RISK_SHOWN:
            lines.append(f"    ... and {len(e.at_risk) - AT_RISK_SHOWN} more (--format json lists them all)")
    return "\n".join(lines) + "\n"


def tier_label(e: Evaluation, designation: str, tier_id: str | None) -> str:
    """A tier's label in one designation's ladder; 'none' for no tier."""
    ladder = e.designations.get(designation)
    tier = next((t for t in ladder.tiers if t.id == tier_id), None) if ladder else None
    return tier.label if tier else tier_id or "none"


def gaps(e: Evaluation, tier: TierCheck) -> list[str]:
    """What a tier still lacks, each as a phrase: a prerequisite tier elsewhere, then each short metric."""
    out = [
        f"{tier_label(e, p.designation, p.tier)} in {e.designations[p.designation].label} "
        f"(holds {tier_label(e, p.designation, p.held)})"
        for p in tier.prerequisites
        if not p.met
    ]
    out += [lacks(r.label, r.value, r.threshold) for r in tier.to_close]
    return out


def lacks(label: str, value: Number, threshold: Number) -> str:
    """A requirement's gap as every output says it: 'certified people: 1 more (9 of 10)'."""
    return f"{label.lower()}: {tidy(round(max(0, threshold - value), 9))} more ({value} of {threshold})"


def _designation_lines(e: Evaluation, ladder: LadderResult) -> list[str]:
    """Another designation's ladder in a few lines: its tier, its standing, what the next tier needs (and
    of alternatives, the way it is closest by), and what its next review would do."""
    if ladder.eligible_tier is None:  # every ladder's lowest tier asks nothing: not joined yet
        return [f"  {ladder.label}: none (not yet joined on this date)"]
    lines = [f"  {ladder.label}: eligible for {tier_label(e, ladder.id, ladder.eligible_tier)}"]
    s = ladder.standing
    if s is not None:
        lines[0] += f"; standing {tier_label(e, ladder.id, s.tier)} since {s.since}"
        if s.pending_demotion:
            p = s.pending_demotion
            lines[0] += f", demotion to {tier_label(e, ladder.id, p.to_tier)} on {p.effective_on}"
    nxt = ladder.next_tier
    if nxt is not None:
        missing = gaps(e, nxt)
        lines.append(f"    {nxt.label} needs " + ("; ".join(missing) if missing else "nothing more: met"))
        lines.extend(f"    closest way to {nxt.label}: {a}" for a in nxt.alternatives)
    if s is not None and s.next_review is not None:
        n = s.next_review
        lines.append(f"    next review: {n.on} {n.label.lower()}: {n.outcome} if the data stays as it is")
    return lines


def loss_sentence(loss: Loss) -> str:
    """When the eligible tier would be lost if nothing changed, and why, in one sentence."""
    o = loss.record
    why = f": {o.drop_message}" if o.drop_message else ""
    went = f"drops out{why}" if o.drops_out_on == loss.on else "gives fewer points"
    ways = f" ({'; '.join(loss.alternatives)})" if loss.alternatives else ""
    more = (
        f", and {loss.others} more {'drops' if loss.others == 1 else 'drop'} out that day"
        if loss.others
        else ""
    )
    return (
        f"eligible for {loss.tier} until {loss.on - timedelta(days=1)} if nothing changes: on {loss.on}, "
        f"{loss.metric.lower()}: {loss.left}, below the {loss.threshold} {loss.tier} needs{ways}, "
        f"when {o.label} [{o.id}] {went}{more}"
    )


def _standing_lines(e: Evaluation) -> list[str]:
    s = e.standing
    if s is None:
        return []
    awarded = next((c for c in reversed(s.history) if c.from_tier != c.to_tier), None)
    lines = [
        f"  standing: {_tier(e, s.tier)} since {s.since}" + (f" ({awarded.label.lower()})" if awarded else "")
    ]
    if s.pending_demotion:
        p = s.pending_demotion
        lines.append(
            f"  pending demotion: to {_tier(e, p.to_tier)} on {p.effective_on} (notice given {p.given_on})"
        )
    if s.next_review:
        n = s.next_review
        lines.append(f"  next review: {n.on} {n.label.lower()}: {n.outcome} if the data stays as it is")
    return lines


def _tier(e: Evaluation, tier_id: str) -> str:
    tier = e.tier(tier_id)
    return tier.label if tier else tier_id
