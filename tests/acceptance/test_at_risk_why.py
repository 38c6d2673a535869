"""At-risk records say why they drop out in every format; the pack opens with the day the tier would go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import firm, tiercheck, top_tier_firm, write_yaml

AS_OF = "2026-11-25"
POLICIES = Path(__file__).resolve().parents[1] / "policies"


@pytest.fixture
def three_ways_out(tmp_path) -> Path:
    """A Select firm (10 people, 2 customers, 1 story) whose records drop out in three ways."""
    data = firm(people=10, active_on="2026-11-20")
    data["people"][0]["credentials"][0]["expires_on"] = "2026-12-10"  # expiry
    data["people"][1]["left_on"] = "2026-12-20"  # leaving
    data["deployments"][0]["live_on"] = "2025-06-01"
    data["deployments"][0]["retired_on"] = "2025-12-20"  # retirement: counts until the year moves past it
    return write_yaml(tmp_path / "firm.yaml", data)


def evaluate(path: Path, fmt: str) -> str:
    r = tiercheck("evaluate", path, "--as-of", AS_OF, "--format", fmt)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_json_gives_each_at_risk_record_the_reason_it_drops_out(three_ways_out) -> None:
    risk = {a["id"]: a for a in json.loads(evaluate(three_ways_out, "json"))["at_risk"]}
    assert risk["p-0"]["drops_out_on"] == "2026-12-10"
    assert "expired on 2026-12-10" in risk["p-0"]["drop_message"]
    assert risk["p-1"]["drop_reason"] == "left-firm"
    assert risk["d-0"]["drop_reason"].startswith("retired")
    assert risk["p-2"]["drop_reason"] == "inactive"


def test_text_markdown_and_html_say_why_beside_each_date(three_ways_out, tmp_path) -> None:
    text = evaluate(three_ways_out, "text")
    assert "    - 2026-12-10  certified people: Person 0 [p-0]: " in text and "expired on 2026-12-10" in text
    md = evaluate(three_ways_out, "markdown")
    assert "| Drops out on | Metric | Record | Id | Why |" in md and "left the firm on 2026-12-20" in md
    r = tiercheck("report", three_ways_out, "--as-of", AS_OF, "--out", tmp_path / "pack")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "pack" / "evidence.html").read_text()
    assert '<th scope="col">Why</th>' in html and "expired on 2026-12-10" in html


def test_the_first_loss_is_the_drop_that_takes_a_requirement_below_its_threshold(three_ways_out) -> None:
    loss = json.loads(evaluate(three_ways_out, "json"))["loss"]
    # 10 people and 10 needed: the first person to go (the expiry on 2026-12-10) costs the tier
    assert (loss["on"], loss["tier"], loss["value"], loss["threshold"]) == ("2026-12-10", "Select", 9, 10)
    assert loss["record"]["id"] == "p-0"


def test_the_packs_first_lines_say_when_the_tier_would_be_lost_and_why(three_ways_out, tmp_path) -> None:
    tiercheck("report", three_ways_out, "--as-of", AS_OF, "--out", tmp_path / "pack")
    md = (tmp_path / "pack" / "evidence.md").read_text().splitlines()
    assert md[4].startswith("**Eligible for Select until 2026-12-09 if nothing changes: on 2026-12-10,")
    html = (tmp_path / "pack" / "evidence.html").read_text()
    head = html[: html.index("</header>")]
    assert "Eligible for Select until 2026-12-09 if nothing changes" in head


def test_no_loss_is_claimed_when_nothing_drops_out_within_the_horizon(tmp_path) -> None:
    path = write_yaml(tmp_path / "firm.yaml", firm(people=12, active_on="2026-11-24"))
    r = tiercheck(
        "evaluate",
        path,
        "--as-of",
        AS_OF,
        "--policy",
        POLICIES / "activity-180-days.yaml",
        "--format",
        "json",
    )
    assert json.loads(r.stdout)["loss"] is None


def test_every_trend_chart_shows_a_threshold_even_at_the_top_tier(tmp_path) -> None:
    data = top_tier_firm()
    path = write_yaml(tmp_path / "firm.yaml", data)
    r = tiercheck("report", path, "--as-of", AS_OF, "--out", tmp_path / "pack")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "pack" / "evidence.html").read_text()
    trends = html[html.index("At each month-end") :].split("<figure>")[1:]
    assert len(trends) == 5
    for chart in trends:  # the tier the firm must keep, as no tier is above it
        assert '<line class="rule"' in chart and ">Global Premier " in chart, chart[:300]
