"""Each rule test read through links, in its failure sentence, and at its edges: what the shipped and
example policies do not exercise (found by mutation testing, `nox -s mutation`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from validator.dates import Term, leaves, term_end
from validator.language.model import Window
from validator.language.rules import (
    Context,
    Failed,
    Links,
    RuleTest,
    Scope,
    Via,
    compile_rules,
    drop_reason,
    judge,
    needs_days,
    spans_of,
)
from validator.language.spans import ALWAYS, NEVER, starting, until

AS_OF = date(2027, 2, 15)
RECENT = Window("recent", "the last 90 days", Term(days=90))
SCOPE = Scope({"recent": RECENT}, Term(months=12), {}, {"customer": "customers"})
CUSTOMER = {
    "id": "c-1",
    "region": "emea",
    "since": "2027-01-10",
    "until": "2027-03-01",
    "vip": True,
}
LINKS = Links({"customer": "customers"}, {"customers": [CUSTOMER]})
SINCE = date(2027, 1, 10)


def _rule(**rule: Any) -> RuleTest:
    (test,) = compile_rules([{"reason": "r", **rule}], SCOPE)
    return test


def _ctx(on: date = AS_OF) -> Context:
    return Context.build(on, SCOPE.windows, LINKS)


LINKED = [
    ({"test": "on_or_before", "field": "customer.since"}, None, starting(SINCE)),
    ({"test": "absent_or_after", "field": "customer.until"}, date(2027, 3, 1), until(date(2027, 3, 1))),
    (
        {"test": "at_least_days_before", "field": "customer.since", "days": 30},
        None,
        starting(date(2027, 2, 9)),
    ),
    (
        {"test": "at_most_days_before", "field": "customer.since", "days": 60},
        date(2027, 3, 12),
        ((SINCE, date(2027, 3, 12)),),
    ),
    (
        {"test": "in_window", "fields": ["customer.since"], "window": "recent"},
        leaves("2027-01-10", RECENT.term),
        ((SINCE, leaves("2027-01-10", RECENT.term)),),
    ),
    (
        {"test": "not_before_window", "field": "customer.since", "window": "recent"},
        leaves("2027-01-10", RECENT.term),
        until(leaves("2027-01-10", RECENT.term)),
    ),
    (
        {"test": "within_term", "start": "customer.since", "end": "customer.until"},
        date(2027, 3, 1),
        until(date(2027, 3, 1)),
    ),
    (
        {"test": "within_term", "start": "customer.since", "end": "customer.ended"},
        term_end("2027-01-10", Term(months=12)),
        until(term_end("2027-01-10", Term(months=12))),
    ),
    ({"test": "equals", "field": "customer.region", "value": "emea"}, None, ALWAYS),
    ({"test": "in", "field": "customer.region", "values": ["amer", "emea"]}, None, ALWAYS),
    ({"test": "is_true", "field": "customer.vip"}, None, ALWAYS),
    ({"test": "present", "field": "customer.region"}, None, ALWAYS),
]


@pytest.mark.parametrize(
    ("rule", "verdict", "spans"), LINKED, ids=[f"{c[0]['test']}-{i}" for i, c in enumerate(LINKED)]
)
def test_every_field_test_reads_a_field_of_the_linked_customer_in_both_readings(
    rule: dict[str, Any], verdict: date | None, spans: Any
) -> None:
    test = _rule(**rule)
    record = {"id": "d-1", "customer": "c-1"}
    assert test.verdict(record, _ctx()) == verdict
    assert test.spans(record, LINKS) == spans


def test_an_item_of_a_list_reads_its_linked_customer_however_many_items_there_are() -> None:
    test = _rule(
        test="any",
        of="deployments",
        rules=[
            {"test": "equals", "field": "customer.region", "value": "emea", "reason": "region"},
            {"test": "absent_or_after", "field": "retired_on", "reason": "retired"},
        ],
    )
    emea = {"customer": "c-1", "retired_on": "2027-03-01"}
    unknown = {"customer": "c-9"}
    assert test.spans({"deployments": [emea]}, LINKS) == until(date(2027, 3, 1))
    assert test.spans({"deployments": [unknown, emea]}, LINKS) == until(date(2027, 3, 1))
    # one item fails today: the days of all items decide when the record drops out
    assert test.verdict({"deployments": [unknown, emea]}, _ctx()) == Via(date(2027, 3, 1), emea)


def test_a_link_into_a_list_the_firm_lacks_or_from_a_value_that_is_no_id_finds_nothing() -> None:
    assert Links({"customer": "customers"}, {}).follow("customer", "c-1") is None
    assert LINKS.follow("customer", ["c-1"]) is None
    assert _rule(test="present", field="customer.region").verdict({"customer": ["c-1"]}, _ctx()) == Failed(
        "r", "does not pass present", {"customer": ["c-1"]}, {"as_of": "2027-02-15"}
    )


ANA = {"name": "Ana"}
SAYS = [
    (  # a field the record lacks, or holds other than text, is said as missing
        {
            "test": "absent_or_after",
            "field": "left_on",
            "message": "{name} ({title}, {seats}) left on {value}",
        },
        {"left_on": "2027-02-01", "seats": 12},
        "Ana ((no title), (no seats)) left on 2027-02-01",
    ),
    (
        {"test": "absent_or_after", "field": "left_on", "message": "{name} left on {value}"},
        {"left_on": "2027-02-01"},
        "Ana left on 2027-02-01",
    ),
    (
        {
            "test": "at_least_days_before",
            "field": "since",
            "days": 30,
            "message": "{name}: {value}, {days_before} of {days}",
        },
        {},
        "Ana: (no since), (no since) of 30",
    ),
    (
        {
            "test": "at_least_days_before",
            "field": "since",
            "days": 30,
            "message": "{name}: {value}, {days_before} of {days}",
        },
        {"since": "2027-02-10"},
        "Ana: 2027-02-10, 5 of 30",
    ),
    (
        {
            "test": "at_most_days_before",
            "field": "since",
            "days": 30,
            "message": "{name}: {value}, {days_before} of {days}",
        },
        {"since": "2026-01-01"},
        "Ana: 2026-01-01, 410 of 30",
    ),
    (
        {
            "test": "in_window",
            "fields": ["last_active_on", "activity"],
            "window": "recent",
            "message": "{name} idle",
        },
        {},
        "has no last_active_on or activity on or before 2027-02-15",
    ),
    (
        {
            "test": "in_window",
            "fields": ["last_active_on"],
            "window": "recent",
            "message": "{name}: {value}, {days_before} days, before {first} ({window})",
        },
        {"last_active_on": "2026-11-01"},
        "Ana: 2026-11-01, 106 days, before 2026-11-18 (the last 90 days)",
    ),
    (
        {
            "test": "not_before_window",
            "field": "live_on",
            "window": "recent",
            "message": "{name}: {value} < {first}, {window}",
        },
        {"live_on": "2026-11-01"},
        "Ana: 2026-11-01 < 2026-11-18, the last 90 days",
    ),
    (
        {"test": "within_term", "start": "issued_on", "end": "expires_on", "message": "{name}: ended {end}"},
        {},
        "Ana: ended (no issued_on)",
    ),
    (
        {"test": "within_term", "start": "issued_on", "end": "expires_on", "message": "{name}: ended {end}"},
        {"expires_on": "2027-01-01"},
        "Ana: ended 2027-01-01",
    ),
    (
        {"test": "equals", "field": "stage", "value": "production", "message": "{name} is in {value}"},
        {"stage": "pilot"},
        "Ana is in pilot",
    ),
    ({"test": "is_true", "field": "named", "message": "{name} is not named"}, {}, "Ana is not named"),
    (
        {"test": "present", "field": "result", "message": "{name} states no result"},
        {"result": " "},
        "Ana states no result",
    ),
    (
        {
            "test": "any",
            "of": "credentials",
            "message": "{name}: {detail}",
            "rules": [{"test": "equals", "field": "level", "value": "pro", "reason": "level"}],
        },
        {"credentials": [{"level": "basic"}]},
        "Ana: does not pass equals",
    ),
    (
        {
            "test": "any",
            "of": "credentials",
            "message": "{name}: {detail}",
            "rules": [{"test": "equals", "field": "level", "value": "pro", "reason": "level"}],
        },
        {},
        "Ana: no credentials listed",
    ),
    (
        {
            "test": "expression",
            "expr": 'record.stage == "production"',
            "message": "{name} is not live{error}",
        },
        {"stage": "pilot"},
        "Ana is not live",
    ),
]


@pytest.mark.parametrize(
    ("rule", "fields", "sentence"), SAYS, ids=[f"{c[0]['test']}-{i}" for i, c in enumerate(SAYS)]
)
def test_a_failing_record_is_told_why_in_the_policys_sentence_with_its_own_fields(
    rule: dict[str, Any], fields: dict[str, Any], sentence: str
) -> None:
    verdict = _rule(**rule).verdict({**ANA, **fields}, _ctx())
    assert isinstance(verdict, Failed)
    assert verdict.message == sentence


def test_a_record_without_the_date_never_passes_at_least_days_before() -> None:
    assert _rule(test="at_least_days_before", field="since", days=30).spans({}, LINKS) == NEVER


def test_a_rule_s_own_default_term_overrides_the_policy_s_for_a_record_with_no_end() -> None:
    test = _rule(test="within_term", start="issued_on", end="expires_on", default_term={"months": 6})
    assert test.verdict({"issued_on": "2027-01-01"}, _ctx()) == date(2027, 7, 1)
    assert test.spans({"issued_on": "2027-01-01"}, LINKS) == until(date(2027, 7, 1))


def test_two_rules_differing_only_in_their_own_term_or_expression_differ_so_a_policy_diff_shows_it() -> None:
    term = {"test": "within_term", "start": "issued_on", "end": "expires_on"}
    assert _rule(**term, default_term={"months": 6}) != _rule(**term)
    assert _rule(test="expression", expr="true") != _rule(test="expression", expr="false")


def test_a_credential_accepted_with_no_end_passes_for_good() -> None:
    scope = Scope({}, Term(months=12), {("arch", "pro"): starting(date(2027, 1, 1))}, {})
    (test,) = compile_rules([{"test": "accepted_credential", "reason": "r"}], scope)
    assert test.verdict({"name": "arch", "level": "pro"}, _ctx()) is None


def test_not_passes_until_the_first_day_the_nested_rule_would_pass_and_for_good_when_it_never_will() -> None:
    test = _rule(test="not", rule={"test": "on_or_before", "field": "suspended_on"})
    assert test.verdict({"suspended_on": "2027-03-01"}, _ctx()) == date(2027, 3, 1)
    assert isinstance(test.verdict({"suspended_on": "2027-03-01"}, _ctx(date(2027, 3, 1))), Failed)
    assert test.verdict({}, _ctx()) is None


def test_not_of_an_expression_is_judged_on_the_day_and_says_why_in_the_policys_sentence() -> None:
    test = _rule(
        test="not", rule={"test": "expression", "expr": 'record.stage == "pilot"'}, message="{name}: pilot"
    )
    assert test.verdict({"stage": "production"}, _ctx()) is None
    failed = test.verdict({"name": "Ana", "stage": "pilot"}, _ctx())
    assert isinstance(failed, Failed)
    assert failed.message == "Ana: pilot"


def test_an_expression_sees_the_as_of_date() -> None:
    test = _rule(test="expression", expr='as_of >= "2027-02-15"')
    assert test.verdict({}, _ctx()) is None
    assert isinstance(test.verdict({}, _ctx(date(2027, 2, 14))), Failed)


CREDENTIAL_RULES = [
    {"test": "on_or_before", "field": "from", "reason": "not-yet"},
    {"test": "absent_or_after", "field": "until", "reason": "expired"},
]


def test_an_item_judged_by_expression_counts_while_another_fails_without_reading_days() -> None:
    test = _rule(
        test="any",
        of="credentials",
        rules=[
            {"test": "expression", "expr": 'record.level == "pro"', "reason": "level"},
            CREDENTIAL_RULES[1],
        ],
    )
    pro = {"level": "pro", "until": "2027-06-01"}
    verdict = test.verdict({"credentials": [{"level": "basic"}, pro]}, _ctx())
    assert verdict == Via(date(2027, 6, 1), pro)


def test_a_credential_counting_only_from_a_later_day_carries_the_record_on_for_good() -> None:
    test = _rule(test="any", of="credentials", rules=CREDENTIAL_RULES)
    now = {"from": "2027-01-01", "until": "2027-06-01"}
    later = {"from": "2027-03-01"}
    assert test.verdict({"credentials": [now, later]}, _ctx()) == Via(None, now)


def test_of_two_items_dropping_out_on_the_same_day_the_first_listed_counts() -> None:
    test = _rule(test="any", of="credentials", rules=CREDENTIAL_RULES)
    first = {"from": "2027-01-01", "until": "2027-06-01", "n": 1}
    second = {"from": "2027-01-02", "until": "2027-06-01", "n": 2}
    assert test.verdict({"credentials": [first, second]}, _ctx()) == Via(date(2027, 6, 1), first)


def test_a_record_counting_through_an_item_carries_it_and_the_rule_deciding_its_drop() -> None:
    tests = (_rule(test="present", field="name"), _rule(test="any", of="credentials", rules=CREDENTIAL_RULES))
    item = {"from": "2027-01-01", "until": "2027-06-01"}
    assert judge(tests, {"name": "Ana", "credentials": [item]}, _ctx()) == (Via(date(2027, 6, 1), item), 1)


def test_rules_passing_for_good_give_a_plain_pass_decided_by_no_rule() -> None:
    assert judge((_rule(test="present", field="name"),), ANA, _ctx()) == (None, -1)


def test_a_rule_failing_after_an_item_that_counts_for_good_fails_the_record() -> None:
    tests = (
        _rule(test="any", of="credentials", rules=CREDENTIAL_RULES),
        _rule(test="present", field="result"),
    )
    verdict, decider = judge(tests, {"credentials": [{"from": "2027-01-01"}]}, _ctx())
    assert isinstance(verdict, Failed)
    assert (verdict.reason, decider) == ("r", 1)


def test_a_drop_no_dated_rule_decided_is_explained_by_the_first_rule_failing_on_the_day() -> None:
    tests = (_rule(test="expression", expr='as_of < "2027-03-01"', message="too late"),)
    assert judge(tests, {}, _ctx()) == (None, -1)
    reason = drop_reason(tests, {}, -1, _ctx(date(2027, 3, 1)))
    assert reason is not None
    assert reason.message == "too late"


def test_an_item_counting_through_a_list_of_its_own_drops_out_with_that_list() -> None:
    test = _rule(
        test="any",
        of="teams",
        rules=[{"test": "any", "of": "credentials", "rules": CREDENTIAL_RULES, "reason": "c"}],
    )
    short = {"credentials": [{"from": "2027-01-01", "until": "2027-06-01"}]}
    long = {"credentials": [{"from": "2027-01-01", "until": "2027-09-01"}]}
    assert test.verdict({"teams": [short, long]}, _ctx()) == Via(date(2027, 9, 1), long)


PRO = {"test": "expression", "expr": 'record.level == "pro"'}


@pytest.mark.parametrize(
    "rule",
    [
        {"test": "any", "of": "credentials", "rules": [PRO]},
        {"test": "not", "rule": PRO},
        {"test": "any", "of": "teams", "rules": [{"test": "not", "rule": PRO}]},
        {"test": "not", "rule": {"test": "any", "of": "credentials", "rules": [CREDENTIAL_RULES[0], PRO]}},
    ],
    ids=["any", "not", "not-in-any", "any-in-not"],
)
def test_an_expression_nested_at_any_depth_makes_its_rules_judged_day_by_day(rule: dict[str, Any]) -> None:
    assert needs_days((_rule(test="present", field="name"), _rule(**rule)))


def test_rules_without_an_expression_anywhere_are_read_as_days() -> None:
    nested = _rule(test="any", of="teams", rules=[{"test": "not", "rule": CREDENTIAL_RULES[0]}])
    assert not needs_days((_rule(test="any", of="credentials", rules=CREDENTIAL_RULES), nested))


def test_an_expression_has_no_days_to_read_its_metric_is_judged_day_by_day() -> None:
    said = r"^an expression has no spans: judge its metric day by day \(by_day\)$"
    with pytest.raises(TypeError, match=said):
        _rule(**PRO).spans({"level": "pro"}, LINKS)


def test_a_credential_expiring_the_day_it_is_issued_counts_on_no_day() -> None:
    rules = compile_rules(CREDENTIAL_RULES, SCOPE)
    assert spans_of(rules, {"from": "2027-03-01", "until": "2027-03-01"}, LINKS) == NEVER
    one_day = spans_of(rules, {"from": "2027-03-01", "until": "2027-03-02"}, LINKS)
    assert one_day == ((date(2027, 3, 1), date(2027, 3, 2)),)
