"""Check one firm file against the schema, the cross-checks and what the policy knows: fast when it is clean,
exact (every problem located) when it is not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from .checks import cross_checks, vocabulary_checks
from .loader import LoadError, Located, Source, parse_fast, parse_located, read_source
from .problem import Problem, json_path
from .resources import schema
from .schema import fast_validator, schema_problems
from .vocabulary import Vocabulary


class Checked(NamedTuple):
    """The outcome of checking one file: its data when valid, else its problems; warnings either way."""

    file: str
    problems: list[Problem]
    data: Any = None
    sha256: str = ""
    warnings: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


def check_file(path: str | Path, known: Vocabulary) -> Checked:
    """Read, parse, schema-check and cross-check one firm file; never raises for bad input."""
    file = str(path)
    try:
        source = read_source(path)
    except LoadError as exc:
        return Checked(file, [Problem(file, exc.line, exc.col, exc.message, code="read")])
    except OSError as exc:
        return Checked(file, [Problem(file, 1, 1, f"cannot read: {exc.strerror or exc}", code="read")])
    return check_source(source, known)


def check_source(source: Source, known: Vocabulary) -> Checked:
    """Check text already read; the fast path's verdict is final only when it finds nothing."""
    try:
        data = parse_fast(source)
        valid = fast_validator("firm").is_valid(data) and not cross_checks(data)
        if valid and not vocabulary_checks(data, known):
            return Checked(source.path, [], data, source.sha256)
    except json.JSONDecodeError as exc:  # not JSON: say so where it stops, never re-read it as YAML
        problem = Problem(source.path, exc.lineno, exc.colno, f"JSON syntax: {exc.msg}", code="json")
        return Checked(source.path, [problem], None, source.sha256)
    except Exception:  # anything unusual is for the exact path to explain, with its line
        pass
    return _check_exactly(source, known)


def _check_exactly(source: Source, known: Vocabulary) -> Checked:
    file = source.path
    try:
        located = parse_located(source)
    except LoadError as exc:
        code = "yaml" if not source.is_json else "json"
        return Checked(file, [Problem(file, exc.line, exc.col, exc.message, code=code)], sha256=source.sha256)
    problems = _version_problems(file, located)
    warnings: list[Problem] = []
    if not problems:
        schema_ok = fast_validator("firm").is_valid(located.data)
        problems = [] if schema_ok else schema_problems("firm", file, located)
        for f in [*cross_checks(located.data), *vocabulary_checks(located.data, known)]:
            line, col = located.where(f.path)
            found = Problem(file, line, col, f.message, json_path(f.path), f.code, f.severity)
            (warnings if f.severity == "warning" else problems).append(found)
    problems.sort()
    data = None if problems else located.data
    return Checked(file, problems, data, source.sha256, tuple(sorted(warnings)))


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
