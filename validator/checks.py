"""Rules a JSON Schema cannot state: unique ids, emails and credential numbers, references, dates in order,
and values the policy knows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, NamedTuple

from .dates import add_months, day
from .loader import Path_
from .problem import Severity, did_you_mean, misspelt
from .resources import schema
from .vocabulary import Vocabulary

LISTS = ("people", "customers", "deployments", "stories")
_DEPLOYMENT_KEYS = schema("firm")["properties"]["deployments"]["items"]["properties"]
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Finding(NamedTuple):
    """A broken rule at a data path, before it is given a line."""

    path: Path_
    message: str
    code: str
    severity: Severity = "error"
    first: Path_ | None = None  # where the first of a repeated value is: the message gains its line


def cross_checks(data: Any) -> list[Finding]:
    """Every cross-reference and ordering problem; tolerant of data the schema rejected."""
    if not isinstance(data, dict):
        return []
    return [
        *_unique_ids(data),
        *_unique_emails(data),
        *_unique_credential_numbers(data),
        *_references(data),
        *_date_order(data),
    ]


def far_future(data: Any, today: date) -> list[Finding]:
    """A warning for each date more than a year after `today` (a typed year such as 2096 for 2026);
    expires_on is left out: an expiry is meant to lie ahead."""
    found = []
    for path, value in _dates_after(data, (), add_months(today, 12).isoformat()):
        years = max(1, (day(value) - today).days // 365)
        key = path[-1] if isinstance(path[-1], str) else path[-2]
        message = f"{key} {value} is {years} year{'s' * (years != 1)} from today: a typo?"
        found.append(Finding(path, message, "far-future", "warning"))
    return found


def _dates_after(value: Any, path: Path_, limit: str) -> Iterator[tuple[Path_, str]]:
    """Every well-formed date after `limit` (ISO dates compare as text): under keys ending _on but
    expires_on, and in activity lists. Text is compared first, so most dates cost one comparison."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "activity" and isinstance(item, list):
                for i, d in enumerate(item):
                    if isinstance(d, str) and d > limit and _iso_date(d) is not None:
                        yield (*path, key, i), d
            elif isinstance(item, str):
                if item > limit and key != "expires_on" and str(key).endswith("_on") and _iso_date(item):
                    yield (*path, key), item
            elif isinstance(item, (dict, list)):
                yield from _dates_after(item, (*path, key), limit)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield from _dates_after(item, (*path, i), limit)


def vocabulary_checks(data: Any, known: Vocabulary) -> list[Finding]:
    """Every value the policy does not know: errors, and a warning for a credential name one typo away."""
    if not isinstance(data, dict):
        return []
    return [
        *_unique_ids(data, known.schema.record_kinds),
        *_declared_references(data, known),
        *_regions(data, known),
        *_credentials(data, known),
        *_stated_tier(data, known),
    ]


