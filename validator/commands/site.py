"""`tiercheck site`: write the program site on every core, re-rendering only the firms whose file changed.

The manifest (an SQLite file in the output folder) keeps, per input file, its size, mtime and sha256
with the firm's rendered index row; a build key covers the tool, the templates, the policy's sha256
and the as-of date, so a change to any of them renders everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from multiprocessing import Pool
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..firm_ids import FirmIds
from ..inputs import find_inputs
from ..loader import LoadError, read_source
from ..out_folder import out_folder, writing
from ..policies import PolicySet, load_policies
from ..problem import Problem
from ..progress import Progress
from ..render import site as render
from ..resources import bundled
from ..site import assess, firm_page, firm_row, headline, index_context, invalid_row, program_context
from ..validate import check_file, check_source
from ..vocabulary import Vocabulary, vocabulary

MANIFEST = ".tiercheck-site.sqlite"
TABLE = (
    "CREATE TABLE IF NOT EXISTS firms (file TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
    "sha256 TEXT, firm TEXT, eligible TEXT, standing TEXT, tr TEXT, csv TEXT, json TEXT)"
)
COLUMNS = "size, mtime_ns, sha256, firm, eligible, standing, tr, csv, json"


@dataclass(frozen=True)
class Built:
    """One firm file as the site shows it; `page` is the staged page file to rename into place."""

    sha256: str
    firm: str | None
    eligible: str | None
    standing: str | None
    tr: str
    csv: str
    json: str
    page: str | None = None


_policies: PolicySet | None = None  # one per worker process, loaded once
_known: Vocabulary | None = None
_as_of: date | None = None
_out: Path | None = None


def _init(policy_path: str | None, as_of: date, out: Path, policies: PolicySet | None = None) -> None:
    """A worker's state: the policy loaded once (or, in this process, the one already loaded)."""
    global _policies, _known, _as_of, _out
    _policies, _as_of, _out = policies or load_policies(policy_path), as_of, out
    _known = vocabulary(_policies.versions)


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
    metrics = headline(_policies.in_effect(_as_of))
    if not checked.valid:
        row = invalid_row(file, [str(p) for p in checked.problems])
        return Built(checked.sha256, None, None, None, *_fragments(row, metrics))
    e = assess(_policies, file, checked.sha256, checked.data, _as_of)
    ctx, daily = firm_page(_policies, e, checked.data, metrics)
    firm_id = e.firm["id"]
    row = firm_row(e, f"firms/{firm_id}.html", metrics, daily.lost_on)
    staged = _stage(_out / "firms" / f"{firm_id}.html", render.firm_page(ctx), order)
    s = e.standing
    return Built(
        checked.sha256, firm_id, e.eligible_tier, s.tier if s else None, *_fragments(row, metrics), staged
    )


def _fragments(row: dict[str, Any], metrics: list[str]) -> tuple[str, str, str]:
    """The row as the index, firms.csv and firms.json write it."""
    return render.row_html(row, 3 + len(metrics)), render.csv_row(row, metrics), render.json_row(row)


