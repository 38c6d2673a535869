"""The program site in a real headless Chromium: sorting, filters, search, links, charts, both widths."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from browsing import ARTIFACTS, ROOT, tiercheck, visit
from support import firm, write_yaml

pytestmark = pytest.mark.browser
RECENT = {"active_on": "2026-11-20"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example firms, two Select firms, two a person short, one far, one facing demotion, one broken."""
    root = tmp_path_factory.mktemp("firms")
    for f in (ROOT / "examples" / "firms").iterdir():
        shutil.copy(f, root / f.name)
    for name, people in (("Beta Select", 12), ("Alpha Select", 15), ("Gamma Short", 9), ("Delta Short", 8)):
        ident = name.lower().replace(" ", "-")
        write_yaml(root / f"{ident}.yaml", firm(firm_id=ident, name=name, people=people, **RECENT))
    write_yaml(root / "far.yaml", firm(firm_id="far", name="Far Away", people=1, stories=0, **RECENT))
    write_yaml(
        root / "stale.yaml",
        firm(firm_id="stale", name="Stale Select", joined_on="2026-06-10", active_on="2026-09-15"),
    )
    (root / "broken.yaml").write_text("schema_version: 1\nfirm: [\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("site")
    r = tiercheck("site", str(root), "--out", str(out), "--as-of", "2026-11-25")
    assert r.returncode == 1 and "1 invalid file," in r.stdout, r.stderr  # the broken file
    return out


def names(page: Any) -> list[str]:
    """The first cell of each row shown, in order."""
    return page.eval_on_selector_all(
        "#firms-table tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent.trim())"
    )


def test_the_index_sorts_by_any_column(browser, site) -> None:
    page, errors, _ = visit(browser, site / "index.html", 1280, 900)
    page.get_by_role("button", name="Firm", exact=True).click()
    shown = names(page)
    assert shown == sorted(shown, key=str.lower) and len(shown) == 9
    page.get_by_role("button", name="Firm", exact=True).click()
    assert names(page) == sorted(shown, key=str.lower, reverse=True)
    page.get_by_role("button", name="Certified people").click()
    people = page.eval_on_selector_all(
        "#firms-table tbody tr[data-tier]:not([data-tier=invalid])",
        "rows => rows.map(r => parseInt(r.cells[3].getAttribute('data-sort')))",
    )
    assert people == sorted(people) and people[0] == 1
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Certified people")
    assert errors == []
    page.close()


def test_each_filter_and_the_search_show_only_the_firms_they_name(browser, site) -> None:
    page, errors, _ = visit(browser, site / "index.html", 1280, 900)
    page.select_option("#f-tier", "select")
    assert set(names(page)) == {
        "Alpha Select",
        "Beta Select",
        "Stale Select",
        "Northwind Advisory",
        "Fabrikam Digital",
    }
    page.select_option("#f-tier", "invalid")
    assert len(names(page)) == 1 and names(page)[0].endswith("broken.yaml")
    page.select_option("#f-tier", "")
    page.select_option("#f-standing", "select")
    assert set(names(page)) == {"Stale Select", "Northwind Advisory"}
    page.select_option("#f-standing", "")
    page.check("#f-reach")
    assert set(names(page)) == {"Gamma Short", "Delta Short"}
    page.uncheck("#f-reach")
    page.check("#f-demotion")
    assert names(page) == ["Stale Select"]
    page.uncheck("#f-demotion")
    page.fill("#q", "select")
    assert set(names(page)) == {"Alpha Select", "Beta Select", "Stale Select"}
    assert page.locator("#shown").inner_text() == "3 of 9 shown"
    assert errors == []
    page.close()


def test_without_javascript_the_table_is_complete_and_the_controls_stay_hidden(browser, site) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert len(names(page)) == 9 and page.locator("#controls").is_hidden()
    context.close()


def test_index_to_a_firm_page_with_its_daily_chart_and_back(browser, site) -> None:
    page, errors, requests = visit(browser, site / "index.html", 1280, 900)
    page.get_by_role("link", name="Northwind Advisory").click()
    assert page.url.endswith("/firms/northwind-advisory.html")
    charts = page.locator("svg.daily-chart")
    assert charts.count() == 5  # each number a tier requires
    assert charts.first.locator("polyline.threshold").count() >= 2
    assert page.get_by_text("Preferred needs 100", exact=True).first.is_visible()
    lost = page.locator(".lost-note")
    assert lost.is_visible() and " ".join(lost.inner_text().split()) == (
        "On 2027-02-05 the firm would no longer be eligible for Select."
    )
    page.go_back()
    assert page.url.endswith("/index.html") and len(names(page)) == 9
    page.get_by_role("link", name="Program rules").click()
    assert page.get_by_role("heading", name="Every version").is_visible()
    assert errors == []
    assert all(r.startswith(site.as_uri()) for r in requests)
    page.close()


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
@pytest.mark.parametrize("name", ["index.html", "firms/northwind-advisory.html", "program.html"])
def test_every_page_opens_offline_without_errors_or_sideways_scroll(
    browser, site, name, width, height
) -> None:
    page, errors, requests = visit(browser, site / name, width, height)
    assert errors == [] and requests == [(site / name).as_uri()]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = f"site-{Path(name).stem}-{width}.png"
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    if name == "index.html" and width == 1280:  # the README's picture: the top of the index
        page.screenshot(path=str(ARTIFACTS / "site.png"))
    page.close()


@pytest.mark.parametrize("name", ["index.html", "firms/northwind-advisory.html", "program.html"])
def test_every_page_prints(browser, site, name) -> None:
    page, errors, _ = visit(browser, site / name, 1280, 900)
    pdf = page.pdf(format="A4")
    assert errors == [] and pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


def test_hostile_firm_text_stays_text_on_the_site(browser, tmp_path) -> None:
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    data = firm(name=hostile, **RECENT)
    data["people"][0]["name"] = hostile
    r = tiercheck(
        "site",
        str(write_yaml(tmp_path / "f.yaml", data)),
        "--out",
        str(tmp_path / "s"),
        "--as-of",
        "2026-11-25",
    )
    assert r.returncode == 0, r.stderr
    for name in ("index.html", "firms/acme-consulting.html"):
        page, errors, _ = visit(browser, tmp_path / "s" / name, 1280, 900)
        if name == "index.html":
            page.fill("#q", "img")
        assert errors == [] and page.locator("img").count() == 0
        assert page.get_by_text(hostile).first.is_visible()
        page.close()
