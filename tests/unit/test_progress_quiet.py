"""--quiet turns the progress line off even on a terminal."""

from __future__ import annotations

import io

from validator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_and_not_when_quiet() -> None:
    shown, quiet = Terminal(), Terminal()
    for stream, enabled in ((shown, True), (quiet, False)):
        progress = Progress(10, "validating", stream=stream, delay=0.0, enabled=enabled)
        progress.advance()
        progress.close()
    assert "validating 1/10 files" in shown.getvalue()
    assert quiet.getvalue() == ""
