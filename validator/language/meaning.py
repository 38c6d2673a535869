"""What a policy document must mean beyond its meta-schema (names that refer to something declared,
the lints), checked without the rule language: `validate` needs a checked policy, not a compiled one."""

from __future__ import annotations

import string
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from typing import Any

from ..firm_schema import EXTENDABLE, firm_schema_for
from ..loader import Located, Path_
from ..problem import Problem, did_you_mean, json_path
from ..resources import schema
from .expressions import expression_problems
from .lint import ladders, lint, requirement_leaves

Doc = Mapping[str, Any]

LINKABLE = ("people", "customers", "deployments", "stories")  # the lists whose records have ids
RECORD_LISTS = (*LINKABLE, "firm.joint_business_plan")
# The values each rule test fills in for its message, besides as_of and the record's fields (the same
# as each test's class says in rules.py, which costs more to import than a firm file takes to check).
MESSAGE_VALUES: dict[str, tuple[str, ...]] = {
    "on_or_before": ("value",),
    "absent_or_after": ("value",),
    "at_least_days_before": ("value", "days", "days_before"),
    "at_most_days_before": ("value", "days", "days_before"),
    "in_window": ("value", "days_before", "window", "first"),
    "not_before_window": ("value", "first", "window"),
    "within_term": ("end",),
    "accepted_credential": (),
    "equals": ("value",),
    "in": ("value",),
    "is_true": (),
    "present": (),
    "not": (),
    "any": ("detail",),
    "expression": ("error",),
}


def policy_problems(file: str, located: Located) -> list[Problem]:
    """Every located problem of a document that passed the meta-schema; those of severity "warning" do
    not stop it."""
    found = meaning_problems(located.data) or expression_problems(located.data)
    warnings: list[tuple[Path_, str]] = []
    if not found:
        found, warnings = lint(located.data, firm_schema_for([located.data.get("data", {})]).doc)
    problems = [
        Problem(file, *located.where(path), message, json_path(path), "policy") for path, message in found
    ]
    return problems + [
        Problem(file, *located.where(path), message, json_path(path), "policy", "warning")
        for path, message in warnings
    ]


def meaning_problems(doc: Doc) -> list[tuple[Path_, str]]:
    """What the meta-schema cannot say: names that must refer to something declared."""
    found: list[tuple[Path_, str]] = _data_problems(doc.get("data", {}))
    data = doc.get("data", {})
    declared = _names(
        [*data.get("fields", {}).values(), *(r["fields"] for r in data.get("records", {}).values())]
    )
    lists = (*RECORD_LISTS, *data.get("records", {}))
    linkable = (*LINKABLE, *data.get("records", {}))
    for name, target in doc.get("links", {}).items():
        if target not in linkable:
            found.append(
                (
                    ("links", name),
                    f"link {name!r} points into {target!r}, which is not a list of the firm file: one of "
                    + ", ".join(linkable),
                )
            )
    windows = set(doc["windows"])
    metric_ids: set[str] = set()
    derived: dict[str, str] = {}  # a metric with no records of its own -> what it is instead
    any_lists: dict[str, set[str]] = {}  # a metric -> the lists its `any` rules (or its source's) test

    def rules(path: Path_, items: list[dict[str, Any]]) -> None:
        for i, rule in enumerate(items):
            one((*path, i), rule)

    def one(path: Path_, rule: dict[str, Any]) -> None:
        if "message" in rule:
            found.extend(
                ((*path, "message"), m) for m in template_problems(rule["test"], rule["message"], declared)
            )
        if "window" in rule and rule["window"] not in windows:
            found.append(
                (
                    (*path, "window"),
                    f"unknown window {rule['window']!r}; declared: " + ", ".join(sorted(windows)),
                )
            )
        if rule["test"] == "any":
            rules((*path, "rules"), rule["rules"])
        if rule["test"] == "not":
            one((*path, "rule"), rule["rule"])

    all_ids = [m["id"] for m in doc["metrics"]]
    for i, metric in enumerate(doc["metrics"]):
        if metric["id"] in metric_ids:
            found.append((("metrics", i, "id"), f"metric {metric['id']!r} is declared twice"))
        if "from" in metric and metric["from"] not in metric_ids:
            found.append(
                (
                    ("metrics", i, "from"),
                    _undeclared(metric["from"], all_ids, f"before {metric['id']!r} uses it"),
                )
            )
        elif metric.get("from") in derived:
            found.append(
                (
                    ("metrics", i, "from"),
                    f"metric {metric['from']!r} " + derived[metric["from"]] + "; 'from' must name a "
                    "metric with 'records'",
                )
            )
        if "records" in metric and metric["records"] not in lists:
            found.append(
                (
                    ("metrics", i, "records"),
                    f"unknown records {metric['records']!r}; one of: {', '.join(lists)}",
                )
            )
        metric_ids.add(metric["id"])
        if "from" in metric:
            derived[metric["id"]] = "counts another metric's records"
        if "sum" in metric:
            derived[metric["id"]] = "is a sum of metrics"
        if "formula" in metric:
            derived[metric["id"]] = "is a formula over metrics"
        for j, part in enumerate(metric.get("sum", ())):
            if part not in metric_ids - {metric["id"]}:
                found.append(
                    (("metrics", i, "sum", j), _undeclared(part, all_ids, f"before {metric['id']!r} sums it"))
                )
        own = {r["of"] for r in metric.get("rules", ()) if r["test"] == "any"}
        any_lists[metric["id"]] = any_lists.get(metric.get("from", ""), set()) | own
        points = metric.get("points")
        if isinstance(points, dict) and "of" in points and points["of"] not in any_lists[metric["id"]]:
            tested = ", ".join(sorted(any_lists[metric["id"]])) or "none"
            found.append(
                (
                    ("metrics", i, "points", "of"),
                    f"points read the best counting item of {points['of']!r}, but no 'any' rule of the "
                    f"metric tests that list (its 'any' rules test: {tested})",
                )
            )
        rules(("metrics", i, "rules"), metric.get("rules", []))
    found += _ladder_problems(doc, all_ids)
    return found


