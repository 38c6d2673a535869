"""Two files with one firm id: every command that reads a folder finds the second invalid, at its id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import firm, write_yaml

from validator.cli import main

AS_OF = "2026-11-25"
RECENT = {"active_on": "2026-11-20"}
CLASH = "zz-copy.yaml:3:3: firm id 'acme' is already the id of "


def folder_with_a_copy(root: Path, others: int = 0) -> Path:
    """a-first.yaml and zz-copy.yaml give the firm id 'acme' (other names), with `others` firms between."""
    write_yaml(root / "a-first.yaml", firm(firm_id="acme", name="First", **RECENT))
    for i in range(others):
        write_yaml(root / f"m-{i:02}.yaml", firm(firm_id=f"m-{i:02}", **RECENT))
    write_yaml(root / "zz-copy.yaml", firm(firm_id="acme", name="Impostor", people=1, **RECENT))
    return root


def test_report_of_a_folder_writes_the_first_files_pack_and_finds_the_second_invalid(
    tmp_path, capsys
) -> None:
    out = tmp_path / "packs"
    status = main(
        ["report", str(folder_with_a_copy(tmp_path / "firms")), "--as-of", AS_OF, "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert CLASH in err and err.rstrip().endswith("zz-copy.yaml: invalid, so no evidence pack was written")
    assert "First" in (out / "acme" / "evidence.md").read_text()
    assert "Impostor" not in (out / "acme" / "evidence.md").read_text()


@pytest.mark.parametrize(("others", "jobs"), [(0, "1"), (64, "2")], ids=["one-process", "process-pool"])
def test_summary_counts_the_firm_once_and_the_second_file_as_invalid(tmp_path, capsys, others, jobs) -> None:
    root = folder_with_a_copy(tmp_path, others)
    status = main(["summary", str(root), "--as-of", AS_OF, "--format", "json", "--jobs", jobs, "-q"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 1
    assert (doc["files"], doc["valid"], doc["invalid_count"]) == (others + 2, others + 1, 1)
    [invalid] = doc["invalid"]
    assert invalid["file"].endswith("zz-copy.yaml")
    [problem] = invalid["problems"]
    assert (problem["line"], problem["col"], problem["code"]) == (3, 3, "duplicate-firm-id")
    assert problem["message"].startswith("firm id 'acme' is already the id of ")
    assert "a-first.yaml" in problem["message"]