def _entries(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _iso_date(value: object) -> str | None:
    """The value when it is a well-formed ISO date (these compare as text), else None: a malformed
    date is the schema's one problem, never a second one here."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        day(value)
    except ValueError:
        return None
    return value


def _unique_ids(data: dict[str, Any], lists: tuple[str, ...] = LISTS) -> Iterator[Finding]:
    for key in lists:
        first: dict[str, int] = {}
        for i, entry in _entries(data, key):
            ident = _text(entry, "id")
            if ident is None:
                continue
            if ident in first:
                yield Finding(
                    (key, i), f"duplicate id {ident!r} in {key}", "duplicate-id", first=(key, first[ident])
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


def _unique_credential_numbers(data: dict[str, Any]) -> Iterator[Finding]:
    """One credential belongs to one person: a number claimed by a second person is a mistake."""
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, person in _entries(data, "people"):
        for j, credential in _entries(person, "credentials"):
            number = _text(credential, "id")
            if number is None:
                continue
            holder = first.setdefault(number.casefold(), (i, person))
            if holder[0] != i:
                who = _text(holder[1], "id") or f"entry {holder[0] + 1}"
                name = _text(holder[1], "name")
                yield Finding(
                    ("people", i, "credentials", j, "id"),
                    f"credential number {number!r} is already claimed by {who!r}"
                    + (f" ({name})" if name else "")
                    + ": a credential belongs to one person",
                    "duplicate-credential-number",
                )


def _references(data: dict[str, Any]) -> Iterator[Finding]:
    customers = {_text(c, "id") for _, c in _entries(data, "customers")}
    for key in ("deployments", "stories"):
        for i, entry in _entries(data, key):
            ref = _text(entry, "customer")
            if ref is not None and ref not in customers:
                yield Finding(
                    (key, i), f"customer {ref!r} is not listed under customers", "unknown-reference"
                )


def _declared_references(data: dict[str, Any], known: Vocabulary) -> Iterator[Finding]:
    """A link field of a record kind the policy declares names an entry that exists."""
    ids: dict[str, set[str | None]] = {}
    for kind in known.schema.record_kinds:
        for i, entry in _entries(data, kind):
            for field, target in known.links.items():
                ref = _text(entry, field)
                if ref is None:
                    continue
                if target not in ids:
                    ids[target] = {_text(e, "id") for _, e in _entries(data, target)}
                if ref not in ids[target]:
                    yield Finding(
                        (kind, i, field), f"{field} {ref!r} is not listed under {target}", "unknown-reference"
                    )


def _date_order(data: dict[str, Any]) -> Iterator[Finding]:
    def pair(
        path: Path_, entry: dict[str, Any], early: str, late: str, strict: bool, what: str
    ) -> Iterator[Finding]:
        a, b = _iso_date(entry.get(early)), _iso_date(entry.get(late))
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
        if (
            d.get("stage") == "production"
            and "live_on" not in d
            and not misspelt("live_on", d, _DEPLOYMENT_KEYS)
        ):
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
        last, days = _iso_date(p.get("last_active_on")), p.get("activity")
        days = days if isinstance(days, list) else []
        later = [d for d in map(_iso_date, days) if d is not None and last is not None and d > last]
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
    if isinstance(firm, dict) and isinstance(firm.get("standing"), dict):
        standing = firm["standing"]  # one ladder's {tier, since}, or one such per designation id
        stated = {(): standing} if "since" in standing else {(k,): v for k, v in standing.items()}
        joined = _iso_date(firm.get("joined_on"))
        for key, entry in stated.items():
            since = _iso_date(entry.get("since")) if isinstance(entry, dict) else None
            if joined is not None and since is not None and since < joined:
                yield Finding(
                    ("firm", "standing", *key),
                    f"since {since} is before joined_on {joined}: a firm holds no tier before it joins",
                    "date-order",
                )


TYPO = 0.9  # difflib similarity of a name one or two keystrokes from a known one (not a different credential)


def _regions(data: dict[str, Any], known: Vocabulary) -> Iterator[Finding]:
    if not known.regions:
        return
    for i, customer in _entries(data, "customers"):
        region = _text(customer, "region")
        if region is not None and region not in known.regions:
            yield Finding(
                ("customers", i, "region"),
                f"unknown region {region!r}: {did_you_mean(region, known.regions)}"
                f"the policy lists: {', '.join(known.regions)}",
                "unknown-region",
            )


def _credentials(data: dict[str, Any], known: Vocabulary) -> Iterator[Finding]:
    for i, person in _entries(data, "people"):
        for j, credential in _entries(person, "credentials"):
            name, level = _text(credential, "name"), _text(credential, "level")
            if name is None:
                continue
            levels = known.credentials.get(name)
            if levels is None:
                hint = did_you_mean(name, known.credentials, TYPO)
                if hint:
                    yield Finding(
                        ("people", i, "credentials", j, "name"),
                        f"credential {name!r} is not one the policy knows, so it never counts: "
                        + hint.strip(),
                        "unknown-credential",
                        "warning",
                    )
            elif level is not None and level not in levels:
                yield Finding(
                    ("people", i, "credentials", j, "level"),
                    f"unknown level {level!r} for {name}: {did_you_mean(level, levels)}"
                    f"the policy knows: {', '.join(levels)}",
                    "unknown-level",
                )


def _stated_tier(data: dict[str, Any], known: Vocabulary) -> Iterator[Finding]:
    """A stated standing's tier is one of its ladder's: per designation when the policy has several."""
    firm = data.get("firm")
    standing = firm.get("standing") if isinstance(firm, dict) else None
    if not isinstance(standing, dict):
        return
    stated: list[tuple[tuple[str, ...], Any, tuple[str, ...], str]]
    stated = [((), standing, known.tiers, "the policy's tiers")]
    if known.ladders:
        stated = [
            ((d,), entry, known.ladders[d], f"the tiers of {d}")
            for d, entry in standing.items()
            if d in known.ladders and isinstance(entry, dict)
        ]
    for where, entry, tiers, named in stated:
        tier = _text(entry, "tier")
        if tier is not None and tier not in tiers:
            yield Finding(
                ("firm", "standing", *where, "tier"),
                f"unknown tier {tier!r}: {did_you_mean(tier, tiers)}{named}: {', '.join(tiers)}",
                "unknown-tier",
            )
