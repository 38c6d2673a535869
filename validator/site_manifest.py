"""What the last site build saw of each input file and what it made of it, in an SQLite file.

A file whose size, mtime and inode are as the manifest has them is taken as unchanged without being
read; when any of them differs, the file is read and its sha256 decides: the same sha256 means the
stored row and page still hold. A file modified within RACY_NS before the build looked at it has its
stat stored as untrusted, so the next build reads it again (a second write in the same clock tick would
leave its stat as it was).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

MANIFEST = ".tiercheck-site.sqlite"
SCHEMA = (
    "CREATE TABLE firms (file TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, "
    "sha256 TEXT, firm TEXT, eligible TEXT, standing TEXT, others TEXT, tr BLOB, csv BLOB, json BLOB)",
    # what seen() reads of every file, so it scans this and not the rows: about half its time
    "CREATE INDEX stats ON firms (file, size, mtime_ns, inode, firm)",
)
RACY_NS = 2_000_000_000  # the coarsest mtime tick in common use (FAT): 2 seconds
CHUNK = 500  # files looked up in one query: under SQLite's oldest limit of 999 parameters

Stat = tuple[int, int, int]  # size, mtime_ns, inode; (-1, -1, -1) for a file that cannot be looked at


class Built(NamedTuple):  # a tuple, not a dataclass: 40,000 are made on every rebuild, and cheaply
    """One firm file as the site shows it; `page` is the staged page file to rename into place."""

    sha256: str
    firm: str | None
    eligible: str | None
    standing: str | None
    others: str  # every other designation's [id, eligible, standing], as JSON; "" when there is none
    tr: bytes  # UTF-8, as written: copied from the manifest to the files without decoding
    csv: bytes
    json: bytes
    page: str | None = None


class Seen(NamedTuple):
    """What the manifest has of one file, without its sha256 (asked for only when the stat differs) and
    without its rows."""

    stat: Stat
    firm: str | None


def trusted(stat: Stat, started_ns: int) -> Stat:
    """The stat to store: an mtime so recent that a later write could share its tick is stored as -1."""
    return (stat[0], -1, stat[2]) if stat[1] >= started_ns - RACY_NS else stat


class Manifest:
    """The manifest of one output folder, updated in place in one transaction committed at the end."""

    def __init__(self, path: Path, key: str) -> None:
        try:
            self.db, self.carried = self._open(path, key)
        except sqlite3.DatabaseError:  # not a manifest (damaged, or another file): start afresh
            path.unlink()
            self.db, self.carried = self._open(path, key)

    @staticmethod
    def _open(path: Path, key: str) -> tuple[sqlite3.Connection, bool]:
        """The manifest at `path`, and whether the last build's rows carry over: they do when its key is
        `key` (the tool, templates, policy, date, this table); else it is emptied."""
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT)")
        if db.execute("SELECT key FROM meta").fetchone() == (key,):
            return db, True
        db.execute("DROP TABLE IF EXISTS firms")
        for statement in SCHEMA:
            db.execute(statement)
        db.execute("DELETE FROM meta")
        db.execute("INSERT INTO meta VALUES (?)", (key,))
        return db, False

    def seen(self) -> dict[str, Seen]:
        """What the last build saw of each file, in one query (about 200 bytes a file: 8 MB for 40,000;
        the rows themselves stay on disk)."""
        rows = self.db.execute("SELECT file, size, mtime_ns, inode, firm FROM firms")
        return {file: Seen((size, mtime, inode), firm) for file, size, mtime, inode, firm in rows}

    def sha256s(self, files: list[str]) -> dict[str, str]:
        """The sha256 the last build read in each of `files`, CHUNK files a query."""
        out: dict[str, str] = {}
        for start in range(0, len(files), CHUNK):
            chunk = files[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            out.update(self.db.execute(f"SELECT file, sha256 FROM firms WHERE file IN ({marks})", chunk))
        return out

    def rows(self, files: Iterable[str]) -> dict[str, Built]:
        """The stored rows of up to CHUNK files, in one query."""
        wanted = list(files)
        if not wanted:
            return {}
        found = self.db.execute(
            "SELECT file, sha256, firm, eligible, standing, others, tr, csv, json FROM firms WHERE file IN "
            f"({','.join('?' * len(wanted))})",
            wanted,
        )
        return {file: Built(*rest) for file, *rest in found}

    def put(self, file: str, stat: Stat, b: Built) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO firms VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (file, *stat, b.sha256, b.firm, b.eligible, b.standing, b.others, b.tr, b.csv, b.json),
        )

    def forget(self, files: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM firms WHERE file = ?", ((f,) for f in files))

    def close(self, commit: bool) -> None:
        if commit:
            self.db.commit()
        self.db.close()
