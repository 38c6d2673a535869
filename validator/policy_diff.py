"""What changed between two policy versions, in words, and which firms' eligible tier it moves."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .evaluate import eligible_tier
from .policies import Policy
from .rules import default_term


def _term(spec: dict[str, Any]) -> str:
    if "days" in spec:
        return f"{spec['days']} days"
    return f"{spec['months']} months"


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Each difference between two policy documents as one sentence, section by section."""
    out: list[str] = []
    for key in ("id", "version", "effective_from", "at_risk_days"):
        if old.get(key) != new.get(key):
            out.append(f"{key}: {old.get(key)} -> {new.get(key)}")
    out += _keyed("window", old["windows"], new["windows"], _term)
    out += _credentials(old.get("credentials", {}), new.get("credentials", {}))
    out += _metrics(old["metrics"], new["metrics"])
    out += _tiers(old["tiers"], new["tiers"])
    out += _reviews(old["reviews"], new["reviews"])
    for key in ("regions", "links"):
        if not _same(old.get(key), new.get(key)):
            out.append(f"{key}: {json.dumps(old.get(key))} -> {json.dumps(new.get(key))}")
    return out


def _keyed(what: str, old: dict[str, Any], new: dict[str, Any], show: Any) -> list[str]:
    out = [f"{what} {k!r} added: {show(new[k])}" for k in new if k not in old]
    out += [f"{what} {k!r} removed (was {show(old[k])})" for k in old if k not in new]
    out += [
        f"{what} {k!r}: {show(old[k])} -> {show(new[k])}"
        for k in old
        if k in new and not _same(old[k], new[k])
    ]
    return out


def _credentials(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    if not _same(old.get("default_term"), new.get("default_term")):
        out.append(f"default credential term: {_term(default_term(old))} -> {_term(default_term(new))}")

    def span(c: dict[str, Any]) -> str:
        return f"counts from {c['from']}" + (f" until {c['until']}" if "until" in c else "")

    o = {(c["name"], c["level"]): c for c in old.get("accepted", ())}
    n = {(c["name"], c["level"]): c for c in new.get("accepted", ())}
    out += [f"credential {k[0]} ({k[1]}) now accepted: {span(n[k])}" for k in n if k not in o]
    out += [f"credential {k[0]} ({k[1]}) no longer accepted" for k in o if k not in n]
    out += [f"credential {k[0]} ({k[1]}): {span(o[k])} -> {span(n[k])}" for k in o if k in n and o[k] != n[k]]
    return out


def _metrics(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    o, n = {m["id"]: m for m in old}, {m["id"]: m for m in new}
    out = [f"metric {k!r} added ({n[k].get('label', k)})" for k in n if k not in o]
    out += [f"metric {k!r} removed" for k in o if k not in n]
    for k in o:
        if k not in n or _same(o[k], n[k]):
            continue
        for part in ("records", "from", "key", "group_by", "label"):
            if o[k].get(part) != n[k].get(part):
                out.append(f"metric {k!r}: {part} {o[k].get(part)} -> {n[k].get(part)}")
        if not _same(o[k].get("rules"), n[k].get("rules")):
            out += _rules(k, o[k].get("rules", []), n[k].get("rules", []))
    return out


def _rules(metric: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    o, n = {r["reason"]: r for r in old}, {r["reason"]: r for r in new}
    out = [f"metric {metric!r}: new rule {k!r} ({n[k]['test']})" for k in n if k not in o]
    out += [f"metric {metric!r}: rule {k!r} removed" for k in o if k not in n]
    out += [f"metric {metric!r}: rule {k!r} changed" for k in o if k in n and not _same(o[k], n[k])]
    if not out and [r["reason"] for r in old] != [r["reason"] for r in new]:
        out.append(f"metric {metric!r}: rules reordered")
    return out


def _tiers(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    o, n = {t["id"]: t for t in old}, {t["id"]: t for t in new}
    ids = [t["id"] for t in new]
    out = []
    for k in n:
        if k not in o:
            i = ids.index(k)
            where = f"above {ids[i - 1]!r}" if i else "at the bottom"
            reqs = ", ".join(f"{r['metric']} >= {r['at_least']}" for r in n[k]["requires"]) or "nothing"
            out.append(f"tier {k!r} added {where}, requiring {reqs}")
    out += [f"tier {k!r} removed" for k in o if k not in n]
    if [t for t in (x["id"] for x in old) if t in n] != [t for t in ids if t in o]:
        out.append(f"tiers reordered: {' < '.join(ids)}")
    for k in o:
        if k not in n:
            continue
        a = {r["metric"]: r["at_least"] for r in o[k]["requires"]}
        b = {r["metric"]: r["at_least"] for r in n[k]["requires"]}
        out += [f"tier {k!r}: {m} at least {a[m]} -> {b[m]}" for m in a if m in b and a[m] != b[m]]
        out += [f"tier {k!r}: now requires {m} at least {b[m]}" for m in b if m not in a]
        out += [f"tier {k!r}: no longer requires {m} (was at least {a[m]})" for m in a if m not in b]
        if o[k].get("benefits") != n[k].get("benefits"):
            out.append(f"tier {k!r}: benefits changed")
        if o[k].get("label") != n[k].get("label") or o[k].get("partner") != n[k].get("partner"):
            out.append(f"tier {k!r}: label or partner status changed")
    return out


def _reviews(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    if old.get("promotion") != new.get("promotion"):
        before, after = ", ".join(old.get("promotion", [])), ", ".join(new.get("promotion", []))
        out.append(f"promotion reviews: {before} -> {after}")
    if not _same(old.get("one_off", []), new.get("one_off", [])):
        out.append(
            f"one-off reviews: {', '.join(r['on'] for r in old.get('one_off', [])) or 'none'} -> "
            f"{', '.join(r['on'] for r in new.get('one_off', [])) or 'none'}"
        )
    a, b = old["demotion_look"], new["demotion_look"]
    for key, what in (("on", "demotion look day"), ("notice_days", "notice period (days)"), ("cure", "cure")):
        if a.get(key) != b.get(key):
            out.append(f"{what}: {a.get(key)} -> {b.get(key)}")
    if old.get("promotion_replaces_notice") != new.get("promotion_replaces_notice"):
        out.append(
            f"promotion replaces a pending notice: {old.get('promotion_replaces_notice')} -> "
            f"{new.get('promotion_replaces_notice')}"
        )
    return out


@dataclass(frozen=True)
class Move:
    """A firm whose eligible tier differs under the new policy."""

    file: str
    firm: str
    old: str | None
    new: str | None
    direction: str  # "up" | "down"


@dataclass
class Impact:
    """Which firms a policy change moves, as of one date."""

    as_of: date
    firms: int = 0
    moves: list[Move] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (file, first problem)

    @property
    def counts(self) -> Counter[tuple[str | None, str | None]]:
        return Counter((m.old, m.new) for m in self.moves)


def firm_move(old: Policy, new: Policy, file: str, data: dict[str, Any], as_of: date) -> Move | None:
    """The firm's move between the two policies on the same date and data, or None if it stays."""
    a, b = eligible_tier(old, data, as_of), eligible_tier(new, data, as_of)
    if a == b:
        return None
    return Move(file, data["firm"]["id"], a, b, direction(new, a, b))


def direction(new: Policy, a: str | None, b: str | None) -> str:
    """Up or down, judged on the new ladder (a tier the new policy dropped ranks below all)."""
    ids = [t["id"] for t in new.doc["tiers"]]
    rank_a = ids.index(a) if a in ids else -1
    rank_b = ids.index(b) if b in ids else -1
    return "up" if rank_b > rank_a else "down"
