"""`tiercheck summary`: every firm at once, on every core, with totals and shortlists."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from datetime import date
from typing import TextIO

from ..firm_ids import FirmIds
from ..inputs import find_inputs
from ..policies import PolicySet
from ..problem import Problem
from ..progress import Progress
from ..render.summary import RENDER
from ..summary import FirmLine, Summary, firm_line
from ..validate import check_file
from ..vocabulary import Vocabulary, vocabulary
from ..workers import in_order

_policies: PolicySet | None = None  # in each worker (or this process), what it summarises files under
_known: Vocabulary | None = None
_as_of: date | None = None


def _init(policies: PolicySet, known: Vocabulary, as_of: date) -> None:
    global _policies, _known, _as_of
    _policies, _known, _as_of = policies, known, as_of


def _line(task: tuple[int, str]) -> tuple[int, FirmLine]:
    order, file = task
    assert _policies is not None and _known is not None and _as_of is not None
    try:
        checked = check_file(file, _known)
        if not checked.valid:
            return order, FirmLine(file, problems=tuple(checked.problems))
        return order, firm_line(_policies, file, checked.data, _as_of)
    except Exception as exc:  # a bug must not stop the run: it becomes this file's problem, named
        message = f"internal error: {type(exc).__name__}: {exc} (a bug in tiercheck; please report it)"
        return order, FirmLine(file, problems=(Problem(file, 1, 1, message, code="internal"),))


def summary(
    paths: list[str],
    as_of: date,
    policies: PolicySet,
    fmt: str,
    jobs: int,
    out: TextIO,
    *,
    exclude: Sequence[str] = (),
    limit: int | None = 50,
    quiet: bool = False,
) -> int:
    """Fold every firm into one Summary and render it; 1 when any file is invalid."""
    files = find_inputs(paths, exclude)
    policies.in_effect(as_of)  # fail early, in the parent, when no version is in effect
    total = Summary(as_of, [t.id for t in policies.in_effect(as_of).tiers], keep=limit)
    progress = Progress(len(files), "summarising", enabled=not quiet)
    ids = FirmIds()
    # closing the lines leaves the pool, which terminates its workers, however the loop ends (on SIGTERM,
    # cli.main's handler raises Terminated here)
    # in input order, so of two files with one firm id the second is the invalid one; tasks are drawn as
    # workers free up: nothing grows with the number of files
    init = (policies, vocabulary(policies.versions), as_of)
    with closing(in_order(_line, list(enumerate(files)), jobs, _init, init, chunksize=32)) as lines:
        for order, line in lines:
            clash = ids.claim(line.firm, line.file) if line.firm else None
            total.add(line if clash is None else FirmLine(line.file, problems=(clash,)), order)
            progress.advance()
    progress.close()
    out.write(RENDER[fmt](total, policies.in_effect(as_of)))
    return 1 if total.invalid_count else 0
