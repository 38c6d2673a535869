"""`tiercheck evaluate`: the tier each firm is eligible for as of a date, and why."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, TextIO

from ..evaluate import evaluate as evaluate_firm
from ..inputs import find_inputs
from ..policies import PolicySet
from ..progress import Progress
from ..render.evidence import markdown_problems, render_markdown
from ..render.text import render_text
from ..result import evaluation_json
from ..standing import compute_standing
from ..validate import check_file
from ..vocabulary import vocabulary


def evaluate(paths: list[str], as_of: date, policies: PolicySet, fmt: str, out: TextIO) -> int:
    """Evaluate every file in input order; a file that cannot be evaluated reports its errors (exit 1)."""
    files = find_inputs(paths)
    policy = policies.in_effect(as_of)
    known = vocabulary(policies.versions)
    progress = Progress(len(files), "evaluating")
    docs: list[dict[str, Any]] = []
    failed = 0
    for file in files:
        checked = check_file(file, known)
        progress.advance()
        if not checked.valid:
            failed += 1
            doc: dict[str, Any] = {
                "file": file,
                "as_of": as_of.isoformat(),
                "errors": [p.as_json() for p in checked.problems],
            }
            if fmt == "text":
                out.write("".join(f"{p}\n" for p in checked.problems))
            elif fmt == "markdown":
                out.write(markdown_problems(file, [str(p) for p in checked.problems]))
        else:
            result = evaluate_firm(policy, checked.data, as_of, file=file, sha256=checked.sha256)
            result.standing = compute_standing(policies, checked.data, as_of)
            if fmt == "text":
                out.write(render_text(result))
                continue
            if fmt == "markdown":
                out.write(render_markdown(result, policy))
                continue
            doc = evaluation_json(result)
        if fmt == "jsonl":
            out.write(json.dumps(doc) + "\n")
        elif fmt == "json":
            docs.append(doc)
    progress.close()
    if fmt == "json":
        json.dump(docs[0] if len(docs) == 1 else docs, out, indent=2)
        out.write("\n")
    return 1 if failed else 0
