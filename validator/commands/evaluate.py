"""`tiercheck evaluate`: the tier each firm is eligible for as of a date, and why; on every core."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import closing
from datetime import date
from typing import Any, NamedTuple, TextIO

from ..evaluate import evaluate as evaluate_firm
from ..firm_ids import FirmIds
from ..inputs import find_inputs
from ..language.model import Policy
from ..policies import PolicySet
from ..progress import Progress
from ..render.evidence import markdown_problems, md_escape, render_markdown
from ..render.text import render_text
from ..reporters import REPORTERS
from ..result import Evaluation, evaluation_json
from ..standing import with_standings
from ..validate import Checked, check_file
from ..vocabulary import Vocabulary, vocabulary
from ..workers import in_order

ANNOTATIONS = ("github", "sarif", "junit")  # problems per file, as validate reports them, with the tier found


class _Done(NamedTuple):
    """One file evaluated, as a worker hands it back: small to send (no firm data, no Evaluation)."""

    checked: Checked  # without its data
    firm: str | None  # a valid file's firm id
    note: str  # what annotation formats say of a valid file: its tier
    shown: str | dict[str, Any]  # the file in the output format (a JSON document for `json`)


class _Run(NamedTuple):
    """What every file of a run is evaluated against."""

    policies: PolicySet
    policy: Policy  # the version in effect on the as-of date
    known: Vocabulary
    as_of: date
    fmt: str
    stdin_name: str


_run: _Run | None = None  # in each worker (or this process), the run it evaluates files of


def _init(run: _Run) -> None:
    global _run
    _run = run


def _one(file: str) -> _Done:
    """Check, evaluate and render one file."""
    assert _run is not None
    checked = check_file(file, _run.known, _run.stdin_name)
    result = None
    if checked.valid:
        result = evaluate_firm(
            _run.policy,
            checked.data,
            _run.as_of,
            file=checked.file,
            sha256=checked.sha256,
        )
        with_standings(result, _run.policies, checked.data)
    firm = checked.data["firm"]["id"] if checked.valid else None
    return _Done(checked._replace(data=None), firm, _note(result), _shown(checked, result, _run))


def _shown(checked: Checked, result: Evaluation | None, run: _Run) -> str | dict[str, Any]:
    """The file as the format shows it (annotation formats: nothing beyond the reporter's lines)."""
    fmt = run.fmt
    if fmt == "text":  # after the file's warnings, which the reporter prints
        return render_text(result) if result else ""
    if fmt in ANNOTATIONS:
        return ""
    if fmt == "markdown":
        if result is None:
            return markdown_problems(checked.file, [str(p) for p in (*checked.problems, *checked.warnings)])
        return render_markdown(result, run.policy) + _markdown_warnings(checked)
    doc = evaluation_json(result) if result else invalid_json(checked, run.as_of)
    doc["warnings"] = [w.as_json() for w in checked.warnings]
    # jsonl: a line a file, written as it comes: memory stays flat over 40,000 firms
    return json_line(doc) if fmt == "jsonl" else doc


def json_line(doc: dict[str, Any]) -> str:
    """A JSON Lines line: compact JSON, UTF-8, by orjson (a sixth of `json.dumps`'s time on an evaluation);
    by `json` when orjson refuses the text, a file name holding bytes that are not UTF-8, which it then
    escapes."""
    import orjson  # here, not above: ~30 ms to import, which one file in any other format need not pay

    try:
        return orjson.dumps(doc).decode() + "\n"
    except orjson.JSONEncodeError:
        return json.dumps(doc, separators=(",", ":")) + "\n"


def evaluate(
    paths: list[str],
    as_of: date,
    policies: PolicySet,
    fmt: str,
    out: TextIO,
    *,
    jobs: int = 1,
    exclude: Sequence[str] = (),
    stdin_name: str = "<stdin>",
    quiet: bool = False,
) -> int:
    """Evaluate every file, output in input order; a file that cannot be evaluated reports its problems
    (exit 1). `jobs` processes (0: every core) when there are many files and none is standard input."""
    files = find_inputs(paths, exclude, stdin=True)
    # the version in effect: found here, so a date before the first is refused before any file is read
    run = _Run(policies, policies.in_effect(as_of), vocabulary(policies.versions), as_of, fmt, stdin_name)
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
    # closing the results leaves the pool, terminating its workers, however the loop ends (on SIGTERM,
    # cli.main's handler raises Terminated here)
    jobs = 1 if "-" in files else jobs  # standard input is this process's to read
    with closing(in_order(_one, files, jobs, _init, (run,), chunksize=16)) as results:
        for done in results:
            checked, note, shown = done.checked, done.note, done.shown
            clash = ids.claim(done.firm, checked.file) if done.firm is not None else None
            if clash is not None:  # a firm id taken by an earlier file: this one is invalid, at its id
                checked, note = checked._replace(problems=[clash]), ""
                shown = _shown(checked, None, run)
            progress.advance()
            failed += not checked.valid
            if reporter is not None:
                reporter.file(checked, note)
            if isinstance(shown, dict):
                docs.append(shown)
            else:
                out.write(shown)
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
