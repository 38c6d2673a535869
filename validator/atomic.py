"""Write a set of files so that each is either the old one or the complete new one, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_all(folder: Path, files: dict[str, str]) -> None:
    """Write every file to a temporary name beside its target, then rename each over it.

    Nothing is renamed until every file has been written and flushed, so a failure while writing
    leaves the folder as it was (and no temporary files behind).
    """
    folder.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged.append((tmp, folder / name))
            os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a pack is an ordinary file
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in staged:
            Path(tmp).replace(target)
        staged.clear()
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
