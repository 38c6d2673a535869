"""What the user or the system got wrong is one line on stderr, exit 2, with what to try instead."""

from __future__ import annotations

import gc
import os
import signal
import time
from pathlib import Path

import pytest
from support import SHIPPED_POLICY, tiercheck

import validator.commands.evaluate as evaluate_command
import validator.commands.validate as validate_command
from validator.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"


def one_line_error(*args: str | Path) -> str:
    r = tiercheck(*args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("tiercheck"), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    return r.stderr.strip()


def test_report_out_naming_an_existing_file_says_out_is_a_folder(tmp_path) -> None:
    taken = tmp_path / "pack.html"
    taken.write_text("mine")
    said = one_line_error("report", EXAMPLE, "--as-of", "2026-11-25", "--out", taken)
    assert (
        said == f"tiercheck: {taken}: is a file, not a folder; --out names the folder to write the pack into"
    )
    assert taken.read_text() == "mine"


@pytest.mark.parametrize(("command", "what"), [("report", "pack"), ("site", "site")])
@pytest.mark.parametrize("where", ["/proc/x", "a-file/x"], ids=["cannot-create", "under-a-file"])
def test_out_where_nothing_can_be_written_says_to_choose_another_folder(
    command, what, where, tmp_path, capsys
) -> None:
    (tmp_path / "a-file").write_text("mine")
    out = where if where.startswith("/") else str(tmp_path / where)
    assert main([command, str(EXAMPLE), "--as-of", "2026-11-25", "--out", out]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"tiercheck: {out}: cannot write the {what} here (") and said.count("\n") == 1
    assert said.endswith("choose a folder you can write to with --out DIR\n")
    assert (tmp_path / "a-file").read_text() == "mine"


def test_policy_diff_with_firms_before_old_and_new_shows_the_order_to_use(tmp_path) -> None:
    said = one_line_error("policy", "diff", "--firms", tmp_path, SHIPPED_POLICY, SHIPPED_POLICY)
    assert said.endswith("tiercheck policy diff OLD NEW --firms PATH...")


@pytest.mark.parametrize(
    "args",
    [("validate",), ("validate", "x.yaml", "--format", "xml"), ("evaluate", "x", "--as-of", "2026-02-30")],
    ids=["missing-path", "unknown-format", "impossible-date"],
)
def test_a_usage_mistake_is_one_line_pointing_at_help(args) -> None:
    said = one_line_error(*args)
    assert said.endswith(f"(see 'tiercheck {args[0]} --help')")


def test_an_internal_error_is_one_line_that_names_traceback(monkeypatch, tmp_path) -> None:
    def broken(*_: object, **__: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(validate_command, "validate", broken)
    r = tiercheck("validate", EXAMPLE)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "internal error: ZeroDivisionError: division by zero" in r.stderr
    assert "--traceback" in r.stderr and "Traceback" not in r.stderr
    shown = tiercheck("validate", EXAMPLE, "--traceback")
    assert shown.returncode == 2
    assert shown.stderr.startswith("Traceback (most recent call last):")
    assert "in broken" in shown.stderr


ROOT = EXAMPLE.parents[2]


@pytest.mark.parametrize(
    ("args", "command", "extra"),
    [
        (["report", "a.yaml", "b.json", "--out", "d"], "report", "b.json"),
        (["policy", "check", "a.yaml", "b.yaml"], "policy check", "b.yaml"),
        (["validate", str(EXAMPLE), "--bogus"], "validate", "--bogus"),
    ],
)
def test_an_extra_argument_names_the_commands_own_usage(capsys, args, command, extra) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        f"tiercheck {command}: unrecognized arguments: {extra} (see 'tiercheck {command} --help')\n"
    )


@pytest.mark.parametrize("command", ["summary", "site"])
@pytest.mark.parametrize("jobs", ["0", "-1", "x"])
def test_jobs_below_one_is_refused_as_a_limit_below_one_is(capsys, tmp_path, command, jobs) -> None:
    out = ["--out", str(tmp_path / "site")] if command == "site" else []
    with pytest.raises(SystemExit) as stopped:
        main([command, str(EXAMPLE), *out, "--jobs", jobs])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        f"tiercheck {command}: argument --jobs: {jobs!r} is not a whole number of at least 1 "
        f"(see 'tiercheck {command} --help')\n"
    )
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_stdin_filename_without_a_dash_path_is_refused_naming_the_dash(capsys, command) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([command, str(EXAMPLE), "--stdin-filename", "firm.yaml"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        f"tiercheck {command}: argument --stdin-filename: it names standard input, which is read only "
        f"for a PATH of - (tiercheck {command} - --stdin-filename firm.yaml) "
        f"(see 'tiercheck {command} --help')\n"
    )


@pytest.mark.parametrize("command", ["validate", "evaluate", "summary"])
def test_a_missing_policy_path_is_one_line_no_such_file(capsys, command) -> None:
    assert main([command, str(EXAMPLE), "--policy", "nope/"]) == 2
    assert capsys.readouterr().err == "tiercheck: nope/: no such file or directory\n"


def test_policy_check_without_a_path_names_the_bundled_policy_by_its_file_name(capsys) -> None:
    assert main(["policy", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bundled policy cpn-services-2026-03-01.yaml: cpn-services ")
    assert "site-packages" not in out and "/" not in out


def test_policy_check_of_a_folder_of_programs_is_usage_naming_the_folders_with_policies(capsys) -> None:
    programs = ROOT / "examples" / "programs"
    assert main(["policy", "check", str(programs)]) == 2
    assert capsys.readouterr().err == (
        f"tiercheck: {programs}: no policy files (*.yaml, *.yml, *.json) directly in this folder; "
        f"policy files are in {programs / 'levels' / 'policy'}, {programs / 'points' / 'policy'}, "
        f"{programs / 'specializations' / 'policy'}: name one of those\n"
    )


def test_policy_check_of_a_folder_without_policies_anywhere_is_usage(tmp_path, capsys) -> None:
    (tmp_path / "firms").mkdir()
    (tmp_path / "firms" / "a.yaml").write_text("schema_version: 1\n")
    assert main(["policy", "check", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"tiercheck: {tmp_path}: no policy files (*.yaml, *.yml, *.json) directly in this folder\n"
    )


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_sigterm_ends_any_command_with_143_and_one_line(command, monkeypatch, capsys) -> None:
    def killed(*_: object, **__: object) -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
        return 0

    module = validate_command if command == "validate" else evaluate_command
    monkeypatch.setattr(module, command, killed)
    before = signal.getsignal(signal.SIGTERM)
    assert main([command, str(EXAMPLE)]) == 143
    assert capsys.readouterr().err == "tiercheck: terminated\n"
    assert signal.getsignal(signal.SIGTERM) == before  # in-process callers get their handler back


def test_a_run_collects_garbage_less_often_and_gives_in_process_callers_their_thresholds_back(
    monkeypatch,
) -> None:
    during: list[tuple[int, int, int]] = []

    def validate(*_: object, **__: object) -> int:
        during.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(validate_command, "validate", validate)
    before = gc.get_threshold()
    assert main(["validate", str(EXAMPLE)]) == 0
    assert during[0][0] >= 50 * before[0]  # a pass per 50,000 objects made, not per 700
    assert during[0][1:] == before[1:]
    assert gc.get_threshold() == before
