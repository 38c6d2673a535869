"""One problem found in an input file, located at its line and column."""

from __future__ import annotations

from typing import NamedTuple

from .loader import Path_


class Problem(NamedTuple):
    """A problem at FILE:LINE:COL, with the data path it concerns and a kind code."""

    file: str
    line: int
    col: int
    message: str
    path: str = "$"
    code: str = "schema"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"

    def as_json(self) -> dict[str, object]:
        """The problem as JSON output shows it, inside its file's entry."""
        return {
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "code": self.code,
            "message": self.message,
        }


def json_path(path: Path_) -> str:
    """Render a data path as a JSONPath: ('people', 3, 'email') -> $.people[3].email."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
