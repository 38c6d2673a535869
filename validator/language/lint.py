"""Lints of a policy document: what is valid by the meta-schema but almost surely not what was meant.

Two kinds. An *error* is a policy whose results would be silently wrong (a rule reading a field no
firm file can have counts 0, as does one testing a value its field never holds; a lowest tier with
requirements leaves a firm holding no tier): it stops the policy like any other problem. A *warning*
is harmless to the results but a likely slip (a higher tier easier than a lower one, a window never
used): `policy check` prints it and exits 0 unless `--strict`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..loader import Path_
from ..problem import did_you_mean
from .expressions import USES

Doc = Mapping[str, Any]
Found = list[tuple[Path_, str]]

FIELD_KEYS = ("field", "start", "end")  # rule keys naming one field of the record they test
# The tests whose FIELD_KEYS name a date.
DATE_TESTS = frozenset(
    (
        "on_or_before",
        "absent_or_after",
        "at_least_days_before",
        "at_most_days_before",
        "not_before_window",
        "within_term",
    )
)
_OPEN = "9999-12-31"  # the `until` of an entry without one: ISO dates compare as text
# What a reader of a field needs it to hold, and what to say when it does not.
WANTS = {
    "value": "a key, group_by or points field reads one value per record (text, a number, a date)",
    "date": "this test reads a date (YYYY-MM-DD)",
    "dates": "in_window reads dates (a date, or a list of dates)",
    "records": "'any' tests the items of a list of mappings; for a list of values, use 'in'",
}


def lint(doc: Doc, firm_schema: Doc) -> tuple[Found, Found]:
    """The errors and the warnings of a document that passed the meta-schema and the meaning checks."""
    errors = _lowest_tier_requirements(doc) + _unknown_fields(doc, firm_schema) + _accepted_on_no_day(doc)
    warnings = (
        _easier_higher_tiers(doc) + _unused(doc) + _prerequisites_always_held(doc) + _accepted_twice(doc)
    )
    return errors, warnings


def ladders(doc: Doc) -> list[tuple[Path_, Doc]]:
    """Each designation with where it is; a policy with top-level `tiers` has one, named by its id."""
    if "designations" in doc:
        return [(("designations", i), d) for i, d in enumerate(doc["designations"])]
    return [((), {"id": doc["id"], "label": doc.get("title", doc["id"]), "tiers": doc["tiers"]})]


def requirement_leaves(needs: list[dict[str, Any]], path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Each threshold and prerequisite with where it is, at any depth of any_of and all_of."""
    for j, need in enumerate(needs):
        group = "any_of" if "any_of" in need else "all_of" if "all_of" in need else None
        if group is None:
            yield (*path, j), need
        else:
            yield from requirement_leaves(need[group], (*path, j, group))


def _lowest_tier_requirements(doc: Doc) -> Found:
    found: Found = []
    for at, ladder in ladders(doc):
        lowest = ladder["tiers"][0]
        if lowest["requires"]:
            found.append(
                (
                    (*at, "tiers", 0, "requires"),
                    f"the lowest tier {lowest['id']!r} has requirements: every firm that has joined holds "
                    "the lowest tier, so it must require nothing (requires: []); add a tier below it",
                )
            )
    return found


def _accepted_on_no_day(doc: Doc) -> Found:
    """An accepted credential whose `until` (its first day no longer accepted) is not after its `from`."""
    return [
        (
            ("credentials", "accepted", i, "until"),
            f"until {c['until']} is not after from {c['from']}: this entry accepts {c['name']} "
            f"{c['level']} on no day (until is the first day it no longer counts)",
        )
        for i, c in enumerate(doc.get("credentials", {}).get("accepted", ()))
        if "until" in c and c["until"] <= c["from"]  # ISO dates compare as text
    ]


