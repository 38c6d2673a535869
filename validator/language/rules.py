"""The rule tests of the policy language: each test is one class holding both of its readings.

`verdict` is the reading for one as-of date (pass, pass until a drop-out date, or fail with a reason
and a sentence); `spans` is the days on which a record passes, for any as-of date at once. `TESTS`
maps each test name a policy may use to its class, in one place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..dates import Term, day, held_from, leaves, term_end, window_first
from .expressions import Condition, condition
from .spans import ALWAYS, NEVER, Span, Spans, complement, intersect, span_on, starting, union, until

if TYPE_CHECKING:
    from .model import Window

Record = dict[str, Any]


# Verdicts and contexts are made for every record judged: as tuples, in C (a NamedTuple's own `__new__`
# is Python).
_made = tuple.__new__


@dataclass(frozen=True, slots=True)
class WindowOn:
    """A named window resolved for one as-of date."""

    name: str
    label: str
    term: Term
    first: date
    last: date
    first_iso: str


class Links:
    """The lists of one firm file that the policy's link fields point into, each indexed by id."""

    __slots__ = ("fields", "index")

    def __init__(self, fields: Mapping[str, str], data: Mapping[str, Any]) -> None:
        self.fields = fields  # a field holding an id -> the list it points into
        self.index = {
            name: {r.get("id"): r for r in data.get(name, ()) if isinstance(r, dict)}
            for name in set(fields.values())
        }

    def follow(self, field: str, value: Any) -> Any:
        """The record a link field's value names (None when it names none)."""
        return self.index[self.fields[field]].get(value) if isinstance(value, str) else None


NO_LINKS = Links({}, {})


class Context(NamedTuple):
    """What every test needs to know about one as-of date: the day, each window's first day, and the
    firm's linked lists. (A tuple: one is made for each at-risk record's drop-out day, and a frozen
    dataclass costs several times as much to make.)"""

    as_of: date
    iso: str
    windows: Mapping[str, WindowOn]
    links: Links = NO_LINKS

    @classmethod
    def build(cls, as_of: date, windows: Mapping[str, Window], links: Links = NO_LINKS) -> Context:
        return _made(cls, (*_resolved(as_of, tuple(windows.values())), links))


@lru_cache(maxsize=4096)
def _resolved(as_of: date, windows: tuple[Window, ...]) -> tuple[date, str, Mapping[str, WindowOn]]:
    """The day, as text, and each window on it; firms share their as-of and drop-out dates, so each is
    worked out once (read-only: every context holding it shares it)."""
    out = {}
    for w in windows:
        first = window_first(as_of, w.term)
        out[w.name] = WindowOn(w.name, w.label, w.term, first, as_of, first.isoformat())
    return as_of, as_of.isoformat(), MappingProxyType(out)


class Via(NamedTuple):
    """A pass thanks to an item of a list (a credential), dropping out on `drop` (None: not known to)."""

    drop: date | None
    item: Record


class Failed(NamedTuple):
    """The record fails this rule: a reason code and (lazily) a sentence."""

    reason: str
    template: str
    record: Record
    values: dict[str, Any]

    @property
    def message(self) -> str:
        """The sentence: each placeholder the rule's value, else the record's text; a field the record
        lacks (an optional email) reads '(no email)'."""
        try:  # most sentences say only the rule's values: no copy to make
            return self.template.format_map(self.values)
        except KeyError:
            pass
        fields = _Fields(self.values)  # a copy made in C: no __init__ of its own to run
        fields.record = self.record
        return self.template.format_map(fields)

    def __format__(self, spec: str) -> str:
        """A failure placed in another's sentence (an item's, in its record's) reads as its sentence."""
        return self.message


class _Fields(dict[str, Any]):
    """A sentence's values: the rule's own, else the record's text (format_map asks `__missing__`)."""

    __slots__ = ("record",)
    record: Record

    def __missing__(self, key: str) -> str:
        text = self.record.get(key)
        return text if isinstance(text, str) else f"(no {key})"


# A test's verdict: None passes for good; a date passes until that day; Via passes thanks to an item.
Verdict = date | Via | Failed | None


Getter = Callable[[Record, Links], Any]


