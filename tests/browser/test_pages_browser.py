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


@pytest.fixture(scope="module")
def programs(tmp_path_factory) -> Path:
    """The packs of two example programs: one with any_of alternatives, one with several designations."""
    out = tmp_path_factory.mktemp("programs")
    for program in ("levels", "specializations"):
        folder = ROOT / "examples" / "programs" / program
        run_ok(
            "report", str(folder / "firms"), "--policy", str(folder / "policy"), "--as-of", "2026-11-25",
            "--out", str(out / program),
        )  # fmt: skip
    return out


@pytest.mark.parametrize("width,name", [(1200, "designations"), (390, "designations-phone")])
def test_a_pack_shows_each_designations_standing_and_the_closest_way_to_a_tier(
    browser, programs, width, name
):
    keel = programs / "specializations" / "keel-and-compass" / "evidence.html"
    page, errors, requests = visit(browser, keel, width, 900)
    assert errors == [] and requests == [keel.as_uri()]
    for label in ("Membership", "Data specialization", "Security specialization"):
        assert page.get_by_role("heading", name=label, level=3).is_visible(), label
    assert page.get_by_role("table", name="History of the standing in Security specialization").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()
    lakeside = programs / "levels" / "lakeside-consulting" / "evidence.html"
    page, errors, _ = visit(browser, lakeside, width, 900)
    assert errors == []
    way = "Closest way to Select: alternative 1 of 2: certified people at least 4"
    assert page.get_by_text(way).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_overview_lists_each_designations_shortlists(browser, tmp_path, width):
    folder = ROOT / "examples" / "programs" / "specializations"
    overview = tmp_path / "overview.html"
    overview.write_text(
        run_ok("summary", str(folder / "firms"), "--policy", str(folder / "policy"), "--as-of", "2026-11-25",
               "--format", "html")
    )  # fmt: skip
    page, errors, requests = visit(browser, overview, width, 900)
    assert errors == [] and requests == [overview.as_uri()]
    for heading in (
        "Within reach of the next tier in Data specialization",
        "Facing demotion in Security specialization (0)",
    ):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.get_by_text("certified people: 1 more (4 of 5)").is_visible()  # Ember Solutions, for data
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
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
    # neither example firm is within 75% of Preferred, so the page names no firm: the tiers show
    assert page.get_by_role("rowheader", name="Select", exact=True).first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    page.close()


@pytest.fixture(scope="module")
def busy_overview(tmp_path_factory) -> Path:
    """An overview with long file paths in every list, as a real program's folder gives."""
    folder = tmp_path_factory.mktemp("busy") / "partners" / "emea-region" / "nordics-and-baltics"
    for i in range(6):
        write_yaml(
            folder / f"firm-with-a-long-name-{i}" / "firm.yaml",
            # within reach of Preferred: every requirement at least 75% met
            firm(people=80, customers=12, stories=3, firm_id=f"firm-{i}", name=f"Firm {i}"),
        )
    out = folder.parent / "overview.html"
    out.write_text(
        run_ok("summary", str(folder), "--as-of", "2026-11-25", "--format", "html", "--limit", "4")
    )
    return out


@pytest.mark.parametrize(("width", "name"), [(390, "overview-phone"), (1280, "overview-wide")])
def test_program_overview_reads_well_on_a_phone_and_a_laptop(browser, busy_overview, width, name):
    page, errors, _ = visit(browser, busy_overview, width, 900)
    assert errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    for cell in page.locator("td.share").all():  # the share stays on the bar's line, inside the page
        assert cell.locator(".pct").bounding_box()["x"] + 30 <= width, cell.inner_text()
        bar, pct = cell.locator(".track").bounding_box(), cell.locator(".pct").bounding_box()
        assert abs((bar["y"] + bar["height"] / 2) - (pct["y"] + pct["height"] / 2)) < line / 2, (
            cell.inner_text()
        )
    rows = page.locator("section[aria-labelledby=reach] tbody tr").all()
    assert len(rows) == 4
    wordy = "section[aria-labelledby=reach] td:is([data-label=File], [data-label='Still needed'])"
    for cell in page.locator(wordy).all():  # neither squeezed to a few letters a line
        assert cell.bounding_box()["width"] >= 150, cell.inner_text()
    for row in rows:
        assert row.bounding_box()["height"] < 12 * line, row.inner_text()
    assert (
        page.get_by_text("… and 2 more").count() == 2 and page.get_by_text("… and 2 more").first.is_visible()
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()
