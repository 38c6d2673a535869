"""The command line as CI jobs and scripts call it: exit status, formats, many files at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SHIPPED_POLICY, firm, policy_variant, tiercheck, write_yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NORTHWIND = EXAMPLES / "firms" / "northwind-advisory.yaml"
BROKEN = EXAMPLES / "invalid" / "typo-key.yaml"


def test_validate_exits_0_when_every_file_is_valid() -> None:
    r = tiercheck("validate", str(NORTHWIND))
    assert (r.returncode, r.stdout, r.stderr) == (0, "1 file checked: all valid\n", "")


def test_validate_exits_1_and_still_reports_the_other_files() -> None:
    r = tiercheck("validate", str(BROKEN), str(EXAMPLES / "invalid" / "bad-slug.yaml"), str(NORTHWIND))
    assert r.returncode == 1
    assert f"{BROKEN}:18:5: unknown key 'live_date'" in r.stdout
    assert "bad-slug.yaml:4:3:" in r.stdout
    assert r.stdout.splitlines()[-1] == "3 files checked: 2 invalid, 3 problems"


@pytest.mark.parametrize(
    "args,message",
    [
        (["validate", "no-such-file.yaml"], "no-such-file.yaml: no such file or directory"),
        (["validate"], "the following arguments are required: PATH"),
        (["evaluate", str(NORTHWIND), "--as-of", "2026-02-30"], "'2026-02-30' is not a calendar date"),
        (["evaluate", str(NORTHWIND), "--as-of", "2025-01-01"], "no policy is in effect on 2025-01-01"),
        (["evaluate", str(NORTHWIND), "--policy", "nope/"], "the policy is invalid"),
        (["frobnicate"], "invalid choice"),
    ],
    ids=["missing-path", "no-path", "bad-date", "before-the-program", "missing-policy", "unknown-command"],
)
def test_the_tool_exits_2_with_a_one_line_reason_when_it_cannot_do_its_job(args, message) -> None:
    r = tiercheck(*args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_a_directory_is_searched_for_yaml_and_json_and_hidden_folders_are_skipped(tmp_path) -> None:
    write_yaml(tmp_path / "a.yaml", firm(firm_id="a"))
    (tmp_path / "nested").mkdir()
    write_yaml(tmp_path / "nested" / "b.yml", firm(firm_id="b"))
    (tmp_path / "nested" / "c.json").write_text(json.dumps(firm(firm_id="c")))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "broken.yaml").write_text("{{{")
    (tmp_path / "notes.txt").write_text("not a firm")
    r = tiercheck("validate", str(tmp_path), "--format", "json")
    assert r.returncode == 0, r.stdout
    assert [Path(f["file"]).name for f in json.loads(r.stdout)["files"]] == ["a.yaml", "b.yml", "c.json"]


def test_an_empty_directory_is_a_usage_error(tmp_path) -> None:
    r = tiercheck("validate", str(tmp_path))
    assert r.returncode == 2 and "no *.yaml, *.yml or *.json files" in r.stderr


def test_github_format_annotates_the_offending_line() -> None:
    r = tiercheck("validate", "--format", "github", str(BROKEN))
    assert r.stdout.startswith(f"::error file={BROKEN},line=16,col=5,title=tiercheck missing-live-on::")
    assert f"::error file={BROKEN},line=18,col=5,title=tiercheck schema::unknown key 'live_date'" in r.stdout


def test_no_invalid_example_produces_a_traceback() -> None:
    r = tiercheck("evaluate", str(EXAMPLES / "invalid"), "--format", "jsonl", "--as-of", "2026-11-25")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert all("errors" in json.loads(line) for line in r.stdout.splitlines())


def test_evaluate_json_has_the_fields_scripts_rely_on() -> None:
    r = tiercheck("evaluate", str(NORTHWIND), "--as-of", "2026-11-25", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["file"] == str(NORTHWIND)
    assert doc["firm"] | {"joined_on": None} == {
        "id": "northwind-advisory",
        "name": "Northwind Advisory",
        "joined_on": None,
    }
    assert doc["as_of"] == "2026-11-25" and doc["eligible_tier"] == "select"
    assert {"id": "cpn-services", "version": "2026.1"}.items() <= doc["policy"].items()
    assert len(doc["policy"]["sha256"]) == 64 and len(doc["file_sha256"]) == 64
    values = {k: v["value"] for k, v in doc["metrics"].items()}
    assert values == {
        "certified_people": 29,
        "customers_in_production": 3,
        "production_regions": 2,
        "public_stories": 2,
        "joint_business_plan": 0,
    }
    excluded = {o["id"]: o["reason"] for o in doc["metrics"]["certified_people"]["excluded"]}
    assert excluded == {
        "p-marcus": "left-firm",
        "p-lars": "inactive",
        "p-mei": "no-current-credential",
        "p-pedro": "no-current-credential",
        "p-zofia": "no-current-credential",
    }
    assert doc["standing"] == {"tier": "select", "since": "2026-10-01"}
    assert doc["next_review"]["on"] == "2026-12-31" and doc["pending_demotion"] is None


def test_evaluate_jsonl_is_one_object_a_line_in_input_order_and_goes_on_past_a_bad_file(tmp_path) -> None:
    files = [write_yaml(tmp_path / f"{i}.yaml", firm(firm_id=f"firm-{i}")) for i in range(3)]
    r = tiercheck(
        "evaluate", str(files[2]), str(BROKEN), str(files[0]), "--format", "jsonl", "--as-of", "2026-11-25"
    )
    assert r.returncode == 1
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d.get("firm", {}).get("id") for d in docs] == ["firm-2", None, "firm-0"]
    assert docs[1]["errors"][0]["line"] == 16


def test_a_date_before_the_firm_joined_gives_no_tier(tmp_path) -> None:
    path = write_yaml(tmp_path / "late.yaml", firm(joined_on="2026-10-01"))
    doc = json.loads(tiercheck("evaluate", str(path), "--as-of", "2026-09-30", "--format", "json").stdout)
    assert doc["eligible_tier"] is None and doc["standing"] is None


def test_another_policy_changes_the_result_with_no_code_change(tmp_path) -> None:
    path = write_yaml(tmp_path / "ten.yaml", firm(people=10, active_on="2026-11-20"))
    raised = policy_variant(
        tmp_path / "raised.yaml",
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"),
    )
    shipped = json.loads(tiercheck("evaluate", str(path), "--as-of", "2026-11-25", "--format", "json").stdout)
    other = json.loads(
        tiercheck(
            "evaluate", str(path), "--as-of", "2026-11-25", "--format", "json", "--policy", str(raised)
        ).stdout
    )
    assert (shipped["eligible_tier"], other["eligible_tier"]) == ("select", "registered")


def test_policy_check_accepts_the_bundled_policy_and_refuses_a_broken_one(tmp_path) -> None:
    ok = tiercheck("policy", "check")
    assert ok.returncode == 0 and "cpn-services 2026.1, in effect from 2026-03-01: ok" in ok.stdout
    broken = policy_variant(tmp_path / "broken.yaml", ("window: activity", "window: activty"))
    r = tiercheck("policy", "check", str(broken))
    assert r.returncode == 1
    assert "unknown window 'activty'; declared: activity, trailing_year" in r.stdout
    assert r.stdout.startswith(f"{broken}:")
    missing = tiercheck("policy", "check", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2


@pytest.mark.parametrize(
    "old,new,message",
    [
        (
            "{metric: certified_people, at_least: 10}",
            "{metric: certified_persons, at_least: 10}",
            "unknown metric 'certified_persons'",
        ),
        (
            "    from: customers_in_production",
            "    from: public_stories",
            "metric 'public_stories' must be declared before 'production_regions' uses it",
        ),
        ("test: is_true", "test: is_truthy", "'is_truthy' is not one of"),
        ("        reason: anonymous\n", "", "missing required key 'reason'"),
        ("at_risk_days: 90", "at_risk_days: 90\nat_risk_days: 30", "duplicate key 'at_risk_days'"),
    ],
    ids=["unknown-metric", "metric-used-before-declared", "unknown-test", "missing-reason", "duplicate-key"],
)
def test_policy_problems_are_located(tmp_path, old, new, message) -> None:
    broken = policy_variant(tmp_path / "p.yaml", (old, new))
    r = tiercheck("policy", "check", str(broken))
    assert r.returncode == 1
    line = next(row for row in r.stdout.splitlines() if message in row)
    assert line.startswith(f"{broken}:") and int(line.split(":")[1]) > 1


def test_two_versions_taking_effect_on_the_same_day_are_refused(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(SHIPPED_POLICY.read_text())
    (tmp_path / "b.yaml").write_text(
        SHIPPED_POLICY.read_text().replace('version: "2026.1"', 'version: "2026.2"')
    )
    r = tiercheck("policy", "check", str(tmp_path))
    assert r.returncode == 1 and "takes effect on 2026-03-01, as" in r.stdout