def _stage(target: Path, text: str, order: int) -> str:
    """Write `text` beside `target` under a temporary name; the caller renames it into place."""
    tmp = target.with_name(f".{target.name}.{order}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    return str(tmp)


def build_key(policies: PolicySet, as_of: date) -> str:
    """What every page depends on besides its firm file: the tool, its templates, the policy, the date."""
    h = hashlib.sha256(f"{__version__}\n{as_of}\n".encode())
    for p in policies.versions:
        h.update(p.sha256.encode())
    for t in sorted(bundled("templates").iterdir()):
        if t.suffix in (".j2", ".css", ".js"):
            h.update(t.name.encode() + t.read_bytes())
    return h.hexdigest()


class Manifest:
    """What the last build saw of each input file (size, mtime, sha256) and what it made of it (the
    firm id and its row); updated in place, in one transaction committed when the site is written."""

    def __init__(self, path: Path, key: str) -> None:
        try:
            self.db = self._open(path, key)
        except sqlite3.DatabaseError:  # not a manifest (damaged, or another file): start afresh
            path.unlink()
            self.db = self._open(path, key)

    @staticmethod
    def _open(path: Path, key: str) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT)")
        db.execute(TABLE)
        if db.execute("SELECT key FROM meta").fetchone() != (key,):  # nothing carries over
            db.execute("DELETE FROM firms")
            db.execute("DELETE FROM meta")
            db.execute("INSERT INTO meta VALUES (?)", (key,))
        return db

    def seen(self) -> dict[str, tuple[int, int, str, str | None]]:
        """The size, mtime, sha256 and firm id the last build saw of each file, in one query (about
        250 bytes a file: 10 MB for 40,000; the rows themselves stay on disk)."""
        rows = self.db.execute("SELECT file, size, mtime_ns, sha256, firm FROM firms")
        return {file: (size, mtime, sha, firm) for file, size, mtime, sha, firm in rows}

    def row(self, file: str) -> Built:
        return Built(*self.db.execute(
            "SELECT sha256, firm, eligible, standing, tr, csv, json FROM firms WHERE file = ?", (file,)
        ).fetchone())  # fmt: skip

    def put(self, file: str, stat: tuple[int, int], b: Built) -> None:
        self.db.execute(
            f"INSERT OR REPLACE INTO firms (file, {COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (file, *stat, b.sha256, b.firm, b.eligible, b.standing, b.tr, b.csv, b.json),
        )

    def keep_only(self, files: list[str]) -> None:
        """Forget every file not in `files`."""
        self.db.execute("CREATE TEMP TABLE kept (file TEXT PRIMARY KEY)")
        self.db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((f,) for f in files))
        self.db.execute("DELETE FROM firms WHERE file NOT IN (SELECT file FROM kept)")
        self.db.execute("DROP TABLE kept")

    def forget(self, file: str) -> None:
        self.db.execute("DELETE FROM firms WHERE file = ?", (file,))

    def close(self, commit: bool) -> None:
        if commit:
            self.db.commit()
        self.db.close()