def _accepted_twice(doc: Doc) -> Found:
    """An accepted credential listed again for days an earlier entry of the same name and level covers."""
    found: Found = []
    accepted = doc.get("credentials", {}).get("accepted", ())
    for i, c in enumerate(accepted):
        for j, earlier in enumerate(accepted[:i]):
            same = (earlier["name"], earlier["level"]) == (c["name"], c["level"])
            if same and c["from"] < earlier.get("until", _OPEN) and earlier["from"] < c.get("until", _OPEN):
                found.append(
                    (
                        ("credentials", "accepted", i),
                        f"{c['name']} {c['level']} is already accepted on these days by entry {j + 1} of "
                        "the list: list each period once",
                    )
                )
                break
    return found


def _prerequisites_always_held(doc: Doc) -> Found:
    """A prerequisite naming the lowest tier of its designation: every firm that has joined holds it."""
    lowest = {d["id"]: d["tiers"][0]["id"] for _, d in ladders(doc)}
    return [
        (
            (*path, "tier"),
            f"{need['tier']!r} is the lowest tier of {need['designation']!r}: every firm that has joined "
            "holds it, so this prerequisite always holds",
        )
        for at, ladder in ladders(doc)
        for i, tier in enumerate(ladder["tiers"])
        for path, need in requirement_leaves(tier["requires"], (*at, "tiers", i, "requires"))
        if "designation" in need and lowest.get(need["designation"]) == need["tier"]
    ]


def _easier_higher_tiers(doc: Doc) -> Found:
    return [f for at, ladder in ladders(doc) for f in _easier_in(ladder["tiers"], at)]


def _easier_in(tiers: list[Doc], at: Path_) -> Found:
    """A threshold, at any depth, below one a lower tier always sets on the same metric (outside any
    `any_of`): the lower tier's applies anyway."""
    found: Found = []
    highest: dict[str, tuple[float, str]] = {}  # metric -> (threshold, the tier setting it)
    for i, tier in enumerate(tiers):
        for path, req in requirement_leaves(tier["requires"], (*at, "tiers", i, "requires")):
            below = highest.get(req.get("metric", ""))
            if below is not None and "at_least" in req and req["at_least"] < below[0]:
                (n, lower), asked = below, f"{req['metric']} at least {req['at_least']}"
                found.append(
                    (
                        (*path, "at_least"),
                        f"tier {tier['id']!r} asks {asked}, less than the {n} of {lower!r} below it: "
                        f"the ladder is cumulative, so {n} applies",
                    )
                )
        for need in _always(tier["requires"]):
            if "at_least" in need and need["at_least"] > highest.get(need["metric"], (float("-inf"), ""))[0]:
                highest[need["metric"]] = (need["at_least"], tier["id"])
    return found


def _always(needs: list[Doc]) -> Iterator[Doc]:
    """The thresholds a tier sets whichever alternative a firm meets it by (those outside any `any_of`)."""
    for need in needs:
        if "all_of" in need:
            yield from _always(need["all_of"])
        elif "metric" in need:
            yield need


def _unused(doc: Doc) -> Found:
    """Windows, metrics and accepted credentials that nothing reads."""
    found: Found = []
    metrics = doc["metrics"]
    windows_used = {v for _, key, v in _walk(metrics, ()) if key == "window"}
    for name in doc["windows"]:
        if name not in windows_used:
            found.append((("windows", name), f"window {name!r} is declared and never used by a rule"))
    formulas = {a or b for m in metrics if "formula" in m for a, b in USES.findall(m["formula"])}
    for i, metric in enumerate(metrics):
        mid = metric["id"]
        elsewhere = [m for m in metrics if m is not metric]
        if not (_mentions([d for _, d in ladders(doc)], mid) or _mentions(elsewhere, mid) or mid in formulas):
            found.append(
                (("metrics", i, "id"), f"metric {mid!r} is declared and never required by a tier or metric")
            )
    tests = {v for _, key, v in _walk(metrics, ()) if key == "test"}
    if doc.get("credentials", {}).get("accepted") and "accepted_credential" not in tests:
        found.append(
            (
                ("credentials", "accepted"),
                "credentials are accepted but no rule tests accepted_credential: they are never used",
            )
        )
    return found


