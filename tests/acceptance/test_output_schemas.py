"""Every machine-readable output against its schema: ours in schemas/, the SARIF 2.1.0 one, JUnit's."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from support import SHIPPED_POLICY, tiercheck

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
VALID = EXAMPLES / "firms" / "northwind-advisory.yaml"
INVALID = EXAMPLES / "invalid" / "typo-key.yaml"
AS_OF = ("--as-of", "2026-11-25")


def schema(name: str) -> Draft202012Validator:
    doc = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(doc)
    return Draft202012Validator(doc, format_checker=FormatChecker())


def output(*args: str | Path, status: int, cwd: Path | None = None) -> str:
    r = tiercheck(*args, cwd=cwd)
    assert r.returncode == status, r.stderr
    return r.stdout


def assert_valid(validator: Any, doc: Any) -> None:
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize(
    ("args", "status"),
    [((VALID,), 0), ((INVALID,), 1), ((EXAMPLES,), 1)],
    ids=["one-valid", "one-invalid", "folder"],
)
def test_validate_json_matches_the_validation_schema(args, status) -> None:
    doc = json.loads(output("validate", *args, "--format", "json", status=status))
    assert_valid(schema("validation"), doc)


def test_policy_check_json_matches_the_validation_schema_valid_or_not(tmp_path) -> None:
    ok = json.loads(output("policy", "check", "--format", "json", status=0))
    assert_valid(schema("validation"), ok)
    assert ok["versions"][0]["id"] == "cpn-services" and ok["summary"]["invalid"] == 0
    bad = tmp_path / "policy.yaml"
    bad.write_text(SHIPPED_POLICY.read_text().replace("at_least: 10", "at_least: ten", 1))
    broken = json.loads(output("policy", "check", bad, "--format", "json", status=1))
    assert_valid(schema("validation"), broken)
    assert broken["files"][0]["file"] == str(bad) and broken["files"][0]["problems"][0]["line"] > 1


@pytest.mark.parametrize(
    ("args", "status"),
    [((VALID,), 0), ((INVALID,), 1), ((VALID, INVALID, EXAMPLES / "firms"), 1)],
    ids=["one-valid", "one-invalid", "several"],
)
def test_evaluate_json_and_each_jsonl_line_match_the_evaluation_schema(args, status) -> None:
    validator = schema("evaluation")
    assert_valid(validator, json.loads(output("evaluate", *args, *AS_OF, "--format", "json", status=status)))
    for line in output("evaluate", *args, *AS_OF, "--format", "jsonl", status=status).splitlines():
        assert_valid(validator, json.loads(line))


def test_evaluate_json_carries_a_valid_files_warnings_as_the_evaluation_schema_says() -> None:
    warned = EXAMPLES / "invalid" / "credential-name-typo.yaml"
    doc = json.loads(output("evaluate", warned, *AS_OF, "--format", "json", status=0))
    assert_valid(schema("evaluation"), doc)
    assert [(w["line"], w["col"], w["severity"]) for w in doc["warnings"]] == [(12, 9, "warning")]
    several = json.loads(output("evaluate", warned, INVALID, *AS_OF, "--format", "json", status=1))
    assert_valid(schema("evaluation"), several)
    assert [len(f["warnings"]) for f in several["files"]] == [1, 0]


def test_summary_json_matches_the_summary_schema() -> None:
    doc = json.loads(output("summary", EXAMPLES, *AS_OF, "--format", "json", status=1))
    assert_valid(schema("summary"), doc)
    assert doc["invalid"][0]["problems"][0]["message"]


def test_policy_diff_json_matches_the_diff_schema(tmp_path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(SHIPPED_POLICY.read_text().replace("at_least: 10}", "at_least: 12}", 1))
    doc = json.loads(
        output(
            "policy",
            "diff",
            SHIPPED_POLICY,
            new,
            "--firms",
            EXAMPLES / "firms",  # the services firms; examples/programs/ holds other programs' firms
            EXAMPLES / "invalid",
            *AS_OF,
            "--format",
            "json",
            status=1,
        )
    )
    assert_valid(schema("diff"), doc)
    assert doc["impact"]["moved"] == 1 and doc["impact"]["invalid"]


def test_policy_diff_json_with_a_renamed_tier_matches_the_diff_schema(tmp_path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(SHIPPED_POLICY.read_text().replace("  - id: select\n", "  - id: silver\n"))
    args = ("policy", "diff", SHIPPED_POLICY, new, "--firms", EXAMPLES / "firms", *AS_OF, "--format", "json")
    doc = json.loads(output(*args, status=0))
    assert_valid(schema("diff"), doc)
    assert doc["impact"]["moved"] == 0 and doc["impact"]["renamed"]


def test_report_json_matches_the_report_schema(tmp_path) -> None:
    doc = json.loads(
        output("report", VALID, *AS_OF, "--out", tmp_path / "pack", "--format", "json", status=0)
    )
    assert_valid(schema("report"), doc)
    assert all(Path(p).is_file() for p in doc["packs"][0]["written"])


def test_site_json_matches_the_site_schema(tmp_path) -> None:
    site = tmp_path / "site"
    doc = json.loads(output("site", EXAMPLES, *AS_OF, "--out", site, "--format", "json", status=1))
    assert_valid(schema("site"), doc)
    assert doc["written"] and all(Path(p).is_file() for p in doc["written"])


def sarif_schema() -> Draft4Validator:
    doc = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())
    return Draft4Validator(doc)


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_sarif_is_valid_sarif_2_1_0_with_a_located_result_per_problem(command) -> None:
    dates = AS_OF if command == "evaluate" else ()
    doc = json.loads(output(command, "examples", *dates, "--format", "sarif", status=1, cwd=ROOT))
    assert_valid(sarif_schema(), doc)
    problems = json.loads(output("validate", "examples", "--format", "json", status=1, cwd=ROOT))
    expected = [
        (f["file"], p["line"], p["col"], p["message"])
        for f in problems["files"]
        for p in [*f["problems"], *f["warnings"]]
    ]
    found = []
    for r in doc["runs"][0]["results"]:
        if r["level"] == "note":  # evaluate's tier of a valid firm: see the test below
            continue
        where = r["locations"][0]["physicalLocation"]
        region = where["region"]
        found.append(
            (
                where["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                r["message"]["text"],
            )
        )
    assert sorted(found) == sorted(expected)


def test_sarif_of_all_valid_files_has_no_results() -> None:
    doc = json.loads(output("validate", VALID, "--format", "sarif", status=0))
    assert_valid(sarif_schema(), doc)
    assert doc["runs"][0]["results"] == []


def test_sarif_of_evaluate_has_a_note_per_valid_firm_with_its_tier() -> None:
    warned = EXAMPLES / "invalid" / "credential-name-typo.yaml"
    doc = json.loads(output("evaluate", VALID, warned, INVALID, *AS_OF, "--format", "sarif", status=1))
    assert_valid(sarif_schema(), doc)
    run = doc["runs"][0]
    notes = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
        for r in run["results"]
        if r["level"] == "note"
    ]
    assert notes == [
        (VALID.as_uri(), "Northwind Advisory: eligible for Select as of 2026-11-25"),
        (warned.as_uri(), "Contoso Partners: eligible for Registered as of 2026-11-25"),
    ]
    assert {r["level"] for r in run["results"]} == {"note", "warning", "error"}
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_junit_has_a_case_per_file_failing_with_its_problems(command) -> None:
    dates = AS_OF if command == "evaluate" else ()
    xml = output(command, VALID, INVALID, *dates, "--format", "junit", status=1)
    root = ET.fromstring(xml)
    assert root.tag == "testsuites" and (root.get("tests"), root.get("failures")) == ("2", "1")
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == f"tiercheck {command}"
    ok, bad = suite.findall("testcase")
    assert ok.get("name") == str(VALID) and ok.find("failure") is None
    failure = bad.find("failure")
    assert bad.get("file") == str(INVALID) and failure is not None
    assert f"{INVALID}:18:5: unknown key 'live_date'" in (failure.text or "")
    if command == "evaluate":
        assert "eligible for Select" in (ok.findtext("system-out") or "")


def test_format_auto_is_github_annotations_inside_github_actions_and_text_outside() -> None:
    import os

    inside = tiercheck("validate", INVALID, env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert inside.returncode == 1
    assert inside.stdout.startswith(f"::error file={INVALID},line=18,col=5,title=tiercheck ")
    outside = tiercheck("validate", INVALID)
    assert outside.stdout.startswith(f"{INVALID}:18:5: ")


def test_evaluate_in_github_format_annotates_problems_and_notes_each_firms_tier() -> None:
    out = output("evaluate", VALID, INVALID, *AS_OF, "--format", "github", status=1)
    assert f"::notice file={VALID}::Northwind Advisory: eligible for Select as of 2026-11-25\n" in out
    assert f"::error file={INVALID},line=18,col=5," in out


def test_summary_markdown_is_a_tier_table_with_the_shortlists_and_invalid_files() -> None:
    out = output("summary", EXAMPLES / "firms", INVALID, *AS_OF, "--format", "markdown", status=1)
    assert out.startswith("## Firms as of 2026-11-25 under cpn-services 2026.1\n")
    assert "| Select | 2 | 1 | 100.0% |" in out
    assert "Within reach" not in out  # both Select firms are far from Preferred's requirements
    assert f"- `{INVALID}:18:5: unknown key 'live_date'" in out
