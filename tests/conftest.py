"""Fixtures shared by every test: firm files on disk, the command line run in this process, one Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import CHROMIUM, FLAGS
from hypothesis import settings
from support import tiercheck

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# A small valid firm file with one record of each kind, so a test can break exactly one thing
# with a text replacement (tests find line numbers with `line_of`, never by counting).
MINIMAL_FIRM = """\
schema_version: 1
firm:
  id: contoso
  name: Contoso
  joined_on: 2026-04-02
people:
  - id: p-ada
    name: Ada Park
    email: ada@contoso.example
    last_active_on: 2026-11-02
    credentials:
      - name: claude-certified-architect
        level: foundations
        issued_on: 2026-04-10
customers:
  - id: c-acme
    name: Acme Insurance
    region: emea
    country: NO
deployments:
  - id: d-acme
    customer: c-acme
    stage: production
    live_on: 2026-05-01
stories:
  - id: s-acme
    customer: c-acme
    title: Acme cut claims handling time by 40%
    url: https://contoso.example/stories/acme
    published_on: 2026-08-01
    customer_named: true
    consent:
      given_on: 2026-07-20
      by: Head of Claims, Acme Insurance
    result: 40% faster claims handling
"""

# No per-example deadline for any property: the default 200 ms fails a test whose one example met a stall
# on a busy machine (CI runs the suite about 1.4x slower than a quiet laptop). Timing is not behaviour.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

WriteFirm = Callable[..., Path]
RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


run_cli = tiercheck  # the one CLI runner, shared with support.py's users


def line_of(text: str, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after `start` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the text")


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--format auto` means github inside GitHub Actions: tests ask for it explicitly when they want it."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip `ecosystem` tests (real pre-commit and pip installs) unless `-m` asks for them by name."""
    if "ecosystem" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="installs with pre-commit/pip: run with -m ecosystem (nox -s ecosystem)")
    for item in items:
        if item.get_closest_marker("ecosystem"):
            item.add_marker(skip)


@pytest.fixture
def minimal_firm() -> str:
    """The text of a small valid firm file."""
    return MINIMAL_FIRM


@pytest.fixture
def write_firm(tmp_path: Path) -> WriteFirm:
    """A factory: write_firm(text, name="firm.yaml") writes the text (str or bytes) under tmp_path."""

    def write(text: str | bytes = MINIMAL_FIRM, name: str = "firm.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            # newline="" keeps the text's own line ends, so a test can write CRLF files.
            with path.open("w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        return path

    return write


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers of each pool a command starts."""
    import validator.workers

    started: list[int] = []
    real = validator.workers.pool

    def counted(jobs: int, *args: Any) -> Any:
        started.append(jobs)
        return real(jobs, *args)

    monkeypatch.setattr(validator.workers, "pool", counted)
    return started


@pytest.fixture(name="run_cli")
def run_cli_fixture() -> RunCli:
    """The `run_cli(*args, cwd=None)` helper, for tests that take it as a fixture."""
    return run_cli


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