def _mentions(node: Any, name: str) -> bool:
    """Whether `name` is a value (not the `id` or `label`) anywhere in `node`."""
    return any(
        v == name or (isinstance(v, list) and name in v)
        for _, k, v in _walk(node, ())
        if k not in ("id", "label")
    )


def _walk(node: Any, path: Path_) -> Iterator[tuple[Path_, str, Any]]:
    """Every (path, key, value) of the mappings in `node`, depth first."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield (*path, key), key, value
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i))


def _unknown_fields(doc: Doc, firm_schema: Doc) -> Found:
    """Rule fields, keys and groups that no firm file can have, following the policy's links."""
    schema = _Schema(firm_schema, doc.get("links", {}))
    found: Found = []
    sources: dict[str, Doc | None] = {}
    for i, metric in enumerate(doc["metrics"]):
        at: Path_ = ("metrics", i)
        record = (
            schema.records(metric["records"]) if "records" in metric else sources.get(metric.get("from", ""))
        )
        sources[metric["id"]] = record
        if record is None:
            continue
        for key in ("key", "group_by"):
            if key in metric:
                found += schema.check(record, metric[key], (*at, key), "value")
        points = metric.get("points")
        if isinstance(points, Mapping):  # a table keyed by a field of the record or of its best item
            item = schema.items(record, points["of"]) if "of" in points else record
            if item is not None:
                field_problems = schema.check(item, points["field"], (*at, "points", "field"), "value")
                keys = [((*at, "points", "table", k), k) for k in points["table"]]
                found += field_problems or schema.never_held(item, points["field"], keys)
        found += _rule_fields(schema, record, metric.get("rules", []), (*at, "rules"))
    return found


def _rule_fields(schema: _Schema, record: Doc, rules: list[Any], at: Path_) -> Found:
    found: Found = []
    for i, rule in enumerate(rules):
        here = (*at, i)
        date = "date" if rule.get("test") in DATE_TESTS else None
        for key in FIELD_KEYS:
            if isinstance(rule.get(key), str):
                found += schema.check(record, rule[key], (*here, key), date)
        for j, name in enumerate(rule.get("fields", ())):
            found += schema.check(record, name, (*here, "fields", j), "dates")
        if rule.get("test") == "equals" and isinstance(rule.get("field"), str):
            found += schema.never_held(record, rule["field"], [((*here, "value"), rule["value"])])
        if rule.get("test") == "in" and isinstance(rule.get("field"), str):
            values = [((*here, "values", j), v) for j, v in enumerate(rule["values"])]
            found += schema.never_held(record, rule["field"], values)
        inner: Doc | None = record
        if rule.get("test") == "any":
            found += schema.check(record, rule["of"], (*here, "of"), "records")
            inner = schema.items(record, rule["of"])
        if inner is None:  # a list the record cannot have: already said, its items unknown
            continue
        for key, value in rule.items():
            if key == "rules" and isinstance(value, list):
                found += _rule_fields(schema, inner, value, (*here, key))
            elif isinstance(value, Mapping) and "test" in value:  # a rule holding one rule (`not`)
                found += [((*here, key, *p[1:]), m) for p, m in _rule_fields(schema, inner, [value], ())]
    return found


def _is_date(node: Doc) -> bool:
    return node.get("$ref") == "#/$defs/date"


