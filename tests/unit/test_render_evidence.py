from __future__ import annotations

import json
import re
from datetime import date

import pytest
from support import Page, firm

from validator.evaluate import evaluate
from validator.policies import PolicySet, load_policies
from validator.render.evidence import md_escape, month_ends, render, safe_url
from validator.standing import compute_standing

AS_OF = date(2026, 11, 25)
HOSTILE = '<img src=x onerror="alert(1)"> | *bold* [x](javascript:alert(1))'


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies()


def pack(policies: PolicySet, data: dict, as_of: date = AS_OF) -> dict[str, str]:
    policy = policies.in_effect(as_of)
    result = evaluate(policy, data, as_of, file="firm.yaml", sha256="ab" * 32)
    result.standing = compute_standing(policies, data, as_of)
    return render(result, policy.doc, policies, data)


def test_counted_people_deployments_and_stories_appear_with_their_details(policies) -> None:
    data = firm(people=10, customers=2, stories=1, active_on="2026-11-20")
    data["people"][0]["credentials"][0]["id"] = "CCAR-F-00042"
    page = Page(pack(policies, data)["evidence.html"])
    text = page.all_text()
    assert "Person 0" in text and "CCAR-F-00042" in text
    assert "2027-03-10" in text  # issued 2026-03-10, default 12-month term
    assert "Customer 0" in text and "Story 0" in text and "Head of Claims" in text
    assert "Eligible tier as of 2026-11-25: Select" in text
    assert "https://example.com/s/0" in page.hrefs()


def test_records_that_did_not_count_appear_with_their_reason(policies) -> None:
    data = firm(people=11, active_on="2026-11-20")
    data["people"][10]["last_active_on"] = "2026-08-01"
    data["deployments"][1]["stage"] = "pilot"
    html = pack(policies, data)["evidence.html"]
    text = Page(html).all_text()
    assert "Did not count (1 records)" in text
    assert (
        "last used Claude on 2026-08-01, 116 days before 2026-11-25; the window is the last 90 days" in text
    )
    assert "is a pilot; pilots and proofs of concept never count" in text
    md = pack(policies, data)["evidence.md"]
    assert "| Person 10 | `p-10` | `inactive` |" in md


def test_firm_text_is_escaped_and_unsafe_urls_never_become_links(policies) -> None:
    data = firm(name=HOSTILE, people=10, active_on="2026-11-20")
    data["people"][0]["name"] = HOSTILE
    data["stories"][0]["title"] = HOSTILE
    data["stories"][0]["url"] = "javascript:alert(1)"
    data["deployments"][0]["evidence"] = "data:text/html,<script>alert(1)</script>"
    files = pack(policies, data)
    page = Page(files["evidence.html"])
    assert not [t for t, _ in page.tags if t in ("script", "img", "iframe", "object")]
    assert not [a for t, a in page.tags for k in a if k.startswith("on")]
    assert all(h.startswith(("https://", "http://")) for h in page.hrefs())
    assert HOSTILE in page.all_text()
    md = files["evidence.md"]
    # every bracket and angle bracket from the firm's file is backslash-escaped: no link, no HTML
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert not re.search(r"(?<!\\)<(img|script)", md)
    assert md_escape(HOSTILE) in md


def test_markdown_escaping_keeps_table_cells_whole() -> None:
    assert md_escape("a | b") == "a \\| b"
    assert md_escape("line\nbreak") == "line break"
    assert md_escape(None) == ""


def test_only_http_urls_are_safe() -> None:
    assert safe_url("https://example.com/x") == "https://example.com/x"
    assert safe_url("HTTP://EXAMPLE.COM") == "HTTP://EXAMPLE.COM"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//example.com", "ftp://x", None):
        assert safe_url(bad) is None


def test_month_ends_cover_the_trailing_year_and_end_on_the_as_of_date() -> None:
    days = month_ends(date(2025, 11, 26), date(2026, 11, 25))
    assert days[0] == date(2025, 11, 30) and days[-1] == date(2026, 11, 25)
    assert date(2026, 2, 28) in days and len(days) == 13
    leap = month_ends(date(2027, 3, 1), date(2028, 2, 29))
    assert leap[-1] == date(2028, 2, 29) and leap.count(date(2028, 2, 29)) == 1


def test_the_pack_is_the_same_bytes_every_time(policies) -> None:
    data = firm(active_on="2026-11-20")
    assert pack(policies, data) == pack(policies, data)


def test_source_date_epoch_alone_adds_a_generation_time(policies, monkeypatch) -> None:
    data = firm(active_on="2026-11-20")
    assert "Generated" not in pack(policies, data)["evidence.html"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert "Generated</dt><dd>2026-09-21 14:13 UTC" in pack(policies, data)["evidence.html"]


def test_evidence_json_is_the_evaluation(policies) -> None:
    doc = json.loads(pack(policies, firm(active_on="2026-11-20"))["evidence.json"])
    assert doc["eligible_tier"] == "select"
    assert doc["metrics"]["certified_people"]["value"] == 10
    assert doc["standing"] == {"tier": "registered", "since": "2026-03-01"}


def test_html_is_accessible_in_structure(policies) -> None:
    page = Page(pack(policies, firm(active_on="2026-11-20"))["evidence.html"])
    tags = [t for t, _ in page.tags]
    assert tags.count("h1") == 1 and "h2" in tags
    assert tags.count("table") == tags.count("caption")
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for t, a in page.tags if t == "svg")
    assert ("html", {"lang": "en"}) in page.tags
