"""The policy in words for people: what a metric's value is, a requirement, a rule, the review rules."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Metric, Policy, Reviews
from .requirements import AllOf, Need, Prerequisite, Threshold
from .rules import (
    AbsentOrAfter,
    AcceptedCredential,
    AnyItem,
    AtLeastDaysBefore,
    AtMostDaysBefore,
    Equals,
    Expression,
    In,
    InWindow,
    IsTrue,
    Not,
    NotBeforeWindow,
    OnOrBefore,
    Present,
    RuleTest,
    WithinTerm,
)
from .values import Points


def metric_text(metric: Metric, metrics: Mapping[str, Metric]) -> list[str]:
    """A metric's whole meaning, sentence by sentence: which records and how each counts (its points),
    how groups make the value, a sum's parts, a formula, the cap. `metrics` are the policy's, by id."""
    if metric.sum_of:
        parts = _listed([metrics[m].label for m in metric.sum_of])
        out = [f"The sum of {parts}, each after its own cap."]
    elif metric.formula is not None:
        out = [f"The value of the formula {metric.formula.source} over the values of the metrics it names."]
    else:
        out = _records_text(metric, metrics)
    if metric.at_most is not None:
        out.append(f"The value is capped at {metric.at_most}.")
    return out


def _records_text(metric: Metric, metrics: Mapping[str, Metric]) -> list[str]:
    source = metrics[metric.derived_from] if metric.derived_from else metric
    records = _words(str(source.records).removeprefix("firm."))
    if metric.derived_from:
        records = f"the {records} counted for {source.label}"
    key = _words(metric.key) if metric.key and metric.key != "id" else None
    out = [f"Counts {records}, each {f'distinct {key} ' if key else ''}once."]
    if metric.points is not None:
        best = f"; a {key} with several records gives the most any of them gives" if key else ""
        out.append(f"Points per {key or 'record'}: {points_text(metric.points)}{best}.")
    if metric.points is None:
        total = (
            f"its number of distinct values of {_words(metric.key)}"
            if metric.key
            else "its number of records"
        )
    else:
        total = "the sum of its points"
    if metric.group_by is None:
        return out + (["The value is the sum of the points."] if metric.points is not None else [])
    group = f"They are grouped by {_words(metric.group_by)}, a group's total being {total}"
    if metric.groups_with_at_least is None:
        return [*out, f"{group}; the value is the largest group's total."]
    floor = metric.groups_with_at_least
    return [*out, f"{group}; the value is how many groups have a total of at least {floor}."]


def points_text(points: Points) -> str:
    """What each counted record gives: '2 each', or its table: 'by level of the best counting item of
    credentials: professional 3, otherwise 1'."""
    if points.field is None:
        return f"{points.otherwise} each"
    field = _words(points.field)
    where = f"{field} of the best counting item of {_words(points.of)}" if points.of else field
    table = ", ".join(f"{k} {v}" for k, v in points.table.items())
    return f"by {where}: {table}, otherwise {points.otherwise}"


def need_text(need: Need, label: Mapping[str, str], policy: Policy) -> str:
    """A requirement in words: 'Certified people at least 10', 'at least Partner in Membership' (that tier
    or a higher one); a group joined by 'and' or 'or'."""
    if isinstance(need, Threshold):
        return f"{label[need.metric]} at least {need.at_least}"
    if isinstance(need, Prerequisite):
        return f"at least {policy.tier_in(need.designation, need.tier)}"
    joiner = " and " if isinstance(need, AllOf) else " or "
    joined = joiner.join(need_text(n, label, policy) for n in need.items)
    return f"({joined})" if len(need.items) > 1 else joined


def reviews_text(reviews: Reviews) -> list[str]:
    """What a demotion notice does besides falling due: grace after a promotion, a cure, a promotion
    withdrawing it."""
    look = reviews.demotion_look
    out = []
    if reviews.grace is not None:
        out.append(f"A demotion look within {reviews.grace} after the firm's last promotion gives no notice.")
    out.append(
        "A firm eligible for its tier again on any day inside the notice period keeps it (a cure)."
        if look.cure
        else "Being eligible again inside the notice period does not cancel a notice (no cure)."
    )
    if reviews.promotion_replaces_notice:
        out.append("A promotion at a review inside the notice period withdraws the notice.")
    return out


def rule_text(rule: RuleTest, windows: Mapping[str, str]) -> str:
    """What a rule asks of a record on a day D, in words."""
    match rule:
        case OnOrBefore(field=field):
            return f"{_words(field)} is on or before D"
        case AbsentOrAfter(field=field):
            return f"{_words(field)} is absent or after D"
        case AtLeastDaysBefore(field=field, days=days):
            return f"{_words(field)} is at least {days} days before D"
        case AtMostDaysBefore(field=field, days=days):
            return f"{_words(field)} is on or before D and at most {days} days before it"
        case InWindow(fields=fields, window=window):
            return f"{' or '.join(map(_words, fields))} falls in {windows[window]} ending on D"
        case NotBeforeWindow(field=field, window=window):
            return f"{_words(field)} is absent or not before {windows[window]} ending on D begins"
        case WithinTerm(start=start, end=end):
            return f"D is before {_words(end)}, or, when it is absent, within the term from {_words(start)}"
        case AcceptedCredential():
            return "its name and level are accepted by the program on D"
        case Equals(field=field, value=value):
            return f"{_words(field)} is {value}"
        case In(field=field, among=among):
            return f"{_words(field)} is one of {', '.join(map(str, among))}"
        case Not(rule=negated):
            return f"not: {rule_text(negated, windows)}"
        case IsTrue(field=field):
            return f"{_words(field)} is true"
        case Present(field=field):
            return f"{_words(field)} is given"
        case Expression(expr=expr):
            return f"the expression {expr} is true"
        case AnyItem(of=of, rules=rules):
            each = "; ".join(rule_text(r, windows) for r in rules)
            return f"at least one of its {_words(of)} passes all of: {each}"
    return f"passes the {rule.test} test"  # a test with no words here yet: its name


def _listed(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


def _words(name: str) -> str:
    return name.replace("_", " ").replace(".", " ")
