"""The pre-commit hook as a firm's repository runs it: the real `pre-commit try-repo` on a throwaway repo.

Marked `ecosystem`: pre-commit installs tiercheck into its own environment with pip (~15 s), so these
run only when asked (`pytest -m ecosystem`, or `nox -s ecosystem`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.ecosystem


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            "tiercheck-validate",
            "--all-files",
            "--verbose",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def firm_repo(tmp_path: Path) -> Path:
    """A git repository with a valid firm file, and YAML and JSON files that are not firm files."""
    repo = tmp_path / "repo"
    (repo / "firms" / "northwind").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "firms" / "northwind-advisory.yaml", repo / "firms/northwind/firm.yaml")
    (repo / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n')
    (repo / "mkdocs.yml").write_text("site_name: Partner docs\n")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github/workflows/ci.yaml").write_text("on: push\njobs: {}\n")
    (repo / "not-a-firm.yaml").write_text("firm: []\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def test_the_hook_checks_only_firm_files_and_fails_on_the_invalid_one(
    firm_repo: Path, tmp_path: Path
) -> None:
    home = tmp_path / "pre-commit-home"
    passed = try_repo(firm_repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "1 file checked: all valid" in passed.stdout

    shutil.copy(ROOT / "examples" / "invalid" / "typo-key.yaml", firm_repo / "firm.yml")
    git(firm_repo, "add", "-A")
    failed = try_repo(firm_repo, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "firm.yml:18:5: unknown key 'live_date': did you mean 'live_on'?" in failed.stdout
    assert "2 files checked: 1 invalid, 1 problem" in failed.stdout
    for unrelated in ("package.json", "mkdocs.yml", "ci.yaml", "not-a-firm.yaml"):
        assert unrelated not in failed.stdout
