"""Helpers shared by the tests: firm data built in memory, fixture policies, running the CLI, reading HTML.

Every record the builders make counts under the shipped policy unless a test says otherwise, so a test
changes exactly the one field whose edge it is about. Dates are ISO strings, as the loader gives them.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from validator.cli import main
from validator.evaluate import _EligibleByDesignation
from validator.language.model import Policy
from validator.policies import load_policies
from validator.vocabulary import vocabulary

SHIPPED_POLICY = Path(__file__).resolve().parents[1] / "policy" / "cpn-services-2026-03-01.yaml"

# mutmut (`nox -s mutation`) sets MUTANT_UNDER_TEST and sends every call into a decision module through
# a trampoline, about 15 times slower: the widest sweeps then check a fifth of their cases.
MUTATING = "MUTANT_UNDER_TEST" in os.environ


# How long "quickly" may take: what the tests timed with it finish in well under a second here, and what
# they guard against (expanding a billion aliases, reading without a cap) takes minutes; ten seconds
# leave room for a busy CI machine without letting such a regression through.
QUICKLY = 10.0


def cases(n: int) -> int:
    """How many cases a sweep checks: `n`, or a fifth of them under mutation testing."""
    return max(1, n // 5) if MUTATING else n


# What the bundled policy knows: the vocabulary `validate` checks firm files against by default.
KNOWN = vocabulary(load_policies().versions)

ARCHITECT = "claude-certified-architect"
D = date(2026, 11, 25)  # the usual as-of date: the trailing year is 2025-11-26 .. 2026-11-25


def day(offset: int, base: date = D) -> str:
    """The ISO date `offset` days after `base` (before it when negative)."""
    return (base + timedelta(days=offset)).isoformat()


def credential(
    *,
    name: str = ARCHITECT,
    level: str = "foundations",
    issued_on: str = "2026-03-10",
    expires_on: str | None = None,
) -> dict[str, Any]:
    cred: dict[str, Any] = {"name": name, "level": level, "issued_on": issued_on}
    if expires_on is not None:
        cred["expires_on"] = expires_on
    return cred


def person(
    ident: int | str,
    *,
    active_on: str = day(-1),
    activity: tuple[str, ...] = (),
    credentials: list[dict[str, Any]] | None = None,
    left_on: str | None = None,
    **cred: Any,
) -> dict[str, Any]:
    """A person; `cred` (name, level, issued_on, expires_on) shapes their one credential."""
    record: dict[str, Any] = {"id": f"p-{ident}", "name": f"Person {ident}", "last_active_on": active_on}
    if activity:
        record["activity"] = list(activity)
    if left_on is not None:
        record["left_on"] = left_on
    record["credentials"] = credentials if credentials is not None else [credential(**cred)]
    return record


def customer(ident: int | str, region: str = "emea") -> dict[str, Any]:
    return {"id": f"c-{ident}", "name": f"Customer {ident}", "region": region}


def deployment(
    ident: int | str,
    customer_id: str,
    *,
    stage: str = "production",
    live_on: str | None = "2026-04-01",
    retired_on: str | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {"id": f"d-{ident}", "customer": customer_id, "stage": stage}
    if live_on is not None:
        record["live_on"] = live_on
    if retired_on is not None:
        record["retired_on"] = retired_on
    return record


def story(
    ident: int | str,
    customer_id: str | None = None,
    *,
    published_on: str = "2026-05-01",
    withdrawn_on: str | None = None,
    customer_named: bool = True,
    consent_on: str | None = "",
    result: str = "40% faster claims handling",
) -> dict[str, Any]:
    """A story; consent is given on the day it is published unless `consent_on` says (None: no consent)."""
    record: dict[str, Any] = {
        "id": f"s-{ident}",
        "title": f"Story {ident}",
        "url": f"https://example.com/s/{ident}",
    }
    if customer_id is not None:
        record["customer"] = customer_id
    record["published_on"] = published_on
    if withdrawn_on is not None:
        record["withdrawn_on"] = withdrawn_on
    record["customer_named"] = customer_named
    if consent_on is not None:
        record["consent"] = {"given_on": consent_on or published_on, "by": "Head of Claims"}
    record["result"] = result
    return record


def plan(
    *,
    signed_on: str = "2026-05-01",
    expires_on: str | None = None,
    firm_sponsor: str = "Dana Whitfield",
    anthropic_sponsor: str = "Ravi Osei",
) -> dict[str, Any]:
    record: dict[str, Any] = {"signed_on": signed_on}
    if expires_on is not None:
        record["expires_on"] = expires_on
    record["executive_sponsors"] = {"firm": firm_sponsor, "anthropic": anthropic_sponsor}
    return record


def firm_of(
    *,
    people: Sequence[dict[str, Any]] = (),
    customers: Sequence[dict[str, Any]] = (),
    deployments: Sequence[dict[str, Any]] = (),
    stories: Sequence[dict[str, Any]] = (),
    joint_business_plan: dict[str, Any] | None = None,
    joined_on: str = "2026-03-01",
    firm_id: str = "acme-consulting",
    name: str = "Acme Consulting",
) -> dict[str, Any]:
    """A firm file's data from the records given."""
    header: dict[str, Any] = {"id": firm_id, "name": name, "joined_on": joined_on}
    if joint_business_plan is not None:
        header["joint_business_plan"] = joint_business_plan
    return {
        "schema_version": 1,
        "firm": header,
        "people": list(people),
        "customers": list(customers),
        "deployments": list(deployments),
        "stories": list(stories),
    }


