"""A command's pool of worker processes, started so that no signal can leave a worker behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any, TypeVar

_STOPPING = {signal.SIGINT, signal.SIGTERM}
POOLED = 64  # fewer items than this are done in this process: starting workers would cost more

T = TypeVar("T")
R = TypeVar("R")


def in_order(
    fn: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    chunksize: int,
) -> Generator[R, None, None]:
    """`fn` of each item, in order: on `jobs` workers (0: every core) from POOLED items on, else in this
    process. `initializer(*initargs)` sets up each worker (or this process): forked, a worker shares
    what the parent has loaded, such as the policy, and reads nothing again (a policy file changed
    meanwhile would give workers another policy, or fail them one after another without end)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(items) < POOLED:
        initializer(*initargs)
        yield from map(fn, items)
        return
    with pool(jobs, initializer, initargs) as workers:
        yield from workers.imap(fn, items, chunksize=chunksize)


@contextmanager
def pool(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Iterator[Pool]:
    """A pool of `jobs` workers, terminated when the `with` ends, however it ends. Ctrl-C and SIGTERM
    wait while it starts: one landing in Pool() would leave forked workers no `with` terminates, and
    the pool's threads would fork more."""
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        # forked: `initargs` reach the workers as they are in memory, never pickled nor read again
        workers = multiprocessing.get_context("fork").Pool(jobs, _start, (initializer, initargs))
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
