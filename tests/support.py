"""Helpers shared by the tests: firm data, fixture policies, running the CLI, reading HTML."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

SHIPPED_POLICY = Path(__file__).resolve().parents[1] / "policy" / "cpn-services-2026-03-01.yaml"


def firm(
    *,
    joined_on: str = "2026-03-01",
    people: int = 10,
    active_on: str = "2026-09-01",
    activity: tuple[str, ...] = (),
    issued_on: str = "2026-03-10",
    customers: int = 2,
    regions: tuple[str, ...] = ("emea",),
    live_on: str = "2026-04-01",
    stories: int = 1,
    published_on: str = "2026-05-01",
    standing: dict[str, str] | None = None,
    firm_id: str = "acme-consulting",
    name: str = "Acme Consulting",
) -> dict[str, Any]:
    """A valid firm whose people, production customers and stories all count from the given dates."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "firm": {"id": firm_id, "name": name, "joined_on": joined_on},
        "people": [
            {
                "id": f"p-{i}",
                "name": f"Person {i}",
                "last_active_on": active_on,
                **({"activity": list(activity)} if activity else {}),
                "credentials": [
                    {"name": "claude-certified-architect", "level": "foundations", "issued_on": issued_on}
                ],
            }
            for i in range(people)
        ],
        "customers": [
            {"id": f"c-{i}", "name": f"Customer {i}", "region": regions[i % len(regions)]}
            for i in range(customers)
        ],
        "deployments": [
            {"id": f"d-{i}", "customer": f"c-{i}", "stage": "production", "live_on": live_on}
            for i in range(customers)
        ],
        "stories": [
            {
                "id": f"s-{i}",
                "customer": "c-0",
                "title": f"Story {i}",
                "url": f"https://example.com/s/{i}",
                "published_on": published_on,
                "customer_named": True,
                "consent": {"given_on": published_on, "by": "Head of Claims"},
                "result": "40% faster claims handling",
            }
            for i in range(stories)
        ],
    }
    if standing:
        data["firm"]["standing"] = standing
    return data


def write_firm(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def policy_variant(path: Path, *replacements: tuple[str, str]) -> Path:
    """The shipped policy with each (old, new) text replaced once; fails loudly if `old` is absent."""
    text = SHIPPED_POLICY.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the shipped policy"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def tiercheck(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line in a real subprocess, as a CI job would."""
    return subprocess.run(
        [sys.executable, "-m", "validator", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


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
