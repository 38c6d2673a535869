from __future__ import annotations

import json
import subprocess
from pathlib import Path

from support import tiercheck

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"
PACK = ("evidence.html", "evidence.md", "evidence.json")


def report(out: Path, *extra: str, firm: Path = EXAMPLE) -> subprocess.CompletedProcess[str]:
    return tiercheck("report", str(firm), "--as-of", "2026-11-25", "--out", str(out), *extra)


def snapshot(folder: Path) -> dict[str, bytes]:
    """The pack as a reader sees it (the hidden .pack store behind the links left out)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def test_report_writes_the_three_files_of_the_pack(tmp_path) -> None:
    r = report(tmp_path / "pack")
    assert r.returncode == 0, r.stderr
    assert sorted(snapshot(tmp_path / "pack")) == sorted(PACK)
    doc = json.loads((tmp_path / "pack" / "evidence.json").read_text())
    assert doc["firm"]["id"] == "northwind-advisory" and doc["eligible_tier"] == "select"
    html = (tmp_path / "pack" / "evidence.html").read_text()
    assert "Ada Park" in html and "left the firm on 2026-10-15" in html


def test_a_second_run_gives_byte_identical_files(tmp_path) -> None:
    report(tmp_path / "a")
    report(tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_an_invalid_firm_file_leaves_an_existing_pack_untouched(tmp_path) -> None:
    out = tmp_path / "pack"
    report(out)
    before = snapshot(out)
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("live_on: 2026-05-01", "live_date: 2026-05-01", 1))
    r = report(out, firm=bad)
    assert r.returncode == 1
    assert "unknown key 'live_date'" in r.stderr and "no evidence pack was written" in r.stderr
    assert snapshot(out) == before


def test_a_template_that_fails_to_render_leaves_the_pack_as_it_was_and_no_temporary_files(tmp_path) -> None:
    out = tmp_path / "pack"
    report(out)
    before = snapshot(out)
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "evidence.md.j2").write_text("{{ no_such_value }}\n")
    r = report(out, "--templates", str(broken))
    assert r.returncode == 2
    assert r.stderr == (
        f"tiercheck: {broken / 'evidence.md.j2'}:1: a template failed: 'no_such_value' is undefined; "
        "no evidence pack was written\n"
    )
    assert snapshot(out) == before


def test_own_templates_override_one_file_and_the_bundled_ones_fill_in_the_rest(tmp_path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "evidence.md.j2").write_text("# {{ firm.name }} (our own branding)\n")
    r = report(tmp_path / "pack", "--templates", str(mine))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "pack" / "evidence.md").read_text() == "# Northwind Advisory (our own branding)\n"
    assert "<h1>Northwind Advisory</h1>" in (tmp_path / "pack" / "evidence.html").read_text()


def test_source_date_epoch_puts_a_generation_time_in_the_pack(tmp_path) -> None:
    import os

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
    r = tiercheck("report", str(EXAMPLE), "--as-of", "2026-11-25", "--out", str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr
    assert "2026-09-21 14:13 UTC" in (tmp_path / "evidence.md").read_text()


def test_report_of_a_missing_file_is_a_usage_error(tmp_path) -> None:
    r = report(tmp_path / "pack", firm=tmp_path / "nope.yaml")
    assert r.returncode == 2 and "no such file" in r.stderr
    assert not (tmp_path / "pack").exists()


def test_evaluate_prints_the_packs_markdown_for_a_job_summary(tmp_path) -> None:
    r = tiercheck("evaluate", str(EXAMPLE), "--as-of", "2026-11-25", "--format", "markdown")
    assert r.returncode == 0, r.stderr
    report(tmp_path)
    assert r.stdout == (tmp_path / "evidence.md").read_text()
    assert r.stdout.startswith("## Evidence pack: Northwind Advisory as of 2026-11-25")


def test_evaluate_markdown_reports_an_invalid_file_as_a_list_and_goes_on(tmp_path) -> None:
    bad = tmp_path / "bad_firm.yaml"
    bad.write_text(EXAMPLE.read_text().replace("live_on: 2026-05-01", "live_date: 2026-05-01", 1))
    r = tiercheck("evaluate", str(bad), str(EXAMPLE), "--as-of", "2026-11-25", "--format", "markdown")
    assert r.returncode == 1
    head, _, rest = r.stdout.partition("## Evidence pack: Northwind Advisory as of 2026-11-25")
    assert head.startswith(f"## {str(bad).replace('_', chr(92) + '_')}: invalid, not evaluated\n\n- ")
    assert "unknown key 'live\\_date'" in head and "| Ada Park |" in rest


def test_a_template_reaching_for_python_internals_fails_clearly_and_runs_nothing(tmp_path, capsys) -> None:
    from validator.cli import main

    mine, marker = tmp_path / "templates", tmp_path / "ran"
    mine.mkdir()
    (mine / "evidence.md.j2").write_text(
        "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}\n"
    )
    args = ["report", str(EXAMPLE), "--as-of", "2026-11-25", "--out", str(tmp_path / "pack")]
    assert main([*args, "--templates", str(mine)]) == 2
    err = capsys.readouterr().err
    assert "a template failed" in err and "unsafe" in err and len(err.strip().splitlines()) == 1
    assert not marker.exists() and not (tmp_path / "pack" / "evidence.md").exists()


SPECIALIZATIONS = Path(__file__).resolve().parents[2] / "examples" / "programs" / "specializations"


def benefits_said(tmp_path: Path, capsys, firm: Path) -> tuple[str, str]:
    """What the Markdown and the HTML pack say under their Benefits heading."""
    from support import Page

    from validator.cli import main

    out = tmp_path / firm.stem
    args = ["report", str(firm), "--policy", str(SPECIALIZATIONS / "policy"), "--as-of", "2026-11-25"]
    assert main([*args, "--out", str(out)]) == 0
    capsys.readouterr()
    md = (out / "evidence.md").read_text().split("### Benefits", 1)[1].split("\n#", 1)[0]
    html = Page((out / "evidence.html").read_text()).all_text().split("Benefits", 1)[1]
    return md, html


def test_a_tier_with_no_benefits_is_said_to_list_none_and_only_a_firm_not_joined_is_told_it_has_not(
    tmp_path, capsys
) -> None:
    md, html = benefits_said(tmp_path, capsys, SPECIALIZATIONS / "firms" / "willow-studio.yaml")
    for said in (md, html):
        assert "No benefits are listed for Member." in said and "before the firm joins" not in said
    late = tmp_path / "late.yaml"
    text = (SPECIALIZATIONS / "firms" / "willow-studio.yaml").read_text()
    late.write_text(text.replace("joined_on: 2026-03-10", "joined_on: 2026-11-26"))
    md, html = benefits_said(tmp_path, capsys, late)
    for said in (md, html):
        assert "None before the firm joins." in said and "No benefits are listed" not in said


def test_a_template_failing_in_a_partial_it_includes_names_the_partial_and_its_line(tmp_path, capsys) -> None:
    from validator.cli import main

    mine = tmp_path / "templates"
    (mine / "parts").mkdir(parents=True)
    (mine / "evidence.md.j2").write_text("# {{ firm.name }}\n{% include 'parts/people.j2' %}\n")
    (mine / "parts" / "people.j2").write_text("People:\n\n{{ peeple }}\n")
    args = ["report", str(EXAMPLE), "--as-of", "2026-11-25", "--out", str(tmp_path / "pack")]
    assert main([*args, "--templates", str(mine)]) == 2
    assert capsys.readouterr().err == (
        f"tiercheck: {mine / 'parts' / 'people.j2'}:3: a template failed: 'peeple' is undefined; "
        "no evidence pack was written\n"
    )


def test_a_file_in_templates_the_pack_never_reads_is_a_warning_naming_it(tmp_path, capsys) -> None:
    from validator.cli import main

    mine = tmp_path / "templates"
    (mine / "parts").mkdir(parents=True)
    (mine / "evidnce.md.j2").write_text("# ours\n")
    (mine / "evidence.html.j2").write_text("<h1>{{ firm.name }}</h1>{% include 'parts/foot.j2' %}\n")
    (mine / "parts" / "foot.j2").write_text("<footer>ours</footer>\n")
    (mine / ".DS_Store").write_text("")
    args = ["report", str(EXAMPLE), "--as-of", "2026-11-25", "--out", str(tmp_path / "pack"), "-q"]
    assert main([*args, "--templates", str(mine)]) == 0
    assert capsys.readouterr().err == (
        f"tiercheck: warning: {mine / 'evidnce.md.j2'}: not a template the evidence pack uses, so it is "
        "left unused; did you mean 'evidence.md.j2'? a pack's are evidence.html.j2, evidence.md.j2, "
        "evidence.css\n"
    )
    assert (
        tmp_path / "pack" / "evidence.html"
    ).read_text() == "<h1>Northwind Advisory</h1><footer>ours</footer>\n"
    assert (tmp_path / "pack" / "evidence.md").read_text().startswith("## Evidence pack: Northwind Advisory")
