"""validate's output formats, from results built by hand."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from validator.problem import Problem
from validator.reporters import REPORTERS
from validator.validate import Checked

BAD = Checked("firms/a,b.yaml", [Problem("firms/a,b.yaml", 3, 5, "50% done:\nnot quite", "$.x", "schema")])
GOOD = Checked("firms/ok.yaml", [], {"schema_version": 1})
TWO = Checked(
    "firms/two.yaml",
    [
        Problem("firms/two.yaml", 4, 3, "'X' is not a valid slug", "$.firm.id", "schema"),
        Problem(
            "firms/two.yaml", 12, 5, "customer 'c-x' is not listed", "$.deployments[0]", "unknown-reference"
        ),
    ],
)
TYPO = "credential 'claude-certified-architec' is not one the policy knows"
WARNED = Checked(
    "firms/warned.yaml",
    [],
    {"schema_version": 1},
    warnings=(Problem("firms/warned.yaml", 9, 9, TYPO, "$.people[0]", "unknown-credential", "warning"),),
)
BOTH = TWO._replace(
    warnings=(Problem("firms/two.yaml", 7, 9, TYPO, "$.people[0]", "unknown-credential", "warning"),)
)


def report(fmt: str, *results: Checked, strict: bool = False) -> str:
    out = io.StringIO()
    reporter = REPORTERS[fmt](out, strict=strict)
    for r in results:
        reporter.file(r)
    reporter.end()
    return out.getvalue()


def test_validate_offers_text_json_and_github() -> None:
    assert {"text", "json", "github"} <= set(REPORTERS)


# text


def test_text_is_file_line_column_message_one_a_line_then_a_summary() -> None:
    lines = report("text", TWO, GOOD).splitlines()
    assert lines == [
        "firms/two.yaml:4:3: 'X' is not a valid slug",
        "firms/two.yaml:12:5: customer 'c-x' is not listed",
        "2 files checked: 1 invalid, 2 problems",
    ]


def test_text_keeps_the_input_order_of_files() -> None:
    lines = report("text", TWO, BAD).splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        "firms/two.yaml",
        "firms/two.yaml",
        "firms/a,b.yaml",
    ]


def test_text_starts_a_multi_line_message_with_its_location() -> None:
    lines = report("text", BAD, GOOD).splitlines()
    assert lines[0] == "firms/a,b.yaml:3:5: 50% done:"
    assert lines[-1] == "2 files checked: 1 invalid, 1 problem"


@pytest.mark.parametrize(
    "results,summary",
    [
        ((GOOD,), "1 file checked: all valid"),
        ((GOOD, GOOD), "2 files checked: all valid"),
        ((BAD,), "1 file checked: 1 invalid, 1 problem"),
        ((TWO, BAD, GOOD), "3 files checked: 2 invalid, 3 problems"),
    ],
)
def test_text_summary_counts_files_invalid_files_and_problems(results, summary: str) -> None:
    assert report("text", *results).splitlines()[-1] == summary


def test_text_for_valid_files_is_only_the_summary() -> None:
    assert report("text", GOOD) == "1 file checked: all valid\n"


def test_text_prints_a_files_warnings_with_its_problems_in_line_order_before_the_totals() -> None:
    assert report("text", BOTH, WARNED, GOOD).splitlines() == [
        "firms/two.yaml:4:3: 'X' is not a valid slug",
        f"firms/two.yaml:7:9: warning: {TYPO}",
        "firms/two.yaml:12:5: customer 'c-x' is not listed",
        f"firms/warned.yaml:9:9: warning: {TYPO}",
        "3 files checked: 1 invalid, 2 problems, 2 warnings",
    ]


def test_text_a_file_with_only_a_warning_is_still_valid() -> None:
    assert report("text", WARNED).splitlines()[-1] == "1 file checked: all valid, 1 warning"


# --strict: a warning fails the run, and every format that says pass or fail says so


def test_strict_text_totals_say_the_warnings_fail_the_run() -> None:
    assert report("text", WARNED, strict=True).splitlines() == [
        f"firms/warned.yaml:9:9: warning: {TYPO}",
        "1 file checked: all valid, 1 warning (--strict: failing)",
    ]
    assert report("text", GOOD, strict=True) == "1 file checked: all valid\n"


def test_strict_github_annotates_a_warning_as_an_error_and_says_failing() -> None:
    assert report("github", WARNED, strict=True).splitlines() == [
        f"::error file=firms/warned.yaml,line=9,col=9,title=tiercheck unknown-credential::{TYPO}",
        "1 file checked: all valid, 1 warning (--strict: failing)",
    ]


def test_strict_sarif_gives_a_warning_the_level_error() -> None:
    levels = [r["level"] for r in json.loads(report("sarif", BOTH, strict=True))["runs"][0]["results"]]
    assert levels == ["error", "error", "error"]
    assert [r["level"] for r in json.loads(report("sarif", BOTH))["runs"][0]["results"]] == [
        "error",
        "warning",
        "error",
    ]


def junit_cases(xml: str) -> list[tuple[str | None, str | None, str | None]]:
    """(name, failure message, system-out) of each test case."""
    root = ET.fromstring(xml)
    return [
        (c.get("name"), c.find("failure").get("message") if c.find("failure") is not None else None,
         c.findtext("system-out"))
        for c in root.iter("testcase")
    ]  # fmt: skip


def test_strict_junit_fails_a_case_with_only_a_warning() -> None:
    xml = report("junit", WARNED, GOOD, strict=True)
    assert ET.fromstring(xml).get("failures") == "1"
    assert junit_cases(xml) == [
        ("firms/warned.yaml", f"1 warning(s) (--strict: failing); first: {TYPO}", None),
        ("firms/ok.yaml", None, None),
    ]
    assert f"firms/warned.yaml:9:9: warning: {TYPO}\n" in xml


def test_junit_without_strict_passes_a_warned_case_keeping_the_warning_in_its_output() -> None:
    xml = report("junit", WARNED)
    assert ET.fromstring(xml).get("failures") == "0"
    assert junit_cases(xml) == [("firms/warned.yaml", None, f"firms/warned.yaml:9:9: warning: {TYPO}\n")]


def test_strict_junit_counts_a_files_problems_and_warnings_apart() -> None:
    assert junit_cases(report("junit", BOTH, strict=True))[0][1] == (
        "2 problem(s), 1 warning(s) (--strict: failing); first: 'X' is not a valid slug"
    )


# json


def test_json_lists_every_file_with_its_problems_and_a_summary() -> None:
    doc = json.loads(report("json", BAD, GOOD, TWO))
    assert doc["summary"] == {"files": 3, "invalid": 2, "problems": 3, "warnings": 0}
    assert [f["file"] for f in doc["files"]] == ["firms/a,b.yaml", "firms/ok.yaml", "firms/two.yaml"]
    assert doc["files"][0] == {
        "file": "firms/a,b.yaml",
        "valid": False,
        "problems": [
            {
                "line": 3,
                "col": 5,
                "path": "$.x",
                "code": "schema",
                "severity": "error",
                "message": "50% done:\nnot quite",
            }
        ],
        "warnings": [],
    }
    assert doc["files"][1] == {"file": "firms/ok.yaml", "valid": True, "problems": [], "warnings": []}
    assert [p["code"] for p in doc["files"][2]["problems"]] == ["schema", "unknown-reference"]


def test_json_is_one_document_even_with_no_problems() -> None:
    doc = json.loads(report("json", GOOD))
    assert doc == {
        "files": [{"file": "firms/ok.yaml", "valid": True, "problems": [], "warnings": []}],
        "summary": {"files": 1, "invalid": 0, "problems": 0, "warnings": 0},
    }


def test_json_carries_warnings_apart_from_problems_each_with_its_severity() -> None:
    doc = json.loads(report("json", BOTH, WARNED))
    assert doc["summary"] == {"files": 2, "invalid": 1, "problems": 2, "warnings": 2}
    assert [(f["valid"], len(f["problems"]), len(f["warnings"])) for f in doc["files"]] == [
        (False, 2, 1),
        (True, 0, 1),
    ]
    assert {p["severity"] for p in doc["files"][0]["problems"]} == {"error"}
    assert doc["files"][1]["warnings"] == [
        {
            "line": 9,
            "col": 9,
            "path": "$.people[0]",
            "code": "unknown-credential",
            "severity": "warning",
            "message": TYPO,
        }
    ]


# github


def test_github_annotates_each_problem_with_file_line_col_and_title() -> None:
    lines = report("github", TWO).splitlines()
    assert lines[:2] == [
        "::error file=firms/two.yaml,line=4,col=3,title=tiercheck schema::'X' is not a valid slug",
        "::error file=firms/two.yaml,line=12,col=5,title=tiercheck unknown-reference::"
        "customer 'c-x' is not listed",
    ]


def test_github_annotates_a_warning_as_a_warning_in_line_order_with_the_errors() -> None:
    assert report("github", BOTH).splitlines()[:3] == [
        "::error file=firms/two.yaml,line=4,col=3,title=tiercheck schema::'X' is not a valid slug",
        f"::warning file=firms/two.yaml,line=7,col=9,title=tiercheck unknown-credential::{TYPO}",
        "::error file=firms/two.yaml,line=12,col=5,title=tiercheck unknown-reference::"
        "customer 'c-x' is not listed",
    ]


def test_github_escapes_percent_newline_comma_and_colon_in_properties() -> None:
    odd = "a%b,c:d\ne\rf.yaml"
    result = Checked(odd, [Problem(odd, 1, 2, "m", "$", "schema")])
    first = report("github", result).splitlines()[0]
    assert first.startswith("::error file=a%25b%2Cc%3Ad%0Ae%0Df.yaml,line=1,col=2,")


def test_github_escapes_percent_and_line_breaks_in_the_message() -> None:
    first = report("github", BAD).splitlines()[0]
    assert (
        first == "::error file=firms/a%2Cb.yaml,line=3,col=5,title=tiercheck schema::50%25 done:%0Anot quite"
    )


def test_github_leaves_commas_and_colons_in_the_message_alone() -> None:
    result = Checked("f.yaml", [Problem("f.yaml", 1, 1, "a, b: c\r\nd", "$", "schema")])
    first = report("github", result).splitlines()[0]
    assert first.endswith("::a, b: c%0D%0Ad")


def test_github_output_has_one_annotation_per_problem_and_no_stray_lines() -> None:
    out = report("github", BAD, TWO, GOOD)
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 3
    # A message's own line break must never start a line that GitHub would read as a new command.
    assert all(re.match(r"::error file=[^,]+,line=\d+,col=\d+,title=[^:]+::", a) for a in annotations)
