"""The installed tool works from any directory: its schemas, policy and templates travel with it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"


def console_script() -> str:
    beside = Path(sys.executable).with_name("tiercheck")
    found = str(beside) if beside.exists() else shutil.which("tiercheck")
    assert found, "the tiercheck console script is not installed"
    return found


def test_the_console_script_evaluates_a_firm_from_outside_the_checkout(tmp_path) -> None:
    firm = tmp_path / "firm.yaml"
    shutil.copy(EXAMPLE, firm)
    r = subprocess.run(
        [console_script(), "evaluate", "firm.yaml", "--as-of", "2026-11-25", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["eligible_tier"] == "select"
    assert doc["policy"]["id"] == "cpn-services"


def test_every_subcommand_runs_from_outside_the_checkout(tmp_path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "firm.yaml")
    for args in (
        ["validate", "firm.yaml"],
        ["summary", "firm.yaml", "--as-of", "2026-11-25", "--format", "html"],
        ["policy", "check"],
        ["--version"],
    ):
        r = subprocess.run(
            [console_script(), *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 0, f"{args}: {r.stderr}"
        assert "internal error" not in r.stderr


def test_the_installed_version_is_the_packages_one_version() -> None:
    from validator import __version__

    r = subprocess.run([console_script(), "--version"], capture_output=True, text=True, timeout=60)
    assert r.stdout == f"tiercheck {__version__}\n"
    assert version("tiercheck") == __version__


def test_every_package_of_the_source_is_in_the_distribution() -> None:
    import tomllib

    root = Path(__file__).resolve().parents[2]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "validator").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
