"""`tiercheck validate`: check firm files against the schema, the cross-reference rules and the policy."""

from __future__ import annotations

from typing import TextIO

from ..inputs import find_inputs
from ..policies import PolicySet
from ..progress import Progress
from ..reporters import REPORTERS
from ..validate import check_file
from ..vocabulary import vocabulary


def validate(paths: list[str], policies: PolicySet, fmt: str, strict: bool, out: TextIO) -> int:
    """Check every file, report each in input order; 1 when any is invalid (or, strict, has a warning)."""
    files = find_inputs(paths)
    known = vocabulary(policies.versions)
    reporter = REPORTERS[fmt](out)
    progress = Progress(len(files), "validating")
    for file in files:
        reporter.file(check_file(file, known))
        progress.advance()
    progress.close()
    reporter.end()
    return 1 if reporter.invalid or (strict and reporter.warnings) else 0
