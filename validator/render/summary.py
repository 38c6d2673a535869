"""Render the program-wide summary as text, JSON, Markdown or a self-contained HTML overview."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..language.model import Designation, Policy
from ..problem import shown
from ..summary import Ladder, LadderLine, Summary
from .text import lacks


def _gap(line: LadderLine) -> str:
    return ", ".join(lacks(s.label, s.value, s.threshold) for s in line.shortfalls)


def context(s: Summary, policy: Policy) -> dict[str, Any]:
    """Plain named values for every format: the templates and the JSON compute nothing more. The top
    level is the first designation's; `designations` has every other, each with its own shortlists."""
    valid = s.files - s.invalid_count
    first, *others = (_ladder(s.ladder(d.id), d, valid) for d in policy.designations)
    return {
        "as_of": s.as_of.isoformat(),
        "policy": {"id": policy.id, "version": policy.version, "sha256": policy.sha256},
        "files": s.files,
        "valid": valid,
        "invalid_count": s.invalid_count,
        "distribution": first["distribution"],
        "designations": others,
        "within_reach": first["within_reach"],
        "facing_demotion_count": first["facing_demotion_count"],
        "facing_demotion": first["facing_demotion"],
        "invalid": [{"file": f.file, "problems": [p.as_json() for p in f.problems]} for f in s.invalid],
        "keep": s.keep,
        "within_reach_count": first["within_reach_count"],
        "shown": {**first["shown"], "invalid": _listed_of(len(s.invalid), s.invalid_count)},
    }


def _ladder(ladder: Ladder, designation: Designation, valid: int) -> dict[str, Any]:
    """One designation's tier counts and shortlists, its tiers by label."""
    labels = {t.id: t.label for t in designation.tiers}

    def label(tier: str | None) -> str:
        if tier in labels:
            return labels[tier]
        return "Not yet joined" if tier is None else str(tier)

    reach, demotion = ladder.within_reach, ladder.facing_demotion
    return {
        "id": designation.id,
        "label": designation.label,
        "distribution": _distribution([*labels, None], label, ladder.eligible, ladder.standing, valid),
        "within_reach": [
            {
                "file": f.file,
                "firm": f.firm,
                "name": f.name,
                "eligible": label(line.eligible),
                "next": label(line.next_tier),
                "gap": _gap(line),
                "shortfalls": [
                    {"metric": x.metric, "value": x.value, "threshold": x.threshold} for x in line.shortfalls
                ],
                "alternatives": list(line.alternatives),
            }
            for f, line in reach
        ],
        "within_reach_count": ladder.within_reach_count,
        "facing_demotion": [
            {
                "file": f.file,
                "firm": f.firm,
                "name": f.name,
                "standing": label(line.standing),
                "to": label(line.demotion_to),
                "on": line.demotion_on.isoformat() if line.demotion_on else None,
            }
            for f, line in demotion
        ],
        "facing_demotion_count": ladder.facing_demotion_count,
        "shown": {
            "within_reach": _listed_of(len(reach), ladder.within_reach_count),
            "facing_demotion": _listed_of(len(demotion), ladder.facing_demotion_count),
        },
    }


def _distribution(
    tiers: Sequence[str | None],
    label: Callable[[str | None], str],
    eligible: Mapping[str | None, int],
    standing: Mapping[str | None, int],
    valid: int,
) -> list[dict[str, Any]]:
    """How many firms are eligible for each tier of a ladder, and how many hold it; the last entry
    (not yet joined) only when some firm is counted there."""
    return [
        {
            "tier": t,
            "label": label(t),
            "eligible": eligible.get(t, 0),
            "standing": standing.get(t, 0),
            "percent": round(100 * eligible.get(t, 0) / valid, 1) if valid else 0.0,
        }
        for t in tiers
        if t is not None or eligible.get(t) or standing.get(t)
    ]


def _listed_of(listed: int, total: int) -> str:
    """`206`, or `50 of 206` when the list is capped: a shortened list always says so."""
    return str(total) if listed == total else f"{listed} of {total}"


MORE = "--limit N or --all lists more"


def as_json(s: Summary, policy: Policy) -> str:
    return json.dumps(context(s, policy), indent=2) + "\n"


def as_text(s: Summary, policy: Policy) -> str:
    c = context(s, policy)
    lines = [
        f"{c['files']} firm file{'s' * (c['files'] != 1)} "
        f"as of {c['as_of']} under {policy.id} {policy.version}: "
        f"{c['valid']} evaluated, {c['invalid_count']} invalid",
        "",
        *_tier_table("tier", c["distribution"], max(16, _width("tier", c["distribution"]))),
    ]
    heads = [(ladder["label"] + ":", ladder["distribution"]) for ladder in c["designations"]]
    wide = max([26, *(_width(head, rows) for head, rows in heads)])  # one width for every designation
    for head, rows in heads:
        lines += ["", *_tier_table(head, rows, wide)]
    lines += _shortlists_text(c, "")
    for ladder in c["designations"]:
        lines += _shortlists_text(ladder, f" in {ladder['label']}")
    if c["invalid"]:
        lines += ["", f"invalid files ({c['shown']['invalid']}), first problem of each:"]
        lines += [f"  {shown(r['file'])}:{_first(r['problems'])}" for r in c["invalid"]]
        lines += _more(c["invalid"], c["invalid_count"])
    return "\n".join(lines) + "\n"


