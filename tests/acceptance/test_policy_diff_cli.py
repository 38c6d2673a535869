from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES
from support import SHIPPED_POLICY, firm, policy_variant, tiercheck, write_yaml


def test_policy_diff_reports_which_firms_move_and_how_many_per_move(tmp_path) -> None:
    new = policy_variant(
        tmp_path / "new.yaml",
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"),
    )
    firms = tmp_path / "firms"
    firms.mkdir()
    write_yaml(firms / "ten.yaml", firm(firm_id="ten", people=10))
    write_yaml(firms / "ten-too.yaml", firm(firm_id="ten-too", people=10))
    write_yaml(firms / "twenty.yaml", firm(firm_id="twenty", people=20))
    r = tiercheck(
        "policy",
        "diff",
        str(SHIPPED_POLICY),
        str(new),
        "--firms",
        str(firms),
        "--as-of",
        "2026-11-25",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["changes"] == ["tier 'select': certified_people at least 10 -> 12"]
    impact = doc["impact"]
    assert (impact["firms"], impact["moved"], impact["up"], impact["down"]) == (3, 2, 0, 2)
    assert impact["counts"] == [{"from": "select", "to": "registered", "firms": 2}]
    assert sorted(m["firm"] for m in impact["moves"]) == ["ten", "ten-too"]


def test_policy_diff_markdown_has_a_table_of_moves(tmp_path) -> None:
    new = policy_variant(
        tmp_path / "new.yaml",
        ("{metric: public_stories, at_least: 1}", "{metric: public_stories, at_least: 2}"),
    )
    write_yaml(tmp_path / "one.yaml", firm(firm_id="one-story"))
    r = tiercheck(
        "policy",
        "diff",
        str(SHIPPED_POLICY),
        str(new),
        "--firms",
        str(tmp_path / "one.yaml"),
        "--as-of",
        "2026-11-25",
        "--format",
        "markdown",
    )
    assert r.returncode == 0, r.stderr
    assert "| select | registered | 1 |" in r.stdout
    assert "| one-story |" in r.stdout


def test_policy_diff_lists_invalid_firm_files_and_exits_1(tmp_path) -> None:
    (tmp_path / "broken.yaml").write_text("schema_version: 1\nfirm: {id: x}\n")
    r = tiercheck(
        "policy", "diff", str(SHIPPED_POLICY), str(SHIPPED_POLICY), "--firms", str(tmp_path / "broken.yaml")
    )
    assert r.returncode == 1
    assert "broken.yaml:2:" in r.stdout
    assert "Traceback" not in r.stderr


def test_policy_diff_of_a_missing_file_is_a_usage_error(tmp_path) -> None:
    r = tiercheck("policy", "diff", str(SHIPPED_POLICY), str(tmp_path / "nope.yaml"))
    assert r.returncode == 2
    assert "no such file" in r.stderr


def test_policy_diff_knows_a_region_either_version_lists_and_refuses_one_neither_does(tmp_path) -> None:
    new = policy_variant(
        tmp_path / "new.yaml", ("  apac: Asia Pacific\n", "  apac: Asia Pacific\n  latam: LatAm\n")
    )
    latam = write_yaml(tmp_path / "firms" / "latam.yaml", firm(firm_id="latam", regions=("emea", "latam")))
    mars = write_yaml(tmp_path / "firms" / "mars.yaml", firm(firm_id="mars", regions=("emea", "mars")))
    args = ("policy", "diff", str(SHIPPED_POLICY), str(new), "--as-of", "2026-11-25", "--format", "json")
    r = tiercheck(*args, "--firms", str(latam))
    assert r.returncode == 0, r.stdout + r.stderr
    r = tiercheck(*args, "--firms", str(mars))
    assert r.returncode == 1 and "unknown region 'mars'" in r.stdout


def test_a_calendar_change_moves_standing_where_eligibility_does_not_move(tmp_path) -> None:
    # quarterly looks: a firm eligible only for Registered since 2027-02-18 is demoted on 2027-06-29
    new = policy_variant(
        tmp_path / "quarterly.yaml", ('on: "12-31"', 'on: ["03-31", "06-30", "09-30", "12-31"]')
    )
    firms = tmp_path / "firms"
    firms.mkdir()
    lapsed = firm(firm_id="lapsed", active_on="2026-11-20", activity=("2026-09-15",), issued_on="2026-09-01")
    write_yaml(firms / "lapsed.yaml", lapsed)
    write_yaml(firms / "steady.yaml", firm(firm_id="steady", active_on="2027-06-20", issued_on="2027-01-01"))
    args = ["policy", "diff", str(SHIPPED_POLICY), str(new), "--firms", str(firms), "--as-of", "2027-07-01"]
    r = tiercheck(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    impact = json.loads(r.stdout)["impact"]
    assert json.loads(r.stdout)["changes"] == ["demotion look day: 12-31 -> 03-31, 06-30, 09-30, 12-31"]
    assert impact["moved"] == 0  # the same data, the same eligible tier on the day
    assert impact["standing"] == {
        "moved": 1,
        "up": 0,
        "down": 1,
        "moves": [
            {
                "file": str(firms / "lapsed.yaml"),
                "firm": "lapsed",
                "from": "select",
                "to": "registered",
                "direction": "down",
            }
        ],
        "renamed": [],
    }
    text = tiercheck(*args).stdout
    assert "standing as of 2027-07-01: 1 moved (0 up, 1 down)\n  down" in text


def _impact(old: Path, new: Path, *firms: Path, fmt: str = "json") -> str:
    args = ("policy", "diff", old, new, "--firms", *firms, "--as-of", "2026-11-25", "--format", fmt)
    r = tiercheck(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_a_renamed_tier_moves_no_firm_and_says_it_keeps_its_place(tmp_path) -> None:
    new = policy_variant(tmp_path / "new.yaml", ("  - id: select\n", "  - id: silver\n"))
    ten = write_yaml(
        tmp_path / "ten.yaml", firm(firm_id="ten", standing={"tier": "select", "since": "2026-07-01"})
    )
    doc = json.loads(_impact(SHIPPED_POLICY, new, ten))
    assert doc["changes"] == ["tier 'select' renamed 'silver' (the same place on the ladder)"]
    impact = doc["impact"]
    assert (impact["moved"], impact["up"], impact["down"], impact["moves"], impact["counts"]) == (
        0,
        0,
        0,
        [],
        [],
    )
    renamed = [{"file": str(ten), "firm": "ten", "from": "select", "to": "silver"}]
    assert impact["renamed"] == renamed
    assert (impact["standing"]["moved"], impact["standing"]["renamed"]) == (0, renamed)
    text = _impact(SHIPPED_POLICY, new, ten, fmt="text")
    assert "1 evaluated, 0 moved (0 up, 0 down), 1 keeps its place in a renamed tier, 0 invalid" in text
    assert f"  same {ten} (ten): select -> silver (renamed: the same place on the ladder)" in text
    assert "| ten | " in _impact(SHIPPED_POLICY, new, ten, fmt="markdown")


def test_the_bottom_tiers_of_two_programs_are_the_same_place_not_a_move_up() -> None:
    specializations = EXAMPLES / "programs" / "specializations"
    willow = specializations / "firms" / "willow-studio.yaml"  # Registered in the one, Member in the other
    impact = json.loads(_impact(SHIPPED_POLICY, specializations / "policy", willow))["impact"]
    assert (impact["moved"], impact["up"]) == (0, 0)
    assert [(m["from"], m["to"]) for m in impact["renamed"]] == [("registered", "member")]


def test_a_firm_on_a_dropped_tier_that_lands_below_it_moves_down(tmp_path) -> None:
    text = SHIPPED_POLICY.read_text(encoding="utf-8")
    select = "  - id: select\n" + text.split("  - id: select\n")[1].split("  - id: preferred\n")[0]
    new = policy_variant(tmp_path / "new.yaml", (select, ""))
    ten = write_yaml(tmp_path / "ten.yaml", firm(firm_id="ten"))
    impact = json.loads(_impact(SHIPPED_POLICY, new, ten))["impact"]
    assert [(m["from"], m["to"], m["direction"]) for m in impact["moves"]] == [
        ("select", "registered", "down")
    ]
