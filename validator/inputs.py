"""Turn the paths given on the command line into the list of firm files to read."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from .site_manifest import MANIFEST

SUFFIXES = (".yaml", ".yml", ".json")

# The files tiercheck writes that a walk would take for firm files, by what marks their folder as its
# output: an evidence pack's evidence.json (beside the pack's `.pack/` store, atomic.STORE) and a site's
# firms.json (beside its manifest). A walk in any command leaves them out; a file named on the command
# line is read as given.
OWN_OUTPUTS = {".pack": "evidence.json", MANIFEST: "firms.json"}


class UsageError(Exception):
    """The command cannot run as asked: exit status 2."""


class Terminated(BaseException):
    """SIGTERM asked the command to stop: exit status 143 (128 + 15), as a shell reports it."""


STDIN = "-"


def find_inputs(paths: list[str], exclude: Sequence[str] = (), *, stdin: bool = False) -> list[str]:
    """Files as given; directories walked in sorted order (hidden folders skipped) for *.yaml *.yml *.json,
    leaving out what an `exclude` glob matches; `-` is standard input where the command reads it. Each
    path once, where it first comes.

    Only path strings are kept (about 100 bytes a file), so 40,000 files cost a few MB.
    """
    found: list[str] = []
    for given in paths:
        if given == STDIN:
            if not stdin:
                raise UsageError("this command reads files, not standard input ('-'): name the files")
            found.append(given)
        elif _is_dir(given):
            before = len(found)
            walked = _walk(given, exclude)
            found.extend((f for f in walked if not excluded(f, exclude)) if exclude else walked)
            if len(found) == before:
                raise UsageError(
                    f"{given}: no *.yaml, *.yml or *.json files in this directory"
                    + (" that --exclude leaves" if exclude else "")
                    + _own_output(given)
                )
        elif _exists(given):
            found.append(given)
        else:
            raise UsageError(f"{given}: no such file or directory")
    return list(dict.fromkeys(found))  # a file named twice, or named and found in a walk, is read once


def _own_output(folder: str) -> str:
    """Why a folder holding tiercheck's output gave no files (nothing when it holds none)."""
    own = [f for m, f in OWN_OUTPUTS.items() if (Path(folder) / m).exists() and (Path(folder) / f).exists()]
    if not own:
        return ""
    said = f"{own[0]} here is" if len(own) == 1 else f"{' and '.join(own)} here are"
    return f"; {said} tiercheck's own output, not read in a folder walk (name the file to read it)"


def excluded(path: str, globs: Sequence[str]) -> bool:
    """Whether a glob matches the path or its last part (`package.json`, `*.json`).

    A glob with a `/` is a path from the current folder, written either way (`docs/*.yml`,
    `./docs/*.yml`, `**/mkdocs.yml`), or an absolute one (a config file's globs are made absolute).
    """
    if not globs:  # the usual case, asked once per file: nothing to work out
        return False
    name = Path(path).name
    full = _absolute(path)
    return any(fnmatch.fnmatch(full, _absolute(g)) if "/" in g else fnmatch.fnmatch(name, g) for g in globs)


def _absolute(path: str) -> str:
    """The path from the filesystem root, `.` and `..` resolved as written (links are not followed)."""
    return Path(os.path.abspath(path)).as_posix()  # noqa: PTH100  - Path.resolve would follow links


def _is_dir(path: str) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:  # a folder on the way cannot be searched: reading the path says so, located
        return False


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:
        return True


def _walk(top: str, exclude: Sequence[str]) -> Iterator[str]:
    """Files to check, and each folder the walk cannot read (reading it then says why), never skipped."""
    unreadable: list[OSError] = []
    for folder, dirs, names in os.walk(top, onerror=unreadable.append):
        while unreadable:
            yield str(unreadable.pop(0).filename)
        own = {file for marker, file in OWN_OUTPUTS.items() if marker in dirs or marker in names}
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not excluded(f"{folder}{os.sep}{d}", exclude)
        )
        prefix = folder.rstrip(os.sep) + os.sep
        for name in sorted(names):
            if name.lower().endswith(SUFFIXES) and not name.startswith(".") and name not in own:
                yield prefix + name
    yield from (str(error.filename) for error in unreadable)