def build_firm(
    *,
    people: int = 0,
    customers: int = 0,
    stories: int = 0,
    regions: tuple[str, ...] = ("emea",),
    active_on: str = day(-1),
    activity: tuple[str, ...] = (),
    issued_on: str = "2026-03-10",
    live_on: str = "2026-04-01",
    published_on: str = "2026-05-01",
    joint_business_plan: dict[str, Any] | None = None,
    joined_on: str = "2026-03-01",
    firm_id: str = "acme-consulting",
    name: str = "Acme Consulting",
) -> dict[str, Any]:
    """N people who count, N customers each with a production deployment (regions in turn), N stories."""
    return firm_of(
        people=[
            person(i, active_on=active_on, activity=activity, issued_on=issued_on) for i in range(people)
        ],
        customers=[customer(i, regions[i % len(regions)]) for i in range(customers)],
        deployments=[deployment(i, f"c-{i}", live_on=live_on) for i in range(customers)],
        stories=[story(i, "c-0" if customers else None, published_on=published_on) for i in range(stories)],
        joint_business_plan=joint_business_plan,
        joined_on=joined_on,
        firm_id=firm_id,
        name=name,
    )


def top_tier_firm() -> dict[str, Any]:
    """A Global Premier firm under the shipped policy as of 2026-11-25: every requirement met."""
    return build_firm(
        people=1000,
        customers=100,
        stories=15,
        regions=("emea", "amer", "apac"),
        joint_business_plan=plan(),
        active_on="2026-11-24",
        issued_on="2026-11-01",
    )


def tier_of_values(policy: Policy, data: dict[str, Any], values: Mapping[str, float], on: date) -> str | None:
    """The tier of the policy's own ladder on `on` from every metric's value that day: an oracle beside
    `Timeline.tier_on`, which works values out only as far as a threshold needs them."""
    meets = _EligibleByDesignation(policy, data, on.isoformat(), lambda m, n: values[m] >= n)
    return meets.eligible(policy.designation)


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    """Write firm data as a YAML file and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def firm(
    *,
    people: int = 10,
    customers: int = 2,
    stories: int = 1,
    active_on: str = "2026-09-01",
    standing: dict[str, str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """A Select firm under the shipped policy until a test says otherwise: 10 people, 2 customers, 1 story."""
    data = build_firm(people=people, customers=customers, stories=stories, active_on=active_on, **options)
    if standing:
        data["firm"]["standing"] = standing
    return data


def policy_variant(path: Path, *replacements: tuple[str, str]) -> Path:
    """The shipped policy with each (old, new) text replaced once; fails loudly if `old` is absent."""
    text = SHIPPED_POLICY.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the shipped policy"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def as_designations(text: str, *ids: str) -> str:
    """The shipped text with its one ladder written under `designations:`, once per id."""
    head, tiers = text.split("\ntiers:\n")
    tiers, reviews = tiers.split("\n\n# The awarded tier", 1)
    nested = "\n".join(f"    {line}" if line else line for line in tiers.splitlines())
    ladders = "".join(f"  - id: {d}\n    tiers:\n{nested}\n" for d in ids)
    return f"{head}\ndesignations:\n{ladders}\n# The awarded tier{reviews}"


def refused_policy(tmp_path: Path, text: str, *changes: tuple[str, str]) -> tuple[str, list[Any]]:
    """A policy's text with each (old, new) replaced (`old` exactly once), and the errors that refuse it."""
    from validator.policies import PolicyError, load_policies

    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_policies(path)
    except PolicyError as exc:
        return text, [p for p in exc.problems if p.severity == "error"]
    raise AssertionError("the policy was not refused")


def tiercheck(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the command line in this process, as `validator.cli.main(argv)`, with its output captured.

    `env` replaces the environment and `cwd` the working directory for the run only; `input` is standard
    input. The result has the shape `subprocess.run` gives, so a test reads `returncode`, `stdout`, `stderr`.
    """
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd, saved_stdin = dict(os.environ), Path.cwd(), sys.stdin
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exc:  # argparse: --help, --version, bad usage
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
                if isinstance(exc.code, str):
                    err.write(exc.code + "\n")
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(saved_env)
    return subprocess.CompletedProcess(["tiercheck", *argv], status, out.getvalue(), err.getvalue())


class Page(HTMLParser):
    """The parts of an HTML page assertions need: its tags with attributes, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def hrefs(self) -> list[str]:
        return [a["href"] or "" for t, a in self.tags if t == "a"]
