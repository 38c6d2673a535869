"""What changed between two policy versions, in words, comparing effective values (defaults applied)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .model import AcceptedCredential, Metric, Policy, Reviews, Tier, Window
from .requirements import AllOf, Need, is_simple, leaves, prerequisites
from .rules import RuleTest
from .values import Points
from .words import points_text

T = TypeVar("T")


def describe_changes(old: Policy, new: Policy) -> list[str]:
    """Each difference between two policy versions as one sentence, section by section."""
    out: list[str] = []
    for key in ("id", "version", "effective_from", "at_risk_days"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            out.append(f"{key}: {a} -> {b}")
    out += _keyed("window", old.windows, new.windows, _window)
    out += _credentials(old, new)
    out += _metrics(old.metrics, new.metrics)
    out += _tiers(old.tiers, new.tiers)
    out += _designations(old, new)
    out += _reviews(old.reviews, new.reviews)
    for key in ("regions", "links"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            out.append(f"{key}: {json.dumps(a)} -> {json.dumps(b)}")
    out += _data(old.data, new.data)
    return out


def _data(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Each declared field (per record kind) and record kind added, removed or changed, as JSON Schema."""
    a, b = old.get("fields", {}), new.get("fields", {})
    out = [
        line
        for kind in dict.fromkeys([*a, *b])
        for line in _keyed(f"data: {kind} field", a.get(kind, {}), b.get(kind, {}), json.dumps)
    ]
    return out + _keyed("data: record kind", old.get("records", {}), new.get("records", {}), json.dumps)


def _window(w: Window) -> str:
    return str(w.term)


def _label(item: object) -> str:
    return str(getattr(item, "label", ""))


def _keyed(what: str, old: Mapping[str, T], new: Mapping[str, T], show: Callable[[T], str]) -> list[str]:
    out = [f"{what} {k!r} added: {show(new[k])}" for k in new if k not in old]
    out += [f"{what} {k!r} removed (was {show(old[k])})" for k in old if k not in new]
    for k in old:
        if k not in new or old[k] == new[k]:
            continue
        a, b = show(old[k]), show(new[k])
        if a == b:  # only the label moved
            out.append(f"{what} {k!r}: label {_label(old[k])!r} -> {_label(new[k])!r}")
        else:
            out.append(f"{what} {k!r}: {a} -> {b}")
    return out


def _credentials(old: Policy, new: Policy) -> list[str]:
    out = []
    if old.default_term != new.default_term:
        out.append(f"default credential term: {old.default_term} -> {new.default_term}")

    def span(c: AcceptedCredential) -> str:
        return f"counts from {c.from_}" + (f" until {c.until}" if c.until else "")

    o = {(c.name, c.level): c for c in old.accepted}
    n = {(c.name, c.level): c for c in new.accepted}
    out += [f"credential {k[0]} ({k[1]}) now accepted: {span(n[k])}" for k in n if k not in o]
    out += [f"credential {k[0]} ({k[1]}) no longer accepted" for k in o if k not in n]
    out += [f"credential {k[0]} ({k[1]}): {span(o[k])} -> {span(n[k])}" for k in o if k in n and o[k] != n[k]]
    return out


def _metrics(old: tuple[Metric, ...], new: tuple[Metric, ...]) -> list[str]:
    o, n = {m.id: m for m in old}, {m.id: m for m in new}
    out = [f"metric {k!r} added ({n[k].label})" for k in n if k not in o]
    out += [f"metric {k!r} removed" for k in o if k not in n]
    for k in o:
        if k not in n or o[k] == n[k]:
            continue
        for part, attr in (
            ("records", "records"),
            ("from", "derived_from"),
            ("key", "key"),
            ("group_by", "group_by"),
            ("label", "label"),
            ("points", "points"),
            ("at_most", "at_most"),
            ("sum", "sum_of"),
            ("groups_with_at_least", "groups_with_at_least"),
        ):
            a, b = getattr(o[k], attr), getattr(n[k], attr)
            if a != b:
                out.append(f"metric {k!r}: {part} {_shown(a)} -> {_shown(b)}")
        if o[k].rules != n[k].rules:
            out += _rules(k, o[k].rules, n[k].rules)
    return out


def _shown(value: object) -> str:
    """A metric's setting in words: points as their table, a sum as its parts; none when unset."""
    if value is None:
        return "none"
    if isinstance(value, Points):
        return points_text(value)
    if isinstance(value, tuple):
        return " + ".join(map(str, value)) or "none"
    return str(value)


def _rules(metric: str, old: tuple[RuleTest, ...], new: tuple[RuleTest, ...]) -> list[str]:
    o, n = {r.reason: r for r in old}, {r.reason: r for r in new}
    out = [f"metric {metric!r}: new rule {k!r} ({n[k].test})" for k in n if k not in o]
    out += [f"metric {metric!r}: rule {k!r} removed" for k in o if k not in n]
    out += [f"metric {metric!r}: rule {k!r} changed" for k in o if k in n and o[k] != n[k]]
    if not out and [r.reason for r in old] != [r.reason for r in new]:
        out.append(f"metric {metric!r}: rules reordered")
    return out


