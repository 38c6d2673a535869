"""`tiercheck validate` as CI jobs and pre-commit hooks call it: a real subprocess, exit status, formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, MINIMAL_FIRM, line_of

from validator.cli import main

LOCATED = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

MINIMAL_JSON = """{
  "schema_version": 1,
  "firm": {"id": "contoso-json", "name": "Contoso", "joined_on": "2026-04-02"},
  "customers": [{"id": "c-acme", "name": "Acme", "region": "emea", "country": "NO"}],
  "deployments": [{"id": "d-acme", "customer": "c-acme", "stage": "pilot"}]
}
"""
# One mistake: a misspelt optional key.
TYPO = MINIMAL_FIRM.replace(
    "    live_on: 2026-05-01\n", "    live_on: 2026-05-01\n    retired_date: 2026-09-30\n"
)


def problems(stdout: str) -> list[re.Match[str]]:
    return [m for m in map(LOCATED.match, stdout.splitlines()) if m]


# Exit status 0 and 1


def test_valid_yaml_and_json_files_exit_0_with_a_summary_and_nothing_on_stderr(write_firm, run_cli) -> None:
    r = run_cli("validate", str(write_firm(MINIMAL_FIRM)), str(write_firm(MINIMAL_JSON, "firm.json")))
    assert (r.returncode, r.stdout, r.stderr) == (0, "2 files checked: all valid\n", "")


def test_an_invalid_file_exits_1_with_file_line_col_message(write_firm, run_cli) -> None:
    path = write_firm(TYPO)
    r = run_cli("validate", str(path))
    assert r.returncode == 1, r.stderr
    [problem] = problems(r.stdout)
    assert problem["file"] == str(path)
    assert (int(problem["line"]), int(problem["col"])) == (line_of(TYPO, "retired_date"), 5)
    assert "unknown key 'retired_date'" in problem["message"]
    assert r.stdout.splitlines()[-1] == "1 file checked: 1 invalid, 1 problem"


def test_the_other_files_are_still_checked_and_reported_after_an_invalid_one(write_firm, run_cli) -> None:
    first = write_firm(TYPO, "a.yaml")
    valid = write_firm(MINIMAL_FIRM, "b.yaml")
    last = write_firm(MINIMAL_FIRM.replace("  id: contoso", "  id: Contoso"), "c.yaml")
    r = run_cli("validate", str(first), str(valid), str(last))
    assert r.returncode == 1
    assert [m["file"] for m in problems(r.stdout)] == [str(first), str(last)]
    assert r.stdout.splitlines()[-1] == "3 files checked: 2 invalid, 2 problems"


def test_paths_are_reported_as_they_were_given(write_firm, run_cli, tmp_path) -> None:
    write_firm(TYPO, "sub/typo.yaml")
    r = run_cli("validate", "sub/typo.yaml", cwd=tmp_path)
    assert r.returncode == 1
    assert problems(r.stdout)[0]["file"] == "sub/typo.yaml"


# Exit status 2: the tool cannot do its job


def test_a_missing_path_exits_2_and_names_it(write_firm, run_cli, tmp_path) -> None:
    valid = write_firm()
    r = run_cli("validate", str(valid), str(tmp_path / "nope.yaml"))
    assert r.returncode == 2
    assert "nope.yaml" in r.stderr and "no such file or directory" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["validate"],
        ["validate", "--format", "xml", "firm.yaml"],
        ["validate", "--no-such-option", "firm.yaml"],
        ["frobnicate", "firm.yaml"],
    ],
    ids=["no-command", "no-path", "unknown-format", "unknown-option", "unknown-command"],
)
def test_bad_usage_exits_2_with_a_reason_and_no_traceback(
    args: list[str], write_firm, run_cli, tmp_path
) -> None:
    write_firm()
    r = run_cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "--help" in r.stderr


def test_an_empty_directory_exits_2(run_cli, tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_cli("validate", str(tmp_path / "empty"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


# Directories


def test_directories_are_searched_recursively_for_yaml_yml_and_json(write_firm, run_cli, tmp_path) -> None:
    write_firm(MINIMAL_FIRM, "firms/a.yaml")
    write_firm(MINIMAL_FIRM.replace("id: contoso", "id: contoso-b"), "firms/deep/er/b.yml")
    write_firm(MINIMAL_JSON.replace('"contoso"', '"contoso-c"'), "firms/deep/c.json")
    write_firm(TYPO, "firms/other/d.yaml")
    write_firm("not a firm", "firms/notes.txt")
    write_firm("not a firm", "firms/README.md")
    r = run_cli("validate", "--format", "json", str(tmp_path / "firms"))
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    found = {Path(f["file"]).relative_to(tmp_path / "firms").as_posix(): f["valid"] for f in doc["files"]}
    assert found == {"a.yaml": True, "deep/er/b.yml": True, "deep/c.json": True, "other/d.yaml": False}


def test_hidden_directories_are_skipped(write_firm, run_cli, tmp_path) -> None:
    write_firm(MINIMAL_FIRM, "repo/firm.yaml")
    write_firm("{{{ broken", "repo/.git/objects/x.yaml")
    write_firm("{{{ broken", "repo/.github/workflows/ci.yml")
    write_firm("{{{ broken", "repo/sub/.cache/y.json")
    r = run_cli("validate", str(tmp_path / "repo"))
    assert (r.returncode, r.stdout) == (0, "1 file checked: all valid\n"), r.stdout


def test_a_directory_and_a_file_can_be_given_together(write_firm, run_cli, tmp_path) -> None:
    write_firm(MINIMAL_FIRM, "dir/a.yaml")
    single = write_firm(MINIMAL_JSON, "single.json")
    r = run_cli("validate", str(tmp_path / "dir"), str(single))
    assert (r.returncode, r.stdout) == (0, "2 files checked: all valid\n")


# Formats


def test_format_json_is_one_json_document_with_every_file(write_firm, run_cli) -> None:
    bad, good = write_firm(TYPO, "bad.yaml"), write_firm(MINIMAL_FIRM, "good.yaml")
    r = run_cli("validate", "--format", "json", str(bad), str(good))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["summary"] == {"files": 2, "invalid": 1, "problems": 1, "warnings": 0}
    assert [(f["file"], f["valid"]) for f in doc["files"]] == [(str(bad), False), (str(good), True)]
    [problem] = doc["files"][0]["problems"]
    assert problem["line"] == line_of(TYPO, "retired_date") and problem["col"] == 5
    assert problem["path"] == "$.deployments[0].retired_date"
    assert "unknown key 'retired_date'" in problem["message"]


def test_format_json_exits_0_for_valid_files(write_firm, run_cli) -> None:
    r = run_cli("validate", str(write_firm()), "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["summary"]["invalid"] == 0


def test_format_github_prints_one_error_annotation_per_problem(write_firm, run_cli) -> None:
    path = write_firm(TYPO.replace("  id: contoso", "  id: Contoso"))
    r = run_cli("validate", "--format", "github", str(path))
    assert r.returncode == 1
    annotations = [line for line in r.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    assert all(a.startswith(f"::error file={path},line=") for a in annotations)
    assert annotations[0].startswith(f"::error file={path},line={line_of(TYPO, 'id: contoso')},col=")


# Hostile and broken inputs: a located problem and exit 1, never a traceback


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, tuple[str, bytes]] = {
    "not-utf8": ("firm.yaml", MINIMAL_FIRM.replace("Ada", "\udce9da").encode("utf-8", "surrogateescape")),
    "utf16": ("firm.yaml", MINIMAL_FIRM.encode("utf-16")),
    "binary": ("firm.yaml", bytes(range(256)) * 4),
    "empty": ("firm.yaml", b""),
    "comment-only": ("firm.yaml", b"# nothing here\n"),
    "billion-laughs": ("firm.yaml", billion_laughs().encode()),
    "deep-nesting": ("firm.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
    "python-tag": ("firm.yaml", b'a: !!python/object/apply:os.system ["echo pwned"]\n'),
    "second-document": ("firm.yaml", (MINIMAL_FIRM + "---\n" + MINIMAL_FIRM).encode()),
    "duplicate-key": ("firm.yaml", MINIMAL_FIRM.replace("firm:\n", "firm:\n  id: x\n").encode()),
    "control-character": ("firm.yaml", b'a: "x\x07y"\n'),
    "mapping-as-key": ("firm.yaml", b"? {a: 1}\n: b\n"),
    "undefined-alias": ("firm.yaml", b"a: *nowhere\n"),
    "yaml-syntax": ("firm.yaml", b"a: [1, 2\nb: }\n"),
    "tabs-in-yaml": ("firm.yaml", b"firm:\n\tid: x\n"),
    "a-list": ("firm.yaml", b"- 1\n- 2\n"),
    "huge-number": ("firm.yaml", b"schema_version: " + b"9" * 5000 + b"\n"),
    "wrong-types": (
        "firm.yaml",
        b"schema_version: 1\nfirm: []\npeople: {a: 1}\nstories: [1, [2], {id: 3}]\n",
    ),
    "json-syntax": ("firm.json", b'{"schema_version": 1,\n "firm": }'),
    "json-duplicate-key": ("firm.json", b'{"schema_version": 1,\n "schema_version": 1}'),
    "json-lone-surrogate": (
        "firm.json",
        b'{"schema_version": 1, "firm": {"id": "x", "name": "\\ud800", "joined_on": "2026-04-02"}}',
    ),
    "json-nan": ("firm.json", b'{"schema_version": NaN}'),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_broken_or_hostile_file_is_a_located_problem_not_a_crash(case: str, write_firm, capsys) -> None:
    # In-process, for speed: main() is what the console script calls; the next test runs them all for real.
    name, content = HOSTILE[case]
    path = write_firm(content, name)
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "internal error" not in err, err
    assert status == 1, out + err
    assert problems(out) and all(m["file"] == str(path) for m in problems(out))


def test_every_hostile_file_in_one_run_is_reported_without_a_traceback(write_firm, run_cli, tmp_path) -> None:
    for case, (name, content) in HOSTILE.items():
        write_firm(content, f"all/{case}{Path(name).suffix}")
    r = run_cli("validate", str(tmp_path / "all"))
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert r.returncode == 1
    assert {Path(m["file"]).stem for m in problems(r.stdout)} == set(HOSTILE)
    assert r.stdout.splitlines()[-1].startswith(f"{len(HOSTILE)} files checked: {len(HOSTILE)} invalid")


# Ways to run it


def test_python_dash_m_validator_runs_the_command_line(write_firm) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "validator", "validate", str(write_firm())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (r.returncode, r.stdout) == (0, "1 file checked: all valid\n")
    version = subprocess.run(
        [sys.executable, "-m", "validator", "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and version.stdout.startswith("tiercheck ")


def test_the_installed_console_script_works_outside_the_checkout(tmp_path) -> None:
    # The schema must travel with the package: nothing is read relative to the working directory.
    script = Path(sys.executable).with_name("tiercheck")
    found = str(script) if script.exists() else shutil.which("tiercheck")
    assert found, "the tiercheck console script is not installed"
    shutil.copy(EXAMPLES / "firms" / "northwind-advisory.yaml", tmp_path / "northwind.yaml")
    (tmp_path / "typo.yaml").write_text(TYPO, encoding="utf-8")
    r = subprocess.run(
        [found, "validate", "northwind.yaml", "typo.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1, r.stderr
    assert [m["file"] for m in problems(r.stdout)] == ["typo.yaml"]
    assert "did you mean 'retired_on'" in r.stdout
    assert r.stdout.splitlines()[-1] == "2 files checked: 1 invalid, 1 problem"


def test_python_dash_m_validator_works_outside_the_checkout(run_cli, tmp_path) -> None:
    (tmp_path / "firm.yaml").write_text(MINIMAL_FIRM, encoding="utf-8")
    r = run_cli("validate", "firm.yaml", cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, "1 file checked: all valid\n", "")


@pytest.mark.parametrize(
    ("name", "written", "escape"),
    [
        ("firm.yaml", '"Ada \\e[2J Park"', "U+001B"),  # YAML's escape for ESC: a terminal clear-screen
        ("firm.yaml", '"Ada \\x07 Park"', "U+0007"),
        ("firm.yaml", '"Ada \\x9b2J Park"', "U+009B"),  # the one-byte CSI: a terminal escape too
    ],
)
def test_an_escaped_control_character_in_text_is_refused_at_its_line(
    name: str, written: str, escape: str, write_firm, run_cli
) -> None:
    text = MINIMAL_FIRM.replace("name: Ada Park", f"name: {written}")
    result = run_cli("validate", write_firm(text, name))
    line = line_of(text, "name: " + written)
    assert result.returncode == 1
    assert f"{name}:{line}:5: contains control character {escape}" in result.stdout


def test_an_escaped_control_character_in_json_text_is_refused_at_its_line(write_firm, run_cli) -> None:
    data = yaml.safe_load(MINIMAL_FIRM.replace("country: NO", "country: 'NO'"))
    data["customers"][0]["name"] = "Acme\u001b]8;;https://evil.example\u001b\\"
    text = json.dumps(data, indent=2, default=str)
    result = run_cli("validate", write_firm(text, "firm.json"))
    assert result.returncode == 1
    line = line_of(text, '"Acme')
    assert f"firm.json:{line}:" in result.stdout
    assert "contains control character U+001B" in result.stdout


def test_tabs_and_line_breaks_in_text_stay_valid(write_firm, run_cli) -> None:
    text = MINIMAL_FIRM.replace(
        "result: 40% faster claims handling", 'result: "40% faster\\tclaims handling,\\nmeasured over a year"'
    )
    assert run_cli("validate", write_firm(text)).returncode == 0


@pytest.mark.parametrize(
    ("fmt", "failing"),
    [
        ("text", "1 warning (--strict: failing)\n"),
        ("github", "::error file="),
        ("junit", 'failures="1"'),
        ("sarif", '"level": "error"'),
    ],
)
def test_strict_output_fails_a_run_with_only_a_warning_as_its_exit_status_does(fmt, failing, capsys) -> None:
    warned = str(EXAMPLES / "invalid" / "credential-name-typo.yaml")
    assert main(["validate", warned, "--format", fmt]) == 0
    assert failing not in capsys.readouterr().out
    assert main(["validate", "--strict", warned, "--format", fmt]) == 1
    assert failing in capsys.readouterr().out
