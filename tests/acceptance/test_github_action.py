"""The composite action's steps, run as GitHub Actions runs them: bash, its env, GITHUB_STEP_SUMMARY set."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXAMPLES = ROOT / "examples"


def run_steps(workspace: Path, inputs: dict[str, str], path: str, *, install: bool) -> tuple[int, str, str]:
    """Every step in order, as the runner does: `${{ inputs.x }}` filled in, a failed step stopping the
    ones without `if: !cancelled()`. Returns the first failing status, the log, and the job summary."""
    summary = workspace / "step-summary.md"
    summary.touch()
    status, log = 0, ""
    for step in ACTION["runs"]["steps"]:
        if step["name"] == "Install tiercheck" and not install:
            continue
        if status and "!cancelled()" not in step.get("if", ""):
            continue
        env = {k: fill(str(v), inputs) for k, v in step.get("env", {}).items()}
        env |= {
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_ACTION_PATH": str(ROOT),
        }
        r = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=workspace,
            env={**os.environ, "PATH": path, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        log += r.stdout + r.stderr
        status = status or r.returncode
    return status, log, summary.read_text()


def fill(value: str, inputs: dict[str, Any]) -> str:
    defaults = {k: v.get("default", "") for k, v in ACTION["inputs"].items()}
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: {**defaults, **inputs}[m.group(1)], value)


def workspace_with(tmp_path: Path, *names: str) -> Path:
    ws = tmp_path / "workspace"
    (ws / "firms").mkdir(parents=True)
    for name in names:
        source = (
            EXAMPLES / "firms" / name if (EXAMPLES / "firms" / name).exists() else EXAMPLES / "invalid" / name
        )
        shutil.copy(source, ws / "firms" / name)
    return ws


def installed_path() -> str:
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


def test_the_action_annotates_an_invalid_file_and_summarises_every_file_then_fails(tmp_path) -> None:
    ws = workspace_with(tmp_path, "northwind-advisory.yaml", "typo-key.yaml")
    status, log, summary = run_steps(
        ws, {"files": "firms", "as-of": "2026-11-25"}, installed_path(), install=False
    )
    assert status == 1
    assert (
        "::error file=firms/typo-key.yaml,line=18,col=5,title=tiercheck schema::unknown key 'live_date'"
        in log
    )
    assert "## Evidence pack: Northwind Advisory as of 2026-11-25" in summary
    assert "## firms/typo-key.yaml: invalid, not evaluated" in summary


def test_the_action_passes_valid_files_with_a_policy_and_writes_their_evaluation(tmp_path) -> None:
    ws = workspace_with(tmp_path, "northwind-advisory.yaml", "fabrikam-digital.json")
    policy = str(ROOT / "policy")
    inputs = {
        "files": "firms/northwind-advisory.yaml firms/fabrikam-digital.json",
        "policy": policy,
        "as-of": "2026-11-25",
    }
    status, log, summary = run_steps(ws, inputs, installed_path(), install=False)
    assert status == 0, log
    assert "2 files checked: all valid" in log
    assert summary.count("## Evidence pack:") == 2


@pytest.mark.ecosystem
def test_the_action_installs_tiercheck_from_its_own_checkout_into_a_clean_environment(tmp_path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    ws = workspace_with(tmp_path, "northwind-advisory.yaml")
    path = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    status, log, summary = run_steps(ws, {"files": "firms", "as-of": "2026-11-25"}, path, install=True)
    assert status == 0, log
    assert (venv / "bin" / "tiercheck").exists()
    assert "## Evidence pack: Northwind Advisory as of 2026-11-25" in summary