def _designations(old: Policy, new: Policy) -> list[str]:
    """Ladders after the first (whose tiers `_tiers` compares): added, removed, and their tiers' changes."""
    o, n = {d.id: d for d in old.designations[1:]}, {d.id: d for d in new.designations[1:]}
    out = [f"designation {k!r} added ({n[k].label})" for k in n if k not in o]
    out += [f"designation {k!r} removed" for k in o if k not in n]
    for k in o:
        if k in n and o[k] != n[k]:
            out += [f"designation {k!r}: {line}" for line in _tiers(o[k].tiers, n[k].tiers)]
    return out


def renamed_tiers(old: tuple[Tier, ...], new: tuple[Tier, ...]) -> dict[str, str]:
    """Each tier that keeps its place on the ladder under a new id, old id -> new id: the tiers one
    version drops and the other adds just above the same kept tier (or at the bottom), paired from
    the lowest up, as git pairs a deleted file and an added one as a rename."""
    kept = {t.id for t in old} & {t.id for t in new}

    def gaps(tiers: tuple[Tier, ...]) -> dict[str | None, list[str]]:
        """The tiers only this version has, keyed by the kept tier just below them (None: the bottom)."""
        out: dict[str | None, list[str]] = {}
        below: str | None = None
        for t in tiers:
            if t.id in kept:
                below = t.id
            else:
                out.setdefault(below, []).append(t.id)
        return out

    a, b = gaps(old), gaps(new)
    return {x: y for k in a for x, y in zip(a[k], b.get(k, ()), strict=False)}


def _tiers(old: tuple[Tier, ...], new: tuple[Tier, ...]) -> list[str]:
    renamed = renamed_tiers(old, new)
    out = [f"tier {a!r} renamed {b!r} (the same place on the ladder)" for a, b in renamed.items()]
    o = {renamed.get(t.id, t.id): t for t in old}  # a renamed tier compared under its new id
    n = {t.id: t for t in new}
    ids = [t.id for t in new]
    for k in n:
        if k not in o:
            i = ids.index(k)
            where = f"above {ids[i - 1]!r}" if i else "at the bottom"
            reqs = ", ".join(map(str, n[k].requires)) or "nothing"
            out.append(f"tier {k!r} added {where}, requiring {reqs}")
    out += [f"tier {t.id!r} removed" for t in old if t.id not in n and t.id not in renamed]
    if [k for k in o if k in n] != [k for k in ids if k in o]:
        out.append(f"tiers reordered: {' < '.join(ids)}")
    for k in o:
        if k not in n:
            continue
        out += _requirements(k, o[k].requires, n[k].requires)
        if o[k].benefits != n[k].benefits:
            out.append(f"tier {k!r}: benefits changed")
        if (o[k].label, o[k].partner) != (n[k].label, n[k].partner):
            out.append(f"tier {k!r}: label or partner status changed")
    return out


def _requirements(tier: str, old: tuple[Need, ...], new: tuple[Need, ...]) -> list[str]:
    """Threshold by threshold (and prerequisites as a list) for plain lists; the whole requirement,
    before and after, with groups."""
    if old == new:
        return []
    if not (is_simple(old) and is_simple(new)):
        return [f"tier {tier!r}: requires {AllOf(old)} -> {AllOf(new)}"]
    a = {r.metric: r.at_least for r in leaves(old)}
    b = {r.metric: r.at_least for r in leaves(new)}
    out = [f"tier {tier!r}: {m} at least {a[m]} -> {b[m]}" for m in a if m in b and a[m] != b[m]]
    out += [f"tier {tier!r}: now requires {m} at least {b[m]}" for m in b if m not in a]
    out += [f"tier {tier!r}: no longer requires {m} (was at least {a[m]})" for m in a if m not in b]
    if prerequisites(old) != prerequisites(new):
        out.append(f"tier {tier!r}: requires {_held(old)} -> {_held(new)}")
    return out


def _held(needs: tuple[Need, ...]) -> str:
    """A plain list's prerequisites in words: `select in services`, or none."""
    return ", ".join(map(str, prerequisites(needs))) or "no tier of another designation"


def _reviews(old: Reviews, new: Reviews) -> list[str]:
    out = []
    if old.promotion != new.promotion:
        out.append(f"promotion reviews: {old.promotion} -> {new.promotion}")
    if old.one_off != new.one_off:
        out.append(
            f"one-off reviews: {', '.join(str(r.on) for r in old.one_off) or 'none'} -> "
            f"{', '.join(str(r.on) for r in new.one_off) or 'none'}"
        )
    a, b = old.demotion_look, new.demotion_look
    for key, what in (("on", "demotion look day"), ("notice_days", "notice period (days)"), ("cure", "cure")):
        if getattr(a, key) != getattr(b, key):
            out.append(f"{what}: {_yes_no(getattr(a, key))} -> {_yes_no(getattr(b, key))}")
    if old.grace != new.grace:
        out.append(
            f"no demotion notice after a promotion for: {old.grace or 'no time'} -> {new.grace or 'no time'}"
        )
    if old.promotion_replaces_notice != new.promotion_replaces_notice:
        out.append(
            f"promotion replaces a pending notice: {_yes_no(old.promotion_replaces_notice)} -> "
            f"{_yes_no(new.promotion_replaces_notice)}"
        )
    return out


def _yes_no(value: object) -> str:
    """A setting as the diff says it: a flag as yes or no, anything else as written."""
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)
