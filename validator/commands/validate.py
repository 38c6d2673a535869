"""`tiercheck validate`: check firm files against the schema and the cross-reference rules."""

from __future__ import annotations

from typing import TextIO

from ..inputs import find_inputs
from ..progress import Progress
from ..reporters import REPORTERS
from ..validate import check_file


def validate(paths: list[str], fmt: str, out: TextIO) -> int:
    """Check every file, report each in input order; 1 when any is invalid."""
    files = find_inputs(paths)
    reporter = REPORTERS[fmt](out)
    progress = Progress(len(files), "validating")
    for file in files:
        reporter.file(check_file(file))
        progress.advance()
    progress.close()
    reporter.end()
    return 1 if reporter.invalid else 0
