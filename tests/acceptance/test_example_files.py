"""The example files drive these tests: every valid one passes, every invalid one fails where it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import tiercheck

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VALID = sorted((EXAMPLES / "firms").iterdir())
INVALID = sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.suffix in (".yaml", ".yml", ".json"))
# Files that cannot carry a `# expect:` header (JSON has no comments).
NO_HEADER = {
    "empty.yaml": (1, "the file is empty"),
    "duplicate-key.json": (5, "duplicate key 'people' (first on line 4)"),
    "unknown-region.json": (6, "unknown region 'europe': the policy lists: amer, emea, apac"),
}


def expectation(path: Path) -> tuple[int, str]:
    if path.name in NO_HEADER:
        return NO_HEADER[path.name]
    match = re.match(r"# expect: (\d+): (.+)", path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} must start with '# expect: LINE: phrase'"
    return int(match[1]), match[2]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_passes(path: Path) -> None:
    r = tiercheck("validate", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith("all valid")


def warns(path: Path) -> bool:
    """A mistake that leaves the data valid is a warning: it fails only under --strict."""
    return expectation(path)[1].startswith("warning: ")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_fails_at_its_line_with_its_message(path: Path) -> None:
    line, phrase = expectation(path)
    if warns(path):
        assert tiercheck("validate", str(path)).returncode == 0
    r = tiercheck("validate", *(["--strict"] if warns(path) else []), str(path))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    located = [row for row in r.stdout.splitlines() if row.startswith(f"{path}:{line}:")]
    assert any(phrase in row for row in located), f"want line {line} with {phrase!r}, got:\n{r.stdout}"


def test_every_invalid_example_is_reported_in_one_run_and_the_valid_ones_still_pass() -> None:
    r = tiercheck("validate", str(EXAMPLES / "firms"), str(EXAMPLES / "invalid"))
    assert r.returncode == 1
    warned = sum(map(warns, INVALID))
    assert r.stdout.splitlines()[-1].startswith(
        f"{len(VALID) + len(INVALID)} files checked: {len(INVALID) - warned} invalid"
    )
    assert r.stdout.splitlines()[-1].endswith(f", {warned} warning{'s' * (warned != 1)}")