def _undeclared(name: str, declared: list[str], when: str) -> str:
    """What to say of a metric named before it is declared: that it must come first, or, when no
    metric has that id, that it is unknown."""
    if name in declared:
        return f"metric {name!r} must be declared {when}"
    return _unknown_metric(name, declared)


def _unknown_metric(name: str, declared: list[str]) -> str:
    """A metric no metric of the policy is, with the closest id (or, when none is close, every id)."""
    hint = did_you_mean(name, declared).strip()
    return f"unknown metric {name!r}" + (f"; {hint}" if hint else f"; declared: {', '.join(declared)}")


def _ladder_problems(doc: Doc, metric_ids: list[str]) -> list[tuple[Path_, str]]:
    """Tier ids once per ladder, designation ids once, requirements naming what is declared, and no
    designation requiring itself through its prerequisites."""
    found: list[tuple[Path_, str]] = []
    tiers_of: dict[str, list[str]] = {}
    for at, d in ladders(doc):
        if d["id"] in tiers_of:
            found.append(((*at, "id"), f"designation {d['id']!r} is declared twice"))
        tiers_of[d["id"]] = [t["id"] for t in d["tiers"]]
    needs: dict[str, dict[str, Path_]] = {}  # designation -> the designations it requires, and where
    for at, d in ladders(doc):
        tier_ids: set[str] = set()
        for i, tier in enumerate(d["tiers"]):
            here: Path_ = (*at, "tiers", i)
            if tier["id"] in tier_ids:
                found.append(((*here, "id"), f"tier {tier['id']!r} is declared twice"))
            tier_ids.add(tier["id"])
            for path, req in requirement_leaves(tier["requires"], (*here, "requires")):
                if "metric" in req:
                    if req["metric"] not in metric_ids:
                        found.append(((*path, "metric"), _unknown_metric(req["metric"], metric_ids)))
                    continue
                other = req["designation"]
                if other not in tiers_of:
                    known = ", ".join(tiers_of)
                    found.append(
                        ((*path, "designation"), f"unknown designation {other!r}; declared: {known}")
                    )
                elif req["tier"] not in tiers_of[other]:
                    found.append(
                        (
                            (*path, "tier"),
                            f"designation {other!r} has no tier {req['tier']!r}; its tiers: "
                            + ", ".join(tiers_of[other]),
                        )
                    )
                else:
                    needs.setdefault(d["id"], {}).setdefault(other, (*path, "designation"))
    found += _cycles(needs)
    return found


def _cycles(needs: dict[str, dict[str, Path_]]) -> list[tuple[Path_, str]]:
    """A designation that requires itself, directly or through others: reported where the loop closes."""
    found: list[tuple[Path_, str]] = []
    done: set[str] = set()

    def visit(d: str, trail: list[str]) -> None:
        for other, at in needs.get(d, {}).items():
            if other in trail:
                loop = " -> ".join([*trail[trail.index(other) :], other])
                found.append((at, f"designations require each other in a loop: {loop}"))
            elif other not in done:
                visit(other, [*trail, other])
        done.add(d)

    for d in list(needs):
        if d not in done:
            visit(d, [d])
    return found


