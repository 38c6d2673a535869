"""Compile a policy's declarative rules into tests of one record as of a date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from .dates import add_term, leaves_window, window_first

# Firm files repeat the same few dozen dates: parse and step each once.
day = lru_cache(maxsize=16384)(date.fromisoformat)


@lru_cache(maxsize=16384)
def term_end(start: str, days: int, months: int) -> date:
    """The day a term starting on `start` ends; past the calendar's end (year 9999), its last day."""
    try:
        return add_term(day(start), {"days": days} if days else {"months": months})
    except (OverflowError, ValueError):
        return date.max


@lru_cache(maxsize=16384)
def leaves(on: str, days: int, months: int) -> date:
    """The first as-of date whose window (days or months long) no longer holds `on`; at most date.max."""
    try:
        return leaves_window(day(on), {"days": days} if days else {"months": months})
    except (OverflowError, ValueError):
        return date.max


def default_term(credentials: dict[str, Any]) -> dict[str, Any]:
    """A policy's `credentials.default_term`; the policy language's default is 12 months."""
    term: dict[str, Any] = credentials.get("default_term", {"months": 12})
    return term


def term_key(term: dict[str, Any]) -> tuple[int, int]:
    """A policy term ({days: N} or {months: N}) as (days, months)."""
    return term.get("days", 0), term.get("months", 0)


@dataclass(frozen=True, slots=True)
class Window:
    """A named window resolved for one as-of date."""

    name: str
    label: str
    spec: dict[str, Any]
    first: date
    last: date
    first_iso: str
    term: tuple[int, int]

    @classmethod
    def build(cls, name: str, spec: dict[str, Any], as_of: date) -> Window:
        first = window_first(as_of, spec)
        return cls(name, spec.get("label", name), spec, first, as_of, first.isoformat(), term_key(spec))


@dataclass(frozen=True, slots=True)
class Context:
    """What every test needs to know about the as-of date, the windows and the accepted credentials."""

    as_of: date
    iso: str
    windows: dict[str, Window]
    accepted: dict[tuple[str, str], str | None]  # (name, level) counting on as_of -> until
    default_term: tuple[int, int]  # (days, months)

    @classmethod
    def build(cls, as_of: date, policy: dict[str, Any]) -> Context:
        windows = {name: Window.build(name, spec, as_of) for name, spec in policy["windows"].items()}
        creds = policy.get("credentials", {})
        iso = as_of.isoformat()
        accepted = {
            (c["name"], c["level"]): c.get("until")
            for c in creds.get("accepted", ())
            if c["from"] <= iso and ("until" not in c or iso < c["until"])
        }
        return cls(as_of, iso, windows, accepted, term_key(default_term(creds)))


class Via(NamedTuple):
    """A pass thanks to an item of a list (a credential), dropping out on `drop` (None: not known to)."""

    drop: date | None
    item: dict[str, Any]


class Failed(NamedTuple):
    """The record fails this rule: a reason code, how many rules it passed first, and (lazily) a sentence."""

    reason: str
    template: str
    record: dict[str, Any]
    values: dict[str, Any]
    passed: int = 0

    @property
    def message(self) -> str:
        fields = _Fields((k, v) for k, v in self.record.items() if isinstance(v, str))
        fields.update((k, v.message if isinstance(v, Failed) else v) for k, v in self.values.items())
        return self.template.format_map(fields)


class _Fields(dict[str, Any]):
    """Values for a reason sentence; a field the record lacks (an optional email) reads '(no email)'."""

    def __missing__(self, key: str) -> str:
        return f"(no {key})"


# A test's verdict: None passes for good; a date passes until that day; Via passes thanks to an item.
Verdict = date | Via | Failed | None
Test = Callable[[dict[str, Any], Context], Verdict]


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
    values["as_of"] = ctx.iso
    return Failed(rule["reason"], rule.get("message", "does not pass " + rule["test"]), record, values)