def site(
    paths: list[str],
    as_of: date,
    policies: PolicySet,
    policy_path: str | None,
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
    inside = os.path.abspath(folder) + os.sep  # noqa: PTH100 -- a string per file, not a Path: 40,000 of them
    files = [f for f in find_inputs(paths, exclude) if not os.path.abspath(f).startswith(inside)]  # noqa: PTH100
    policy = policies.in_effect(as_of)  # fail early, in the parent, when no version is in effect
    metrics = headline(policy)
    with writing(folder, "site"):
        (folder / "firms").mkdir(parents=True, exist_ok=True)
        for left in (folder / "firms").glob(".*.tmp"):  # from a build that was stopped
            left.unlink()
        manifest = Manifest(folder / MANIFEST, build_key(policies, as_of))
        tasks, stats = _plan(files, manifest, {p.name for p in (folder / "firms").iterdir()})
        eligible: Counter[str] = Counter()
        standing: Counter[str] = Counter()
        invalid = rendered = 0
        ids = FirmIds()
        owners = ids.owners  # each firm id with its file
        progress = Progress(0 if quiet else len(files), "building the site")
        rows_tmp, csv_tmp, json_tmp = (folder / f".{n}.tmp" for n in ("rows", "firms.csv", "firms.json"))
        with (
            rows_tmp.open("w", encoding="utf-8", newline="\n") as rows,
            csv_tmp.open("w", encoding="utf-8", newline="\n") as csv_out,
            json_tmp.open("w", encoding="utf-8", newline="\n") as json_out,
        ):
            csv_out.write(render.csv_header(metrics))
            json_out.write("[")
            for n, (file, built) in enumerate(
                _results(files, tasks, manifest, policies, policy_path, as_of, folder, jobs)
            ):
                clash = None if built.firm is None else ids.claim(built.firm, file)
                if clash is not None:
                    built = _invalid(file, built, clash, metrics)
                    manifest.forget(file)  # built again next time, when it may no longer clash
                elif file in stats:
                    manifest.put(file, stats[file], built)
                if built.page is not None and built.firm is not None:
                    Path(built.page).replace(folder / "firms" / f"{built.firm}.html")
                    rendered += 1
                elif built.page is not None:
                    Path(built.page).unlink(missing_ok=True)
                if built.firm is None:
                    invalid += 1
                else:
                    eligible[built.eligible or "none"] += 1
                    standing[built.standing or "none"] += 1
                rows.write(built.tr)
                csv_out.write(built.csv)
                json_out.write(("," if n else "") + "\n" + built.json)
                progress.advance()
            json_out.write("\n]\n")
        progress.close()
        head, tail = render.index_page(index_context(policies, as_of, metrics, eligible, standing, invalid))
        index_tmp = folder / ".index.html.tmp"
        with (
            index_tmp.open("w", encoding="utf-8", newline="\n") as index,
            rows_tmp.open(encoding="utf-8") as rows,
        ):
            index.write(head)
            shutil.copyfileobj(rows, index)
            index.write(tail)
        rows_tmp.unlink()
        (folder / ".program.html.tmp").write_text(
            render.program_page(program_context(policies, as_of)), encoding="utf-8", newline="\n"
        )
        for name in ("index.html", "firms.csv", "firms.json", "program.html"):
            (folder / f".{name}.tmp").replace(folder / name)
        manifest.keep_only(files)
        manifest.close(commit=True)
        stale = [p for p in (folder / "firms").glob("*.html") if p.stem not in owners]
        for p in stale:
            p.unlink()
    counts = {"out": str(folder), "firms": len(owners), "rendered": rendered, "invalid": invalid}
    if fmt == "json":
        out.write(json.dumps({**counts, "unchanged": len(owners) - rendered}, indent=2) + "\n")
    elif not quiet:
        out.write(
            f"wrote {folder}: {len(owners)} firm page{'s' * (len(owners) != 1)} ({rendered} rendered, "
            f"{len(owners) - rendered} unchanged), {invalid} invalid file{'s' * (invalid != 1)}, "
            "index.html, program.html, firms.csv, firms.json\n"
        )
    return 1 if invalid else 0


def _stat(file: str) -> tuple[int, int]:
    try:
        st = os.stat(file)  # noqa: PTH116 -- once per file on every build: no Path to parse
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


def _plan(
    files: list[str], manifest: Manifest, pages: set[str]
) -> tuple[list[tuple[int, str, str | None]], dict[str, tuple[int, int]]]:
    """The files to build, with the sha256 the last build saw (if any) and their size and mtime now:
    every file whose size or mtime changed, or whose page is missing. The rest stay as they were."""
    tasks: list[tuple[int, str, str | None]] = []
    stats: dict[str, tuple[int, int]] = {}
    known = manifest.seen()
    for order, file in enumerate(files):
        stat = _stat(file)
        seen = known.get(file)
        page_ok = seen is not None and (seen[3] is None or f"{seen[3]}.html" in pages)
        if seen is not None and page_ok and (seen[0], seen[1]) == stat:
            continue
        tasks.append((order, file, seen[2] if seen is not None and page_ok else None))
        stats[file] = stat
    return tasks, stats


def _results(
    files: list[str],
    tasks: list[tuple[int, str, str | None]],
    manifest: Manifest,
    policies: PolicySet,
    policy_path: str | None,
    as_of: date,
    folder: Path,
    jobs: int,
) -> Iterator[tuple[str, Built]]:
    """Every file in input order, built anew or as the manifest has it."""
    built = _run(tasks, policies, policy_path, as_of, folder, jobs)
    pending = iter(tasks)
    task = next(pending, None)
    for order, file in enumerate(files):
        fresh = None
        if task is not None and task[0] == order:
            fresh = next(built)
            task = next(pending, None)
        yield file, manifest.row(file) if fresh is None else fresh


def _run(
    tasks: list[tuple[int, str, str | None]],
    policies: PolicySet,
    policy_path: str | None,
    as_of: date,
    folder: Path,
    jobs: int,
) -> Iterator[Built | None]:
    if not tasks:
        return
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) < 64:  # a few changed files: here, with the policy already loaded
        _init(policy_path, as_of, folder, policies)
        yield from map(_build, tasks)
        return
    with Pool(jobs, initializer=_init, initargs=(policy_path, as_of, folder)) as pool:
        # in input order; each result is one row and a staged page, so memory does not grow with files
        yield from pool.imap(_build, tasks, chunksize=8)


def _invalid(file: str, built: Built, problem: Problem, metrics: list[str]) -> Built:
    """A file valid on its own that the run finds invalid; its staged page, if any, is left to remove."""
    row = invalid_row(file, [str(problem)])
    return Built(built.sha256, None, None, None, *_fragments(row, metrics), built.page)
