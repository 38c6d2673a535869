"""Generate valid synthetic firm files (about 20 KB each) for benchmarks and large-run tests."""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

START = date(2026, 3, 1)
FOUNDATIONS_FROM = date(2026, 3, 5)
PROFESSIONAL_FROM = date(2026, 7, 1)
AS_OF = date(2026, 11, 25)
REGIONS = ("amer", "emea", "apac")
COUNTRIES = {
    "amer": ("US", "CA", "BR", "MX"),
    "emea": ("NO", "DE", "GB", "FR", "ZA"),
    "apac": ("JP", "AU", "SG"),
}
FIRST = (
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hiro",
    "Ines",
    "Jon",
    "Kemal",
    "Lena",
    "Mira",
)
LAST = ("Park", "Osei", "Novak", "Silva", "Tanaka", "Berg", "Ahmed", "Rossi", "Kowalski", "Nguyen", "Haas")
RESULTS = ("30% faster claims handling", "2x analyst throughput", "Answers in seconds, not days", "")


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _person(index: int, p: int, rng: random.Random, cert_rate: float) -> dict[str, Any]:
    """One person: most certified (at the firm's rate), active at some point since mid-July."""
    active = _day(rng, date(2026, 7, 15), AS_OF)
    person: dict[str, Any] = {"id": f"p-{p:03}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
    if rng.random() < 0.9:
        person["email"] = f"person{p}@firm{index}.example"
    person["last_active_on"] = active.isoformat()
    activity = sorted({_day(rng, START, active).isoformat() for _ in range(rng.randint(0, 4))})
    if activity:
        person["activity"] = activity
    credentials = []
    if rng.random() < cert_rate:
        issued = _day(rng, FOUNDATIONS_FROM, AS_OF + timedelta(days=20))  # a few are issued after AS_OF
        levels = ["foundations"]
        if issued >= PROFESSIONAL_FROM and rng.random() < 0.3:
            levels = ["professional"]
        elif issued < PROFESSIONAL_FROM and rng.random() < 0.15:
            levels.append("professional")  # later upgraded: two credentials, counted once
        for level in levels:
            when = (
                issued if level == "foundations" or len(levels) == 1 else _day(rng, PROFESSIONAL_FROM, AS_OF)
            )
            credential: dict[str, Any] = {
                "name": "claude-certified-architect",
                "level": level,
                "id": f"CCAR-{level[0].upper()}-{index:05}{p:03}",
                "issued_on": when.isoformat(),
            }
            if rng.random() < 0.1:  # an explicit term, sometimes already over by AS_OF
                credential["expires_on"] = (when + timedelta(days=rng.randint(90, 365))).isoformat()
            credentials.append(credential)
        if rng.random() < 0.05:
            person["left_on"] = _day(rng, issued, AS_OF + timedelta(days=60)).isoformat()
    if credentials:  # empty lists may be left out
        person["credentials"] = credentials
    return person


def _deployment(index: int, d: int, customer: str, rng: random.Random) -> dict[str, Any]:
    stage = rng.choices(("production", "pilot", "proof-of-concept"), (6, 2, 1))[0]
    live = _day(rng, date(2025, 6, 1), AS_OF + timedelta(days=30))
    deployment: dict[str, Any] = {"id": f"d-{d:02}", "customer": customer, "stage": stage}
    if stage == "production" or rng.random() < 0.5:  # live_on is optional for pilots and proofs of concept
        deployment["live_on"] = live.isoformat()
        if rng.random() < 0.2:
            deployment["retired_on"] = _day(rng, live, live + timedelta(days=300)).isoformat()
    deployment["evidence"] = f"https://firm{index}.example/evidence/{d}"
    return deployment


def _story(index: int, s: int, customer: str, rng: random.Random, quality: float) -> dict[str, Any]:
    published = _day(rng, START, AS_OF)
    good = rng.random() < quality
    story: dict[str, Any] = {
        "id": f"s-{s:02}",
        "customer": customer,
        "title": f"Customer story {s} of firm {index}",
        "url": f"https://firm{index}.example/stories/{s}",
        "published_on": published.isoformat(),
    }
    if not good and rng.random() < 0.3:
        story["withdrawn_on"] = _day(rng, published, AS_OF + timedelta(days=30)).isoformat()
    story["customer_named"] = good or rng.random() < 0.5
    if good or rng.random() < 0.5:
        story["consent"] = {
            "given_on": (published - timedelta(days=rng.randint(1, 30))).isoformat(),
            "by": "Head of Operations",
        }
    story["result"] = rng.choice(RESULTS[:-1]) if good else rng.choice(RESULTS)
    return story


def generate_firm(index: int, rng: random.Random) -> dict[str, Any]:
    """One valid firm; counts vary so that firms land on different tiers as of 2026-11-25."""
    joined = _day(rng, START, date(2026, 10, 15))
    # A few firms are early on: fewer certified people and weaker stories, so they stay Registered.
    early = rng.random() < 0.25
    cert_rate = rng.uniform(0.1, 0.35) if early else rng.uniform(0.7, 0.95)
    people = [_person(index, p, rng, cert_rate) for p in range(rng.randint(40, 70))]
    customers = [
        {
            "id": f"c-{c:02}",
            "name": f"Customer {index}-{c}",
            "region": (region := rng.choice(REGIONS)),
            "country": rng.choice(COUNTRIES[region]),
        }
        for c in range(rng.randint(10, 20))
    ]
    for customer in customers:
        if rng.random() < 0.2:
            del customer["country"]  # country is optional
    ids = [c["id"] for c in customers]
    deployments = [_deployment(index, d, rng.choice(ids), rng) for d in range(rng.randint(15, 25))]
    quality = rng.uniform(0.0, 0.3) if early else rng.uniform(0.4, 0.9)
    stories = [_story(index, s, rng.choice(ids), rng, quality) for s in range(rng.randint(5, 10))]
    firm: dict[str, Any] = {
        "id": f"firm-{index:05}",
        "name": f"Synthetic Firm {index}",
        "joined_on": joined.isoformat(),
    }
    if rng.random() < 0.15:
        signed = _day(rng, joined, AS_OF)
        firm["joint_business_plan"] = {
            "signed_on": signed.isoformat(),
            "expires_on": date(signed.year + 1, signed.month, min(signed.day, 28)).isoformat(),
            "executive_sponsors": {
                "firm": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "anthropic": "Ravi Osei",
            },
        }
    return {
        "schema_version": 1,
        "firm": firm,
        "people": people,
        "customers": customers,
        "deployments": deployments,
        "stories": stories,
    }


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block YAML as a person writes it: dates and ids unquoted, other text quoted only when needed."""
    pad = "  " * indent
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:\n{to_yaml(v, indent + 1)}")
            else:
                out.append(f"{pad}{k}: {_scalar(v)}\n")
        return "".join(out)
    out = []
    for item in value:
        body = to_yaml(item, indent + 1) if isinstance(item, (dict, list)) else f"{pad}  {_scalar(item)}\n"
        out.append(f"{pad}- {body.lstrip()}")
    return "".join(out)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)) or v == []:
        return json.dumps(v)
    text = str(v)
    plain = (
        text and text[0].isalnum() and ": " not in text and " #" not in text and text not in ("true", "false")
    )
    return text if plain else json.dumps(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path, help="folder to write firm-NNNNN.yaml files into")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--format", choices=["yaml", "json"], default="yaml")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    total = 0
    for i in range(args.count):
        firm = generate_firm(i, rng)
        text = to_yaml(firm) if args.format == "yaml" else json.dumps(firm, indent=2) + "\n"
        (args.out / f"firm-{i:05}.{args.format}").write_text(text, encoding="utf-8")
        total += len(text)
    print(
        f"wrote {args.count} firm files to {args.out}, {total / max(args.count, 1) / 1024:.1f} KB each",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
