"""Options for every day: stdin, quiet, colour, -V, --exclude, a config file, report's defaults."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_FIRM
from support import build_firm, tiercheck, write_yaml

from validator import __version__
from validator.cli import main
from validator.config import find_config
from validator.render.colour import use_colour

ROOT = Path(__file__).resolve().parents[2]
NORTHWIND = ROOT / "examples" / "firms" / "northwind-advisory.yaml"
FABRIKAM = ROOT / "examples" / "firms" / "fabrikam-digital.json"
BROKEN = MINIMAL_FIRM.replace("live_on:", "live_date:")


def test_a_dash_reads_standard_input_named_by_stdin_filename() -> None:
    r = tiercheck("validate", "-", "--stdin-filename", "firms/contoso.yaml", input=BROKEN)
    assert r.returncode == 1
    assert r.stdout.startswith("firms/contoso.yaml:")
    assert "unknown key 'live_date'" in r.stdout


def test_standard_input_named_json_is_read_as_json() -> None:
    text = FABRIKAM.read_text()
    args = ("-", "--stdin-filename", "fabrikam.json", "--as-of", "2026-11-25", "--format", "json")
    r = tiercheck("evaluate", *args, input=text)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["file"] == "fabrikam.json"


def test_standard_input_without_a_name_is_called_stdin() -> None:
    r = tiercheck("validate", "-", input="schema_version: 1\n")
    assert r.returncode == 1 and r.stdout.startswith("<stdin>:1:1: missing required key")


def test_summary_refuses_standard_input_in_one_line() -> None:
    r = tiercheck("summary", "-", input=MINIMAL_FIRM)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "standard input" in r.stderr


def test_quiet_prints_only_what_is_wrong(write_firm, tmp_path) -> None:
    good = write_firm(MINIMAL_FIRM, "good/firm.yaml")
    bad = write_firm(BROKEN, "bad/firm.yaml")
    quiet_ok = tiercheck("validate", "-q", good)
    assert (quiet_ok.returncode, quiet_ok.stdout) == (0, "")
    quiet_bad = tiercheck("validate", "--quiet", good, bad)
    assert quiet_bad.returncode == 1
    assert quiet_bad.stdout.splitlines() and all(
        line.startswith(str(bad)) for line in quiet_bad.stdout.splitlines()
    )
    wrote = tiercheck("report", NORTHWIND, "--as-of", "2026-11-25", "--out", tmp_path / "pack", "-q")
    assert (wrote.returncode, wrote.stdout) == (0, "") and (tmp_path / "pack" / "evidence.html").is_file()


def test_evaluate_text_of_several_files_ends_with_the_totals_line_validate_prints() -> None:
    paths = (ROOT / "examples" / "firms", ROOT / "examples" / "invalid" / "typo-key.yaml")
    evaluated = tiercheck("evaluate", *paths, "--as-of", "2026-11-25")
    validated = tiercheck("validate", *paths)
    assert evaluated.returncode == validated.returncode == 1
    assert evaluated.stdout.splitlines()[-1] == validated.stdout.splitlines()[-1]
    assert validated.stdout.splitlines()[-1] == "3 files checked: 1 invalid, 1 problem"


def test_evaluate_text_of_one_file_is_its_evaluation_without_a_totals_line() -> None:
    r = tiercheck("evaluate", NORTHWIND, "--as-of", "2026-11-25")
    assert r.returncode == 0 and "checked" not in r.stdout.splitlines()[-1]


def test_quiet_leaves_out_the_totals_of_evaluate_and_policy_check(write_firm) -> None:
    bad = write_firm(BROKEN, "bad/firm.yaml")
    evaluated = tiercheck("evaluate", "-q", NORTHWIND, bad, "--as-of", "2026-11-25")
    assert evaluated.returncode == 1 and "checked" not in evaluated.stdout
    assert evaluated.stdout.splitlines()[-1].startswith(str(bad))
    assert tiercheck("policy", "check", "-q").stdout == ""
    assert tiercheck("policy", "check").stdout.endswith(": ok\n")


def test_quiet_summary_still_prints_the_summary_it_is_asked_for(write_firm) -> None:
    assert tiercheck("summary", "-q", NORTHWIND, "--as-of", "2026-11-25").stdout == (
        tiercheck("summary", NORTHWIND, "--as-of", "2026-11-25").stdout
    )


def test_color_always_paints_locations_and_never_does_not(write_firm) -> None:
    bad = write_firm(BROKEN)
    painted = tiercheck("validate", bad, "--color", "always").stdout
    assert painted.startswith(f"\033[1m{bad}:") and "\033[31m" in painted
    assert "\033[" not in tiercheck("validate", bad, "--color", "never").stdout
    assert "\033[" not in tiercheck("validate", bad).stdout  # auto: not a terminal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_colour_is_on_for_a_terminal_unless_no_color_is_set() -> None:
    assert use_colour("auto", Terminal(), {}) is True
    assert use_colour("auto", Terminal(), {"NO_COLOR": "1"}) is False
    assert use_colour("auto", io.StringIO(), {}) is False
    assert use_colour("always", io.StringIO(), {"NO_COLOR": "1"}) is True
    assert use_colour("never", Terminal(), {}) is False


def test_dash_v_prints_the_version() -> None:
    r = tiercheck("-V")
    assert (r.returncode, r.stdout) == (0, f"tiercheck {__version__}\n")


def repo_with_other_files(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "firms").mkdir(parents=True)
    shutil.copy(NORTHWIND, repo / "firms" / "northwind.yaml")
    (repo / "mkdocs.yml").write_text("site_name: docs\n")
    (repo / "package.json").write_text('{"name": "site"}\n')
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "broken.yaml").write_text("schema_version: 2\n")
    return repo


def test_exclude_leaves_out_files_by_name_and_folders_by_path(tmp_path) -> None:
    repo = repo_with_other_files(tmp_path)
    r = tiercheck("validate", ".", "--exclude", "mkdocs.yml", "--exclude", "*.json", "--exclude", "fixtures",
                  cwd=repo)  # fmt: skip
    assert (r.returncode, r.stdout) == (0, "1 file checked: all valid\n"), r.stdout
    everything = tiercheck("validate", ".", cwd=repo)
    assert everything.returncode == 1 and "4 files checked: 3 invalid" in everything.stdout


OTHERS = ("--exclude", "mkdocs.yml", "--exclude", "*.json")


@pytest.mark.parametrize(
    "glob", ["fixtures/*", "./fixtures/*", "fixtures/broken.yaml", "./firms/../fixtures/*"]
)
@pytest.mark.parametrize("given", [".", "./", "../repo", "{repo}"])
def test_an_exclude_path_matches_whether_or_not_it_or_the_path_starts_with_dot_slash(
    tmp_path, monkeypatch, capsys, glob, given
) -> None:
    repo = repo_with_other_files(tmp_path)
    monkeypatch.chdir(repo)
    assert main(["validate", given.format(repo=repo), "--exclude", glob, *OTHERS]) == 0, capsys.readouterr()
    assert capsys.readouterr().out == "1 file checked: all valid\n"


def test_an_exclude_path_on_the_command_line_is_from_the_current_folder(
    tmp_path, monkeypatch, capsys
) -> None:
    repo = repo_with_other_files(tmp_path)
    monkeypatch.chdir(repo / "firms")
    assert main(["validate", "../fixtures", "--exclude", "fixtures/*"]) == 1  # ./fixtures/ is not there
    capsys.readouterr()
    assert main(["validate", "..", "--exclude", "../fixtures/*", *OTHERS]) == 0


def test_a_config_files_exclude_path_is_from_its_folder_wherever_tiercheck_runs(
    tmp_path, monkeypatch, capsys
) -> None:
    repo = repo_with_other_files(tmp_path)
    (repo / ".git").mkdir()
    (repo / "pyproject.toml").write_text('[tool.tiercheck]\nexclude = ["./fixtures/*"]\n')
    monkeypatch.chdir(repo / "fixtures")
    assert main(["validate", ".", "../firms"]) == 2  # the only file here is left out
    assert "no *.yaml, *.yml or *.json files in this directory that --exclude leaves" in (
        capsys.readouterr().err
    )
    monkeypatch.chdir(repo / "firms")
    assert main(["validate", "..", *OTHERS]) == 0


def test_a_dot_tiercheck_toml_sets_exclude_and_the_default_format(tmp_path) -> None:
    repo = repo_with_other_files(tmp_path)
    (repo / ".tiercheck.toml").write_text(
        'exclude = ["mkdocs.yml", "package.json", "fixtures/*"]\nformat = "json"\n'
    )
    r = tiercheck("validate", ".", cwd=repo)
    assert r.returncode == 0, r.stdout
    assert [f["file"] for f in json.loads(r.stdout)["files"]] == ["./firms/northwind.yaml"]
    text = tiercheck("validate", ".", "--format", "text", cwd=repo)
    assert text.stdout == "1 file checked: all valid\n"
    summary = tiercheck("summary", ".", "--as-of", "2026-11-25", cwd=repo)
    assert json.loads(summary.stdout)["files"] == 1
    (repo / ".tiercheck.toml").write_text('format = "sarif"\n')
    assert tiercheck("summary", "firms", "--as-of", "2026-11-25", cwd=repo).stdout.startswith(
        "1 firm file as of"
    )


def test_pyproject_tool_tiercheck_sets_the_policy_relative_to_itself(tmp_path) -> None:
    repo = repo_with_other_files(tmp_path)
    (repo / "policy").mkdir()
    policy = (ROOT / "policy" / "cpn-services-2026-03-01.yaml").read_text()
    (repo / "policy" / "p.yaml").write_text(policy.replace("at_least: 10}", "at_least: 30}", 1))
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.tiercheck]\npolicy = "policy/p.yaml"\n'
    )
    (repo / "sub").mkdir()
    r = tiercheck(
        "evaluate", "../firms/northwind.yaml", "--as-of", "2026-11-25", "--format", "json", cwd=repo / "sub"
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["eligible_tier"] == "registered"  # 29 certified people: short of 30


def test_the_policys_own_files_in_a_walked_folder_are_not_read_as_firm_files(tmp_path) -> None:
    repo = repo_with_other_files(tmp_path)
    (repo / "policy").mkdir()
    shutil.copy(ROOT / "policy" / "cpn-services-2026-03-01.yaml", repo / "policy")
    (repo / ".tiercheck.toml").write_text(
        'policy = "policy/"\nexclude = ["mkdocs.yml", "package.json", "fixtures/*"]\n'
    )
    r = tiercheck("validate", ".", "--format", "json", cwd=repo)
    assert r.returncode == 0, r.stdout
    assert [f["file"] for f in json.loads(r.stdout)["files"]] == ["./firms/northwind.yaml"]
    (repo / ".tiercheck.toml").write_text('exclude = ["mkdocs.yml", "package.json", "fixtures/*"]\n')
    named = tiercheck("validate", ".", "--policy", "policy/cpn-services-2026-03-01.yaml", cwd=repo)
    assert named.stdout == "1 file checked: all valid\n"
    unnamed = tiercheck("validate", ".", cwd=repo)  # with no policy named, it is a file like any other
    assert unnamed.returncode == 1 and "policy/cpn-services-2026-03-01.yaml:" in unnamed.stdout


def test_policy_check_without_a_path_checks_the_configured_policy(tmp_path) -> None:
    (tmp_path / "p.yaml").write_text(
        (ROOT / "policy" / "cpn-services-2026-03-01.yaml")
        .read_text()
        .replace("at_risk_days: 90", "at_risk_days: x")
    )
    (tmp_path / ".tiercheck.toml").write_text('policy = "p.yaml"\n')
    r = tiercheck("policy", "check", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.startswith(f"{tmp_path / 'p.yaml'}:17:")
    bundled = tiercheck("policy", "check", cwd=tmp_path.parent)
    assert bundled.returncode == 0 and bundled.stdout.startswith(
        "bundled policy cpn-services-2026-03-01.yaml:"
    )


def test_a_config_file_with_an_unknown_setting_is_a_one_line_usage_error(tmp_path) -> None:
    (tmp_path / ".tiercheck.toml").write_text('exclued = ["x"]\n')
    r = tiercheck("validate", NORTHWIND, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert r.stderr == (
        f"tiercheck: {tmp_path / '.tiercheck.toml'}:1:1: unknown setting 'exclued'; "
        "did you mean 'exclude'? tiercheck reads policy, exclude, format, jobs\n"
    )
    (tmp_path / ".tiercheck.toml").write_text("exclude = [\n")
    r = tiercheck("validate", NORTHWIND, cwd=tmp_path)
    assert r.returncode == 2 and ".tiercheck.toml:1:12: cannot read it as TOML" in r.stderr


def refused(tmp_path: Path, monkeypatch, capsys, name: str, text: str, *command: str) -> str:
    """The one line `command` (validate NORTHWIND) prints on stderr, exiting 2, in a folder whose config
    file `name` holds `text`."""
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main([*(command or ("validate", str(NORTHWIND)))]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    return err.removeprefix(f"tiercheck: {tmp_path}{os.sep}")


@pytest.mark.parametrize("command", ["validate", "evaluate", "summary", "report"])
def test_an_unknown_format_in_the_config_file_is_refused_at_its_line_and_column(
    tmp_path, monkeypatch, capsys, command
) -> None:
    args = [command, str(NORTHWIND)] + (["--out", str(tmp_path / "pack")] if command == "report" else [])
    err = refused(tmp_path, monkeypatch, capsys, ".tiercheck.toml", 'format = "jsno"\n', *args)
    assert err.startswith(
        ".tiercheck.toml:1:10: unknown format 'jsno'; did you mean 'json'? one of auto, text,"
    )


def test_a_format_some_command_offers_is_the_default_of_those_and_auto_is_a_format(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tiercheck.toml").write_text('format = "html"\n')
    assert main(["validate", str(NORTHWIND)]) == 0
    assert capsys.readouterr().out == "1 file checked: all valid\n"
    (tmp_path / ".tiercheck.toml").write_text('format = "auto"\n')
    assert main(["validate", str(NORTHWIND)]) == 0
    assert capsys.readouterr().out == "1 file checked: all valid\n"


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        (".tiercheck.toml", "format = 3\n", ".tiercheck.toml:1:10: unknown format 3 (not a name); one of"),
        (
            ".tiercheck.toml",
            'policy = ""\n',
            '.tiercheck.toml:1:10: policy is a path, e.g. policy = "policy/"',
        ),
        (
            ".tiercheck.toml",
            '# mine\n  "policy" = "nope/"',
            ".tiercheck.toml:2:14: policy 'nope/': no such file",
        ),
        (".tiercheck.toml", 'exclude = "x"\n', ".tiercheck.toml:1:11: exclude is a list of globs"),
        (
            ".tiercheck.toml",
            "jobs = 0\n",
            ".tiercheck.toml:1:8: jobs is a whole number of processes, at least 1",
        ),
        (".tiercheck.toml", 'jobs = "2"\n', ".tiercheck.toml:1:8: jobs is a whole number of processes"),
        (".tiercheck.toml", "jobs = true\n", ".tiercheck.toml:1:8: jobs is a whole number of processes"),
        (".tiercheck.toml", 'x = "\\q"\n', ".tiercheck.toml:1:8: cannot read it as TOML (Unescaped"),
        (
            "pyproject.toml",
            '[tool.tiercheck]\nformat = "json"\nthreads = 2\n',
            "pyproject.toml:3:1: unknown setting 'threads'",
        ),
        (
            "pyproject.toml",
            "[tool.x]\n[tool.tiercheck]\nexclude = [1]\n",
            "pyproject.toml:3:11: exclude is a list",
        ),
        (
            "pyproject.toml",
            'tool.tiercheck.format = "x"\n',
            "pyproject.toml [tool.tiercheck]: unknown format 'x'",
        ),
    ],
)
def test_a_bad_setting_is_refused_at_the_line_of_its_key(
    tmp_path, monkeypatch, capsys, name, text, said
) -> None:
    assert refused(tmp_path, monkeypatch, capsys, name, text).startswith(said)


def test_report_defaults_as_of_to_today(tmp_path) -> None:
    r = tiercheck("report", NORTHWIND, "--out", tmp_path, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "evidence.json").read_text())["as_of"] == date.today().isoformat()


def test_report_of_a_folder_writes_a_pack_per_firm_and_skips_the_invalid_one(tmp_path) -> None:
    firms = tmp_path / "firms"
    firms.mkdir()
    shutil.copy(NORTHWIND, firms / "a.yaml")
    shutil.copy(FABRIKAM, firms / "b.json")
    (firms / "c.yaml").write_text(BROKEN)
    r = tiercheck("report", firms, "--as-of", "2026-11-25", "--out", tmp_path / "packs", "--format", "json")
    assert r.returncode == 1
    packs = json.loads(r.stdout)["packs"]
    assert [Path(p["out"]).name for p in packs] == ["northwind-advisory", "fabrikam-digital"]
    assert (tmp_path / "packs" / "fabrikam-digital" / "evidence.html").is_file()
    assert f"{firms / 'c.yaml'}: invalid, so no evidence pack was written" in r.stderr


def test_the_readmes_config_examples_work_as_dot_tiercheck_toml_and_in_pyproject(tmp_path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    dot, project = (b for b in blocks if "mkdocs.yml" in b)
    assert "[tool.tiercheck]" not in dot and project.startswith("[tool.tiercheck]\n")
    for name, text in ((".tiercheck.toml", dot), ("pyproject.toml", project)):
        folder = tmp_path / name
        (folder / "policy").mkdir(parents=True)
        (folder / name).write_text(text)
        config = find_config(folder, ("github",))
        assert (config.policy, config.exclude, config.format, config.jobs) == (
            str(folder / "policy/"),
            ("mkdocs.yml", str(folder / "fixtures/*")),
            "github",
            2,
        )


def test_the_config_files_jobs_start_that_many_workers_unless_jobs_is_given(
    tmp_path, monkeypatch, capsys, pools
) -> None:
    for i in range(64):  # enough files for workers
        write_yaml(tmp_path / f"firm-{i:02}.yaml", build_firm(people=i % 12, firm_id=f"firm-{i:02}"))
    (tmp_path / ".tiercheck.toml").write_text("jobs = 3\n")
    monkeypatch.chdir(tmp_path)
    for command, given in (("evaluate", []), ("summary", []), ("summary", ["--jobs", "2"])):
        assert main([command, ".", "--as-of", "2026-11-25", "--format", "json", "-q", *given]) == 0
    assert pools == [3, 3, 2]
