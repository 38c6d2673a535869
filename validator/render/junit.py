"""JUnit XML as GitLab and Jenkins read it: a test case per file, failing with its problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..problem import Problem


class Case(NamedTuple):
    """One input file: what fails it (none when it passed: its problems, and under `--strict` its
    warnings) and lines for the report's output."""

    file: str
    problems: Sequence[Problem]
    output: str = ""


def junit_xml(suite: str, cases: Sequence[Case]) -> str:
    """`<testsuites>` with one `<testsuite>` named `suite`; a failing case lists all that fails it."""
    import xml.etree.ElementTree as ET  # only --format junit needs it: not paid on every start

    failures = str(sum(bool(c.problems) for c in cases))
    counts = {"tests": str(len(cases)), "failures": failures, "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "tiercheck", **counts})
    node = ET.SubElement(root, "testsuite", {"name": suite, **counts, "time": "0"})
    for case in cases:
        test = ET.SubElement(
            node, "testcase", {"classname": suite, "name": case.file, "file": case.file, "time": "0"}
        )
        if case.problems:
            first = case.problems[0]
            warned = sum(p.severity == "warning" for p in case.problems)
            said = []
            if warned < len(case.problems):
                said.append(f"{len(case.problems) - warned} problem(s)")
            if warned:
                said.append(f"{warned} warning(s) (--strict: failing)")
            failure = ET.SubElement(
                test,
                "failure",
                {"type": first.code, "message": f"{', '.join(said)}; first: {first.message}"},
            )
            failure.text = "".join(f"{p}\n" for p in case.problems)
        if case.output:
            ET.SubElement(test, "system-out").text = case.output
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
