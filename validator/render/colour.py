"""Colour for a terminal: ANSI codes when asked for, none when NO_COLOR is set or output is not a terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from ..problem import Problem, shown

BOLD, RED, YELLOW, RESET = "\033[1m", "\033[31m", "\033[33m", "\033[0m"


def use_colour(choice: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """`always` and `never` as said; `auto` colours a terminal unless NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return not environ.get("NO_COLOR") and stream.isatty()


def paint(p: Problem) -> str:
    """`FILE:LINE:COL:` in bold, then the message in red (an error) or yellow (a warning)."""
    colour = YELLOW if p.severity == "warning" else RED
    said = "warning: " if p.severity == "warning" else ""
    return f"{BOLD}{shown(p.file)}:{p.line}:{p.col}:{RESET} {colour}{said}{p.message}{RESET}"
