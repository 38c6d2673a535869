"""Read policy files, check and compile each, check them against each other, pick the version in effect."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from .inputs import UsageError
from .language.compile import compile_policy
from .language.model import Policy
from .loader import LoadError, read_source
from .locate import read_located
from .problem import Problem
from .resources import bundled
from .schema import fast_validator, schema_problems


class PolicyError(Exception):
    """One or more policy files are invalid; each problem is located."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the policy")
        self.problems = problems


class NoPolicyInEffect(UsageError):
    """No policy version had taken effect by the date asked for: the tool cannot do its job (exit 2)."""


@dataclass
class PolicySet:
    """The versions of one program's policy, in order of their effective dates, and their lints' warnings."""

    versions: list[Policy]
    warnings: list[Problem] = field(default_factory=list)

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
    if path is not None and not Path(path).exists():
        raise UsageError(f"{path}: no such file or directory")
    files = policy_files(path)
    if not files:
        raise UsageError(_no_policy_files(Path(str(path))))
    problems: list[Problem] = []
    warnings: list[Problem] = []
    versions: list[Policy] = []
    for file in files:
        policy, found = load_policy(file)
        for problem in found:
            (warnings if problem.severity == "warning" else problems).append(problem)
        if policy is not None:
            versions.append(policy)
    if not problems:
        problems.extend(_set_problems(versions))
    if problems:
        raise PolicyError(sorted(problems))
    return PolicySet(sorted(versions, key=lambda p: p.effective_from), sorted(warnings))


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
        lines = "\n".join(str(p) for p in exc.problems)
        raise UsageError(f"the policy is invalid:\n{lines}") from None


def load_policy(file: str) -> tuple[Policy | None, list[Problem]]:
    """One policy file: the compiled policy and its warnings, or the problems that stop it."""
    try:
        source = read_source(file)
        located = read_located(source)
    except LoadError as exc:
        return None, [Problem(file, exc.line, exc.col, exc.message, code="policy")]
    except OSError as exc:
        return None, [Problem(file, 1, 1, f"cannot read: {exc.strerror or exc}", code="policy")]
    # jsonschema-rs says yes fast; only a policy it refuses pays for the located messages
    if not fast_validator("policy").is_valid(located.data):
        return None, schema_problems("policy", file, located)
    return compile_policy(file, source.sha256, located)


def _set_problems(versions: list[Policy]) -> list[Problem]:
    """Versions read together must be one program's, each with its own effective date."""
    problems = []
    seen: dict[date, Policy] = {}
    for p in versions:
        if p.id != versions[0].id:
            problems.append(
                _at(
                    p,
                    "id",
                    f"policy id {p.id!r} differs from {versions[0].id!r} in "
                    f"{versions[0].path}: one program per policy folder",
                )
            )
            continue  # another program: its dates and designations are not this one's
        if p.effective_from in seen:
            problems.append(
                _at(
                    p,
                    "effective_from",
                    f"takes effect on {p.effective_from}, as {seen[p.effective_from].path} does",
                )
            )
        seen[p.effective_from] = p
        ids, first = [d.id for d in p.designations], [d.id for d in versions[0].designations]
        if ids != first:
            problems.append(
                _at(
                    p,
                    "designations" if "designations" in {k[0] for k in p.marks if k} else "tiers",
                    f"declares the designations {', '.join(ids)}, {versions[0].path} declares "
                    f"{', '.join(first)}: every version of a program declares the same ones, in order",
                )
            )
    return problems


def _at(policy: Policy, key: str, message: str) -> Problem:
    line, col = policy.marks.get((key,), (1, 1))
    return Problem(policy.path, line, col, message, f"$.{key}", "policy")
