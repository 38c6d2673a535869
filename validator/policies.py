"""Read policy files, check each and them against each other, compile them, pick the version in effect."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .inputs import UsageError
from .language.lint import ladders
from .language.meaning import policy_problems
from .loader import LoadError, Located, read_source
from .locate import read_located
from .problem import Problem
from .resources import bundled
from .schema import schema_problems

if TYPE_CHECKING:
    from .language.model import Policy


class PolicyError(Exception):
    """One or more policy files are invalid; each problem is located."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the policy")
        self.problems = problems


class CheckedPolicy(NamedTuple):
    """A policy file that passed every check, not compiled yet: all `validate` needs of a policy."""

    path: str
    sha256: str
    located: Located

    @property
    def doc(self) -> Any:
        return self.located.data


class NoPolicyInEffect(UsageError):
    """No policy version had taken effect by the date asked for: the tool cannot do its job (exit 2)."""


class PolicySet(NamedTuple):
    """The versions of one program's policy, in order of their effective dates, and their lints' warnings."""

    versions: list[Policy]
    warnings: Sequence[Problem] = ()

    def in_effect(self, day: date) -> Policy:
        """The latest version whose effective date is on or before `day`."""
        starts = [p.effective_from for p in self.versions]
        i = bisect.bisect_right(starts, day)
        if i == 0:
            raise NoPolicyInEffect(
                f"no policy is in effect on {day}: the first version takes effect on {starts[0]}"
            )
        return self.versions[i - 1]