def _on_or_before(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        value = get(record)
        if value is not None and value <= ctx.iso:
            return None
        return _fail(rule, record, ctx, value=value or f"(no {rule['field']})")

    return test


def _absent_or_after(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        value = get(record)
        if value is None:
            return None
        if value > ctx.iso:
            return day(value)
        return _fail(rule, record, ctx, value=value)

    return test


def _in_window(rule: dict[str, Any]) -> Test:
    fields, name = [getter(f) for f in rule["fields"]], rule["window"]

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        window = ctx.windows[name]
        days, months = window.term
        latest = ""
        for get in fields:
            value = get(record)
            for on in value if isinstance(value, list) else (value,):
                if on is not None and latest < on <= ctx.iso:
                    latest = on
        if latest >= window.first_iso:
            return leaves(latest, days, months)
        if not latest:  # nothing to put in the policy's sentence: say plainly what is missing
            never = {**rule, "message": f"has no {' or '.join(rule['fields'])} on or before {{as_of}}"}
            return _fail(never, record, ctx, window=window.label, first=window.first_iso)
        return _fail(
            rule,
            record,
            ctx,
            value=latest,
            days_before=(ctx.as_of - day(latest)).days,
            window=window.label,
            first=window.first_iso,
        )

    return test


def _not_before_window(rule: dict[str, Any]) -> Test:
    get, name = getter(rule["field"]), rule["window"]

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        value = get(record)
        if value is None:
            return None
        window = ctx.windows[name]
        if value >= window.first_iso:
            return leaves(value, *window.term)
        return _fail(rule, record, ctx, value=value, first=window.first_iso, window=window.label)

    return test


def _within_term(rule: dict[str, Any]) -> Test:
    start, end = getter(rule["start"]), getter(rule["end"])
    own_term = term_key(rule["default_term"]) if "default_term" in rule else None

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        ends, begins = end(record), start(record)
        if ends is None and begins is None:  # no term to be within
            return _fail(rule, record, ctx, end=f"(no {rule['start']})")
        ends = term_end(begins, *(own_term or ctx.default_term)) if ends is None else day(ends)
        if ctx.as_of < ends:
            return ends
        return _fail(rule, record, ctx, end=ends.isoformat())

    return test


def _accepted_credential(rule: dict[str, Any]) -> Test:
    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        key = (record.get("name"), record.get("level"))
        if key in ctx.accepted:
            until = ctx.accepted[key]
            return None if until is None else day(until)
        return _fail(rule, record, ctx)

    return test


def _equals(rule: dict[str, Any]) -> Test:
    get, wanted = getter(rule["field"]), rule["value"]

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        value = get(record)
        return None if value == wanted else _fail(rule, record, ctx, value=value)

    return test


def _is_true(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        return None if get(record) is True else _fail(rule, record, ctx)

    return test


def _present(rule: dict[str, Any]) -> Test:
    get = getter(rule["field"])

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        return None if is_present(get(record)) else _fail(rule, record, ctx)

    return test


def is_present(value: Any) -> bool:
    """Whether a field holds something: not absent, empty or blank."""
    if value is None or value == "" or value == {} or value == []:
        return False
    return not (isinstance(value, str) and not value.strip())


def _any(rule: dict[str, Any]) -> Test:
    of = rule["of"]
    tests = [compile_rule(r) for r in rule["rules"]]

    def test(record: dict[str, Any], ctx: Context) -> Verdict:
        best: Via | None = None
        closest: Failed | None = None
        items = record.get(of)
        for item in items if isinstance(items, list) else ():
            verdict = run_rules(tests, item, ctx)
            if isinstance(verdict, Failed):
                if closest is None or verdict.passed > closest.passed:
                    closest = verdict
                continue
            drop = verdict.drop if isinstance(verdict, Via) else verdict
            if best is None or _later(drop, best.drop):
                best = Via(drop, item)
        if best is not None:
            return best
        return _fail(rule, record, ctx, detail=closest or f"no {of} listed")

    return test


def _later(a: date | None, b: date | None) -> bool:
    """Whether drop date `a` is later than `b`, None meaning never."""
    return b is not None and (a is None or a > b)


def run_rules(tests: list[Test], record: dict[str, Any], ctx: Context) -> Verdict:
    """All tests in order; the first failure decides. A pass carries the earliest drop date."""
    drop: date | None = None
    via = None
    for passed, test in enumerate(tests):
        verdict = test(record, ctx)
        if verdict is None:
            continue
        if verdict.__class__ is Failed:
            return verdict if not passed else Failed(*verdict[:4], passed)
        if verdict.__class__ is Via:
            via = verdict.item
            verdict = verdict.drop
            if verdict is None:
                continue
        if drop is None or verdict < drop:  # type: ignore[operator]
            drop = verdict  # type: ignore[assignment]
    return drop if via is None else Via(drop, via)


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
