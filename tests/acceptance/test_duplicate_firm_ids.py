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


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_validate_finds_the_second_file_with_a_firm_id_invalid_at_its_id(tmp_path, capsys, fmt) -> None:
    status = main(["validate", str(folder_with_a_copy(tmp_path)), "--format", fmt])
    out = capsys.readouterr().out
    assert status == 1
    assert out.count("already the id of") == 1 and "a-first.yaml" in out.split("already the id of")[1]
    assert CLASH in out if fmt == "text" else "zz-copy.yaml,line=3,col=3," in out
    assert out.rstrip().endswith("2 files checked: 1 invalid, 1 problem")


@pytest.mark.parametrize(("others", "jobs"), [(0, "1"), (64, "2")], ids=["one-process", "process-pool"])
def test_evaluate_evaluates_the_first_file_with_a_firm_id_and_not_the_second(
    tmp_path, capsys, others, jobs
) -> None:
    root = folder_with_a_copy(tmp_path, others)
    status = main(["evaluate", str(root), "--as-of", AS_OF, "--format", "json", "--jobs", jobs, "-q"])
    doc = json.loads(capsys.readouterr().out)
    first, second = doc["files"][0], doc["files"][-1]
    assert doc["summary"] == {"files": others + 2, "evaluated": others + 1, "invalid": 1}
    assert status == 1
    assert first["firm"]["name"] == "First" and "eligible_tier" in first
    [problem] = second["problems"]
    assert (problem["line"], problem["col"], problem["code"]) == (3, 3, "duplicate-firm-id")
    assert "eligible_tier" not in second


def test_every_command_gives_one_verdict_on_a_folder_with_a_firm_id_twice(tmp_path, capsys) -> None:
    root = str(folder_with_a_copy(tmp_path / "firms"))
    runs = {
        "validate": ["validate", root],
        "evaluate": ["evaluate", root, "--as-of", AS_OF],
        "summary": ["summary", root, "--as-of", AS_OF],
        "site": ["site", root, "--as-of", AS_OF, "--out", str(tmp_path / "site")],
        "report": ["report", root, "--as-of", AS_OF, "--out", str(tmp_path / "packs")],
    }
    statuses = {name: main(argv) for name, argv in runs.items()}
    capsys.readouterr()
    assert statuses == dict.fromkeys(runs, 1)


def test_a_file_named_twice_is_read_once_and_does_not_clash_with_itself(tmp_path, capsys) -> None:
    root = folder_with_a_copy(tmp_path)
    first = str(root / "a-first.yaml")
    status = main(["validate", first, str(root), first, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [Path(f["file"]).name for f in doc["files"]] == ["a-first.yaml", "zz-copy.yaml"]
    assert [f["valid"] for f in doc["files"]] == [True, False]
