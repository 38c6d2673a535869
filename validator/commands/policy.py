"""`tiercheck policy check`: validate policy files against the policy meta-schema and each other."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..inputs import UsageError
from ..policies import PolicyError, load_policies


def check(path: str | None, out: TextIO) -> int:
    """Print each problem at FILE:LINE:COL, or the versions found; 1 when any file is invalid."""
    if path is not None and not Path(path).exists():
        raise UsageError(f"{path}: no such file or directory")
    try:
        policies = load_policies(path)
    except PolicyError as exc:
        out.writelines(f"{p}\n" for p in exc.problems)
        out.write(f"{len(exc.problems)} problem{'s' * (len(exc.problems) != 1)} in the policy\n")
        return 1
    for p in policies.versions:
        out.write(f"{p.path}: {p.id} {p.version}, in effect from {p.effective_from}: ok\n")
    return 0