def getter(path: str, link_fields: Mapping[str, str]) -> Getter:
    """Read a possibly dotted field from a record; absent is None. A dot after a link field follows the
    link: with `links: {customer: customers}`, a deployment's `customer.region` is its customer's region;
    any other dot reaches into a mapping (`consent.given_on`)."""
    parts = path.split(".")
    if len(parts) == 1:
        return lambda record, links: record.get(path)

    def get(record: Record, links: Links) -> Any:
        value: Any = record
        for i, part in enumerate(parts):
            if i and isinstance(value, str) and parts[i - 1] in link_fields:
                value = links.follow(parts[i - 1], value)
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    return get


def is_present(value: Any) -> bool:
    """Whether a field holds something: not absent, empty or blank."""
    if value is None or value == "" or value == {} or value == []:
        return False
    return not (isinstance(value, str) and not value.strip())


@dataclass(frozen=True, slots=True)
class Scope:
    """What a rule may refer to in its policy: the windows, the default credential term, what is accepted."""

    windows: Mapping[str, Window]
    default_term: Term
    accepted: Mapping[tuple[str, str], Spans]  # (name, level) -> the days it counts
    links: Mapping[str, str]  # the policy's link fields -> the list each points into


@dataclass(frozen=True, slots=True, repr=False)
class RuleTest:
    """One test a record must pass to count. Subclasses hold the test's options and both readings."""

    test: ClassVar[str]
    values: ClassVar[tuple[str, ...]] = ()  # placeholders its message may use besides as_of and fields
    by_day: ClassVar[bool] = False  # True: no `spans` reading; a record is judged on each day by `verdict`

    reason: str
    message: str

    def __repr__(self) -> str:
        """The test and its reason; one written here, not one per class: dataclass would make each (with
        its frozen and slots methods) at every start."""
        return f"<{self.test} {self.reason!r}>"

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        """The test as a rule of a policy document declares it (already checked by the meta-schema)."""
        raise NotImplementedError

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        """Whether `record` passes on `ctx.as_of`, and until when."""
        raise NotImplementedError

    def spans(self, record: Record, links: Links) -> Spans:
        """The days on which `record` passes."""
        raise NotImplementedError

    def fail(self, record: Record, ctx: Context, **values: Any) -> Failed:
        values["as_of"] = ctx.iso
        return _made(Failed, (self.reason, self.message, record, values))


def _common(rule: Mapping[str, Any]) -> dict[str, Any]:
    # the rule inside `not` has no reason of its own: its failure is never shown
    reason = rule.get("reason", rule["test"])
    return {"reason": reason, "message": rule.get("message", "does not pass " + rule["test"])}


@dataclass(frozen=True, slots=True, repr=False)
class _FieldTest(RuleTest):
    """A test of one (possibly dotted) field of the record."""

    field: str
    get: Getter = dataclasses.field(repr=False, compare=False)

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        return cls(field=rule["field"], get=getter(rule["field"], scope.links), **_common(rule))


@dataclass(frozen=True, slots=True, repr=False)
class OnOrBefore(_FieldTest):
    """The field holds a date on or before the as-of date: it passes from that day on."""

    test = "on_or_before"
    values = ("value",)

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        if value is not None and value <= ctx.iso:
            return None
        return self.fail(record, ctx, value=value or f"(no {self.field})")

    def spans(self, record: Record, links: Links) -> Spans:
        value = self.get(record, links)
        return starting(None if value is None else day(value))


@dataclass(frozen=True, slots=True, repr=False)
class AbsentOrAfter(_FieldTest):
    """The field is absent or holds a date after the as-of date: it passes until that day."""

    test = "absent_or_after"
    values = ("value",)

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        if value is None:
            return None
        if value > ctx.iso:
            return day(value)
        return self.fail(record, ctx, value=value)

    def spans(self, record: Record, links: Links) -> Spans:
        value = self.get(record, links)
        return ALWAYS if value is None else until(day(value))


@dataclass(frozen=True, slots=True, repr=False)
class _DaysBefore(_FieldTest):
    """A test of how many days before the as-of date a field's date lies."""

    values = ("value", "days", "days_before")
    past: ClassVar[int] = 0  # at most N days before: the term to the first day out is N + 1 days

    days: int = 0
    term: Term = dataclasses.field(default=Term(), compare=False)  # made once, not for every record

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        get, days = getter(rule["field"], scope.links), rule["days"]
        return cls(field=rule["field"], get=get, days=days, term=Term(days=days + cls.past), **_common(rule))

    def failed(self, record: Record, ctx: Context, value: str | None) -> Failed:
        """The failure, with how many days before the as-of date the field's date lies."""
        if value is None:
            missing = f"(no {self.field})"
            return self.fail(record, ctx, value=missing, days=self.days, days_before=missing)
        return self.fail(record, ctx, value=value, days=self.days, days_before=(ctx.as_of - day(value)).days)


