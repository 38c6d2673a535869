"""A quiet progress line on stderr, shown only on a terminal and only for runs that take a while."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts done items; after `delay` seconds draws `label done/total rate`, ten times a second at most."""

    def __init__(
        self,
        total: int,
        label: str,
        stream: TextIO | None = None,
        delay: float = 2.0,
        *,
        enabled: bool = True,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 1 and self.stream.isatty()
        self.total, self.label, self.done, self.drawn = total, label, 0, False
        self.start = time.monotonic()
        self.next_draw = self.start + delay

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and now >= self.next_draw:
            rate = self.done / (now - self.start)
            self.stream.write(f"\r{self.label} {self.done}/{self.total} files, {rate:,.0f}/s ")
            self.stream.flush()
            self.drawn, self.next_draw = True, now + 0.1

    def close(self) -> None:
        """Erase the line, so what follows starts clean."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
