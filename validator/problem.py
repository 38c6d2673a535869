"""One problem found in an input file, located at its line and column."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Literal, NamedTuple

from .loader import Path_

Severity = Literal["error", "warning"]  # an error makes a file invalid; a warning only says something


# In a file name: control characters, bytes that were not UTF-8 (held as surrogate escapes), and a
# ':' before a digit, which could forge a FILE:LINE:COL location.
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]|:(?=[0-9])")


def shown(name: str) -> str:
    """A file name as text output prints it: one line, encodable, never a forged location."""
    return _UNSAFE_IN_NAME.sub(_escaped, name)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode holds it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Problem(NamedTuple):
    """A problem at FILE:LINE:COL, with the data path it concerns and a kind code."""

    file: str
    line: int
    col: int
    message: str
    path: str = "$"
    code: str = "schema"
    severity: Severity = "error"

    def __str__(self) -> str:
        said = "warning: " if self.severity == "warning" else ""
        return f"{shown(self.file)}:{self.line}:{self.col}: {said}{self.message}"

    def as_json(self) -> dict[str, object]:
        """The problem as JSON output shows it, inside its file's entry."""
        return {
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


def json_path(path: Path_) -> str:
    """Render a data path as a JSONPath: ('people', 3, 'email') -> $.people[3].email."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """`did you mean 'x'? ` for the known word closest to `word` (case aside), or '' when none is close."""
    close = closest(word, known, cutoff)
    return f"did you mean {close!r}? " if close is not None else ""


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known word closest to `word` (case aside), or None when none is close."""
    import difflib  # only a misspelt value needs it: not paid on every start

    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(word.casefold(), by_fold, n=1, cutoff=cutoff)
    return by_fold[close[0]] if close else None


def misspelt(key: str, entry: Mapping[Any, object], allowed: Collection[str]) -> bool:
    """Whether a key of `entry` that is not allowed is `key` misspelt, as the unknown key's own problem
    suggests: then a missing `key` is the same mistake, said once."""
    return any(isinstance(k, str) and k not in allowed and closest(k, allowed) == key for k in entry)
