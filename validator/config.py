"""A project's defaults for tiercheck: `.tiercheck.toml`, or `[tool.tiercheck]` in `pyproject.toml`."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any, NamedTuple

from .inputs import UsageError
from .problem import did_you_mean

KEYS = ("policy", "exclude", "format", "jobs")


class Config(NamedTuple):
    """The defaults found (none when no file says any); `policy`, and each `exclude` glob with a `/`,
    are resolved against the file's folder."""

    policy: str | None = None
    exclude: tuple[str, ...] = ()
    format: str | None = None
    jobs: int | None = None  # processes for the commands that take --jobs


def find_config(start: Path, formats: Collection[str]) -> Config:
    """The nearest folder from `start` up (stopping at a git root) with `.tiercheck.toml`, or a
    `pyproject.toml` holding `[tool.tiercheck]`, gives the defaults; `.tiercheck.toml` first. A
    `format` must be one of `formats` (any command's); every bad setting is a UsageError at
    FILE:LINE:COL."""
    for folder in (start, *start.parents):
        dot = folder / ".tiercheck.toml"
        if dot.is_file():
            text = _text(dot)
            return _config(_Settings(dot, text, None), _toml(dot, text), formats)
        project = folder / "pyproject.toml"
        if project.is_file():
            text = _text(project)
            tool = _toml(project, text).get("tool")
            table = tool.get("tiercheck") if isinstance(tool, dict) else None
            if table is not None:
                return _config(_Settings(project, text, "tool.tiercheck"), table, formats)
        if (folder / ".git").exists():
            break
    return Config()


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        raise UsageError(f"{path}: cannot read it as TOML ({exc}); fix it or remove it") from None


def _toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # only a folder with a config file needs it: not paid on every start

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said = str(exc)  # Python 3.11 and 3.12 give the position only in the message
        at = re.search(r" \(at (?:line (\d+), column (\d+)|end of document)\)$", said)
        content = text.rstrip()
        line, col = (  # the end of the document: just after its last character
            (int(at[1]), int(at[2]))
            if at and at[1]
            else (content.count("\n") + 1, len(content) - content.rfind("\n"))
        )
        raise UsageError(
            f"{path}:{line}:{col}: cannot read it as TOML ({said[: at.start()] if at else said}); "
            "fix it or remove it"
        ) from None


class _Settings(NamedTuple):
    """The file the settings are in, its text, and their table (None: the top level)."""

    path: Path
    text: str
    table: str | None

    def at(self, key: str | None = None, *, value: bool = True) -> str:
        """`FILE:LINE:COL` of `key`'s value (or of the key itself), found in the text as tomllib gives no
        positions; else of the table's header, else the file's start; `pyproject.toml [tool.tiercheck]`
        when the table's header is not found either."""
        lines = self.text.splitlines()
        start = 0
        if self.table is not None:
            header = re.compile(rf"\s*\[\s*{re.escape(self.table)}\s*\]")
            start = next((i for i, s in enumerate(lines) if header.match(s)), -1)
            if start < 0:
                return f"{self.path} [{self.table}]"
            start += 1
        if key is not None:
            setting = re.compile(rf"\s*([\"']?){re.escape(key)}\1\s*=\s*")
            for i in range(start, len(lines)):
                if lines[i].lstrip().startswith("["):
                    break
                if found := setting.match(lines[i]):
                    col = found.end() if value else len(lines[i]) - len(lines[i].lstrip())
                    return f"{self.path}:{i + 1}:{col + 1}"
        return f"{self.path}:{max(start, 1)}:1"


def _config(settings: _Settings, table: Any, formats: Collection[str]) -> Config:
    if not isinstance(table, dict):
        raise UsageError(f"{settings.at()}: expected a table of settings ({', '.join(KEYS)})")
    for key in table:
        if key not in KEYS:
            raise UsageError(
                f"{settings.at(key, value=False)}: unknown setting {key!r}; "
                f"{did_you_mean(key, KEYS)}tiercheck reads {', '.join(KEYS)}"
            )
    policy, exclude, fmt = table.get("policy"), table.get("exclude", []), table.get("format")
    folder = settings.path.parent
    if policy is not None and (not isinstance(policy, str) or not policy):
        raise UsageError(f'{settings.at("policy")}: policy is a path, e.g. policy = "policy/"')
    if policy is not None and not (folder / policy).exists():
        raise UsageError(
            f"{settings.at('policy')}: policy {policy!r}: no such file or folder (from {folder})"
        )
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        raise UsageError(
            f"{settings.at('exclude')}: exclude is a list of globs, "
            'e.g. exclude = ["mkdocs.yml", "fixtures/*"]'
        )
    if fmt is not None and fmt not in formats:
        said = repr(fmt) if isinstance(fmt, str) else f"{fmt!r} (not a name)"
        raise UsageError(
            f"{settings.at('format')}: unknown format {said}; "
            f"{did_you_mean(fmt, formats) if isinstance(fmt, str) else ''}one of {', '.join(formats)}"
        )
    jobs = table.get("jobs")
    if jobs is not None and (type(jobs) is not int or jobs < 1):
        raise UsageError(
            f"{settings.at('jobs')}: jobs is a whole number of processes, at least 1, e.g. jobs = 2"
        )
    globs = tuple(str(folder / g) if "/" in g else g for g in exclude)
    return Config(str(folder / policy) if policy else None, globs, fmt, jobs)
