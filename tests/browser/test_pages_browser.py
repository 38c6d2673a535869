"""The HTML pages in a real headless Chromium: offline, no console errors, readable on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import ARTIFACTS, run_ok, visit
from support import firm, write_yaml

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "firms" / "northwind-advisory.yaml"


@pytest.fixture(scope="module")
def evidence(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    run_ok("report", str(EXAMPLE), "--as-of", "2026-11-25", "--out", str(out))
    return out / "evidence.html"


@pytest.fixture(scope="module")
def overview(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("overview") / "overview.html"
    out.write_text(
        run_ok("summary", str(ROOT / "examples" / "firms"), "--as-of", "2026-11-25", "--format", "html")
    )
    return out


@pytest.mark.parametrize("width,height,name", [(1200, 900, "evidence"), (390, 844, "evidence-phone")])
def test_evidence_pack_opens_offline_without_errors_and_shows_what_counted(
    browser, evidence, width, height, name
):
    page, errors, requests = visit(browser, evidence, width, height)
    assert errors == []
    assert requests == [evidence.as_uri()]  # nothing fetched: no font, script, image or style from anywhere
    for visible in (
        "Northwind Advisory",
        "Ada Park",
        "Acme Insurance",
        "Acme cut claims handling time by 40%",
    ):
        assert page.get_by_text(visible, exact=True).first.is_visible(), visible
    assert page.get_by_text("left the firm on 2026-10-15").is_visible()
    assert page.locator("svg[role=img]").count() >= 4
    # the page itself never scrolls sideways; wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()


def test_evidence_pack_prints_on_a4(browser, evidence, tmp_path):
    page, errors, _ = visit(browser, evidence, 1200, 900)
    pdf = page.pdf(format="A4")
    assert errors == [] and pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


def test_hostile_firm_text_stays_text_in_the_browser(browser, tmp_path):
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    data = firm(name=hostile, active_on="2026-11-20")
    data["people"][0]["name"] = hostile
    data["stories"][0]["title"] = hostile
    run_ok(
        "report", str(write_yaml(tmp_path / "f.yaml", data)), "--as-of", "2026-11-25", "--out", str(tmp_path)
    )
    evidence = tmp_path / "evidence.html"
    page, errors, requests = visit(browser, evidence, 1200, 900)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.reload()
    assert errors == [] and dialogs == [] and requests == [evidence.as_uri(), evidence.as_uri()]
    assert page.locator("img, script").count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == hostile
    page.close()


def test_program_overview_opens_offline_without_errors(browser, overview):
    page, errors, requests = visit(browser, overview, 1200, 900)
    assert errors == [] and requests == [overview.as_uri()]
    assert page.get_by_role("heading", name="Program overview").is_visible()
    assert page.get_by_text("Northwind Advisory").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    page.close()
