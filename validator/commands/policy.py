"""`tiercheck policy check` and `policy diff`: check policy files; compare two versions and their impact."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..inputs import find_inputs
from ..language.diff import describe_changes
from ..language.model import Policy
from ..policies import PolicyError, load_policies, policies_to_run
from ..policy_diff import Impact
from ..problem import Problem
from ..progress import Progress
from ..render.policy_diff import RENDER
from ..validate import Checked, check_file
from ..vocabulary import Vocabulary, vocabulary


def check(path: str | None, fmt: str, out: TextIO, *, strict: bool = False, quiet: bool = False) -> int:
    """Print each problem and warning at FILE:LINE:COL, and (unless `quiet`) the versions found and the
    totals; 1 when any file is invalid, or, with `strict`, has a warning."""
    try:
        policies = load_policies(path)
    except PolicyError as exc:
        if fmt == "json":
            out.write(json.dumps(check_json(exc.problems, [], []), indent=2) + "\n")
            return 1
        out.writelines(f"{p}\n" for p in exc.problems)
        if not quiet:
            out.write(f"{len(exc.problems)} problem{'s' * (len(exc.problems) != 1)} in the policy\n")
        return 1
    failed = 1 if strict and policies.warnings else 0
    if fmt == "json":
        out.write(json.dumps(check_json([], policies.warnings, policies.versions), indent=2) + "\n")
        return failed
    out.writelines(f"{w}\n" for w in policies.warnings)
    if quiet:
        return failed
    for p in policies.versions:
        name = p.path if path is not None else f"bundled policy {Path(p.path).name}"
        out.write(f"{name}: {p.id} {p.version}, in effect from {p.effective_from}: ok\n")
    if policies.warnings:
        n = len(policies.warnings)
        out.write(f"{n} warning{'s' * (n != 1)}{' (--strict: failing)' if strict else ''}\n")
    return failed


def check_json(
    problems: Sequence[Problem], warnings: Sequence[Problem], versions: Sequence[Policy]
) -> dict[str, Any]:
    """The validation report's shape (schemas/validation.schema.json), with the versions found."""
    files: dict[str, tuple[list[Problem], list[Problem]]] = {v.path: ([], []) for v in versions}
    for p in problems:
        files.setdefault(p.file, ([], []))[0].append(p)
    for w in warnings:
        files.setdefault(w.file, ([], []))[1].append(w)
    return {
        "files": [
            {
                "file": f,
                "valid": not ps,
                "problems": [p.as_json() for p in ps],
                "warnings": [w.as_json() for w in ws],
            }
            for f, (ps, ws) in files.items()
        ],
        "summary": {
            "files": len(files),
            "invalid": sum(bool(ps) for ps, _ in files.values()),
            "problems": len(problems),
            "warnings": len(warnings),
        },
        "versions": [
            {"file": v.path, "id": v.id, "version": v.version, "effective_from": v.effective_from.isoformat()}
            for v in versions
        ],
    }


def diff(
    old_path: str,
    new_path: str,
    firms: list[str],
    as_of: date,
    fmt: str,
    out: TextIO,
    *,
    exclude: Sequence[str] = (),
    quiet: bool = False,
) -> int:
    """Say what changed; with firms, which move and how many per move. 1 when a firm file is invalid."""
    old, new = _version(old_path, as_of), _version(new_path, as_of)
    impact = Impact.between(old, new, as_of) if firms else None
    if impact is not None:
        files = find_inputs(firms, exclude)
        # what either version knows; a stated standing has one version's shape (one ladder's, or one
        # per designation), so a file that is valid under one version alone is valid too
        knowns = [vocabulary([old, new]), vocabulary([new]), vocabulary([old])]
        progress = Progress(len(files), "comparing", enabled=not quiet)
        for file in files:
            checked = _checked(file, knowns)
            progress.advance()
            if not checked.valid:
                impact.invalid.append((file, checked.problems))
                continue
            impact.add(old, new, file, checked.data)
        progress.close()
    changes = describe_changes(old, new)
    out.write(RENDER[fmt](old, new, changes, impact))
    return 1 if impact is not None and impact.invalid else 0


def _checked(file: str, knowns: Sequence[Vocabulary]) -> Checked:
    """The file checked with the first vocabulary it is valid under; else with the one it has the fewest
    problems under (the first on a tie), so a file written for one version hears what that one says."""
    best: Checked | None = None
    for known in knowns:
        checked = check_file(file, known)
        if checked.valid:
            return checked
        if best is None or len(checked.problems) < len(best.problems):
            best = checked
    assert best is not None, "no vocabulary to check with"
    return best


def _version(path: str, as_of: date) -> Policy:
    """A policy file, or the version in effect on `as_of` in a folder of versions."""
    versions = policies_to_run(path)
    return versions.versions[0] if len(versions.versions) == 1 else versions.in_effect(as_of)
