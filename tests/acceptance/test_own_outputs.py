"""tiercheck never reads what it wrote: a pack's evidence.json and a site's firms.json are left out of
every folder walk, in every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]
NORTHWIND = ROOT / "examples" / "firms" / "northwind-advisory.yaml"
AS_OF = "2026-11-25"


def walked_files(capsys, folder: Path) -> list[str]:
    """The files `validate` reads in a walk of `folder`, after checking they are all valid."""
    capsys.readouterr()
    status = main(["validate", str(folder), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 0, doc
    return [Path(f["file"]).relative_to(folder).as_posix() for f in doc["files"]]


@pytest.fixture
def firms(tmp_path) -> Path:
    folder = tmp_path / "firms"
    folder.mkdir()
    shutil.copy(NORTHWIND, folder / "firm.yaml")
    return folder


def test_a_pack_written_into_a_walked_folder_is_not_read_as_a_firm_file(firms, capsys) -> None:
    assert main(["report", str(firms / "firm.yaml"), "--out", str(firms / "pack"), "--as-of", AS_OF]) == 0
    assert walked_files(capsys, firms) == ["firm.yaml"]


def test_the_packs_of_a_folder_report_written_inside_it_are_not_read_on_the_next_run(firms, capsys) -> None:
    argv = ["report", str(firms), "--out", str(firms / "packs"), "--as-of", AS_OF, "--format", "json"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(argv) == 0
    [pack] = json.loads(capsys.readouterr().out)["packs"]
    assert pack["file"] == str(firms / "firm.yaml")
    assert walked_files(capsys, firms) == ["firm.yaml"]


@pytest.mark.parametrize("command", ["evaluate", "summary"])
def test_evaluate_and_summary_leave_out_a_site_and_a_pack_in_the_folder(firms, capsys, command) -> None:
    assert main(["site", str(firms), "--out", str(firms / "site"), "--as-of", AS_OF, "-q"]) == 0
    assert main(["report", str(firms / "firm.yaml"), "--out", str(firms / "pack"), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main([command, str(firms), "--as-of", AS_OF, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file" if command == "evaluate" else "files"] == (
        str(firms / "firm.yaml") if command == "evaluate" else 1
    )


def test_a_site_built_inside_the_folder_it_reads_is_not_read_on_the_next_build(firms, capsys) -> None:
    argv = ["site", str(firms), "--out", str(firms / "site"), "--as-of", AS_OF, "--format", "json"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["invalid"] == 0
    assert walked_files(capsys, firms) == ["firm.yaml"]


def test_a_file_named_like_an_output_without_tiercheck_beside_it_is_a_firm_file(firms, capsys) -> None:
    (firms / "site").mkdir()
    shutil.copy(NORTHWIND, firms / "site" / "firms.json")  # YAML is JSON's superset: read as JSON, invalid
    (firms / "evidence.json").write_text((ROOT / "examples" / "firms" / "fabrikam-digital.json").read_text())
    capsys.readouterr()
    assert main(["validate", str(firms), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    files = [Path(f["file"]).relative_to(firms).as_posix() for f in doc["files"]]
    assert files == ["evidence.json", "firm.yaml", "site/firms.json"]


def test_an_output_file_named_on_the_command_line_is_read_as_given(firms, capsys) -> None:
    assert main(["report", str(firms / "firm.yaml"), "--out", str(firms / "pack"), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main(["validate", str(firms / "pack" / "evidence.json")]) == 1
    assert "evidence.json:" in capsys.readouterr().out


def test_a_folder_holding_only_a_pack_is_a_usage_error_that_says_why(firms, capsys) -> None:
    assert main(["report", str(firms / "firm.yaml"), "--out", str(firms / "pack"), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main(["validate", str(firms / "pack")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no *.yaml, *.yml or *.json files in this directory; evidence.json here is tiercheck's own" in err