def _width(head: str, rows: list[dict[str, Any]]) -> int:
    """A first column wider than its head and every tier's label."""
    return max(len(head), *(len(d["label"]) for d in rows)) + 1


def _tier_table(head: str, rows: list[dict[str, Any]], w: int) -> list[str]:
    """Firms by tier, eligible and held, the first column `w` wide."""
    return [
        f"  {head:<{w}}{'eligible':>10}{'standing':>10}",
        *(f"  {d['label']:<{w}}{d['eligible']:>10}{d['standing']:>10}" for d in rows),
    ]


def _shortlists_text(c: dict[str, Any], where: str) -> list[str]:
    """A designation's within-reach and facing-demotion lists, each only when it has a firm."""
    lines, counts = [], c["shown"]
    if c["within_reach"]:
        lines += ["", f"within reach of the next tier{where} ({counts['within_reach']}, closest first):"]
        lines += [
            f"  {r['firm']} -> {r['next']}: {_gap_said(r)}  [{shown(r['file'])}]" for r in c["within_reach"]
        ]
        lines += _more(c["within_reach"], c["within_reach_count"])
    if c["facing_demotion"]:
        lines += ["", f"facing demotion{where} ({counts['facing_demotion']}):"]
        lines += [
            f"  {r['firm']}: {r['standing']} -> {r['to']} on {r['on']}  [{shown(r['file'])}]"
            for r in c["facing_demotion"]
        ]
        lines += _more(c["facing_demotion"], c["facing_demotion_count"])
    return lines


def _gap_said(r: dict[str, Any]) -> str:
    """What a firm within reach still needs, and of alternatives the way it is closest by."""
    ways = "; ".join(r["alternatives"])
    return f"{r['gap']} (closest way: {ways})" if ways else str(r["gap"])


def _more(listed: list[Any], total: int) -> list[str]:
    return [f"  ... and {total - len(listed)} more ({MORE})"] if total > len(listed) else []


def _first(problems: list[dict[str, Any]]) -> str:
    """An invalid file's first problem as `LINE:COL: message`, and how many more it has."""
    p, more = problems[0], len(problems) - 1
    return f"{p['line']}:{p['col']}: {p['message']}" + (f" (and {more} more)" if more else "")


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def as_markdown(s: Summary, policy: Policy) -> str:
    c = context(s, policy)
    lines = [
        f"## Firms as of {c['as_of']} under {_cell(policy.id)} {_cell(policy.version)}",
        "",
        f"{c['files']} firm file{'s' * (c['files'] != 1)}: "
        f"{c['valid']} evaluated, {c['invalid_count']} invalid.",
        "",
        "| tier | eligible | standing | share |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {_cell(d['label'])} | {d['eligible']} | {d['standing']} | {d['percent']}% |"
        for d in c["distribution"]
    ]
    for ladder in c["designations"]:
        lines += ["", f"| {_cell(ladder['label'])} | eligible | standing | share |", "|---|---:|---:|---:|"]
        lines += [
            f"| {_cell(d['label'])} | {d['eligible']} | {d['standing']} | {d['percent']}% |"
            for d in ladder["distribution"]
        ]
    lines += _shortlists_markdown(c, "")
    for ladder in c["designations"]:
        lines += _shortlists_markdown(ladder, f" in {_cell(ladder['label'])}")
    if c["invalid"]:
        lines += ["", f"### Invalid files ({c['shown']['invalid']}), first problem of each", ""]
        lines += [f"- `{_cell(r['file'])}:{_cell(_first(r['problems']))}`" for r in c["invalid"]]
        lines += _md_more(c["invalid"], c["invalid_count"])
    return "\n".join(lines) + "\n"


def _shortlists_markdown(c: dict[str, Any], where: str) -> list[str]:
    """A designation's within-reach and facing-demotion tables, each only when it has a firm."""
    lines = []
    if c["within_reach"]:
        lines += [
            "",
            f"### Within reach of the next tier{where} ({c['shown']['within_reach']}, closest first)",
            "",
        ]
        lines += ["| firm | next | gap | file |"]
        lines += ["|---|---|---|---|"]
        lines += [
            f"| {_cell(r['firm'])} | {_cell(r['next'])} | {_cell(_gap_said(r))} | {_cell(r['file'])} |"
            for r in c["within_reach"]
        ]
        lines += _md_more(c["within_reach"], c["within_reach_count"])
    if c["facing_demotion"]:
        lines += [
            "",
            f"### Facing demotion{where} ({c['shown']['facing_demotion']})",
            "",
            "| firm | from | to | on | file |",
        ]
        lines += ["|---|---|---|---|---|"]
        lines += [
            f"| {_cell(r['firm'])} | {_cell(r['standing'])} | {_cell(r['to'])} | {r['on']} "
            f"| {_cell(r['file'])} |"
            for r in c["facing_demotion"]
        ]
        lines += _md_more(c["facing_demotion"], c["facing_demotion_count"])
    return lines


def _md_more(listed: list[Any], total: int) -> list[str]:
    return ["", f"_... and {total - len(listed)} more ({MORE})_"] if total > len(listed) else []


def as_html(s: Summary, policy: Policy) -> str:
    from .templates import environment

    return environment(None).get_template("summary.html.j2").render(**context(s, policy))


RENDER: dict[str, Callable[[Summary, Policy], str]] = {
    "text": as_text,
    "json": as_json,
    "markdown": as_markdown,
    "html": as_html,
}
