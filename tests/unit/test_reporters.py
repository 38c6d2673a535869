"""validate's output formats, from results built by hand."""

from __future__ import annotations

import io
import json

from validator.problem import Problem
from validator.reporters import REPORTERS
from validator.validate import Checked

BAD = Checked("firms/a,b.yaml", [Problem("firms/a,b.yaml", 3, 5, "50% done:\nnot quite", "$.x", "schema")])
GOOD = Checked("firms/ok.yaml", [], {"schema_version": 1})


def report(fmt: str, *results: Checked) -> str:
    out = io.StringIO()
    reporter = REPORTERS[fmt](out)
    for r in results:
        reporter.file(r)
    reporter.end()
    return out.getvalue()


def test_text_is_file_line_column_message_then_a_summary() -> None:
    lines = report("text", BAD, GOOD).splitlines()
    assert lines[0] == "firms/a,b.yaml:3:5: 50% done:"
    assert lines[-1] == "2 files checked: 1 invalid, 1 problem"


def test_text_summary_when_everything_is_valid() -> None:
    assert report("text", GOOD) == "1 file checked: all valid\n"


def test_json_lists_every_file_with_its_problems() -> None:
    doc = json.loads(report("json", BAD, GOOD))
    assert doc["summary"] == {"files": 2, "invalid": 1, "problems": 1}
    assert doc["files"][0]["problems"] == [
        {"line": 3, "col": 5, "path": "$.x", "code": "schema", "message": "50% done:\nnot quite"}
    ]
    assert doc["files"][1] == {"file": "firms/ok.yaml", "valid": True, "problems": []}


def test_github_annotations_escape_properties_and_data() -> None:
    first = report("github", BAD).splitlines()[0]
    assert (
        first == "::error file=firms/a%2Cb.yaml,line=3,col=5,title=tiercheck schema::50%25 done:%0Anot quite"
    )
