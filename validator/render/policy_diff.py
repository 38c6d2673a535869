"""Render a policy comparison and its impact on firms as text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..language.model import Policy
from ..policy_diff import Impact, Move, Moves
from ..problem import shown


def _name(p: Policy) -> str:
    return f"{p.id} {p.version} (in effect from {p.effective_from})"


def _tier(t: str | None) -> str:
    return t or "none"


def as_json(old: Policy, new: Policy, changes: list[str], impact: Impact | None) -> str:
    doc: dict[str, Any] = {
        "old": {"id": old.id, "version": old.version, "sha256": old.sha256, "path": old.path},
        "new": {"id": new.id, "version": new.version, "sha256": new.sha256, "path": new.path},
        "changes": changes,
    }
    if impact is not None:
        first = _moves_json(impact.first)
        doc["impact"] = {
            "as_of": impact.as_of.isoformat(),
            "firms": impact.firms,
            **{k: first[k] for k in ("moved", "up", "down", "counts", "moves", "renamed")},
            "invalid": [{"file": f, "problems": [p.as_json() for p in ps]} for f, ps in impact.invalid],
            "standing": first["standing"],
            "designations": {
                d: {"compared_with": impact.pairs[d], **_moves_json(m)}
                for d, m in impact.designations.items()
            },
        }
    return json.dumps(doc, indent=2) + "\n"


def _moves_json(moves: Moves) -> dict[str, Any]:
    """One designation's moves in eligible tier and in standing, each with its totals."""

    def listed(ms: list[Move]) -> dict[str, Any]:
        moved = [m for m in ms if m.moved]
        return {
            "moved": len(moved),
            "up": sum(m.direction == "up" for m in moved),
            "down": sum(m.direction == "down" for m in moved),
            "moves": [
                {"file": m.file, "firm": m.firm, "from": m.old, "to": m.new, "direction": m.direction}
                for m in moved
            ],
            "renamed": [
                {"file": m.file, "firm": m.firm, "from": m.old, "to": m.new} for m in ms if not m.moved
            ],
        }

    counts = [{"from": a, "to": b, "firms": n} for (a, b), n in sorted(moves.counts.items(), key=str)]
    return {**listed(moves.eligible), "counts": counts, "standing": listed(moves.standing)}


def _label(new: Policy, designation: str) -> str:
    return next(d.label for d in new.designations if d.id == designation)


def _where(new: Policy, impact: Impact) -> str:
    """' in Membership' when several designations are compared: which one the top level is; else ''."""
    return f" in {_label(new, next(iter(impact.designations)))}" if len(impact.designations) > 1 else ""


def _updown(moves: list[Move]) -> str:
    """'2 moved (1 up, 1 down)', and how many keep their place in a renamed tier when any do."""
    up, down = (sum(m.direction == d for m in moves) for d in ("up", "down"))
    same = len(moves) - up - down
    return f"{up + down} moved ({up} up, {down} down)" + (f", {same} {_kept(same)}" if same else "")


def _kept(n: int) -> str:
    return f"keep{'s' * (n == 1)} {'its' if n == 1 else 'their'} place in a renamed tier"


def as_text(old: Policy, new: Policy, changes: list[str], impact: Impact | None) -> str:
    lines = [f"{_name(old)} -> {_name(new)}", f"changes ({len(changes)}):" if changes else "no changes"]
    lines += [f"  - {c}" for c in changes]
    if impact is not None:
        first, where = impact.first, _where(new, impact)
        lines.append(
            f"firms as of {impact.as_of}: {impact.firms} evaluated, {_updown(first.eligible)}{where}, "
            f"{len(impact.invalid)} invalid"
        )
        lines += _moves_text(first.eligible, with_counts=first)
        lines += [f"  invalid: {ps[0]}" for _, ps in impact.invalid]
        lines.append(f"standing{where} as of {impact.as_of}: {_updown(first.standing)}")
        lines += _moves_text(first.standing)
        for designation, moves in list(impact.designations.items())[1:]:
            label = _label(new, designation)
            lines.append(f"eligible in {label} as of {impact.as_of}: {_updown(moves.eligible)}")
            lines += _moves_text(moves.eligible, with_counts=moves)
            lines.append(f"standing in {label} as of {impact.as_of}: {_updown(moves.standing)}")
            lines += _moves_text(moves.standing)
    return "\n".join(lines) + "\n"


def _moves_text(moves: list[Move], with_counts: Moves | None = None) -> list[str]:
    """Each move on a line, after the count of each (from, to) when asked."""
    counts = sorted(with_counts.counts.items(), key=str) if with_counts else []
    lines = [f"  {_tier(a)} -> {_tier(b)}: {n}" for (a, b), n in counts]
    return lines + [
        f"  {m.direction if m.moved else 'same':<4} {shown(m.file)} ({m.firm}): {_tier(m.old)} -> "
        f"{_tier(m.new)}{'' if m.moved else ' (renamed: the same place on the ladder)'}"
        for m in moves
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(old: Policy, new: Policy, changes: list[str], impact: Impact | None) -> str:
    lines = [f"## Policy change: {_cell(_name(old))} → {_cell(_name(new))}", ""]
    lines += [f"- {_cell(c)}" for c in changes] or ["No changes."]
    if impact is not None:
        first = impact.first
        lines += [
            "",
            f"### Firms as of {impact.as_of}",
            "",
            f"{impact.firms} evaluated, {_updown(first.eligible)}{_where(new, impact)}, "
            f"{len(impact.invalid)} invalid.",
        ]
        lines += _moves_markdown(first)
        if impact.invalid:
            lines += ["", "Invalid firm files:", ""] + [
                f"- `{_cell(str(ps[0]))}`" for _, ps in impact.invalid
            ]
        for designation, moves in list(impact.designations.items())[1:]:
            lines += ["", f"### {_cell(_label(new, designation))} as of {impact.as_of}", ""]
            lines += [f"{_updown(moves.eligible)}."]
            lines += _moves_markdown(moves)
    return "\n".join(lines) + "\n"


def _moves_markdown(moves: Moves) -> list[str]:
    """A designation's moves as tables: (from, to) counts, each firm, then its standing's moves."""
    lines = []
    if moves.counts:
        lines += ["", "| from | to | firms |", "|---|---|---:|"]
        lines += [f"| {_tier(a)} | {_tier(b)} | {n} |" for (a, b), n in sorted(moves.counts.items(), key=str)]
    lines += _firms_markdown(moves.eligible, "from")
    lines += ["", f"Standing: {_updown(moves.standing)}."]
    return lines + _firms_markdown(moves.standing, "standing from")


def _firms_markdown(moves: list[Move], heading: str) -> list[str]:
    """A table of the firms that move, then one of those that keep their place in a renamed tier."""
    lines = []
    for rows, head in (
        ([m for m in moves if m.moved], heading),
        ([m for m in moves if not m.moved], "renamed from"),
    ):
        if rows:
            lines += ["", f"| firm | file | {head} | to |", "|---|---|---|---|"]
            lines += [
                f"| {_cell(m.firm)} | {_cell(m.file)} | {_tier(m.old)} | {_tier(m.new)} |" for m in rows
            ]
    return lines


RENDER: dict[str, Callable[[Policy, Policy, list[str], Impact | None], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "json": as_json,
}