class _Schema:
    """The firm schema, read for which fields each kind of record has."""

    def __init__(self, root: Doc, links: Mapping[str, str]) -> None:
        self.root, self.links = root, links

    def records(self, name: str) -> Doc | None:
        """The schema of one record of a record list (`people`) or of the firm's plan."""
        node: Doc = self.root
        for part in name.split("."):
            node = self._deref(node).get("properties", {}).get(part, {})
        node = self._deref(node)
        return self._deref(node["items"]) if "items" in node else node or None

    def items(self, record: Doc, name: str) -> Doc | None:
        """The schema of an item of the list field `name` of a record."""
        node = self._deref(self._deref(record).get("properties", {}).get(name, {}))
        return self._deref(node["items"]) if "items" in node else None

    def check(self, record: Doc, path: str, at: Path_, want: str | None = None) -> Found:
        """Nothing when `path` (dotted, through links) is a field a record can have, of the kind wanted
        (see `_KINDS`); else why not."""
        node, why = self._field(record, path)
        if node is None:
            return [(at, why)]
        if want is None or self._fits(node, want):
            return []
        return [(at, f"{path!r} is {self._kind(node)}: {WANTS[want]}")]

    def never_held(self, record: Doc, path: str, values: list[tuple[Path_, Any]]) -> Found:
        """Each value (with where it is written) that the field `path` can never hold, by its enum (a
        list's, by its items' enum): a rule or table testing it never matches."""
        node, _ = self._field(record, path)
        allowed = None if node is None else self._enum(node)
        if allowed is None:
            return []
        words = [str(v) for v in allowed]
        return [
            (
                at,
                f"{value!r} is never a value of {path!r}, so this never matches; "
                + did_you_mean(str(value), words)
                + f"its values: {', '.join(words)}",
            )
            for at, value in values
            if value not in allowed
        ]

    def _field(self, record: Doc, path: str) -> tuple[Doc | None, str]:
        """The schema of the field `path` (dotted, through links) of a record; or None, and why not."""
        node = self._deref(record)
        parts = path.split(".")
        for k, part in enumerate(parts):
            props = node.get("properties", {})
            where = ".".join(parts[:k]) or "this record"
            if node.get("type") == "array":
                return None, f"{path!r}: {where} is a list; test its items with 'any' (of: {where})"
            if part not in props:
                known = ", ".join(sorted(props))
                return None, f"{path!r}: {where} has no field {part!r}; its fields: {known}"
            if k + 1 < len(parts) and part in self.links:
                node = self.records(self.links[part]) or {}
            elif k + 1 < len(parts):
                node = self._deref(props[part])
            else:
                node = props[part]
        return node, ""

    def _enum(self, node: Doc) -> list[Any] | None:
        """The values a field can hold, when its schema lists them (a list field: its items'); else None.
        A field two versions declare differently (anyOf) holds what either lists."""
        held = self._deref(node)
        if held.get("type") == "array" and "items" in held:
            return self._enum(held["items"])
        if "anyOf" in held:
            each = [self._enum(branch) for branch in held["anyOf"]]
            return None if any(e is None for e in each) else [v for e in each for v in e or ()]
        return list(held["enum"]) if "enum" in held else None

    def _fits(self, node: Doc, want: str) -> bool:
        """Whether a field's schema holds what a reader of kind `want` (one of WANTS) reads."""
        held = self._deref(node)
        items = held.get("items", {}) if held.get("type") == "array" else None
        if want == "value":
            return held.get("type") not in ("array", "object")
        if want == "date":
            return _is_date(node)
        if want == "dates":
            return _is_date(node) or (items is not None and _is_date(items))
        return items is not None and self._deref(items).get("type") == "object"  # records

    def _kind(self, node: Doc) -> str:
        """What a field holds, in words."""
        if _is_date(node):
            return "a date"
        kind = self._deref(node).get("type", "")
        words = {"array": "a list", "object": "a mapping", "string": "text", "boolean": "true or false"}
        return words.get(kind, "a number" if kind in ("integer", "number") else "a value")

    def _deref(self, node: Doc) -> Doc:
        """A schema node with its `$ref` (to `#/$defs/...`) followed."""
        while "$ref" in node:
            target: Any = self.root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node
