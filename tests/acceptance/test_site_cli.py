from __future__ import annotations

import csv
import json
import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from support import SHIPPED_POLICY, Page, firm, policy_variant, write_yaml

from validator.cli import main
from validator.commands import site as site_command
from validator.commands.site import LOCK, MANIFEST
from validator.site_manifest import RACY_NS

AS_OF = "2026-11-25"
RECENT = {"active_on": "2026-11-20"}


@pytest.fixture
def firms(tmp_path) -> Path:
    """Three Select firms, one a person short, one invalid file: enough to see every part of the site."""
    root = tmp_path / "firms"
    for i in range(3):
        write_yaml(root / f"select-{i}.yaml", firm(firm_id=f"select-{i}", name=f"Select {i}", **RECENT))
    write_yaml(root / "short.yaml", firm(firm_id="short", name="Short", people=9, **RECENT))
    (root / "broken.yaml").write_text("schema_version: 1\nfirm: [\n", encoding="utf-8")
    return root


def build(capsys, *args: str | Path) -> tuple[int, str]:
    status = main(["site", *map(str, args), "--as-of", AS_OF, "--jobs", "1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file of the site (not the manifest or the lock) by its path inside the folder."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, LOCK)
    }


def test_the_site_has_an_index_a_page_per_firm_the_program_and_the_table_as_csv_and_json(
    firms, tmp_path, capsys
) -> None:
    site = tmp_path / "site"
    status, out = build(capsys, firms, "--out", site)
    assert status == 1  # the broken file
    assert "4 firm pages (4 rendered, 0 unchanged), 1 invalid file," in out
    assert sorted(outputs(site)) == [
        "firms.csv",
        "firms.json",
        "firms/select-0.html",
        "firms/select-1.html",
        "firms/select-2.html",
        "firms/short.html",
        "index.html",
        "program.html",
    ]
    rows = json.loads((site / "firms.json").read_text())
    assert [(r["id"], r["eligible_tier"], r["standing"]) for r in rows] == [
        (None, None, None),
        ("select-0", "select", "registered"),
        ("select-1", "select", "registered"),
        ("select-2", "select", "registered"),
        ("short", "registered", "registered"),
    ]
    assert rows[0]["file"].endswith("broken.yaml") and re.search(
        r"broken.yaml:\d+:\d+: ", rows[0]["problems"][0]
    )
    assert rows[4]["within_reach"] and rows[4]["first_gap"] == "certified people: 1 more (9 of 10)"
    table = list(csv.DictReader((site / "firms.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["id"] for r in table] == ["", "select-0", "select-1", "select-2", "short"]
    assert table[4]["certified_people"] == "9" and table[0]["problems"] == rows[0]["problems"][0]
    index = Page((site / "index.html").read_text())
    assert index.hrefs()[:4] == ["index.html", "program.html", "firms.csv", "firms.json"]
    assert "firms/short.html" in index.hrefs() and "Invalid file" in index.all_text()
    page = Page((site / "firms" / "short.html").read_text())
    assert "../index.html" in page.hrefs() and "Every day from 2025-11-26 to 2027-02-23" in page.all_text()


def test_the_same_inputs_give_the_same_bytes(firms, tmp_path, capsys) -> None:
    build(capsys, firms, "--out", tmp_path / "a")
    main(["site", str(firms), "--out", str(tmp_path / "b"), "--as-of", AS_OF, "--jobs", "2"])
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_rebuild_renders_only_what_changed_and_drops_pages_of_removed_firms(
    firms, tmp_path, capsys
) -> None:
    site = tmp_path / "site"
    build(capsys, firms, "--out", site)
    before = outputs(site)
    _, out = build(capsys, firms, "--out", site)
    assert "(0 rendered, 4 unchanged)" in out and outputs(site) == before
    write_yaml(firms / "short.yaml", firm(firm_id="short", name="Short", people=10, **RECENT))
    (firms / "select-2.yaml").unlink()
    _, out = build(capsys, firms, "--out", site)
    assert "3 firm pages (1 rendered, 2 unchanged)" in out
    after = outputs(site)
    assert (
        "firms/select-2.html" not in after and after["firms/select-0.html"] == before["firms/select-0.html"]
    )
    assert after["firms/short.html"] != before["firms/short.html"]
    assert json.loads(after["firms.json"])[-1]["eligible_tier"] == "select"
    fresh = tmp_path / "fresh"
    build(capsys, firms, "--out", fresh)
    assert outputs(fresh) == after  # incremental and full builds agree byte for byte
    _, out = build(capsys, firms, "--out", site, "--format", "json", "--exclude", "short.yaml")
    counts = json.loads(out)
    assert (counts["firms"], counts["rendered"], counts["unchanged"], counts["invalid"]) == (2, 0, 2, 1)
    assert not (site / "firms" / "short.html").exists()


def test_a_touched_but_unchanged_file_and_a_deleted_page_are_handled(firms, tmp_path, capsys) -> None:
    site = tmp_path / "site"
    build(capsys, firms, "--out", site)
    os.utime(firms / "select-0.yaml", ns=(1, 1))  # new mtime, same sha256: nothing to render
    (site / "firms" / "select-1.html").unlink()
    (site / "program.html").unlink()
    _, out = build(capsys, firms, "--out", site)
    assert "(1 rendered, 3 unchanged)" in out and (site / "firms" / "select-1.html").exists()
    assert (site / "program.html").exists()


def test_a_rebuild_after_edits_additions_renames_and_deletions_equals_a_full_build(
    firms, tmp_path, capsys
) -> None:
    """After each change the incremental site is, byte for byte, the site a fresh build writes."""
    site = tmp_path / "site"

    def same_as_fresh(step: str) -> None:
        build(capsys, firms, "--out", site)
        fresh = tmp_path / f"fresh-{step}"
        build(capsys, firms, "--out", fresh)
        assert outputs(site) == outputs(fresh), step

    same_as_fresh("first")
    write_yaml(firms / "aa-first.yaml", firm(firm_id="aa", name="AA", people=4, **RECENT))  # sorts first
    same_as_fresh("added")
    (firms / "select-1.yaml").rename(firms / "zz-select-1.yaml")  # same firm, now last
    same_as_fresh("renamed")
    write_yaml(firms / "short.yaml", firm(firm_id="select-0", name="Short", **RECENT))  # a taken id
    same_as_fresh("clash")
    write_yaml(firms / "short.yaml", firm(firm_id="short", name="Short", people=12, **RECENT))
    same_as_fresh("clash-gone")
    (firms / "broken.yaml").write_text(yaml.safe_dump(firm(firm_id="fixed", name="Fixed", **RECENT)))
    (firms / "select-0.yaml").write_text("schema_version: 1\nfirm: [\n", encoding="utf-8")
    same_as_fresh("fixed-and-broken")
    (firms / "aa-first.yaml").unlink()
    (firms / "zz-select-1.yaml").unlink()
    same_as_fresh("deleted")


def test_a_file_rewritten_with_its_size_and_mtime_is_read_again_when_its_stat_is_not_to_be_trusted(
    firms, tmp_path, capsys, monkeypatch
) -> None:
    """A new inode says the file was replaced; an mtime as recent as the build says a second write in
    the same tick could keep it: either way the file is read and its sha256 decides."""
    site = tmp_path / "site"
    old = 1_000_000_000_000_000_000  # 2001: long before the build, so the stat is trusted
    for f in firms.iterdir():
        os.utime(f, ns=(old, old))
    build(capsys, firms, "--out", site)
    target = firms / "select-0.yaml"
    text = target.read_text(encoding="utf-8")
    renamed = text.replace("Select 0", "Select Z")  # the same size
    replacement = firms / "new.tmp"
    replacement.write_text(renamed, encoding="utf-8")
    os.utime(replacement, ns=(old, old))
    replacement.replace(target)  # same size and mtime, another inode
    _, out = build(capsys, firms, "--out", site)
    assert "(1 rendered, 3 unchanged)" in out and "Select Z" in (site / "firms.json").read_text()
    now = time.time_ns()
    os.utime(target, ns=(now, now))
    # The build looks at it within the same tick, however long a busy machine takes to start it.
    monkeypatch.setattr(site_command, "time", SimpleNamespace(time_ns=lambda: now + RACY_NS // 2))
    _, out = build(capsys, firms, "--out", site)
    assert "(0 rendered, 4 unchanged)" in out
    recent = target.stat().st_mtime_ns
    target.write_text(text, encoding="utf-8")  # back, in place: same size, same inode
    os.utime(target, ns=(recent, recent))
    _, out = build(capsys, firms, "--out", site)
    assert "(1 rendered, 3 unchanged)" in out and "Select Z" not in (site / "firms.json").read_text()


def test_a_rebuild_writes_only_the_files_whose_bytes_change(firms, tmp_path, capsys) -> None:
    site = tmp_path / "site"
    build(capsys, firms, "--out", site)
    files = [p for p in site.rglob("*") if p.is_file() and p.name not in (MANIFEST, LOCK)]
    for p in files:
        os.utime(p, ns=(1, 1))
    build(capsys, firms, "--out", site)
    assert {p.stat().st_mtime_ns for p in files} == {1}  # nothing changed: nothing written
    write_yaml(firms / "short.yaml", firm(firm_id="short", name="Short", people=10, **RECENT))
    build(capsys, firms, "--out", site)
    written = sorted(str(p.relative_to(site)) for p in files if p.stat().st_mtime_ns != 1)
    assert written == ["firms.csv", "firms.json", "firms/short.html", "index.html"]


def test_json_lists_the_files_a_build_wrote_and_the_pages_it_removed(firms, tmp_path, capsys) -> None:
    site = tmp_path / "site"
    _, out = build(capsys, firms, "--out", site, "--format", "json")
    first = json.loads(out)
    assert sorted(Path(f).relative_to(site).as_posix() for f in first["written"]) == sorted(outputs(site))
    assert first["removed"] == []
    write_yaml(firms / "short.yaml", firm(firm_id="short", name="Short", people=10, **RECENT))
    (firms / "select-2.yaml").unlink()
    _, out = build(capsys, firms, "--out", site, "--format", "json")
    doc = json.loads(out)
    assert doc["written"] == [
        str(site / n) for n in ("firms/short.html", "index.html", "firms.csv", "firms.json")
    ]
    assert doc["removed"] == [str(site / "firms" / "select-2.html")]


def test_a_new_policy_or_as_of_date_renders_every_firm_again(firms, tmp_path, capsys) -> None:
    site = tmp_path / "site"
    build(capsys, firms, "--out", site)
    policy = policy_variant(
        tmp_path / "p.yaml",
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 9}"),
    )
    _, out = build(capsys, firms, "--out", site, "--policy", policy)
    assert "(4 rendered, 0 unchanged)" in out
    assert json.loads((site / "firms.json").read_text())[-1]["eligible_tier"] == "select"
    status = main(["site", str(firms), "--out", str(site), "--as-of", "2026-11-26", "--jobs", "1"])
    assert status == 1 and "(4 rendered, 0 unchanged)" in capsys.readouterr().out


def test_a_second_file_with_a_taken_firm_id_is_invalid_at_its_id(firms, tmp_path, capsys) -> None:
    write_yaml(firms / "zz-copy.yaml", firm(firm_id="select-0", name="Impostor", **RECENT))
    site = tmp_path / "site"
    status, _ = build(capsys, firms, "--out", site)
    rows = json.loads((site / "firms.json").read_text())
    assert status == 1 and rows[-1]["id"] is None
    assert re.search(
        r"zz-copy.yaml:3:3: firm id 'select-0' is already the id of .*select-0.yaml", rows[-1]["problems"][0]
    )
    assert "Impostor" not in (site / "firms" / "select-0.html").read_text()


def test_firm_text_is_escaped_and_the_pages_allow_nothing_from_outside(tmp_path, capsys) -> None:
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    data = firm(name=hostile, **RECENT)
    data["people"][0]["name"] = hostile
    write_yaml(tmp_path / "f.yaml", data)
    site = tmp_path / "site"
    build(capsys, tmp_path / "f.yaml", "--out", site)
    for name in ("index.html", "program.html", "firms/acme-consulting.html"):
        html = (site / name).read_text()
        page = Page(html)
        assert not any(t in ("img", "iframe", "link", "object") for t, _ in page.tags), name
        assert [a.get("src") for t, a in page.tags if t == "script"] in ([], [None]), name
        assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs), name
        csp = next(
            a["content"]
            for t, a in page.tags
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        )
        assert csp.startswith("default-src 'none';") and "http" not in csp and "unsafe" not in csp, name
        assert "&lt;img src=x" in html or name == "program.html"
    script = Path(__file__).resolve().parents[2] / "reports" / "templates" / "site.js"
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script.read_text())


def test_the_output_folder_inside_an_input_folder_is_not_read_as_firms(firms, capsys) -> None:
    site = firms / "site"
    build(capsys, firms, "--out", site)
    _, out = build(capsys, firms, "--out", site)
    assert "4 firm pages" in out and "1 invalid file," in out


def test_no_policy_in_effect_or_an_output_path_that_is_a_file_is_a_usage_error(
    firms, tmp_path, capsys
) -> None:
    (tmp_path / "file").write_text("x")
    assert main(["site", str(firms), "--out", str(tmp_path / "file"), "--as-of", AS_OF]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["site", str(firms), "--out", str(tmp_path / "s"), "--as-of", "2026-01-01"]) == 2
    assert "no policy is in effect on 2026-01-01" in capsys.readouterr().err


def test_the_shipped_policy_is_the_one_the_program_page_shows(firms, tmp_path, capsys) -> None:
    build(capsys, firms, "--out", tmp_path / "site")
    text = Page((tmp_path / "site" / "program.html").read_text()).all_text()
    assert SHIPPED_POLICY.name in text and "Select" in text and "The first version." in text
    assert "The trailing year: 2025-11-26 to 2026-11-25, both included." in text


def test_a_damaged_manifest_means_a_full_build_not_a_failure(firms, tmp_path, capsys) -> None:
    site = tmp_path / "site"
    build(capsys, firms, "--out", site)
    (site / MANIFEST).write_bytes(b"not a database" * 100)
    status, out = build(capsys, firms, "--out", site)
    assert status == 1 and "(4 rendered, 0 unchanged)" in out
    _, out = build(capsys, firms, "--out", site)
    assert "(0 rendered, 4 unchanged)" in out


def test_the_sites_first_gap_is_the_one_evaluate_says_to_fix_first(tmp_path, capsys) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"
    assert main(["evaluate", str(example), "--as-of", AS_OF]) == 0
    said = capsys.readouterr().out
    first = said.split("fix first:\n    - ")[1].split("\n")[0]  # "public customer stories: 1 more (2 of 3)"
    build(capsys, example, "--out", tmp_path / "site")
    [row] = json.loads((tmp_path / "site" / "firms.json").read_text())
    assert row["first_gap"] == first


def test_each_other_designation_has_its_tiers_in_the_index_the_csv_the_json_and_the_firm_page(
    tmp_path, capsys
) -> None:
    program = Path(__file__).resolve().parents[2] / "examples" / "programs" / "specializations"
    site = tmp_path / "site"
    status, _ = build(capsys, program / "firms", "--policy", program / "policy", "--out", site)
    assert status == 0
    rows = {r["id"]: r for r in json.loads((site / "firms.json").read_text())}
    assert rows["bastion-secure"]["designations"]["security"] == {
        "eligible_tier": "security-specialist",
        "standing": "security-specialist",
        "standing_since": "2026-10-01",
        "demotion_to": None,
        "demotion_on": None,
        "next_tier": None,
        "within_reach": False,
    }
    assert rows["bastion-secure"]["designations"]["data"]["next_tier"] == "data-specialist"
    table = {r["id"]: r for r in csv.DictReader((site / "firms.csv").read_text().splitlines())}
    assert table["bastion-secure"]["security_standing"] == "security-specialist"
    assert table["bastion-secure"]["data_eligible_tier"] == "none"
    index = Page((site / "index.html").read_text()).all_text()
    assert "Other designations" in index and "Firms by eligible tier in Security specialization" in index
    assert "Security specialization: Security Specialist; holds Security Specialist since 2026-10-01" in index
    page = Page((site / "firms" / "bastion-secure.html").read_text()).all_text()
    assert "Security Specialist since 2026-10-01" in page  # the pack's table, with the standing
    program = Page((site / "program.html").read_text()).all_text()
    assert "Data specialization No data specialization (not partner status)" in program
    assert "Security Specialist Requires: at least Partner in Membership" in program


def test_two_builds_into_one_folder_at_once_take_turns_and_leave_one_whole_site(
    firms, tmp_path, capsys
) -> None:
    import subprocess
    import sys

    days = ["2026-11-25", "2026-11-26"]
    for day in days:  # what each build alone writes
        main(["site", str(firms), "--out", str(tmp_path / day), "--as-of", day, "--jobs", "1"])
    capsys.readouterr()
    alone = [outputs(tmp_path / day) for day in days]
    site = tmp_path / "site"
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "validator", "site", str(firms), "--out", str(site), "--as-of", day],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for day in days
        ]
        errors = [run.communicate()[1].decode() for run in runs]
        assert [run.returncode for run in runs] == [1, 1], errors  # 1: the fixture's broken file
        assert outputs(site) in alone  # one build's site whole, never a mix
    _, out = build(capsys, firms, "--out", site, "--as-of", days[1])
    assert "firm pages (0 rendered" in out or "(4 rendered" in out  # the manifest still reads
