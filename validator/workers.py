"""What a worker process of a command's pool does with the signals its parent handles."""

from __future__ import annotations

import signal


def leave_signals_to_parent() -> None:
    """Ctrl-C is the parent's, which stops the pool; SIGTERM from the pool ends a worker quietly
    (not with the parent's handler, inherited by fork, which would print a traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
