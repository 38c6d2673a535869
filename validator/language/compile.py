"""A policy document that passed every check (see meaning.py) compiled into the model."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..dates import Term
from ..loader import Path_
from .expressions import formula
from .lint import ladders
from .model import (
    AcceptedCredential,
    DemotionLook,
    Designation,
    Metric,
    OneOffReview,
    Policy,
    ReviewDays,
    Reviews,
    Tier,
    Window,
)
from .requirements import compile_needs
from .rules import AnyItem, RuleTest, Scope, compile_rules, term_of
from .spans import Spans, union
from .values import Points

Doc = Mapping[str, Any]

DEFAULT_TERM = Term(months=12)  # of a credential, when the policy gives no credentials.default_term


def build(file: str, sha256: str, doc: Doc, marks: Mapping[Path_, tuple[int, int]]) -> Policy:
    """The model of a document that has passed every check; each default is applied here and only here."""
    windows = {
        name: Window(name, spec.get("label", name), term_of(spec)) for name, spec in doc["windows"].items()
    }
    creds = doc.get("credentials", {})
    accepted = tuple(
        AcceptedCredential(
            c["name"],
            c["level"],
            date.fromisoformat(c["from"]),
            date.fromisoformat(c["until"]) if "until" in c else None,
            c.get("label"),
        )
        for c in creds.get("accepted", ())
    )
    default_term = term_of(creds["default_term"]) if "default_term" in creds else DEFAULT_TERM
    links = dict(doc.get("links", {}))
    scope = Scope(windows, default_term, _accepted_days(accepted), links)
    reviews = doc["reviews"]
    look = reviews["demotion_look"]
    designations = tuple(
        Designation(d["id"], d.get("label", d["id"]), _tiers(d["tiers"])) for _, d in ladders(doc)
    )
    return Policy(
        path=file,
        sha256=sha256,
        id=doc["id"],
        version=doc["version"],
        title=doc.get("title", doc["id"]),
        effective_from=date.fromisoformat(doc["effective_from"]),
        windows=windows,
        at_risk_days=doc.get("at_risk_days", 0),
        regions=dict(doc.get("regions", {})),
        links=links,
        default_term=default_term,
        accepted=accepted,
        metrics=_metrics(doc["metrics"], scope),
        tiers=designations[0].tiers,
        reviews=Reviews(
            promotion=review_days(reviews["promotion"]),
            one_off=tuple(
                OneOffReview(
                    date.fromisoformat(r["on"]),
                    r.get("label", "One-off review"),
                    date.fromisoformat(r["joined_on_or_before"]) if "joined_on_or_before" in r else None,
                )
                for r in reviews.get("one_off", ())
            ),
            demotion_look=DemotionLook(review_days(look["on"]), look["notice_days"], look.get("cure", False)),
            promotion_replaces_notice=reviews.get("promotion_replaces_notice", True),
            grace=term_of(reviews["grace"]) if "grace" in reviews else None,
        ),
        marks=marks,
        designations=designations,
        designation=designations[0].id,
        data=doc.get("data", {}),
    )


def _tiers(docs: list[dict[str, Any]]) -> tuple[Tier, ...]:
    return tuple(
        Tier(
            t["id"],
            t.get("label", t["id"]),
            t.get("partner", True),
            compile_needs(t["requires"]),
            tuple(t.get("benefits", ())),
        )
        for t in docs
    )


def _metrics(docs: list[dict[str, Any]], scope: Scope) -> tuple[Metric, ...]:
    out: dict[str, Metric] = {}
    for m in docs:
        rules = compile_rules(m.get("rules", []), scope)
        source = out[m["from"]].rules if "from" in m else rules
        out[m["id"]] = Metric(
            m["id"],
            m.get("label", m["id"]),
            m.get("records"),
            m.get("from"),
            m.get("key"),
            m.get("group_by"),
            rules,
            _points(m["points"], source) if "points" in m else None,
            m.get("at_most"),
            tuple(m.get("sum", ())),
            m.get("groups_with_at_least"),
            formula(m["formula"]) if "formula" in m else None,
        )
    return tuple(out.values())


def _points(spec: float | Mapping[str, Any], rules: tuple[RuleTest, ...]) -> Points:
    """`points: N`, or a table keyed by a field of the record or (with `of`) of its best counting item."""
    if not isinstance(spec, Mapping):
        return Points(None, {}, spec)
    of = spec.get("of")
    items = next((r.rules for r in rules if isinstance(r, AnyItem) and r.of == of), ())
    return Points(spec["field"], dict(spec["table"]), spec.get("otherwise", 0), of, items)


def _accepted_days(accepted: tuple[AcceptedCredential, ...]) -> dict[tuple[str, str], Spans]:
    """The days each credential (name, level) counts, over all its entries."""
    periods: dict[tuple[str, str], list[tuple[date, date]]] = {}
    for c in accepted:
        periods.setdefault((c.name, c.level), []).append((c.from_, c.until or date.max))
    return {key: union(spans) for key, spans in periods.items()}


def review_days(spec: str | list[str] | Mapping[str, int]) -> ReviewDays:
    """A review's days as written: one month-day, a list of them, or {every_months: N}."""
    if isinstance(spec, str):
        return ReviewDays((spec,))
    if isinstance(spec, list):
        return ReviewDays(tuple(spec))
    return ReviewDays(every_months=spec["every_months"])
