"""Report `validate` results as text, JSON or GitHub workflow annotations, file by file, warnings included."""

from __future__ import annotations

import json
from typing import TextIO

from .validate import Checked


class Reporter:
    """Receives each file's result in input order, then the end of the run."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.files = self.invalid = self.problems = self.warnings = 0

    def file(self, checked: Checked) -> None:
        self.files += 1
        self.invalid += not checked.valid
        self.problems += len(checked.problems)
        self.warnings += len(checked.warnings)

    def end(self) -> None:
        """Called once, after the last file."""

    def summary(self) -> str:
        verdict = (
            f"{self.invalid} invalid, {self.problems} problem{'s' * (self.problems != 1)}"
            if self.invalid
            else "all valid"
        )
        warned = f", {self.warnings} warning{'s' * (self.warnings != 1)}" if self.warnings else ""
        return f"{self.files} file{'s' * (self.files != 1)} checked: {verdict}{warned}"


class TextReporter(Reporter):
    """`FILE:LINE:COL: message` (`warning: message` for a warning), one a line, then a summary."""

    def file(self, checked: Checked) -> None:
        super().file(checked)
        for problem in sorted([*checked.problems, *checked.warnings]):
            self.out.write(f"{problem}\n")

    def end(self) -> None:
        self.out.write(self.summary() + "\n")


class JsonReporter(Reporter):
    """One JSON document: every file with its problems and warnings, and a summary."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.results: list[dict[str, object]] = []

    def file(self, checked: Checked) -> None:
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

    def file(self, checked: Checked) -> None:
        super().file(checked)
        for p in sorted([*checked.problems, *checked.warnings]):
            self.out.write(
                f"::{p.severity} file={_escape_property(p.file)},line={p.line},col={p.col},"
                f"title={_escape_property('tiercheck ' + p.code)}::{_escape_data(p.message)}\n"
            )

    def end(self) -> None:
        self.out.write(self.summary() + "\n")


REPORTERS: dict[str, type[Reporter]] = {"text": TextReporter, "json": JsonReporter, "github": GithubReporter}
