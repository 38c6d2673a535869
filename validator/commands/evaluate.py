"""`tiercheck evaluate`: the tier each firm is eligible for as of a date, and why."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from ..evaluate import evaluate as evaluate_firm
from ..firm_ids import FirmIds
from ..inputs import find_inputs
from ..policies import PolicySet
from ..progress import Progress
from ..render.evidence import markdown_problems, md_escape, render_markdown
from ..render.text import render_text
from ..reporters import REPORTERS
from ..result import Evaluation, evaluation_json
from ..standing import with_standings
from ..validate import Checked, check_file
from ..vocabulary import vocabulary

ANNOTATIONS = ("github", "sarif", "junit")  # problems per file, as validate reports them, with the tier found


def evaluate(
    paths: list[str],
    as_of: date,
    policies: PolicySet,
    fmt: str,
    out: TextIO,
    *,
    exclude: Sequence[str] = (),
    stdin_name: str = "<stdin>",
    quiet: bool = False,
) -> int:
    """Evaluate every file in input order; a file that cannot be evaluated reports its problems (exit 1)."""
    files = find_inputs(paths, exclude, stdin=True)
    policy = policies.in_effect(as_of)
    known = vocabulary(policies.versions)
    progress = Progress(len(files), "evaluating", enabled=not quiet)
    # text: each file's problems and warnings as validate prints them, and of several files its totals line
    single = fmt == "text" and len(files) == 1
    reporter = (
        REPORTERS[fmt](out, "tiercheck evaluate", quiet=quiet or single)
        if fmt in (*ANNOTATIONS, "text")
        else None
    )
    docs: list[dict[str, Any]] = []
    failed = 0
    ids = FirmIds()
    for file in files:
        checked = ids.unique(check_file(file, known, stdin_name))
        progress.advance()
        result = None
        if checked.valid:
            result = evaluate_firm(policy, checked.data, as_of, file=checked.file, sha256=checked.sha256)
            with_standings(result, policies, checked.data)
        failed += result is None
        if reporter is not None:
            reporter.file(checked, _note(result))
            if fmt == "text" and result:  # after the file's warnings
                out.write(render_text(result))
        elif fmt == "markdown":
            out.write(
                render_markdown(result, policy) + _markdown_warnings(checked)
                if result
                else markdown_problems(checked.file, [str(p) for p in (*checked.problems, *checked.warnings)])
            )
        else:
            doc = evaluation_json(result) if result else invalid_json(checked, as_of)
            doc["warnings"] = [w.as_json() for w in checked.warnings]
            if fmt == "jsonl":  # a line a file, written as it comes: memory stays flat over 40,000 firms
                out.write(json.dumps(doc) + "\n")
            else:
                docs.append(doc)
    progress.close()
    if reporter is not None:
        reporter.end()
    elif fmt == "json":
        summary = {"files": len(files), "evaluated": len(files) - failed, "invalid": failed}
        json.dump(docs[0] if len(docs) == 1 else {"files": docs, "summary": summary}, out, indent=2)
        out.write("\n")
    return 1 if failed else 0


def invalid_json(checked: Checked, as_of: date) -> dict[str, Any]:
    """A file that could not be evaluated: its problems (`errors` is the same list, kept for the
    contract's first readers)."""
    problems = [p.as_json() for p in checked.problems]
    return {
        "file": checked.file,
        "as_of": as_of.isoformat(),
        "valid": False,
        "problems": problems,
        "errors": problems,
    }


def _markdown_warnings(checked: Checked) -> str:
    """A valid file's warnings after its evaluation, one list item each (nothing when none)."""
    items = "".join(f"- {md_escape(str(w))}\n" for w in checked.warnings)
    return f"### Warnings\n\n{items}\n" if items else ""


def _note(result: Evaluation | None) -> str:
    if result is None:
        return ""
    tier = result.tier(result.eligible_tier)
    return f"{result.firm.get('name')}: eligible for {tier.label if tier else 'no tier'} as of {result.as_of}"
