"""Check one firm file: fast when it is clean, exact (every problem located) when it is not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from .checks import cross_checks
from .loader import LoadError, Located, Source, parse_fast, parse_located, read_source
from .problem import Problem, json_path
from .resources import schema
from .schema import fast_validator, schema_problems


class Checked(NamedTuple):
    """The outcome of checking one file: its data when valid, else its problems."""

    file: str
    problems: list[Problem]
    data: Any = None
    sha256: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems


def check_file(path: str | Path) -> Checked:
    """Read, parse, schema-check and cross-check one firm file; never raises for bad input."""
    file = str(path)
    try:
        source = read_source(path)
    except LoadError as exc:
        return Checked(file, [Problem(file, exc.line, exc.col, exc.message, code="read")])
    except OSError as exc:
        return Checked(file, [Problem(file, 1, 1, f"cannot read: {exc.strerror or exc}", code="read")])
    return check_source(source)


def check_source(source: Source) -> Checked:
    """Check text already read; the fast path's verdict is final only when it finds nothing."""
    try:
        data = parse_fast(source)
        if fast_validator("firm").is_valid(data) and not cross_checks(data):
            return Checked(source.path, [], data, source.sha256)
    except json.JSONDecodeError as exc:  # not JSON: say so where it stops, never re-read it as YAML
        problem = Problem(source.path, exc.lineno, exc.colno, f"JSON syntax: {exc.msg}", code="json")
        return Checked(source.path, [problem], None, source.sha256)
    except Exception:  # anything unusual is for the exact path to explain, with its line
        pass
    return _check_exactly(source)


def _check_exactly(source: Source) -> Checked:
    file = source.path
    try:
        located = parse_located(source)
    except LoadError as exc:
        code = "yaml" if not source.is_json else "json"
        return Checked(file, [Problem(file, exc.line, exc.col, exc.message, code=code)], sha256=source.sha256)
    problems = _version_problems(file, located)
    if not problems:
        schema_ok = fast_validator("firm").is_valid(located.data)
        problems = [] if schema_ok else schema_problems("firm", file, located)
        for finding in cross_checks(located.data):
            line, col = located.where(finding.path)
            problems.append(Problem(file, line, col, finding.message, json_path(finding.path), finding.code))
    problems.sort()
    return Checked(file, problems, None if problems else located.data, source.sha256)


def _version_problems(file: str, located: Located) -> list[Problem]:
    """A file of another schema_version is refused before anything else is said of it."""
    data = located.data
    if not isinstance(data, dict):
        return [Problem(file, 1, 1, "a firm file is a mapping of keys (schema_version, firm, people, ...)")]
    version, known = data.get("schema_version"), schema("firm")["properties"]["schema_version"]["const"]
    if version is None or version == known:
        return []
    line, col = located.where(("schema_version",))
    return [
        Problem(
            file,
            line,
            col,
            f"schema_version {version!r} is not supported: this tiercheck reads schema_version {known}",
            "$.schema_version",
        )
    ]
