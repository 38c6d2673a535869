from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from support import Page, firm, tiercheck, write_yaml

from validator.cli import main


@pytest.fixture(scope="module")
def firms(tmp_path_factory) -> object:
    """80 firms with a known distribution as of 2026-11-25 (enough to use the process pool)."""
    root = tmp_path_factory.mktemp("firms")
    recent = {"active_on": "2026-11-20"}
    for i in range(40):  # Select: everything counts
        write_yaml(root / f"select-{i:02}.yaml", firm(firm_id=f"select-{i:02}", **recent))
    for i in range(30):  # Registered, one person short of Select
        write_yaml(root / f"short-{i:02}.yaml", firm(firm_id=f"short-{i:02}", people=9, **recent))
    for i in range(9):  # Registered, far from Select
        write_yaml(
            root / f"far-{i:02}.yaml", firm(firm_id=f"far-{i:02}", people=1, customers=0, stories=0, **recent)
        )
    # Select standing since the cohort review, but stale by the December look: facing demotion.
    write_yaml(root / "stale.yaml", firm(firm_id="stale", joined_on="2026-06-10", active_on="2026-09-15"))
    return root


def test_summary_counts_every_tier_and_ranks_the_closest_firms_first(firms) -> None:
    r = tiercheck("summary", str(firms), "--as-of", "2026-11-25", "--format", "json", "--jobs", "2")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    eligible = {d["tier"]: d["eligible"] for d in doc["distribution"]}
    assert eligible == {"registered": 39, "select": 41, "preferred": 0, "global-premier": 0}
    assert (doc["files"], doc["valid"], doc["invalid_count"]) == (80, 80, 0)
    reach = doc["within_reach"]
    assert [r["firm"] for r in reach[:30]] == [f"short-{i:02}" for i in range(30)]
    assert reach[0]["gap"] == "certified people: 1 more (9 of 10)"
    assert doc["within_reach_count"] == 30  # not the far ones, nor Select firms far from Preferred


def test_summary_names_firms_facing_demotion_at_the_next_look(firms) -> None:
    r = tiercheck("summary", str(firms), "--as-of", "2026-11-25", "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["facing_demotion_count"] == 1
    assert doc["facing_demotion"][0] | {"file": None} == {
        "file": None,
        "firm": "stale",
        "name": "Acme Consulting",
        "standing": "Select",
        "to": "Registered",
        "on": "2027-03-31",
    }


def test_summary_gives_the_same_answer_on_one_core_and_on_all(firms) -> None:
    one = tiercheck("summary", str(firms), "--as-of", "2026-11-25", "--format", "json", "--jobs", "1")
    many = tiercheck("summary", str(firms), "--as-of", "2026-11-25", "--format", "json", "--jobs", "2")
    assert one.stdout == many.stdout


def test_summary_lists_invalid_files_with_their_first_problem_and_exits_1(tmp_path) -> None:
    write_yaml(tmp_path / "good.yaml", firm())
    (tmp_path / "bad.yaml").write_text(
        "schema_version: 1\nfirm:\n  id: Bad Id\n  name: x\n  joined_on: 2026-01-01\n"
    )
    r = tiercheck("summary", str(tmp_path), "--as-of", "2026-11-25")
    assert r.returncode == 1
    assert "bad.yaml:3:3: 'Bad Id' is not a valid slug" in r.stdout
    assert "Traceback" not in r.stderr


def test_summary_html_is_self_contained_and_escapes_firm_names(tmp_path) -> None:
    hostile = '<script>alert("x")</script> & Co'
    write_yaml(tmp_path / "hostile.yaml", firm(name=hostile, people=9))
    r = tiercheck("summary", str(tmp_path), "--as-of", "2026-11-25", "--format", "html")
    assert r.returncode == 0, r.stderr
    page = Page(r.stdout)
    tags = {t for t, _ in page.tags}
    assert "script" not in tags
    assert hostile in page.all_text()
    assert "http" not in r.stdout.replace("https://", "")  # no external resource of any kind
    assert {"table", "caption", "th", "h1", "h2"} <= tags


def test_summary_and_site_list_the_same_firms_within_reach(tmp_path, capsys) -> None:
    recent = {"active_on": "2026-11-20"}
    write_yaml(tmp_path / "in" / "short.yaml", firm(firm_id="short", people=9, **recent))  # 9 of Select's 10
    write_yaml(tmp_path / "in" / "far.yaml", firm(firm_id="far", people=1, **recent))  # 1 of 10
    write_yaml(tmp_path / "in" / "select.yaml", firm(firm_id="select", **recent))  # far from Preferred
    args = [str(tmp_path / "in"), "--as-of", "2026-11-25", "--jobs", "1"]
    assert main(["summary", *args, "--format", "json"]) == 0
    summarised = [f["firm"] for f in json.loads(capsys.readouterr().out)["within_reach"]]
    assert main(["site", *args, "--out", str(tmp_path / "site"), "-q"]) == 0
    rows = json.loads((tmp_path / "site" / "firms.json").read_text())
    assert summarised == [r["id"] for r in rows if r["within_reach"]] == ["short"]


def _tier_tables(program: str, count: int) -> list[str]:
    """The tier tables `summary` prints for an example program's firms: the first ladder's, then others'."""
    from pathlib import Path

    at = Path(__file__).resolve().parents[2] / "examples" / "programs" / program
    args = ("--policy", at / "policy", "--as-of", "2026-11-25", "--format", "text")
    return tiercheck("summary", at / "firms", *args).stdout.split("\n\n")[1 : 1 + count]


def test_the_tier_tables_columns_line_up_past_a_long_tier_label() -> None:
    [table] = _tier_tables("points", 1)  # "Solutions Partner" is longer than the usual column
    rows = table.splitlines()
    assert len({len(row) for row in rows}) == 1, table  # the numbers end in one column
    assert all("  " in row.strip() for row in rows), table  # a label never touches its number
    ladders = _tier_tables("specializations", 3)[1:]
    assert len({len(t.splitlines()[0]) for t in ladders}) == 1, ladders  # the designations share a width


def test_summary_json_gives_firms_not_yet_joined_a_null_tier_in_every_distribution() -> None:
    # the data specialization has a real tier of id "none": the row of firms not yet joined must not
    # look like it, at the top level or in a designation
    program = EXAMPLES / "programs" / "specializations"
    args = ("--policy", program / "policy", "--as-of", "2026-03-02", "--format", "json")
    doc = json.loads(tiercheck("summary", program / "firms", *args).stdout)
    for distribution in [doc["distribution"]] + [d["distribution"] for d in doc["designations"]]:
        assert [d["tier"] for d in distribution if d["label"] == "Not yet joined"] == [None]
    data = next(d for d in doc["designations"] if d["id"] == "data")
    assert [d["tier"] for d in data["distribution"]] == ["none", "data-specialist", None]
