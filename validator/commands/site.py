"""`tiercheck site`: write the program site on every core, re-rendering only the firms whose file changed.

The manifest (an SQLite file in the output folder, `validator.site_manifest`) keeps, per input file,
its size, mtime, inode and sha256 with the firm's rows as the index, firms.csv and firms.json write
them, so a rebuild re-emits those from stored rows; a build key covers the tool, the templates, the
policy's sha256 and the as-of date, so a change to any of them renders everything again. A file whose
bytes would not change is not written again. Two builds into one folder take turns (an flock).
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .. import __version__
from ..firm_ids import FirmIds
from ..inputs import find_inputs
from ..language.model import Policy
from ..loader import LoadError, read_source
from ..out_folder import alone, out_folder, writing
from ..policies import PolicySet
from ..problem import Problem
from ..progress import Progress
from ..render import site as render
from ..resources import bundled
from ..site import (
    assess,
    firm_page,
    firm_row,
    headline,
    index_context,
    invalid_row,
    program_context,
)
from ..site_manifest import CHUNK, MANIFEST, SCHEMA, Built, Manifest, Seen, Stat, trusted
from ..validate import check_file, check_source
from ..vocabulary import Vocabulary, vocabulary
from ..workers import in_order

LOCK = ".tiercheck-site.lock"  # held for the whole build: two builds into one folder run one after the other
_policies: PolicySet | None = None  # one per worker process, loaded once
_known: Vocabulary | None = None
_as_of: date | None = None
_out: Path | None = None


def _init(policies: PolicySet, known: Vocabulary, as_of: date, out: Path) -> None:
    """A worker's state (or this process's): the policy the command loaded, where pages go."""
    global _policies, _known, _as_of, _out
    _policies, _known, _as_of, _out = policies, known, as_of, out


def _build(task: tuple[int, str, str | None]) -> Built | None:
    """Evaluate and render one firm file; None when its sha256 is `known` (it has not changed)."""
    order, file, known = task
    assert _policies is not None and _known is not None and _as_of is not None and _out is not None
    try:
        source = read_source(file)
    except (LoadError, OSError):
        checked = check_file(file, _known)  # says why, at FILE:LINE:COL
    else:
        if source.sha256 == known:
            return None
        checked = check_source(source, _known)
    policy = _policies.in_effect(_as_of)
    metrics = headline(policy)
    if not checked.valid:
        row = invalid_row(file, [str(p) for p in checked.problems])
        return Built(checked.sha256, None, None, None, "", *_fragments(row, policy))
    e = assess(_policies, file, checked.sha256, checked.data, _as_of)
    ctx, daily = firm_page(_policies, e, checked.data, metrics)
    firm_id = e.firm["id"]
    row = firm_row(e, f"firms/{firm_id}.html", metrics, daily.lost_on)
    staged = _stage(_out / "firms" / f"{firm_id}.html", render.firm_page(ctx), order)
    s = e.standing
    others = [[d.id, d.eligible_tier, d.standing.tier if d.standing else None] for d in e.other_designations]
    return Built(
        checked.sha256,
        firm_id,
        e.eligible_tier,
        s.tier if s else None,
        json.dumps(others) if others else "",
        *_fragments(row, policy),
        staged,
    )


def _fragments(row: dict[str, Any], policy: Policy) -> tuple[bytes, bytes, bytes]:
    """The row as the index, firms.csv and firms.json write it, in UTF-8: stored and copied as bytes."""
    metrics, others = headline(policy), [d.id for d in policy.designations[1:]]
    columns = 3 + len(metrics) + bool(others)  # an invalid file's problems span all but name and tier
    html, csv, obj = render.row_html(row, columns), render.csv_row(row, metrics, others), render.json_row(row)
    return html.encode(), csv.encode(), obj.encode()


def _stage(target: Path, text: str, order: int) -> str:
    """Write `text` beside `target` under a temporary name; the caller renames it into place."""
    tmp = target.with_name(f".{target.name}.{order}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    return str(tmp)


def build_key(policies: PolicySet, as_of: date) -> str:
    """What every page depends on besides its firm file: the tool, its templates, the policy, the date
    (and the manifest's own layout)."""
    h = hashlib.sha256(f"{__version__}\n{as_of}\n{SCHEMA}\n".encode())
    for p in policies.versions:
        h.update(p.sha256.encode())
    for t in sorted(bundled("templates").iterdir()):
        if t.suffix in (".j2", ".css", ".js"):
            h.update(t.name.encode() + t.read_bytes())
    return h.hexdigest()


def site(
    paths: list[str],
    as_of: date,
    policies: PolicySet,
    out_dir: str,
    jobs: int,
    fmt: str,
    out: TextIO,
    *,
    exclude: Sequence[str] = (),
    quiet: bool = False,
) -> int:
    """Write index.html, firms.csv, firms.json, program.html and firms/<id>.html; 1 when a file is invalid."""
    folder = out_folder(out_dir, "site")
    files = find_inputs(paths, exclude)
    policy = policies.in_effect(as_of)  # fail early, in the parent, when no version is in effect
    metrics = headline(policy)
    pages_dir = folder / "firms"
    with writing(folder, "site"):
        pages_dir.mkdir(parents=True, exist_ok=True)
        with alone(folder / LOCK):  # a second build into this folder waits for the first
            listed = os.listdir(pages_dir)  # noqa: PTH208 -- once: 40,000 names, cheap as strings, dear as Paths
            for left in (n for n in listed if n.endswith(".tmp")):  # from a build that was stopped
                (pages_dir / left).unlink()
            manifest = Manifest(folder / MANIFEST, build_key(policies, as_of))
            known = manifest.seen()
            tasks, stats = _plan(files, known, {n for n in listed if n.endswith(".html")}, manifest.sha256s)
            tiers: Counter[tuple[str | None, str | None, str]] = Counter()  # eligible, standing, others
            invalid = rendered = 0
            written: list[str] = []  # the files whose bytes this build wrote, for --format json
            removed: list[str] = []
            ids = FirmIds()
            owners = ids.owners  # each firm id with its file
            progress = Progress(0 if quiet else len(files), "building the site")
            rows_tmp, csv_tmp, json_tmp = (folder / f".{n}.tmp" for n in ("rows", "firms.csv", "firms.json"))
            results = _results(files, tasks, manifest, policies, as_of, folder, jobs)
            with (
                rows_tmp.open("wb") as rows,
                csv_tmp.open("wb") as csv_out,
                json_tmp.open("wb") as json_out,
                closing(results),  # which ends the pool, terminating its workers, however the loop ends
            ):
                others = [d.id for d in policy.designations[1:]]
                trs: list[bytes] = []
                lines, objs = [render.csv_header(metrics, others).encode()], [b"["]
                for n, (file, built) in enumerate(results):
                    clash = None if built.firm is None else ids.claim(built.firm, file)
                    if clash is not None:
                        built = _invalid(file, built, clash, policy)
                        manifest.forget([file])  # built again next time, when it may no longer clash
                    elif file in stats:
                        manifest.put(file, stats[file], built)
                    if built.page is not None and built.firm is not None:
                        _publish(Path(built.page), pages_dir / f"{built.firm}.html", written)
                        rendered += 1
                    elif built.page is not None:
                        Path(built.page).unlink(missing_ok=True)
                    if built.firm is None:
                        invalid += 1
                    else:
                        tiers[built.eligible, built.standing, built.others] += 1
                    trs.append(built.tr)
                    lines.append(built.csv)
                    objs += (b",\n" if n else b"\n", built.json)
                    if len(trs) == CHUNK:  # a write per chunk, not three per firm
                        _flush((rows, trs), (csv_out, lines), (json_out, objs))
                    progress.advance()
                objs.append(b"\n]\n")
                _flush((rows, trs), (csv_out, lines), (json_out, objs))
            progress.close()
            eligible, standing = _by_designation(tiers, policy.designations[0].id)
            head, tail = render.index_page(
                index_context(policies, as_of, metrics, eligible, standing, invalid)
            )
            index_tmp = folder / ".index.html.tmp"
            with (
                index_tmp.open("wb") as index,
                rows_tmp.open("rb") as rows,
            ):
                index.write(head.encode())
                shutil.copyfileobj(rows, index)
                index.write(tail.encode())
            rows_tmp.unlink()
            for name in ("index.html", "firms.csv", "firms.json"):
                _publish(folder / f".{name}.tmp", folder / name, written)
            if not (manifest.carried and (folder / "program.html").is_file()):  # it depends on the key only
                (folder / ".program.html.tmp").write_text(
                    render.program_page(program_context(policies, as_of)), encoding="utf-8", newline="\n"
                )
                _publish(folder / ".program.html.tmp", folder / "program.html", written)
            manifest.forget(known.keys() - set(files))
            manifest.close(commit=True)
            for name in listed:
                if name.endswith(".html") and name[: -len(".html")] not in owners:
                    (pages_dir / name).unlink(missing_ok=True)
                    removed.append(str(pages_dir / name))
    counts = {"out": str(folder), "firms": len(owners), "rendered": rendered, "invalid": invalid}
    if fmt == "json":
        unchanged = len(owners) - rendered
        doc = {**counts, "unchanged": unchanged, "written": written, "removed": removed}
        out.write(json.dumps(doc, indent=2) + "\n")
    elif not quiet:
        out.write(
            f"wrote {folder}: {len(owners)} firm page{'s' * (len(owners) != 1)} ({rendered} rendered, "
            f"{len(owners) - rendered} unchanged), {invalid} invalid file{'s' * (invalid != 1)}, "
            "index.html, program.html, firms.csv, firms.json\n"
        )
    return 1 if invalid else 0


def _flush(*pairs: tuple[BinaryIO, list[bytes]]) -> None:
    """Write each list of byte strings to its file, and empty it."""
    for out, parts in pairs:
        out.write(b"".join(parts))
        parts.clear()


def _by_designation(
    tiers: Counter[tuple[str | None, str | None, str]], main: str
) -> tuple[Counter[tuple[str, str | None]], Counter[tuple[str, str | None]]]:
    """The firms eligible for and holding each tier, by designation and tier, from the tally of rows."""
    eligible: Counter[tuple[str, str | None]] = Counter()
    standing: Counter[tuple[str, str | None]] = Counter()
    for (tier, held, others), n in tiers.items():
        for d, e, s in [(main, tier, held), *(json.loads(others) if others else ())]:
            eligible[d, e] += n
            standing[d, s] += n
    return eligible, standing


def _publish(staged: Path, target: Path, written: list[str]) -> None:
    """Move the staged file into place (and add it to `written`), unless `target` already has its bytes:
    then it is left alone (its mtime too, so a copy to the host sends only what changed)."""
    try:
        same = target.stat().st_size == staged.stat().st_size and filecmp.cmp(staged, target, shallow=False)
    except FileNotFoundError:
        same = False
    if same:
        staged.unlink()
    else:
        staged.replace(target)
        written.append(str(target))


def _stat(file: str) -> Stat:
    try:
        st = os.stat(file)  # noqa: PTH116 -- once per file on every build: no Path to parse
    except OSError:
        return -1, -1, -1
    return st.st_size, st.st_mtime_ns, st.st_ino


def _plan(
    files: list[str], known: dict[str, Seen], pages: set[str], sha256s: Callable[[list[str]], dict[str, str]]
) -> tuple[list[tuple[int, str, str | None]], dict[str, Stat]]:
    """The files to build, with the sha256 the last build saw (if any) and their stat now: every file
    whose size, mtime or inode changed, or whose page is missing. The rest stay as they were."""
    changed: list[tuple[int, str, bool]] = []  # and whether the last build's sha256 still tells
    stats: dict[str, Stat] = {}
    started = time.time_ns()
    for order, file in enumerate(files):
        stat = _stat(file)
        seen = known.get(file)
        page_ok = seen is not None and (seen.firm is None or f"{seen.firm}.html" in pages)
        if seen is not None and page_ok and seen.stat == stat:
            continue
        changed.append((order, file, page_ok))
        stats[file] = trusted(stat, started)
    shas = sha256s([file for _, file, page_ok in changed if page_ok])
    return [(order, file, shas.get(file) if page_ok else None) for order, file, page_ok in changed], stats


def _results(
    files: list[str],
    tasks: list[tuple[int, str, str | None]],
    manifest: Manifest,
    policies: PolicySet,
    as_of: date,
    folder: Path,
    jobs: int,
) -> Generator[tuple[str, Built], None, None]:
    """Every file in input order, built anew or as the manifest has it (looked up CHUNK files a query)."""
    pending = iter(tasks)
    task = next(pending, None)
    init = (policies, vocabulary(policies.versions), as_of, folder)
    # in input order; each result is one row and a staged page, so memory does not grow with files
    with closing(in_order(_build, tasks, jobs, _init, init, chunksize=8)) as built:
        for start in range(0, len(files), CHUNK):
            chunk = files[start : start + CHUNK]
            fresh: dict[int, Built | None] = {}
            while task is not None and task[0] < start + len(chunk):
                fresh[task[0]] = next(built)
                task = next(pending, None)
            stored = manifest.rows(f for i, f in enumerate(chunk, start) if fresh.get(i) is None)
            for order, file in enumerate(chunk, start):
                b = fresh.get(order)
                yield file, stored[file] if b is None else b


def _invalid(file: str, built: Built, problem: Problem, policy: Policy) -> Built:
    """A file valid on its own that the run finds invalid; its staged page, if any, is left to remove."""
    row = invalid_row(file, [str(problem)])
    return Built(built.sha256, None, None, None, "", *_fragments(row, policy), built.page)