def policy_files(path: str | Path | None) -> list[str]:
    """The policy files at `path` (a file or a directory of *.yaml), or the bundled ones."""
    if path is None:
        folder = bundled("policy")
        return sorted(str(f) for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")))
    p = Path(path)
    if p.is_dir():
        return sorted(str(f) for f in p.iterdir() if f.suffix in (".yaml", ".yml", ".json"))
    return [str(p)]


def load_policies(path: str | Path | None = None) -> PolicySet:
    """Read, check and compile every policy version; raise PolicyError listing every problem."""
    checked, warnings = check_policies(path)
    return PolicySet([_compiled(c) for c in checked], warnings)


def check_policies(path: str | Path | None = None) -> tuple[list[CheckedPolicy], list[Problem]]:
    """Read and check every policy version, and them against each other: the checked versions in order
    of their effective dates, and their warnings; raise PolicyError listing every problem."""
    if path is not None and not Path(path).exists():
        raise UsageError(f"{path}: no such file or directory")
    files = policy_files(path)
    if not files:
        raise UsageError(_no_policy_files(Path(str(path))))
    problems: list[Problem] = []
    warnings: list[Problem] = []
    versions: list[CheckedPolicy] = []
    for file in files:
        checked, found = check_policy(file)
        for problem in found:
            (warnings if problem.severity == "warning" else problems).append(problem)
        if checked is not None:
            versions.append(checked)
    if not problems:
        problems.extend(_set_problems(versions))
    if problems:
        raise PolicyError(sorted(problems))
    return sorted(versions, key=lambda c: date.fromisoformat(c.doc["effective_from"])), sorted(warnings)


def _no_policy_files(folder: Path) -> str:
    """A folder without policy files named as usage, with the folders below it that hold some."""
    holding = list(islice((d for d in _folders_below(folder, depth=3) if _holds_policies(d)), 5))
    hint = f"; policy files are in {', '.join(map(str, holding))}: name one of those" if holding else ""
    return f"{folder}: no policy files (*.yaml, *.yml, *.json) directly in this folder{hint}"


def _folders_below(top: Path, depth: int) -> Iterator[Path]:
    """Folders under `top`, in sorted order, at most `depth` levels down; hidden ones skipped."""
    if depth == 0:
        return
    try:
        below = sorted(d for d in top.iterdir() if d.is_dir() and not d.name.startswith("."))
    except OSError:
        return
    for d in below:
        yield d
        yield from _folders_below(d, depth - 1)


def _holds_policies(folder: Path) -> bool:
    """Whether a folder's first YAML/JSON file looks like a policy (it says `effective_from`)."""
    files = policy_files(folder)
    try:
        return bool(files) and "effective_from" in Path(files[0]).read_text("utf-8", errors="replace")
    except OSError:
        return False


def policies_to_run(path: str | Path | None) -> PolicySet:
    """The policy a command runs under; an invalid one stops the command (exit 2) with every problem."""
    try:
        return load_policies(path)
    except PolicyError as exc:
        raise _invalid(exc) from None


def checked_to_run(path: str | Path | None) -> list[CheckedPolicy]:
    """The policy versions a command that needs them only checked (`validate`, `schema`) runs under; an
    invalid one stops it as in `policies_to_run`."""
    try:
        return check_policies(path)[0]
    except PolicyError as exc:
        raise _invalid(exc) from None


def _invalid(exc: PolicyError) -> UsageError:
    lines = "\n".join(str(p) for p in exc.problems)
    return UsageError(f"the policy is invalid:\n{lines}")


def load_policy(file: str) -> tuple[Policy | None, list[Problem]]:
    """One policy file: the compiled policy and its warnings, or the problems that stop it."""
    checked, problems = check_policy(file)
    return (None if checked is None else _compiled(checked)), problems


def check_policy(file: str) -> tuple[CheckedPolicy | None, list[Problem]]:
    """One policy file, checked, and its warnings; or None and the problems that stop it."""
    try:
        source = read_source(file)
        located = read_located(source)
    except LoadError as exc:
        return None, [Problem(file, exc.line, exc.col, exc.message, code="policy")]
    except OSError as exc:
        return None, [Problem(file, 1, 1, f"cannot read: {exc.strerror or exc}", code="policy")]
    # jsonschema-rs says yes fast; only a policy it refuses pays for the located messages
    refusals = schema_problems("policy", file, located)
    if refusals:
        return None, refusals
    problems = policy_problems(file, located)
    stops = any(p.severity != "warning" for p in problems)
    return (None if stops else CheckedPolicy(file, source.sha256, located)), problems


def _compiled(checked: CheckedPolicy) -> Policy:
    """A checked version compiled; the rule language is imported here, by the commands that evaluate."""
    from .language.compile import build

    return build(checked.path, checked.sha256, checked.doc, checked.located.marks)


def _set_problems(versions: list[CheckedPolicy]) -> list[Problem]:
    """Versions read together must be one program's, each with its own effective date."""
    problems = []
    first = versions[0]
    seen: dict[date, CheckedPolicy] = {}
    for p in versions:
        if p.doc["id"] != first.doc["id"]:
            problems.append(
                _at(
                    p,
                    "id",
                    f"policy id {p.doc['id']!r} differs from {first.doc['id']!r} in "
                    f"{first.path}: one program per policy folder",
                )
            )
            continue  # another program: its dates and designations are not this one's
        effective_from = date.fromisoformat(p.doc["effective_from"])
        if effective_from in seen:
            problems.append(
                _at(
                    p,
                    "effective_from",
                    f"takes effect on {effective_from}, as {seen[effective_from].path} does",
                )
            )
        seen[effective_from] = p
        ids, first_ids = _designations(p), _designations(first)
        if ids != first_ids:
            problems.append(
                _at(
                    p,
                    "designations" if "designations" in p.doc else "tiers",
                    f"declares the designations {', '.join(ids)}, {first.path} declares "
                    f"{', '.join(first_ids)}: every version of a program declares the same ones, in order",
                )
            )
    return problems


def _designations(checked: CheckedPolicy) -> list[str]:
    return [d["id"] for _, d in ladders(checked.doc)]


def _at(checked: CheckedPolicy, key: str, message: str) -> Problem:
    line, col = checked.located.marks.get((key,), (1, 1))
    return Problem(checked.path, line, col, message, f"$.{key}", "policy")
