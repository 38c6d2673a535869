"""Rules a JSON Schema cannot state: unique ids and emails, references, dates in order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from .loader import Path_

LISTS = ("people", "customers", "deployments", "stories")


class Finding(NamedTuple):
    """A broken rule at a data path, before it is given a line."""

    path: Path_
    message: str
    code: str


def cross_checks(data: Any) -> list[Finding]:
    """Every cross-reference and ordering problem; tolerant of data the schema rejected."""
    if not isinstance(data, dict):
        return []
    return [*_unique_ids(data), *_unique_emails(data), *_references(data), *_date_order(data)]


def _entries(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _unique_ids(data: dict[str, Any]) -> Iterator[Finding]:
    for key in LISTS:
        first: dict[str, int] = {}
        for i, entry in _entries(data, key):
            ident = _text(entry, "id")
            if ident is None:
                continue
            if ident in first:
                yield Finding(
                    (key, i),
                    f"duplicate id {ident!r} in {key} (first at entry {first[ident] + 1})",
                    "duplicate-id",
                )
            else:
                first[ident] = i


def _unique_emails(data: dict[str, Any]) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for i, person in _entries(data, "people"):
        email = _text(person, "email")
        if email is None:
            continue
        folded = email.casefold()
        if folded in first:
            yield Finding(
                (("people", i)),
                f"duplicate email {email!r} (also used by {first[folded]!r})",
                "duplicate-email",
            )
        else:
            first[folded] = _text(person, "id") or f"entry {i + 1}"


def _references(data: dict[str, Any]) -> Iterator[Finding]:
    customers = {_text(c, "id") for _, c in _entries(data, "customers")}
    for key in ("deployments", "stories"):
        for i, entry in _entries(data, key):
            ref = _text(entry, "customer")
            if ref is not None and ref not in customers:
                yield Finding(
                    (key, i), f"customer {ref!r} is not listed under customers", "unknown-reference"
                )


def _date_order(data: dict[str, Any]) -> Iterator[Finding]:
    def pair(
        path: Path_, entry: dict[str, Any], early: str, late: str, strict: bool, what: str
    ) -> Iterator[Finding]:
        a, b = _text(entry, early), _text(entry, late)
        # ISO dates compare as text; the schema has already refused malformed ones.
        if a is not None and b is not None and (b <= a if strict else b < a):
            yield Finding(
                path, f"{late} {b} is {'not after' if strict else 'before'} {early} {a}: {what}", "date-order"
            )

    for i, d in _entries(data, "deployments"):
        yield from pair(
            ("deployments", i),
            d,
            "live_on",
            "retired_on",
            False,
            "a deployment cannot retire before it goes live",
        )
        if d.get("stage") == "production" and "live_on" not in d:
            yield Finding(
                ("deployments", i),
                "a production deployment needs live_on, the day it went live",
                "missing-live-on",
            )
    for i, s in _entries(data, "stories"):
        yield from pair(
            ("stories", i),
            s,
            "published_on",
            "withdrawn_on",
            False,
            "a story cannot be withdrawn before it is published",
        )
    for i, p in _entries(data, "people"):
        last, days = _text(p, "last_active_on"), p.get("activity")
        days = days if isinstance(days, list) else []
        later = [d for d in days if isinstance(d, str) and last is not None and d > last]
        if later:
            yield Finding(
                ("people", i, "activity"),
                f"activity {later[0]} is after last_active_on {last}, which is the latest day of use",
                "date-order",
            )
        creds = p.get("credentials")
        for j, c in enumerate(creds if isinstance(creds, list) else []):
            if isinstance(c, dict):
                yield from pair(
                    ("people", i, "credentials", j),
                    c,
                    "issued_on",
                    "expires_on",
                    True,
                    "a credential expires after it is issued",
                )
    firm = data.get("firm")
    plan = firm.get("joint_business_plan") if isinstance(firm, dict) else None
    if isinstance(plan, dict):
        yield from pair(
            ("firm", "joint_business_plan"),
            plan,
            "signed_on",
            "expires_on",
            True,
            "a plan expires after it is signed",
        )
