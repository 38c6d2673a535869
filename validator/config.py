"""A project's defaults for tiercheck: `.tiercheck.toml`, or `[tool.tiercheck]` in `pyproject.toml`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from .inputs import UsageError

KEYS = ("policy", "exclude", "format")


class Config(NamedTuple):
    """The defaults found (none when no file says any); `policy`, and each `exclude` glob with a `/`,
    are resolved against the file's folder."""

    policy: str | None = None
    exclude: tuple[str, ...] = ()
    format: str | None = None


def find_config(start: Path) -> Config:
    """The nearest folder from `start` up (stopping at a git root) with `.tiercheck.toml`, or a
    `pyproject.toml` holding `[tool.tiercheck]`, gives the defaults; `.tiercheck.toml` first."""
    for folder in (start, *start.parents):
        dot = folder / ".tiercheck.toml"
        if dot.is_file():
            return _config(dot, _toml(dot))
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _toml(project).get("tool", {}).get("tiercheck")
            if table is not None:
                return _config(project, table)
        if (folder / ".git").exists():
            break
    return Config()


def _toml(path: Path) -> dict[str, Any]:
    import tomllib  # only a folder with a config file needs it: not paid on every start

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise UsageError(f"{path}: cannot read it as TOML ({exc}); fix it or remove it") from None


def _config(path: Path, table: Any) -> Config:
    where = f"{path}{' [tool.tiercheck]' if path.name == 'pyproject.toml' else ''}"
    if not isinstance(table, dict):
        raise UsageError(f"{where}: expected a table of settings ({', '.join(KEYS)})")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown setting {unknown[0]!r}; tiercheck reads {', '.join(KEYS)}")
    policy, exclude, fmt = table.get("policy"), table.get("exclude", []), table.get("format")
    if policy is not None and not isinstance(policy, str):
        raise UsageError(f'{where}: policy is a path, e.g. policy = "policy/"')
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        raise UsageError(f'{where}: exclude is a list of globs, e.g. exclude = ["mkdocs.yml", "fixtures/*"]')
    if fmt is not None and not isinstance(fmt, str):
        raise UsageError(f'{where}: format is a name, e.g. format = "github"')
    globs = tuple(str(path.parent / g) if "/" in g else g for g in exclude)
    return Config(str(path.parent / policy) if policy else None, globs, fmt)