def _data_problems(data: Doc) -> list[tuple[Path_, str]]:
    """Declared fields and record kinds are new: a name the firm file already has is refused, as is a
    required field a record kind does not declare; and each field's keys fit its type."""
    found: list[tuple[Path_, str]] = []
    firm = schema("firm")
    for kind, fields in data.get("fields", {}).items():
        node: Any = firm
        for part in EXTENDABLE[kind]:
            node = node[part]
        owner = "the joint business plan has" if kind == "joint_business_plan" else f"{kind} already have"
        for name, fragment in fields.items():
            if name in node["properties"]:
                found.append(
                    (
                        ("data", "fields", kind, name),
                        f"{owner} a field {name!r}; a policy declares only new fields",
                    )
                )
            found += _fragment_problems(fragment, ("data", "fields", kind, name))
    for kind, record in data.get("records", {}).items():
        at: Path_ = ("data", "records", kind)
        if kind in firm["properties"]:
            found.append(
                (at, f"{kind!r} is already a list of the firm file; name the new record kind otherwise")
            )
        if "id" in record["fields"]:
            found.append(((*at, "fields", "id"), "'id' is every record's own (a slug, unique in the list)"))
        for j, name in enumerate(record.get("required", ())):
            if name not in record["fields"]:
                found.append(((*at, "required", j), f"required field {name!r} is not one of {kind}'s fields"))
        for name, fragment in record["fields"].items():
            found += _fragment_problems(fragment, (*at, "fields", name))
    return found


def _names(fields: list[Doc]) -> set[str]:
    """Every name the declared fields give, with the keys of their mappings (in lists too), at any depth."""
    out: set[str] = set()
    for named in fields:
        for name, fragment in named.items():
            out.add(name)
            while "items" in fragment:
                fragment = fragment["items"]
            out |= _names([fragment.get("properties", {})])
    return out


# The keys of a declared field that only one type may have.
_TYPE_KEYS = {
    "items": "array",
    "minItems": "array",
    "maxItems": "array",
    "uniqueItems": "array",
    "properties": "object",
    "required": "object",
    "additionalProperties": "object",
}

# The keys of a declared field that a list or a mapping as a whole cannot have.
_VALUE_KEYS = ("enum", "format", "pattern", "minimum", "maximum", "minLength", "maxLength")
_WHAT = {"array": "list", "object": "mapping"}


def _fragment_problems(fragment: Doc, at: Path_) -> list[tuple[Path_, str]]:
    """A declared field whose keys belong to another type (`items` on text, `enum` on a list), or a
    mapping requiring a key it does not declare; at any depth."""
    found: list[tuple[Path_, str]] = []
    kind = fragment.get("type")
    for key, wanted in _TYPE_KEYS.items():
        if key in fragment and kind != wanted:
            found.append(
                (
                    (*at, key),
                    f"{key!r} is for type: {wanted}; this field is "
                    + (f"type: {kind}" if kind else "of no type: write type: " + wanted),
                )
            )
    if kind in ("array", "object"):
        where = "items" if kind == "array" else "each of its properties"
        found += [
            ((*at, key), f"{key!r} is for one value, not a {_WHAT[kind]}: put it in {where}")
            for key in _VALUE_KEYS
            if key in fragment
        ]
    for j, name in enumerate(fragment.get("required", ())):
        if name not in fragment.get("properties", {}):
            found.append(
                ((*at, "required", j), f"required key {name!r} is not one of the mapping's properties")
            )
    if isinstance(fragment.get("items"), Mapping):
        found += _fragment_problems(fragment["items"], (*at, "items"))
    for name, inner in fragment.get("properties", {}).items():
        found += _fragment_problems(inner, (*at, "properties", name))
    return found


def template_problems(test: str, template: str, declared: Collection[str] = ()) -> Iterator[str]:
    """What is wrong with a rule's message: only plain {name} placeholders from the test's documented
    set (as_of, the test's own values, a field of the firm file's records or one the policy declares)
    may appear."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        yield f"the message is not a valid template ({exc}); write {{{{ and }}}} for literal braces"
        return
    values = ("as_of", *MESSAGE_VALUES[test])
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion is not None:
            yield f"placeholder {{{name}...}} has a format spec or conversion; write a plain {{{name}}}"
        elif name not in values and name not in record_fields() and name not in declared:
            yield (
                f"placeholder {{{name}}} is not one of this test's ({', '.join(values)}) nor a field "
                "of a firm file's records; a placeholder is a plain name (see docs/policy.md)"
            )


@cache
def record_fields() -> frozenset[str]:
    """Every field name the firm file's schema defines, at any depth."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}) if isinstance(node.get("properties"), dict) else ())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema("firm"))
    return frozenset(names)
