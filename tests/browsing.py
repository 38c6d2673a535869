"""Shared by the browser tests: where Chromium is, running the tool, opening a page and what it did."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from support import tiercheck

ROOT = Path(__file__).resolve().parents[1]
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
