"""A command's pool of worker processes, started so that no signal can leave a worker behind."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any

_STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def pool(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Iterator[Pool]:
    """A pool of `jobs` workers, terminated when the `with` ends, however it ends. Ctrl-C and SIGTERM
    wait while it starts: one landing in Pool() would leave forked workers no `with` terminates, and
    the pool's threads would fork more."""
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        workers = Pool(jobs, initializer=_start, initargs=(initializer, initargs))
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        raise
    with workers:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)  # a signal that waited is raised here
        yield workers


def _start(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """A worker leaves Ctrl-C to its parent, which stops the pool, and ends quietly on the pool's SIGTERM
    (not with the parent's handler, inherited by fork). It was forked with both signals blocked: one
    sent meanwhile is acted on now, as just set."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    initializer(*initargs)
