"""`tiercheck report`: write one firm's evidence pack (HTML, Markdown, JSON) to a folder."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

import jinja2

from ..atomic import write_all
from ..evaluate import evaluate
from ..inputs import UsageError
from ..policies import PolicySet
from ..render.evidence import render
from ..standing import compute_standing
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
) -> int:
    """Render the pack in memory, then write its three files atomically; 1 (and nothing written) when
    the firm file is invalid."""
    if Path(path).is_dir():
        raise UsageError(
            f"{path}: is a folder; report writes one firm's pack: name its file, e.g. {path}/firm.yaml"
        )
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise UsageError(f"{out_dir}: is a file, not a folder; --out names the folder to write the pack into")
    if templates is not None and not Path(templates).is_dir():
        raise UsageError(f"{templates}: no such templates folder")
    checked = check_file(path, vocabulary(policies.versions))
    if not checked.valid:
        sys.stderr.writelines(f"{p}\n" for p in checked.problems)
        sys.stderr.write(f"{path}: invalid, so no evidence pack was written\n")
        return 1
    policy = policies.in_effect(as_of)
    result = evaluate(policy, checked.data, as_of, file=path, sha256=checked.sha256)
    result.standing = compute_standing(policies, checked.data, as_of)
    try:
        files = render(result, policy, policies, checked.data, templates)
    except jinja2.TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise UsageError(f"a template failed{where}: {exc}; no evidence pack was written") from None
    try:
        write_all(Path(out_dir), files)
    except OSError as exc:
        raise UsageError(
            f"{out_dir}: cannot write the pack here ({exc.strerror or exc}); "
            "choose a folder you can write to with --out DIR"
        ) from None
    written = [str(Path(out_dir) / name) for name in files]
    if fmt == "json":
        pack = {"file": path, "out": out_dir, "written": written}
        out.write(json.dumps({"packs": [pack]}, indent=2) + "\n")
    else:
        out.writelines(f"wrote {w}\n" for w in written)
    return 0
