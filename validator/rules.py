"""Compile a policy's declarative rules into tests of one record as of a date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from .dates import add_term, leaves_window, window_first


@dataclass(frozen=True, slots=True)
class Window:
    """A named window resolved for one as-of date."""

    name: str
    label: str
    spec: dict[str, Any]
    first: date
    last: date

    @property
    def first_iso(self) -> str:
        return self.first.isoformat()


@dataclass(frozen=True, slots=True)
class Context:
    """What every test needs to know about the as-of date, the windows and the accepted credentials."""

    as_of: date
    iso: str
    windows: dict[str, Window]
    accepted: tuple[dict[str, Any], ...]
    default_term: dict[str, Any]

    @classmethod
    def build(cls, as_of: date, policy: dict[str, Any]) -> Context:
        windows = {
            name: Window(name, spec.get("label", name), spec, window_first(as_of, spec), as_of)
            for name, spec in policy["windows"].items()
        }
        creds = policy.get("credentials", {})
        return cls(
            as_of,
            as_of.isoformat(),
            windows,
            tuple(creds.get("accepted", ())),
            creds.get("default_term", {"months": 12}),
        )


class Passed(NamedTuple):
    """The record passes; it drops out on `drop` (None: not known to), thanks to `via` (an item of a list)."""

    drop: date | None = None
    via: dict[str, Any] | None = None


class Failed(NamedTuple):
    """The record fails this rule: a reason code, a sentence, and how many rules it passed first."""

    reason: str
    message: str
    passed: int = 0


PASS = Passed()
Test = Callable[[dict[str, Any], Context], Passed | Failed]


def getter(field: str) -> Callable[[dict[str, Any]], Any]:
    """Read a possibly dotted field (`consent.given_on`) from a record; absent is None."""
    parts = field.split(".")
    if len(parts) == 1:
        return lambda record: record.get(field)

    def get(record: dict[str, Any]) -> Any:
        value: Any = record
        for part in parts:
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    return get


def _fail(rule: dict[str, Any], record: dict[str, Any], ctx: Context, **values: Any) -> Failed:
    fields = {k: v for k, v in record.items() if isinstance(v, str)}
    message = rule.get("message", "does not pass " + rule["test"])
    return Failed(rule["reason"], message.format_map({**fields, "as_of": ctx.iso, **values}))


def _on_or_before(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        value = get(record)
        if value is not None and value <= ctx.iso:
            return PASS
        return _fail(rule, record, ctx, value=value or f"(no {rule['field']})")

    return test


def _absent_or_after(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        value = get(record)
        if value is None:
            return PASS
        if value > ctx.iso:
            return Passed(date.fromisoformat(value))
        return _fail(rule, record, ctx, value=value)

    return test


def _in_window(rule: dict[str, Any]) -> Test:
    fields, name = rule["fields"], rule["window"]

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        window = ctx.windows[name]
        latest = ""
        for field in fields:
            value = record.get(field)
            for day in value if isinstance(value, list) else (value,):
                if day is not None and latest < day <= ctx.iso:
                    latest = day
        if latest >= window.first_iso:
            return Passed(leaves_window(date.fromisoformat(latest), window.spec))
        if not latest:
            return _fail(
                rule,
                record,
                ctx,
                value="(never)",
                days_before="(no)",
                window=window.label,
                first=window.first_iso,
            )
        days = (ctx.as_of - date.fromisoformat(latest)).days
        return _fail(
            rule, record, ctx, value=latest, days_before=days, window=window.label, first=window.first_iso
        )

    return test


def _not_before_window(rule: dict[str, Any]) -> Test:
    get, name = getter(rule["field"]), rule["window"]

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        value = get(record)
        if value is None:
            return PASS
        window = ctx.windows[name]
        if value >= window.first_iso:
            return Passed(leaves_window(date.fromisoformat(value), window.spec))
        return _fail(rule, record, ctx, value=value, first=window.first_iso, window=window.label)

    return test


def _within_term(rule: dict[str, Any]) -> Test:
    start, end = getter(rule["start"]), getter(rule["end"])

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        ends = end(record)
        if ends is None:
            ends = add_term(date.fromisoformat(start(record)), rule.get("default_term", ctx.default_term))
        else:
            ends = date.fromisoformat(ends)
        if ctx.as_of < ends:
            return Passed(ends)
        return _fail(rule, record, ctx, end=ends.isoformat())

    return test


def _accepted_credential(rule: dict[str, Any]) -> Test:
    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        name, level = record.get("name"), record.get("level")
        for entry in ctx.accepted:
            if (
                entry["name"] == name
                and entry["level"] == level
                and entry["from"] <= ctx.iso
                and ("until" not in entry or ctx.iso < entry["until"])
            ):
                return Passed(date.fromisoformat(entry["until"])) if "until" in entry else PASS
        return _fail(rule, record, ctx)

    return test


def _equals(rule: dict[str, Any]) -> Test:
    get, wanted = getter(rule["field"]), rule["value"]

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        value = get(record)
        return PASS if value == wanted else _fail(rule, record, ctx, value=value)

    return test


def _is_true(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        return PASS if get(record) is True else _fail(rule, record, ctx)

    return test


def _present(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        value = get(record)
        if value is None or value == "" or value == {} or value == []:
            return _fail(rule, record, ctx)
        if isinstance(value, str) and not value.strip():
            return _fail(rule, record, ctx)
        return PASS

    return test


def _any(rule: dict[str, Any]) -> Test:
    of = rule["of"]
    tests = [compile_rule(r) for r in rule["rules"]]

    def test(record: dict[str, Any], ctx: Context) -> Passed | Failed:
        best: Passed | None = None
        closest: Failed | None = None
        items = record.get(of)
        for item in items if isinstance(items, list) else ():
            verdict = run_rules(tests, item, ctx)
            if isinstance(verdict, Failed):
                if closest is None or verdict.passed > closest.passed:
                    closest = verdict
            elif best is None or _later(verdict.drop, best.drop):
                best = Passed(verdict.drop, item)
        if best is not None:
            return best
        detail = closest.message if closest else f"no {of} listed"
        return _fail(rule, record, ctx, detail=detail)

    return test


def _later(a: date | None, b: date | None) -> bool:
    """Whether drop date `a` is later than `b`, None meaning never."""
    return b is not None and (a is None or a > b)


def run_rules(tests: list[Test], record: dict[str, Any], ctx: Context) -> Passed | Failed:
    """All tests in order; the first failure decides. A pass carries the earliest drop date."""
    drop: date | None = None
    via = None
    for passed, test in enumerate(tests):
        verdict = test(record, ctx)
        if isinstance(verdict, Failed):
            return verdict._replace(passed=passed)
        if verdict.drop is not None and (drop is None or verdict.drop < drop):
            drop = verdict.drop
        if verdict.via is not None:
            via = verdict.via
    return Passed(drop, via) if drop is not None or via is not None else PASS


PRIMITIVES: dict[str, Callable[[dict[str, Any]], Test]] = {
    "on_or_before": _on_or_before,
    "absent_or_after": _absent_or_after,
    "in_window": _in_window,
    "not_before_window": _not_before_window,
    "within_term": _within_term,
    "accepted_credential": _accepted_credential,
    "equals": _equals,
    "is_true": _is_true,
    "present": _present,
    "any": _any,
}


def compile_rule(rule: dict[str, Any]) -> Test:
    """One policy rule as a test function."""
    return PRIMITIVES[rule["test"]](rule)
