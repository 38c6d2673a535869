"""A metric's value from the records counting on a day: counts, keys, points, groups, floors and caps."""

from __future__ import annotations

from datetime import date
from typing import Any

from validator.dates import Term
from validator.language.model import Metric
from validator.language.rules import NO_LINKS, Context, Links, Scope, compile_rules
from validator.language.spans import ALWAYS
from validator.language.values import Points, capped, sum_of, tidy, value_of

DAY = date(2028, 2, 29)
SCOPE = Scope({}, Term(months=12), {}, {})
# an item counts from the day it was issued
ISSUED = compile_rules([{"test": "on_or_before", "field": "issued_on", "reason": "not-issued"}], SCOPE)
LEVELS = Points("level", {"professional": 2, "foundations": 1}, 0)


def metric(**options: Any) -> Metric:
    fields: dict[str, Any] = {
        "id": "m",
        "label": "M",
        "records": "people",
        "derived_from": None,
        "key": None,
        "group_by": None,
        "rules": (),
    }
    return Metric(**{**fields, **options})


def key(field: str):
    return lambda record: record.get(field)


def test_a_whole_number_prints_as_a_count_and_a_fraction_stays() -> None:
    assert tidy(2.0) == 2 and isinstance(tidy(2.0), int)
    assert tidy(2.5) == 2.5
    assert tidy(3) == 3 and isinstance(tidy(3), int)


def test_without_points_each_record_or_each_distinct_present_key_counts_one() -> None:
    records = [{"c": "a"}, {"c": "a"}, {"c": "b"}, {}]
    assert value_of(metric(), records, None, None, None) == 4
    assert value_of(metric(), records, None, key("c"), None) == 2


def test_with_points_a_key_gives_the_most_any_of_its_records_gives() -> None:
    records = [{"c": "a"}, {"c": "a"}, {"c": "b"}, {}]
    assert value_of(metric(), records, [1, 0.5, 0.5, 3], None, None) == 5
    assert value_of(metric(), records, [0.5, 1, 0.5, 3], key("c"), None) == 1.5
    assert value_of(metric(), [{"c": "a"}], [0], key("c"), None) == 0


def test_grouped_the_value_is_the_largest_groups_total() -> None:
    records = [{"r": "emea", "c": "a"}, {"r": "emea", "c": "b"}, {"r": "apac", "c": "c"}, {"c": "d"}]
    assert value_of(metric(), records, None, None, key("r")) == 2
    assert value_of(metric(), records, [2, 2, 0.5, 9], None, key("r")) == 4
    # a record without a key adds nothing to its group
    assert value_of(metric(), [*records, {"r": "apac"}, {"r": "apac"}], None, key("c"), key("r")) == 2
    assert value_of(metric(), [], None, None, key("r")) == 0


def test_with_a_floor_the_value_is_how_many_groups_reach_it() -> None:
    records = [{"r": "emea"}, {"r": "emea"}, {"r": "apac"}, {"r": "amer"}, {"r": "amer"}, {"r": "amer"}]
    assert value_of(metric(groups_with_at_least=2), records, None, None, key("r")) == 2
    assert value_of(metric(groups_with_at_least=3), records, None, None, key("r")) == 1
    points = [1, 1, 2, 0.5, 0.5, 0.5]
    assert value_of(metric(groups_with_at_least=2), records, points, None, key("r")) == 2


def test_a_cap_holds_the_value_at_most_at_its_limit() -> None:
    assert capped(metric(at_most=5), 7) == 5
    assert capped(metric(at_most=5), 5.0) == 5 and isinstance(capped(metric(at_most=5), 5.0), int)
    assert capped(metric(at_most=5), 4.5) == 4.5
    assert capped(metric(), 700) == 700
    assert value_of(metric(at_most=2), [{}, {}, {}], None, None, None) == 2
    assert sum_of(metric(at_most=10), [4, 5.0]) == 9 and sum_of(metric(at_most=10), [6, 6]) == 10


def test_points_come_from_a_table_keyed_by_a_field_else_the_otherwise_value() -> None:
    assert LEVELS.of_one({"level": "professional"}) == 2
    assert LEVELS.of_one({"level": "expert"}) == 0
    assert LEVELS.of_one({"level": 2}) == 0  # only text is looked up
    assert LEVELS.of_one({"level": ["professional"]}) == 0
    dotted = Points("credential.level", {"professional": 2}, 0)  # a dot reaches into a mapping, no link
    assert dotted.of_one({"credential": {"level": "professional"}}) == 2
    assert dotted.of_one({"credential": "professional"}) == 0
    assert LEVELS.of_one({}) == 0
    assert Points(None, {}, 0.5).of_one({"level": "professional"}) == 0.5


def test_points_of_a_list_are_those_of_its_best_item_counting_that_day() -> None:
    best = Points("level", {"professional": 2, "foundations": 1}, 0, of="credentials", item_rules=ISSUED)
    record = {
        "credentials": [
            {"level": "foundations", "issued_on": "2028-01-01"},
            {"level": "professional", "issued_on": "2028-03-01"},  # not yet issued on DAY
            "not an item",
        ]
    }
    assert best.on(record, Context.build(DAY, {})) == 1
    assert best.on(record, Context.build(date(2028, 3, 1), {})) == 2
    assert best.on(record, Context.build(date(2027, 1, 1), {})) == 0
    assert best.most(record) == 2
    assert best.most({"credentials": "none"}) == 0
    assert LEVELS.on({"level": "professional"}, Context.build(DAY, {})) == 2
    assert LEVELS.most({"level": "foundations"}) == 1


def test_the_rows_of_a_list_give_each_items_days_with_its_points() -> None:
    best = Points("level", {"professional": 2, "foundations": 1}, 0, of="credentials", item_rules=ISSUED)
    record = {
        "credentials": [
            {"level": "foundations", "issued_on": "2028-01-01"},
            {"level": "professional", "issued_on": "2028-03-01"},
        ]
    }
    any_issued = compile_rules(
        [{"test": "any", "of": "credentials", "rules": [{"test": "on_or_before", "field": "issued_on"}]}],
        SCOPE,
    )
    assert best.rows(any_issued, record, NO_LINKS) == [
        (((date(2028, 1, 1), date.max),), 1),
        (((date(2028, 3, 1), date.max),), 2),
    ]
    plain = LEVELS.rows(ISSUED, {"level": "professional", "issued_on": "2028-01-01"}, NO_LINKS)
    assert plain == [(((date(2028, 1, 1), date.max),), 2)]


def test_the_rows_of_a_record_read_its_rules_through_the_firms_links() -> None:
    scope = Scope({}, Term(months=12), {}, {"customer": "customers"})
    in_emea = compile_rules([{"test": "equals", "field": "customer.region", "value": "emea"}], scope)
    links = Links({"customer": "customers"}, {"customers": [{"id": "c-0", "region": "emea"}]})
    assert LEVELS.rows(in_emea, {"customer": "c-0", "level": "professional"}, links) == [(ALWAYS, 2)]
    best = Points("level", {"professional": 2}, 0, of="credentials")
    record = {"customer": "c-0", "credentials": [{"level": "professional"}]}
    assert best.rows(in_emea, record, links) == [(ALWAYS, 2)]