@dataclass(frozen=True, slots=True, repr=False)
class AtLeastDaysBefore(_DaysBefore):
    """The field holds a date at least `days` days before the as-of date (held for that long): it
    passes from the date plus `days` on."""

    test = "at_least_days_before"

    def first_day(self, value: str) -> date:
        """The first as-of date on which a date `value` is `days` days old."""
        return term_end(value, self.term)

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        if value is not None and self.first_day(value) <= ctx.as_of:
            return None
        return self.failed(record, ctx, value)

    def spans(self, record: Record, links: Links) -> Spans:
        value = self.get(record, links)
        return starting(None if value is None else self.first_day(value))


@dataclass(frozen=True, slots=True, repr=False)
class AtMostDaysBefore(_DaysBefore):
    """The field holds a date on or before the as-of date and at most `days` days before it: it passes
    from the date through `days` days later."""

    test = "at_most_days_before"
    past = 1

    def last_day_out(self, value: str) -> date:
        """The first as-of date on which a date `value` is more than `days` days old."""
        return term_end(value, self.term)

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        if value is not None and value <= ctx.iso:
            out = self.last_day_out(value)
            if ctx.as_of < out:
                return out
        return self.failed(record, ctx, value)

    def spans(self, record: Record, links: Links) -> Spans:
        value = self.get(record, links)
        return NEVER if value is None else union([(day(value), self.last_day_out(value))])


