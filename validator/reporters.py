"""Report checked files, warnings included, as text, JSON, GitHub annotations, SARIF or JUnit XML.

Under `--strict` a warning fails the run, so every format that says pass or fail says so of it: the
text totals add `(--strict: failing)`, GitHub and SARIF give it the level `error`, and in JUnit it is
a `<failure>` (as pytest's `-W error` makes a warning a failing test)."""

from __future__ import annotations

import json
from typing import TextIO

from .problem import Problem
from .render.colour import paint
from .render.junit import Case, junit_xml
from .render.sarif import sarif_log
from .validate import Checked


class Reporter:
    """Receives each file's result in input order, then the end of the run."""

    def __init__(
        self,
        out: TextIO,
        suite: str = "tiercheck validate",
        *,
        quiet: bool = False,
        color: bool = False,
        strict: bool = False,
    ) -> None:
        self.out, self.suite, self.quiet, self.color, self.strict = out, suite, quiet, color, strict
        self.files = self.invalid = self.problems = self.warnings = 0

    def file(self, checked: Checked, note: str = "") -> None:
        """One file's result; `note` is what evaluate found of a valid file (its tier), for formats that
        carry a line per file."""
        self.files += 1
        self.invalid += not checked.valid
        self.problems += len(checked.problems)
        self.warnings += len(checked.warnings)

    def end(self) -> None:
        """Called once, after the last file."""

    def failing(self, warning: Problem) -> Problem:
        """The warning as formats that carry a level show it: an error when it fails the run."""
        return warning._replace(severity="error") if self.strict else warning

    def summary(self) -> str:
        verdict = (
            f"{self.invalid} invalid, {self.problems} problem{'s' * (self.problems != 1)}"
            if self.invalid
            else "all valid"
        )
        warned = f", {self.warnings} warning{'s' * (self.warnings != 1)}" if self.warnings else ""
        warned += " (--strict: failing)" if warned and self.strict else ""
        return f"{self.files} file{'s' * (self.files != 1)} checked: {verdict}{warned}"


class TextReporter(Reporter):
    """`FILE:LINE:COL: message` (`warning: message` for a warning), one a line, then a summary."""

    def file(self, checked: Checked, note: str = "") -> None:
        super().file(checked)
        for problem in sorted([*checked.problems, *checked.warnings]):
            self.out.write((paint(problem) if self.color else str(problem)) + "\n")

    def end(self) -> None:
        if not self.quiet:
            self.out.write(self.summary() + "\n")


class JsonReporter(Reporter):
    """One JSON document: every file with its problems and warnings, and a summary."""

    def __init__(self, out: TextIO, suite: str = "tiercheck validate", **style: bool) -> None:
        super().__init__(out, suite, **style)
        self.results: list[dict[str, object]] = []

    def file(self, checked: Checked, note: str = "") -> None:
        super().file(checked)
        self.results.append(
            {
                "file": checked.file,
                "valid": checked.valid,
                "problems": [p.as_json() for p in checked.problems],
                "warnings": [w.as_json() for w in checked.warnings],
            }
        )

    def end(self) -> None:
        doc = {
            "files": self.results,
            "summary": {
                "files": self.files,
                "invalid": self.invalid,
                "problems": self.problems,
                "warnings": self.warnings,
            },
        }
        json.dump(doc, self.out, indent=2)
        self.out.write("\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions `::error` and `::warning` workflow commands, so they show on the pull request's diff."""

    def file(self, checked: Checked, note: str = "") -> None:
        super().file(checked)
        for p in sorted([*checked.problems, *map(self.failing, checked.warnings)]):
            self.out.write(
                f"::{p.severity} file={_escape_property(p.file)},line={p.line},col={p.col},"
                f"title={_escape_property('tiercheck ' + p.code)}::{_escape_data(p.message)}\n"
            )
        if note:
            self.out.write(f"::notice file={_escape_property(checked.file)}::{_escape_data(note)}\n")

    def end(self) -> None:
        if not self.quiet:
            self.out.write(self.summary() + "\n")


class SarifReporter(Reporter):
    """One SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers."""

    def __init__(self, out: TextIO, suite: str = "tiercheck validate", **style: bool) -> None:
        super().__init__(out, suite, **style)
        self.found: list[Problem] = []
        self.notes: list[tuple[str, str]] = []

    def file(self, checked: Checked, note: str = "") -> None:
        super().file(checked)
        self.found.extend(sorted([*checked.problems, *map(self.failing, checked.warnings)]))
        if note:
            self.notes.append((checked.file, note))

    def end(self) -> None:
        json.dump(sarif_log(self.found, self.notes), self.out, indent=2)
        self.out.write("\n")


class JunitReporter(Reporter):
    """JUnit XML: a test case per file, failing with its problems (GitLab, Jenkins)."""

    def __init__(self, out: TextIO, suite: str = "tiercheck validate", **style: bool) -> None:
        super().__init__(out, suite, **style)
        self.cases: list[Case] = []

    def file(self, checked: Checked, note: str = "") -> None:
        super().file(checked)
        failed = sorted([*checked.problems, *checked.warnings]) if self.strict else checked.problems
        passed = "".join(f"{w}\n" for w in checked.warnings if not self.strict)
        self.cases.append(Case(checked.file, failed, passed + note))

    def end(self) -> None:
        self.out.write(junit_xml(self.suite, self.cases))


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
}
