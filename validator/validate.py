"""Check one firm file against the schema, the cross-checks and what the policy knows: one parser
decides what it says; only a file with problems or warnings is located."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from .checks import cross_checks, far_future, vocabulary_checks
from .loader import LoadError, Located, Source, read_source, read_stdin
from .locate import locate
from .problem import Problem, json_path
from .reading import data_refusal, decide
from .resources import schema
from .schema import refused
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


def check_file(
    path: str | Path, known: Vocabulary, stdin_name: str = "<stdin>", today: date | None = None
) -> Checked:
    """Read, parse, schema-check and cross-check one firm file (`-`: standard input, named `stdin_name`
    in messages); dates far after `today` (default: the clock's) are warned of; never raises for bad input."""
    file = stdin_name if str(path) == "-" else str(path)
    try:
        source = read_stdin(stdin_name) if str(path) == "-" else read_source(path)
    except LoadError as exc:
        return Checked(file, [Problem(file, exc.line, exc.col, exc.message, code="read")])
    except OSError as exc:
        return Checked(file, [Problem(file, 1, 1, f"cannot read: {exc.strerror or exc}", code="read")])
    return check_source(source, known, today)


def check_source(source: Source, known: Vocabulary, today: date | None = None) -> Checked:
    """Check text already read: decide what it says; a clean file needs no positions."""
    today = today or date.today()
    try:
        data = decide(source)
    except LoadError as exc:
        return Checked(source.path, _load_problems(source, exc), None, source.sha256)
    try:
        valid = _whole_version(data) and known.schema.fast.is_valid(data) and not cross_checks(data)
        if valid and not vocabulary_checks(data, known) and not far_future(data, today):
            return Checked(source.path, [], canonical(data), source.sha256)
    except ValueError:  # a key jsonschema-rs cannot take (not text): refused below, at its place
        pass
    return check_exactly(source, data, known, today)


def check_exactly(source: Source, data: Any, known: Vocabulary, today: date | None = None) -> Checked:
    """Every problem and warning in decided data, each at its line and column."""
    file = source.path
    try:
        located = locate(source, data)
    except LoadError as exc:
        return Checked(file, _load_problems(source, exc), None, source.sha256)
    refusal = data_refusal(data)
    if refusal is not None:
        line, col = located.where(refusal[0])
        problem = Problem(
            file, line, col, refusal[1], json_path(refusal[0]), "json" if source.is_json else "yaml"
        )
        return Checked(file, [problem], None, source.sha256)
    problems = _version_problems(file, located)
    warnings: list[Problem] = []
    if not problems:
        problems = refused(known.schema.fast, lambda: known.schema.exact, file, located)
        future = far_future(data, today or date.today())
        for f in [*cross_checks(data), *vocabulary_checks(data, known), *future]:
            line, col = located.where(f.path)
            message = (
                f.message if f.first is None else f"{f.message} (first on line {located.where(f.first)[0]})"
            )
            found = Problem(file, line, col, message, json_path(f.path), f.code, f.severity)
            (warnings if f.severity == "warning" else problems).append(found)
    problems.sort()
    return Checked(
        file, problems, None if problems else canonical(data), source.sha256, tuple(sorted(warnings))
    )


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """Valid data with every list in one order (records by id, credentials by what they say, days by
    date), so the order a firm keeps its file in never changes an evaluation, a pack or a summary."""
    out = dict(data)
    for records in ("people", "customers", "deployments", "stories"):
        if records in out:
            out[records] = sorted(out[records], key=lambda record: record["id"])
    if "people" in out:
        out["people"] = [_person(p) for p in out["people"]]
    return out


def _person(person: dict[str, Any]) -> dict[str, Any]:
    out = dict(person)
    if "activity" in out:
        out["activity"] = sorted(out["activity"])
    if "credentials" in out:
        out["credentials"] = sorted(out["credentials"], key=lambda c: json.dumps(c, sort_keys=True))
    return out


def _load_problems(source: Source, exc: LoadError) -> list[Problem]:
    """Why the file does not parse, after any line indented with a look-alike space."""
    code = "json" if source.is_json else "yaml"
    return [*_odd_indentation(source), Problem(source.path, exc.line, exc.col, exc.message, code=code)]


def _version_problems(file: str, located: Located) -> list[Problem]:
    """A file of another schema_version is refused before anything else is said of it."""
    data = located.data
    if not isinstance(data, dict):
        return [Problem(file, 1, 1, "a firm file is a mapping of keys (schema_version, firm, people, ...)")]
    version, known = data.get("schema_version"), schema("firm")["properties"]["schema_version"]["const"]
    if version is None or _whole_version(data):
        return []
    line, col = located.where(("schema_version",))
    if version == str(known):
        message = f"schema_version is the text {version!r}; write the number, unquoted: {known}"
    elif isinstance(version, float) and version == known:
        message = f"schema_version is the decimal {version!r}; write the whole number: {known}"
    else:
        message = f"schema_version {version!r} is not one this tiercheck reads: write schema_version: {known}"
    return [Problem(file, line, col, message, "$.schema_version")]


def _whole_version(data: Any) -> bool:
    """schema_version is the known version as a whole number: 1.0 equals 1 in Python, and the schema's
    const accepts it, but the contract says 1."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    return type(version) is int and version == schema("firm")["properties"]["schema_version"]["const"]


NO_BREAK_SPACES = (
    "\u00a0\u2007\u202f"  # look like spaces in an editor; YAML does not take them as indentation
)


def _odd_indentation(source: Source) -> list[Problem]:
    """A line indented with a non-breaking space, named on its own line: YAML reports the next one."""
    found = []
    for number, line in enumerate(source.text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t" + NO_BREAK_SPACES))]
        odd = next((i for i, ch in enumerate(indent) if ch in NO_BREAK_SPACES), None)
        if odd is not None:
            message = (
                f"a non-breaking space (U+{ord(indent[odd]):04X}) indents this line: "
                "YAML needs ordinary spaces; delete the indentation and type it again"
            )
            found.append(Problem(source.path, number, odd + 1, message, code="yaml"))
    return found
