"""A metric's value from the records counting on a day: counts, points, sums, caps and groups.

One reading for every caller: `evaluate` passes the records that count on its as-of date, the timeline
the records whose spans hold the day, and both get the value from `value_of` (or `sum_of`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .rules import NO_LINKS, Context, Failed, Links, Record, RuleTest, getter, run_rules, spans_of
from .spans import Spans

if TYPE_CHECKING:
    from .model import Metric

Number = int | float
Getter = Callable[[Record], Any]


@dataclass(frozen=True, slots=True)
class Points:
    """What one counted record gives: a value from a table keyed by a field of the record, or of its best
    counting item (the item of the metric's `any` rule over `of` that passes and gives the most)."""

    field: str | None  # None: every record gives `otherwise`
    table: Mapping[str, Number]
    otherwise: Number
    of: str | None = None  # the list whose best counting item is read
    item_rules: tuple[RuleTest, ...] = dataclasses.field(default=(), compare=False)  # its `any` rule's
    get: Getter = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        read = getter(self.field or "", {})
        object.__setattr__(self, "get", lambda record: read(record, NO_LINKS))

    def of_one(self, record: Record) -> Number:
        """The points a record (or an item) gives by its own field."""
        if self.field is None:
            return self.otherwise
        value = self.get(record)
        return self.table.get(value, self.otherwise) if isinstance(value, str) else self.otherwise

    def _items(self, record: Record) -> list[Record]:
        items = record.get(self.of or "")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    def on(self, record: Record, ctx: Context) -> Number:
        """The points a record counting on `ctx.as_of` gives: the best of its items passing that day."""
        if self.of is None:
            return self.of_one(record)
        passing = (
            i for i in self._items(record) if not isinstance(run_rules(self.item_rules, i, ctx), Failed)
        )
        return max(map(self.of_one, passing), default=0)

    def most(self, record: Record) -> Number:
        """No day gives the record more than this."""
        if self.of is None:
            return self.of_one(record)
        return max(map(self.of_one, self._items(record)), default=0)

    def single(self, record: Record) -> Number | None:
        """What a record gives on every day it counts, when that is one number: its points by its own
        field, or by its only item; None when several items may give different points."""
        if self.of is None:
            return self.of_one(record)
        only = self._only(record)
        return None if only is None else self.of_one(only)

    def _only(self, record: Record) -> Record | None:
        """The record's one item, when its list holds just one: the record with it is the record itself."""
        items = record.get(self.of or "")
        return (
            items[0] if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict) else None
        )

    def rows(self, rules: tuple[RuleTest, ...], record: Record, links: Links) -> list[tuple[Spans, Number]]:
        """The days the record counts, each with the points it gives on them (several rows when its
        items give different points on different days)."""
        gives = self.single(record)
        if gives is not None:
            return [(spans_of(rules, record, links), gives)]
        return [
            (spans_of(rules, {**record, self.of or "": [item]}, links), self.of_one(item))
            for item in self._items(record)
        ]


def tidy(value: Number) -> Number:
    """A whole number as an int (2.0 -> 2), so counts and whole sums print as counts."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def value_of(
    metric: Metric,
    records: Sequence[Record],
    points: Sequence[Number] | None,
    key: Getter | None,
    group: Getter | None,
) -> Number:
    """The value of `metric` over the records counting on a day (`points[i]` what `records[i]` gives).

    Without points each record (or each distinct key) counts 1; with them it gives its points (a key:
    the most any of its records gives). With `group`: the largest group's total, or, with
    `groups_with_at_least`, how many groups reach it. Then the cap, `at_most`.
    """
    if group is None:
        raw = _total(records, points, key)
    else:
        totals = [_total(rs, ps, key) for rs, ps in _groups(records, points, group, key)]
        floor = metric.groups_with_at_least
        raw = max(totals, default=0) if floor is None else sum(1 for t in totals if t >= floor)
    return capped(metric, raw)


def sum_of(metric: Metric, values: Iterable[Number]) -> Number:
    """A metric computed from metrics: the sum of their values, then the cap."""
    return capped(metric, sum(values))


def formula_of(metric: Metric, value: Callable[[str], Number]) -> Number:
    """A metric computed by its CEL formula from the values of the metrics it names, then the cap; a
    formula giving no number (0.0 / 0.0) gives 0."""
    assert metric.formula is not None
    raw = metric.formula({m: value(m) for m in metric.formula.uses})
    return capped(metric, raw if raw == raw else 0)


def capped(metric: Metric, raw: Number) -> Number:
    return tidy(raw if metric.at_most is None or raw <= metric.at_most else metric.at_most)


def _total(records: Sequence[Record], points: Sequence[Number] | None, key: Getter | None) -> Number:
    if points is None:
        return len(records) if key is None else len({key(r) for r in records} - {None})
    if key is None:
        return sum(points)
    best: dict[Any, Number] = {}
    for r, p in zip(records, points, strict=True):
        k = key(r)
        if k is not None and p > best.get(k, -1):
            best[k] = p
    return sum(best.values())


def _groups(
    records: Sequence[Record], points: Sequence[Number] | None, group: Getter, key: Getter | None
) -> Iterable[tuple[list[Record], list[Number] | None]]:
    """The records of each group (an absent group or key adds nothing), with their points."""
    out: dict[Any, tuple[list[Record], list[Number]]] = {}
    for i, r in enumerate(records):
        g = group(r)
        if g is not None and (key is None or key(r) is not None):
            rs, ps = out.setdefault(g, ([], []))
            rs.append(r)
            ps.append(points[i] if points is not None else 1)
    return ((rs, ps if points is not None else None) for rs, ps in out.values())
