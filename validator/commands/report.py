"""`tiercheck report`: write a firm's evidence pack (HTML, Markdown, JSON) to a folder, or one per firm."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import jinja2

from ..atomic import write_all
from ..evaluate import evaluate
from ..firm_ids import FirmIds
from ..inputs import UsageError, find_inputs
from ..language.model import Policy
from ..out_folder import out_folder, writing
from ..policies import PolicySet
from ..problem import did_you_mean, shown
from ..render.evidence import render
from ..render.templates import PACK, failed_at, unused_in
from ..result import Evaluation
from ..standing import with_standings
from ..validate import check_file
from ..vocabulary import vocabulary


def report(
    path: str,
    as_of: date,
    policies: PolicySet,
    out_dir: str,
    templates: str | None,
    fmt: str,
    out: TextIO,
    *,
    exclude: Sequence[str] = (),
    quiet: bool = False,
) -> int:
    """One firm file: its pack in `out_dir`. A folder: a pack per firm in `out_dir/<firm id>/`. Each pack
    is rendered in memory, then its three files written atomically; 1 when any firm file is invalid
    (it gets no pack; the others do)."""
    if not Path(path).exists():
        raise UsageError(f"{path}: no such file or folder")
    out_folder(out_dir, "pack")
    if templates is not None and not Path(templates).is_dir():
        raise UsageError(f"{templates}: no such templates folder")
    if templates is not None:
        for name in unused_in(Path(templates)):
            sys.stderr.write(
                f"tiercheck: warning: {shown(str(Path(templates) / name))}: not a template the evidence "
                f"pack uses, so it is left unused; {did_you_mean(name, PACK)}a pack's are {', '.join(PACK)}\n"
            )
    one = not Path(path).is_dir()
    known = vocabulary(policies.versions)
    policy = policies.in_effect(as_of)
    packs: list[dict[str, Any]] = []
    failed = 0
    ids = FirmIds()
    for file in [path] if one else find_inputs([path], exclude):
        checked = ids.unique(check_file(file, known))  # a second file's pack would overwrite the first's
        if not checked.valid:
            sys.stderr.writelines(f"{p}\n" for p in checked.problems)
            sys.stderr.write(f"{shown(file)}: invalid, so no evidence pack was written\n")
            failed += 1
            continue
        folder = Path(out_dir) if one else Path(out_dir) / checked.data["firm"]["id"]
        result = evaluate(policy, checked.data, as_of, file=file, sha256=checked.sha256)
        with_standings(result, policies, checked.data)
        written = _write(folder, _render(result, policy, policies, checked.data, templates))
        packs.append({"file": file, "out": str(folder), "written": written})
    if fmt == "json":
        out.write(json.dumps({"packs": packs}, indent=2) + "\n")
    elif not quiet:
        out.writelines(f"wrote {shown(w)}\n" for pack in packs for w in pack["written"])
    return 1 if failed else 0


def _render(
    result: Evaluation, policy: Policy, policies: PolicySet, data: dict[str, Any], templates: str | None
) -> dict[str, str]:
    try:
        return render(result, policy, policies, data, templates)
    except jinja2.TemplateError as exc:
        at = failed_at(exc, templates)
        where = f"{shown(at[0])}:{at[1]}: " if at else ""
        raise UsageError(f"{where}a template failed: {exc}; no evidence pack was written") from None


def _write(folder: Path, files: dict[str, str]) -> list[str]:
    with writing(folder, "pack"):
        write_all(folder, files)
    return [str(folder / name) for name in files]
