"""The HTML pages in a real headless Chromium: offline, no console errors, readable on a phone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import firm, tiercheck, write_yaml

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "firms" / "northwind-advisory.yaml"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without these, Chromium phones home at start-up; on a closed network that is a flood of refused connections.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (nox -s browser)"
    )
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine: apt-get install chromium, or run nox -s browser as root")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def run_ok(*args: str) -> str:
    """Run the command line; it must succeed. Its output."""
    r = tiercheck(*args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def visit(browser: Any, page_file: Path, width: int, height: int) -> tuple[Any, list[str], list[str]]:
    """Open a page; return it with the console errors and every request it made."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


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
