from __future__ import annotations

import itertools
import json
import re
from datetime import date

import pytest
from support import Page, firm, policy_variant

from validator.evaluate import evaluate
from validator.policies import PolicySet, load_policies
from validator.render.charts import month_line, threshold_bar
from validator.render.evidence import (
    context,
    markdown_problems,
    md_escape,
    md_url,
    month_ends,
    monthly_values,
    render,
    safe_url,
)
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
    return render(result, policy, policies, data)


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
    assert "Did not count: 1 person, each with the reason" in text
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


def test_headings_start_at_one_h1_and_never_skip_a_level(policies) -> None:
    page = Page(pack(policies, firm(active_on="2026-11-20"))["evidence.html"])
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_html_loads_nothing_from_anywhere(policies) -> None:
    html = pack(policies, firm(active_on="2026-11-20"))["evidence.html"]
    page = Page(html)
    assert not [t for t, _ in page.tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in page.tags if "src" in a or "srcset" in a]
    assert "url(" not in html and "@import" not in html
    assert page.hrefs() == ["https://example.com/s/0"]  # the firm's own story link, and nothing else


def cells(row: str) -> int:
    """How many cells a Markdown table row has: pipes not escaped with a backslash."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_markdown_tables_stay_whole_with_pipes_and_newlines_in_firm_text(policies) -> None:
    data = firm(people=10, active_on="2026-11-20")
    data["people"][0]["name"] = "A | B\nC"
    data["people"][9]["last_active_on"] = "2026-01-01"
    data["stories"][0]["result"] = "| x | y |"
    md = pack(policies, data)["evidence.md"]
    for block in re.findall(r"(?m)(?:^\|.*\n)+", md):
        rows = block.splitlines()
        assert {cells(r) for r in rows} == {cells(rows[0])}, block
    assert "| A \\| B C |" in md


def test_markdown_links_only_http_urls_and_encodes_what_would_break_them() -> None:
    assert md_url("https://x.example/a|b<c>d e\\f`g") == "https://x.example/a%7Cb%3Cc%3Ed%20e%5Cf%60g"


def test_markdown_problems_are_a_list_under_a_heading_with_firm_text_escaped() -> None:
    out = markdown_problems("firms/a_b.yaml", ["firms/a_b.yaml:3:5: unknown key '<x>'"])
    assert out == (
        "## firms/a\\_b.yaml: invalid, not evaluated\n\n- firms/a\\_b.yaml:3:5: unknown key '\\<x\\>'\n\n"
    )


def test_the_monthly_chart_is_the_pure_evaluator_at_each_month_end(policies) -> None:
    data = firm(people=12, active_on="2026-11-20", activity=("2026-06-20",), issued_on="2026-06-15")
    days = month_ends(date(2025, 11, 26), AS_OF)
    monthly = monthly_values(policies, data, days)
    assert min(monthly) == date(2026, 3, 31)  # nothing before the first policy version
    for day, values in monthly.items():
        assert values == {
            m.id: m.value for m in evaluate(policies.in_effect(day), data, day).metrics.values()
        }
    assert monthly[date(2026, 5, 31)]["certified_people"] == 0
    assert monthly[date(2026, 6, 30)]["certified_people"] == 12


def test_chart_geometry_stays_inside_its_view_box() -> None:
    bar = threshold_bar(
        "Certified people", 29, [("Select", 10), ("Preferred", 100), ("Global Premier", 1000)]
    )
    assert 0 < bar["bar_width"] <= bar["track_width"] and bar["x0"] + bar["track_width"] <= bar["width"]
    assert [t["label"] for t in bar["ticks"]] == ["Select 10", "Preferred 100"]
    assert all(bar["x0"] <= t["x"] <= bar["x0"] + bar["track_width"] for t in bar["ticks"])
    days = [date(2026, m, 28) for m in range(1, 13)]
    line = month_line("Stories", [(d, i) for i, d in enumerate(days)], ("Preferred", 3))
    assert len(line["dots"]) == 12 and line["first"] == "2026-01-28" and line["last"] == "2026-12-28"
    for dot in line["dots"]:
        assert line["x1"] <= dot["x"] <= line["x2"] and 0 <= dot["y"] <= line["baseline"]
    assert line["end"]["label_y"] < line["end"]["y"]


def test_templates_compute_nothing() -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "reports" / "templates"
    for name in (
        "evidence.html.j2",
        "evidence.md.j2",
        "site-index.html.j2",
        "site-row.html.j2",
        "site-firm.html.j2",
        "site-program.html.j2",
    ):
        for expr in re.findall(r"{{(.*?)}}", (folder / name).read_text()):
            assert not re.search(r"\s[-+*/%]\s|\w\(", expr), f"{name}: {{{{{expr}}}}} computes something"


def test_context_is_a_pure_function_of_its_arguments(policies, monkeypatch) -> None:
    data = firm(active_on="2026-11-20")
    policy = policies.in_effect(AS_OF)
    e = evaluate(policy, data, AS_OF, file="firm.yaml", sha256="ab" * 32)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    ctx = context(e, policy, {})
    assert ctx["generated_at"] is None and ctx["lines"] == []
    assert context(e, policy, {}, "then")["generated_at"] == "then"
    caption = {m["id"]: m["counted_caption"] for m in ctx["metrics"]}
    assert caption["certified_people"] == "Counted: 10 people"
    assert caption["customers_in_production"] == "Counted: 2 deployments"
    assert caption["public_stories"] == "Counted: 1 story"


def test_a_credential_expiry_is_the_policys_reading_even_at_the_calendars_end(policies) -> None:
    # issued in 9999 with no expires_on: the 12-month default term runs past the calendar, so the
    # credential counts to its last day; the pack shows that day instead of crashing on the arithmetic
    data = firm(people=1, customers=0, stories=0, active_on="9999-05-01")
    data["firm"]["joined_on"] = "9999-01-01"
    data["people"][0]["credentials"][0]["issued_on"] = "9999-03-01"
    as_of = date(9999, 6, 1)
    policy = policies.in_effect(as_of)
    result = evaluate(policy, data, as_of, file="firm.yaml")
    (row,) = context(result, policy, {})["metrics"][0]["counted"]
    assert row["issued"] == "9999-03-01" and row["expires"] == "9999-12-31"
    render(result, policy, policies, data)


def test_a_credential_expiry_follows_the_policys_default_term(tmp_path) -> None:
    path = policy_variant(tmp_path / "p.yaml", ("default_term: {months: 12}", "default_term: {days: 30}"))
    policies = load_policies(path)
    data = firm(people=1, customers=0, stories=0, active_on="2026-11-20")
    data["people"][0]["credentials"][0]["issued_on"] = "2026-11-01"
    result = evaluate(policies.in_effect(AS_OF), data, AS_OF)
    (row,) = context(result, policies.in_effect(AS_OF), {})["metrics"][0]["counted"]
    assert row["expires"] == "2026-12-01"


def test_policy_labels_are_escaped_in_markdown_as_firm_text_is(tmp_path) -> None:
    hostile = "<script>x</script> | [a](javascript:alert(1))"
    path = policy_variant(
        tmp_path / "p.yaml",
        ("label: Select", f'label: "{hostile}"'),
        ("label: Certified people", f'label: "{hostile}"'),
        ("activity: {days: 90, label: the last 90 days}", f'activity: {{days: 90, label: "{hostile}"}}'),
        ("      - Listing in the Services Partner Directory", f'      - "{hostile}"'),
    )
    policies = load_policies(path)
    md = pack(policies, firm(people=10, active_on="2026-11-20"))["evidence.md"]
    assert "<script>" not in md and not re.search(r"(?<!\\)\]\(javascript:", md)
    assert md.count("\\<script\\>x\\</script\\> \\| \\[a\\](javascript:alert(1))") >= 4
    for block in re.findall(r"(?m)(?:^\|.*\n)+", md):
        rows = block.splitlines()
        assert {cells(r) for r in rows} == {cells(rows[0])}, block
