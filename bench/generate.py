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


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def generate_firm(index: int, rng: random.Random) -> dict[str, Any]:
    """One valid firm; counts vary so that firms land on different tiers as of 2026-11-25."""
    joined = _day(rng, START, date(2026, 10, 15))
    people = []
    for p in range(rng.randint(30, 70)):
        issued = _day(rng, START, AS_OF)
        level = "professional" if issued >= date(2026, 7, 1) and rng.random() < 0.3 else "foundations"
        active = _day(rng, date(2026, 6, 1), AS_OF)
        person: dict[str, Any] = {
            "id": f"p-{p:03}",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "email": f"person{p}@firm{index}.example",
            "last_active_on": active.isoformat(),
            "activity": sorted({_day(rng, START, active).isoformat() for _ in range(rng.randint(0, 4))}),
            "credentials": [
                {
                    "name": "claude-certified-architect",
                    "level": level,
                    "id": f"CCAR-{level[0].upper()}-{index:05}{p:03}",
                    "issued_on": issued.isoformat(),
                }
            ],
        }
        if rng.random() < 0.05:
            person["left_on"] = _day(rng, issued, AS_OF + timedelta(days=60)).isoformat()
        people.append(person)
    customers = [
        {
            "id": f"c-{c:02}",
            "name": f"Customer {index}-{c}",
            "region": (region := rng.choice(REGIONS)),
            "country": rng.choice(COUNTRIES[region]),
        }
        for c in range(rng.randint(8, 16))
    ]
    deployments = []
    for d in range(rng.randint(12, 22)):
        stage = rng.choices(("production", "pilot", "proof-of-concept"), (6, 2, 1))[0]
        live = _day(rng, date(2025, 6, 1), AS_OF + timedelta(days=30))
        deployment: dict[str, Any] = {
            "id": f"d-{d:02}",
            "customer": rng.choice(customers)["id"],
            "stage": stage,
            "live_on": live.isoformat(),
        }
        if rng.random() < 0.2:
            deployment["retired_on"] = _day(rng, live, live + timedelta(days=300)).isoformat()
        deployment["evidence"] = f"https://firm{index}.example/evidence/{d}"
        deployments.append(deployment)
    stories = []
    for s in range(rng.randint(0, 8)):
        published = _day(rng, START, AS_OF)
        story: dict[str, Any] = {
            "id": f"s-{s:02}",
            "customer": rng.choice(customers)["id"],
            "title": f"Customer story {s} of firm {index}",
            "url": f"https://firm{index}.example/stories/{s}",
            "published_on": published.isoformat(),
            "customer_named": rng.random() < 0.85,
            "result": rng.choice(("30% faster claims handling", "2x analyst throughput", "")),
        }
        if rng.random() < 0.8:
            story["consent"] = {
                "given_on": (published - timedelta(days=7)).isoformat(),
                "by": "Head of Operations",
            }
        stories.append(story)
    return {
        "schema_version": 1,
        "firm": {
            "id": f"firm-{index:05}",
            "name": f"Synthetic Firm {index}",
            "joined_on": joined.isoformat(),
        },
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