@dataclass(frozen=True, slots=True, repr=False)
class InWindow(RuleTest):
    """The latest date in the fields (each a date or a list of dates) up to the as-of date is inside a
    window ending on the as-of date."""

    test = "in_window"
    values = ("value", "days_before", "window", "first")

    fields: tuple[str, ...]
    window: str
    term: Term = dataclasses.field(compare=False)
    gets: tuple[Getter, ...] = dataclasses.field(repr=False, compare=False)

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        window, fields = rule["window"], tuple(rule["fields"])
        gets = tuple(getter(f, scope.links) for f in fields)
        return cls(fields=fields, window=window, term=scope.windows[window].term, gets=gets, **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        window, iso = ctx.windows[self.window], ctx.iso
        latest = ""
        for get in self.gets:
            value = get(record, ctx.links)
            if isinstance(value, list):
                for on in value:
                    if on is not None and latest < on <= iso:
                        latest = on
            elif value is not None and latest < value <= iso:
                latest = value
        if latest >= window.first_iso:
            return leaves(latest, self.term)
        if not latest:  # nothing to put in the policy's sentence: say plainly what is missing
            never = f"has no {' or '.join(self.fields)} on or before {{as_of}}"
            values = {"window": window.label, "first": window.first_iso, "as_of": ctx.iso}
            return Failed(self.reason, never, record, values)
        return self.fail(
            record,
            ctx,
            value=latest,
            days_before=(ctx.as_of - day(latest)).days,
            window=window.label,
            first=window.first_iso,
        )

    def spans(self, record: Record, links: Links) -> Spans:
        days: list[str] = []
        for get in self.gets:
            value = get(record, links)
            if value.__class__ is list:
                days += value
            elif value is not None:
                days.append(value)
        days.sort()  # a list holds dates only: the policy check refuses an in_window field that may not
        # in date order, each date's days run on from the last's while they touch (a window's end
        # moves on with its start): merged as they come (a date given twice, with itself). Not
        # `union`, which sorts the spans again and checks both ends: 7% more of the standing walk
        term, end = self.term, date.min
        out: list[Span] = []
        for on in days:
            span = held_from(on, term)
            if span[0] <= end:
                out[-1] = (out[-1][0], span[1])
            else:
                out.append(span)
            end = span[1]
        return tuple(out)


@dataclass(frozen=True, slots=True, repr=False)
class NotBeforeWindow(_FieldTest):
    """The field is absent or holds a date inside (or after the start of) a window ending on the as-of
    date: it passes until that date leaves the window."""

    test = "not_before_window"
    values = ("value", "first", "window")

    window: str = ""
    term: Term = dataclasses.field(default=Term(), compare=False)

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        window, get = rule["window"], getter(rule["field"], scope.links)
        term = scope.windows[window].term
        return cls(field=rule["field"], get=get, window=window, term=term, **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        if value is None:
            return None
        window = ctx.windows[self.window]
        if value >= window.first_iso:
            return leaves(value, self.term)
        return self.fail(record, ctx, value=value, first=window.first_iso, window=window.label)

    def spans(self, record: Record, links: Links) -> Spans:
        value = self.get(record, links)
        return ALWAYS if value is None else until(leaves(value, self.term))


@dataclass(frozen=True, slots=True, repr=False)
class WithinTerm(RuleTest):
    """The as-of date is before the end field's date, or, with no end, before the start plus a term."""

    test = "within_term"
    values = ("end",)

    start: str
    end: str
    default_term: Term | None  # as the rule declares it; None: the policy's credentials.default_term
    term: Term = dataclasses.field(compare=False)  # the term in effect
    get_start: Getter = dataclasses.field(repr=False, compare=False)
    get_end: Getter = dataclasses.field(repr=False, compare=False)

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        own = term_of(rule["default_term"]) if "default_term" in rule else None
        return cls(
            start=rule["start"],
            end=rule["end"],
            default_term=own,
            term=own or scope.default_term,
            get_start=getter(rule["start"], scope.links),
            get_end=getter(rule["end"], scope.links),
            **_common(rule),
        )

    def ends(self, record: Record, links: Links = NO_LINKS) -> date | None:
        """The first day outside the term; None when the record has neither start nor end."""
        ends, begins = self.get_end(record, links), self.get_start(record, links)
        if ends is not None:
            return day(ends)
        return None if begins is None else term_end(begins, self.term)

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        ends = self.ends(record, ctx.links)
        if ends is None:  # no term to be within
            return self.fail(record, ctx, end=f"(no {self.start})")
        if ctx.as_of < ends:
            return ends
        return self.fail(record, ctx, end=ends.isoformat())

    def spans(self, record: Record, links: Links) -> Spans:
        ends = self.ends(record, links)
        return NEVER if ends is None else until(ends)


@dataclass(frozen=True, slots=True, repr=False)
class AcceptedCredential(RuleTest):
    """The record's name and level are a credential the policy accepts on the as-of date."""

    test = "accepted_credential"

    accepted: Mapping[tuple[str, str], Spans] = dataclasses.field(compare=False)

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        return cls(accepted=scope.accepted, **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        span = span_on(self.spans(record, ctx.links), ctx.as_of)
        if span is None:
            return self.fail(record, ctx)
        return None if span[1] == date.max else span[1]

    def spans(self, record: Record, links: Links) -> Spans:
        return self.accepted.get((record.get("name"), record.get("level")), NEVER)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, repr=False)
class Equals(_FieldTest):
    """The field equals a value."""

    test = "equals"
    values = ("value",)

    value: str | int | float | bool = ""

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        get = getter(rule["field"], scope.links)
        return cls(field=rule["field"], get=get, value=rule["value"], **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        return None if value == self.value else self.fail(record, ctx, value=value)

    def spans(self, record: Record, links: Links) -> Spans:
        return ALWAYS if self.get(record, links) == self.value else NEVER


@dataclass(frozen=True, slots=True, repr=False)
class In(_FieldTest):
    """The field holds one of a set of values; a list field, when some item of it is one of them."""

    test = "in"
    values = ("value",)

    among: tuple[str | int | float | bool, ...] = ()

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        get = getter(rule["field"], scope.links)
        return cls(field=rule["field"], get=get, among=tuple(rule["values"]), **_common(rule))

    def holds(self, value: Any) -> bool:
        values = value if isinstance(value, list) else [value]
        return any(isinstance(v, str | int | float | bool) and v in self.among for v in values)

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        value = self.get(record, ctx.links)
        return None if self.holds(value) else self.fail(record, ctx, value=value)

    def spans(self, record: Record, links: Links) -> Spans:
        return ALWAYS if self.holds(self.get(record, links)) else NEVER


@dataclass(frozen=True, slots=True, repr=False)
class IsTrue(_FieldTest):
    """The field is true."""

    test = "is_true"

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        return None if self.get(record, ctx.links) is True else self.fail(record, ctx)

    def spans(self, record: Record, links: Links) -> Spans:
        return ALWAYS if self.get(record, links) is True else NEVER


@dataclass(frozen=True, slots=True, repr=False)
class Present(_FieldTest):
    """The field holds something: not absent, empty or blank."""

    test = "present"

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        return None if is_present(self.get(record, ctx.links)) else self.fail(record, ctx)

    def spans(self, record: Record, links: Links) -> Spans:
        return ALWAYS if is_present(self.get(record, links)) else NEVER


@dataclass(frozen=True, slots=True, repr=False)
class Not(RuleTest):
    """The record fails the nested rule: it passes on exactly the days that rule does not, so it drops
    out on the first day the nested rule would pass."""

    test = "not"

    rule: RuleTest
    with_days: bool = dataclasses.field(default=True, compare=False)  # False: the rule has no spans

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        (inner,) = compile_rules([rule["rule"]], scope)
        return cls(rule=inner, with_days=not needs_days((inner,)), **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        if not self.with_days:  # judged on the day alone: no drop-out date is known
            passes = isinstance(self.rule.verdict(record, ctx), Failed)
            return None if passes else self.fail(record, ctx)
        span = span_on(self.spans(record, ctx.links), ctx.as_of)
        if span is None:
            return self.fail(record, ctx)
        return None if span[1] == date.max else span[1]

    def spans(self, record: Record, links: Links) -> Spans:
        return complement(self.rule.spans(record, links))


@dataclass(frozen=True, slots=True, repr=False)
class AnyItem(RuleTest):
    """Some item of a list in the record (a credential) passes every one of the nested rules; the item
    lasting longest is the one the record counts through."""

    test = "any"
    values = ("detail",)

    of: str
    rules: tuple[RuleTest, ...]
    with_days: bool = dataclasses.field(default=True, compare=False)  # False: a rule has no spans

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        rules = compile_rules(rule["rules"], scope)
        return cls(of=rule["of"], rules=rules, with_days=not needs_days(rules), **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        items = record.get(self.of)
        if not isinstance(items, list):
            items = ()
        elif len(items) == 1:  # the common case: one credential, no other to take over from it
            verdict = judge(self.rules, items[0], ctx)[0]
            if verdict.__class__ is Failed:
                return self.fail(record, ctx, detail=verdict)
            return _made(Via, (verdict.drop if verdict.__class__ is Via else verdict, items[0]))
        best: Via | None = None
        closest: Failed | None = None
        passed = -1  # how many rules the closest item passed before failing one
        for item in items:
            verdict, decider = judge(self.rules, item, ctx)
            if isinstance(verdict, Failed):
                if decider > passed:
                    closest, passed = verdict, decider
                continue
            drop = verdict.drop if isinstance(verdict, Via) else verdict
            if best is None or _later(drop, best.drop):
                best = _made(Via, (drop, item))
        if best is None:
            return self.fail(record, ctx, detail=closest or f"no {self.of} listed")
        if best.drop is None or closest is None or not self.with_days:
            return best  # no item failed today, so none can take over later
        # another item may take over before the best one drops out (a credential already held that
        # counts only from a later day): the record drops out where its days run out
        span = span_on(self.spans(record, ctx.links), ctx.as_of)
        end = span[1] if span else best.drop
        return Via(None if end == date.max else end, best.item)

    def spans(self, record: Record, links: Links) -> Spans:
        items = record.get(self.of)
        if not isinstance(items, list):
            return NEVER
        if len(items) == 1:  # the common case: one credential, its days already sorted and disjoint
            return spans_of(self.rules, items[0], links)
        return union(span for item in items for span in spans_of(self.rules, item, links))


@dataclass(frozen=True, slots=True, repr=False)
class Expression(RuleTest):
    """A CEL condition over the record and the as-of date is true. Its days cannot be derived as spans,
    so a metric holding one is judged day by day."""

    test = "expression"
    values = ("error",)
    by_day = True

    expr: str
    condition: Condition = dataclasses.field(compare=False, repr=False)

    @classmethod
    def compile(cls, rule: Mapping[str, Any], scope: Scope) -> RuleTest:
        return cls(expr=rule["expr"], condition=condition(rule["expr"]), **_common(rule))

    def verdict(self, record: Record, ctx: Context) -> Verdict:
        result = self.condition(record, ctx.iso)
        if result is True:
            return None
        if result is False:
            return self.fail(record, ctx, error="")
        said = "cannot be judged by the expression: {error}"
        return Failed(self.reason, said, record, {"as_of": ctx.iso, "error": result})

    def spans(self, record: Record, links: Links) -> Spans:
        raise TypeError("an expression has no spans: judge its metric day by day (by_day)")


def needs_days(tests: tuple[RuleTest, ...]) -> bool:
    """Whether any of the tests, or a test nested in them, is judged only day by day."""
    for test in tests:
        if test.by_day:
            return True
        for f in dataclasses.fields(test):
            inner = getattr(test, f.name)
            nested = inner if isinstance(inner, tuple) else (inner,)
            if any(isinstance(t, RuleTest) for t in nested) and needs_days(
                tuple(t for t in nested if isinstance(t, RuleTest))
            ):
                return True
    return False


def _later(a: date | None, b: date | None) -> bool:
    """Whether drop date `a` is later than `b`, None meaning never."""
    return b is not None and (a is None or a > b)


def run_rules(tests: tuple[RuleTest, ...], record: Record, ctx: Context) -> Verdict:
    """All tests in order; the first failure decides. A pass carries the earliest drop date."""
    return judge(tests, record, ctx)[0]


def judge(tests: tuple[RuleTest, ...], record: Record, ctx: Context) -> tuple[Verdict, int]:
    """The verdict of `run_rules`, and which test decided it: the one failing, or the first one to drop
    out (-1: none drops out)."""
    drop: date | None = None
    via = None
    decider = -1
    for passed, test in enumerate(tests):
        verdict = test.verdict(record, ctx)
        if verdict is None:
            continue
        if verdict.__class__ is Failed:
            return verdict, passed
        if verdict.__class__ is Via:
            via = verdict.item
            verdict = verdict.drop
            if verdict is None:
                continue
        if drop is None or verdict < drop:  # type: ignore[operator]
            drop, decider = verdict, passed  # type: ignore[assignment]
    return (drop if via is None else _made(Via, (drop, via))), decider


def drop_reason(tests: tuple[RuleTest, ...], record: Record, decider: int, ctx: Context) -> Failed | None:
    """Why a record that passes until `ctx.as_of` fails on that day, given which test decided its drop
    (`judge`; -1 when tests judged day by day may hold it): that test judged on the day, the tests before
    it still passing (each passes until a later day, or for good); when a later date in the record
    carries it on, every test in order."""
    if decider >= 0:
        verdict = tests[decider].verdict(record, ctx)
        if verdict.__class__ is Failed:
            return verdict
    verdict = run_rules(tests, record, ctx)
    return verdict if isinstance(verdict, Failed) else None


def spans_of(tests: tuple[RuleTest, ...], record: Record, links: Links) -> Spans:
    """The days on which `record` passes every one of `tests`. Most tests give one span: while all do,
    the days are one span narrowed in place, with no tuple made per test."""
    first, end = date.min, date.max
    days: Spans | None = None  # once some test gives several spans: the days so far
    for test in tests:
        these = test.spans(record, links)
        if these is ALWAYS:
            continue
        if days is None and len(these) == 1:
            ((begins, ends),) = these
            if begins > first:
                first = begins
            if ends < end:
                end = ends
            if first >= end:
                return NEVER
            continue
        if not these:
            return NEVER
        days = intersect(((first, end),) if days is None else days, these)
        if not days:
            return NEVER
    if days is not None:
        return days
    return ALWAYS if first == date.min and end == date.max else ((first, end),)


TESTS: dict[str, type[RuleTest]] = {
    cls.test: cls
    for cls in (
        OnOrBefore,
        AbsentOrAfter,
        AtLeastDaysBefore,
        AtMostDaysBefore,
        InWindow,
        NotBeforeWindow,
        WithinTerm,
        AcceptedCredential,
        Equals,
        In,
        IsTrue,
        Present,
        Not,
        AnyItem,
        Expression,
    )
}


def compile_rules(rules: list[Mapping[str, Any]], scope: Scope) -> tuple[RuleTest, ...]:
    """Each rule of a policy document as its test."""
    return tuple(TESTS[r["test"]].compile(r, scope) for r in rules)


def term_of(spec: Mapping[str, Any]) -> Term:
    """A term as a policy document writes it: {days: N} or {months: N}."""
    return Term(spec.get("days", 0), spec.get("months", 0))
