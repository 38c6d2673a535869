"""`tiercheck validate`: check firm files against the schema, the cross-reference rules and the policy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..firm_ids import FirmIds
from ..inputs import find_inputs
from ..policies import CheckedPolicy
from ..progress import Progress
from ..reporters import REPORTERS
from ..validate import check_file
from ..vocabulary import declared_in, vocabulary_of


def validate(
    paths: list[str],
    policies: Sequence[CheckedPolicy],
    fmt: str,
    strict: bool,
    out: TextIO,
    *,
    exclude: Sequence[str] = (),
    stdin_name: str = "<stdin>",
    quiet: bool = False,
    color: bool = False,
) -> int:
    """Check every file, report each in input order; 1 when any is invalid (or, strict, has a warning)."""
    files = find_inputs(paths, exclude, stdin=True)
    known = vocabulary_of(declared_in(p.doc) for p in policies)
    reporter = REPORTERS[fmt](out, quiet=quiet, color=color, strict=strict)
    progress = Progress(len(files), "validating", enabled=not quiet)
    ids = FirmIds()
    for file in files:
        reporter.file(ids.unique(check_file(file, known, stdin_name)))
        progress.advance()
    progress.close()
    reporter.end()
    return 1 if reporter.invalid or (strict and reporter.warnings) else 0
