"""What the policy knows, checked where the file is checked: `validate` (in YAML and JSON), and the commands
that refuse a file the policy does not understand. In-process, through `main`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINIMAL_FIRM, line_of
from support import SHIPPED_POLICY, policy_variant

from validator.cli import main
from validator.loader import Source, parse_located

AS_OF = "2026-11-25"
Data = dict[str, Any]


def base() -> Data:
    """The small valid firm as data (dates as text, as the loader gives them), with a credential number."""
    data: Data = parse_located(Source("firm.yaml", MINIMAL_FIRM, "")).data
    data["people"][0]["credentials"][0]["id"] = "CCAR-P-01000"
    return data


def region(data: Data) -> None:
    data["customers"][0]["region"] = "EMEA"


def level(data: Data) -> None:
    data["people"][0]["credentials"][0]["level"] = "foundation"


def number(data: Data) -> None:
    twin = json.loads(json.dumps(data["people"][0]))
    twin.update(id="p-ada-2", email="ada.park@contoso.example")
    data["people"].append(twin)


def tier(data: Data) -> None:
    data["firm"]["standing"] = {"tier": "Select", "since": "2026-07-01"}


def name(data: Data) -> None:
    data["people"][0]["credentials"][0]["name"] = "claude-certified-architec"


# (how the file goes wrong, the text on the offending line, the phrase validate must say there)
MISTAKES: list[tuple[Callable[[Data], None], str, str]] = [
    (region, "EMEA", "unknown region 'EMEA': did you mean 'emea'? the policy lists: amer, emea, apac"),
    (
        level,
        "foundation",
        "unknown level 'foundation' for claude-certified-architect: did you mean 'foundations'?",
    ),
    (number, "CCAR-P-01000", "credential number 'CCAR-P-01000' is already claimed by 'p-ada' (Ada Park)"),
    (tier, "Select", "unknown tier 'Select': did you mean 'select'?"),
]


def write(tmp_path: Path, data: Data, suffix: str) -> tuple[Path, str]:
    text = json.dumps(data, indent=2) if suffix == ".json" else yaml.safe_dump(data, sort_keys=False)
    path = tmp_path / f"firm{suffix}"
    path.write_text(text, encoding="utf-8")
    return path, text


def mistaken(tmp_path: Path, mistake: Callable[[Data], None], suffix: str) -> tuple[Path, str]:
    data = base()
    mistake(data)
    return write(tmp_path, data, suffix)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    status = main([str(a) for a in args])
    return status, capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(("mistake", "needle", "phrase"), MISTAKES, ids=[m[0].__name__ for m in MISTAKES])
def test_a_value_the_policy_does_not_know_is_an_error_at_its_line(
    tmp_path, capsys, suffix, mistake, needle, phrase
) -> None:
    path, text = mistaken(tmp_path, mistake, suffix)
    line = line_of(text, needle)
    if mistake is number:  # the second person's claim is the mistake
        line = line_of(text, needle, line + 1)
    status, out = run(capsys, "validate", path)
    assert status == 1
    [row, totals] = out.splitlines()
    assert row.startswith(f"{path}:{line}:") and phrase in row, out
    assert totals == "1 file checked: 1 invalid, 1 problem"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_credential_name_a_typo_away_is_a_warning_printed_with_its_file_before_the_totals(
    tmp_path, capsys, suffix
) -> None:
    path, text = mistaken(tmp_path, name, suffix)
    status, out = run(capsys, "validate", path)
    assert status == 0
    row, totals = out.splitlines()
    assert totals == "1 file checked: all valid, 1 warning"
    assert row.startswith(f"{path}:{line_of(text, 'claude-certified-architec')}:")
    assert row.endswith(
        ": warning: credential 'claude-certified-architec' is not one the policy knows, so it never "
        "counts: did you mean 'claude-certified-architect'?"
    )


def test_strict_makes_a_warning_fail_the_run(tmp_path, capsys) -> None:
    path, _ = mistaken(tmp_path, name, ".yaml")
    status, out = run(capsys, "validate", "--strict", path)
    assert (status, out.splitlines()[-1]) == (1, "1 file checked: all valid, 1 warning (--strict: failing)")
    clean, _ = write(tmp_path, base(), ".json")
    assert run(capsys, "validate", "--strict", clean) == (0, "1 file checked: all valid\n")


def test_json_and_github_output_carry_the_warning_with_its_severity(tmp_path, capsys) -> None:
    path, text = mistaken(tmp_path, name, ".yaml")
    status, out = run(capsys, "validate", "--format", "json", path)
    doc = json.loads(out)
    assert status == 0 and doc["summary"]["warnings"] == 1
    [warning] = doc["files"][0]["warnings"]
    assert (warning["severity"], warning["code"], warning["line"]) == (
        "warning",
        "unknown-credential",
        line_of(text, "claude-certified-architec"),
    )
    status, out = run(capsys, "validate", "--format", "github", path)
    assert status == 0 and out.startswith(f"::warning file={path},line={warning['line']},")


def test_policy_names_another_folder_and_its_values_are_known(tmp_path, capsys) -> None:
    data = base()
    data["customers"][0]["region"] = "latam"
    path, _ = write(tmp_path, data, ".yaml")
    folder = tmp_path / "policy"
    folder.mkdir()
    policy_variant(
        folder / SHIPPED_POLICY.name, ("  apac: Asia Pacific\n", "  apac: Asia Pacific\n  latam: LatAm\n")
    )
    status, out = run(capsys, "validate", path)
    assert status == 1 and "unknown region 'latam': the policy lists: amer, emea, apac" in out
    assert run(capsys, "validate", "--policy", folder, path) == (0, "1 file checked: all valid\n")


def test_an_invalid_policy_stops_validate_with_exit_2(tmp_path, capsys) -> None:
    path, _ = write(tmp_path, base(), ".yaml")
    broken = policy_variant(tmp_path / "broken.yaml", ("tiers:", "tier:"))
    assert main(["validate", "--policy", str(broken), str(path)]) == 2
    assert "the policy is invalid" in capsys.readouterr().err


# evaluate, report and summary refuse what validate refuses


def test_evaluate_refuses_a_file_with_a_region_the_policy_does_not_list(tmp_path, capsys) -> None:
    data = base()
    data["customers"][0]["region"] = "europe"
    path, text = write(tmp_path, data, ".yaml")
    status, out = run(capsys, "evaluate", path, "--as-of", AS_OF, "--format", "json")
    doc = json.loads(out)
    assert status == 1 and "eligible_tier" not in doc
    assert [(e["code"], e["line"]) for e in doc["errors"]] == [("unknown-region", line_of(text, "europe"))]


def test_report_refuses_a_file_with_an_unknown_level_and_writes_nothing(tmp_path, capsys) -> None:
    path, _ = mistaken(tmp_path, level, ".yaml")
    out_dir = tmp_path / "pack"
    assert main(["report", str(path), "--as-of", AS_OF, "--out", str(out_dir)]) == 1
    assert "unknown level 'foundation'" in capsys.readouterr().err
    assert not out_dir.exists()


def test_summary_counts_a_file_with_a_claimed_credential_number_as_invalid(tmp_path, capsys) -> None:
    bad, _ = mistaken(tmp_path, number, ".yaml")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(base()), encoding="utf-8")
    status, out = run(capsys, "summary", bad, good, "--as-of", AS_OF, "--format", "json", "--jobs", "1")
    doc = json.loads(out)
    assert status == 1 and doc["invalid_count"] == 1
    assert "already claimed by 'p-ada'" in doc["invalid"][0]["problems"][0]["message"]
