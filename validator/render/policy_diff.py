"""Render a policy comparison and its impact on firms as text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..language.model import Policy
from ..policy_diff import Impact
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
        doc["impact"] = {
            "as_of": impact.as_of.isoformat(),
            "firms": impact.firms,
            "moved": len(impact.moves),
            "up": sum(m.direction == "up" for m in impact.moves),
            "down": sum(m.direction == "down" for m in impact.moves),
            "counts": [
                {"from": a, "to": b, "firms": n} for (a, b), n in sorted(impact.counts.items(), key=str)
            ],
            "moves": [
                {"file": m.file, "firm": m.firm, "from": m.old, "to": m.new, "direction": m.direction}
                for m in impact.moves
            ],
            "invalid": [{"file": f, "problems": [p.as_json() for p in ps]} for f, ps in impact.invalid],
            "standing": {
                "moved": len(impact.standing_moves),
                "up": sum(m.direction == "up" for m in impact.standing_moves),
                "down": sum(m.direction == "down" for m in impact.standing_moves),
                "moves": [
                    {"file": m.file, "firm": m.firm, "from": m.old, "to": m.new, "direction": m.direction}
                    for m in impact.standing_moves
                ],
            },
        }
    return json.dumps(doc, indent=2) + "\n"


def as_text(old: Policy, new: Policy, changes: list[str], impact: Impact | None) -> str:
    lines = [f"{_name(old)} -> {_name(new)}", f"changes ({len(changes)}):" if changes else "no changes"]
    lines += [f"  - {c}" for c in changes]
    if impact is not None:
        up = sum(m.direction == "up" for m in impact.moves)
        lines.append(
            f"firms as of {impact.as_of}: {impact.firms} evaluated, {len(impact.moves)} move "
            f"({up} up, {len(impact.moves) - up} down), {len(impact.invalid)} invalid"
        )
        lines += [f"  {_tier(a)} -> {_tier(b)}: {n}" for (a, b), n in sorted(impact.counts.items(), key=str)]
        lines += [
            f"  {m.direction:<4} {shown(m.file)} ({m.firm}): {_tier(m.old)} -> {_tier(m.new)}"
            for m in impact.moves
        ]
        lines += [f"  invalid: {ps[0]}" for _, ps in impact.invalid]
        moves = impact.standing_moves
        up = sum(m.direction == "up" for m in moves)
        lines.append(f"standing as of {impact.as_of}: {len(moves)} move ({up} up, {len(moves) - up} down)")
        lines += [f"  {m.direction:<4} {m.file} ({m.firm}): {_tier(m.old)} -> {_tier(m.new)}" for m in moves]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(old: Policy, new: Policy, changes: list[str], impact: Impact | None) -> str:
    lines = [f"## Policy change: {_cell(_name(old))} → {_cell(_name(new))}", ""]
    lines += [f"- {_cell(c)}" for c in changes] or ["No changes."]
    if impact is not None:
        up = sum(m.direction == "up" for m in impact.moves)
        lines += [
            "",
            f"### Firms as of {impact.as_of}",
            "",
            f"{impact.firms} evaluated, {len(impact.moves)} move ({up} up, {len(impact.moves) - up} down), "
            f"{len(impact.invalid)} invalid.",
        ]
        if impact.moves:
            lines += ["", "| from | to | firms |", "|---|---|---:|"]
            lines += [
                f"| {_tier(a)} | {_tier(b)} | {n} |" for (a, b), n in sorted(impact.counts.items(), key=str)
            ]
            lines += ["", "| firm | file | from | to |", "|---|---|---|---|"]
            lines += [
                f"| {_cell(m.firm)} | {_cell(m.file)} | {_tier(m.old)} | {_tier(m.new)} |"
                for m in impact.moves
            ]
        moves = impact.standing_moves
        up = sum(m.direction == "up" for m in moves)
        lines += ["", f"Standing: {len(moves)} move ({up} up, {len(moves) - up} down)."]
        if moves:
            lines += ["", "| firm | file | standing from | to |", "|---|---|---|---|"]
            lines += [
                f"| {_cell(m.firm)} | {_cell(m.file)} | {_tier(m.old)} | {_tier(m.new)} |" for m in moves
            ]
        if impact.invalid:
            lines += ["", "Invalid firm files:", ""] + [
                f"- `{_cell(str(ps[0]))}`" for _, ps in impact.invalid
            ]
    return "\n".join(lines) + "\n"


RENDER: dict[str, Callable[[Policy, Policy, list[str], Impact | None], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "json": as_json,
}
