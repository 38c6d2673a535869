"""The folder a command writes into (--out): a file there, or a folder it cannot write, is a usage error."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .inputs import UsageError


def out_folder(given: str, what: str) -> Path:
    """`--out` as a path; naming a file is a usage error, and the file is left as it is."""
    folder = Path(given)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{given}: is a file, not a folder; --out names the folder to write the {what} into")
    return folder


@contextmanager
def writing(folder: Path, what: str) -> Iterator[None]:
    """Failing to write in the block is one usage error naming the folder and what to do instead."""
    try:
        yield
    except OSError as exc:
        raise UsageError(
            f"{folder}: cannot write the {what} here ({exc.strerror or exc}); "
            "choose a folder you can write to with --out DIR"
        ) from None


@contextmanager
def alone(lock: Path) -> Iterator[None]:
    """Hold `lock` (an flock on a file made if missing) for the block: a second run waits for the first."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
