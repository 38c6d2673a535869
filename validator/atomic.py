"""Replace a set of files as a unit: one rename switches every name from the old run's files to the new.

Layout inside the folder (other files there are left alone):

    evidence.html -> .pack/current/evidence.html     (fixed symbolic links, made once)
    .pack/current -> v-XXXX                          (the one link each run replaces)
    .pack/v-XXXX/evidence.html, ...                  (one run's files)
    .pack/lock                                       (flock: one run at a time)

A run writes and fsyncs a new version folder, then renames a new `current` link over the old one,
so a reader (or a run killed at any moment) sees the old set or the new set, never a mix. Versions
that `current` does not name are leftovers of a failed or killed run and are removed by the next.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .out_folder import alone

STORE = ".pack"


def write_all(folder: Path, files: dict[str, str]) -> None:
    """Make `folder/<name>` hold `files[name]` for every name at once; on failure the old set stays."""
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / STORE
    store.mkdir(exist_ok=True)
    with alone(store / "lock"):
        _remove_leftovers(store)
        _adopt_plain_files(folder, store, list(files))
        version = _write_version(store, files)
        try:
            for name in files:
                _replace_with_link(folder / name, f"{STORE}/current/{name}")
            _replace_with_link(store / "current", version.name)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
        _fsync_dir(store)
        _remove_leftovers(store)


def _write_version(store: Path, files: dict[str, str]) -> Path:
    version = Path(tempfile.mkdtemp(prefix="v-", dir=store))
    try:
        umask = os.umask(0)
        os.umask(umask)
        version.chmod(0o777 & ~umask)  # mkdtemp makes 0700; a pack is an ordinary folder
        for name, text in files.items():
            with (version / name).open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(version)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    return version


def _replace_with_link(path: Path, target: str) -> None:
    """Make `path` a symbolic link to `target` with one rename (nothing to do if it already is)."""
    if path.is_symlink() and str(path.readlink()) == target:
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.link")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    temporary.replace(path)


def _adopt_plain_files(folder: Path, store: Path, names: list[str]) -> None:
    """A pack written by an older tiercheck holds plain files: make them the current version first,
    so that turning each name into a link changes nothing a reader sees."""
    plain = [name for name in names if (folder / name).is_file() and not (folder / name).is_symlink()]
    if not plain:
        return
    version = Path(tempfile.mkdtemp(prefix="v-", dir=store))
    for name in plain:
        os.link(folder / name, version / name)
    _replace_with_link(store / "current", version.name)
    for name in plain:
        _replace_with_link(folder / name, f"{STORE}/current/{name}")


def _remove_leftovers(store: Path) -> None:
    """Every version but the current one, and links a killed run left half made."""
    current = str((store / "current").readlink()) if (store / "current").is_symlink() else None
    for entry in store.iterdir():
        if entry.name in ("current", "lock", current):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    for link in store.parent.glob("*.link"):
        if link.is_symlink() and str(link.readlink()).startswith(f"{STORE}/"):
            link.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
