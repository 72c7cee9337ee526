"""Worker processes that end with the process that started them, however it ended.

A spawned worker of a `ProcessPoolExecutor` waits on a queue whose pipe it holds open itself, so it never notices
its parent's death: a server killed with SIGKILL (or stopped without shutting its pool down) left its print worker,
about 70 MB, running for good, and a supervisor restarting the server piled them up. A `ParentWatch` is a pipe whose
only write end stays in the parent; each worker gets the read end and a thread (`watch_parent`) that ends the
worker as soon as that read sees the end of the pipe. The kernel closes the parent's end when the parent exits for
any reason, signals included, and `ParentWatch.close` closes it on purpose, which is how a shutdown stops workers
that are busy printing.

A pipe rather than Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG)``): that signal follows the *thread* that
started the child, so a worker spawned from a short-lived thread would be killed with that thread, and it exists on
Linux only; the pipe follows the process and works on every POSIX system.

    watch = ParentWatch(context)
    pool = ProcessPoolExecutor(1, context, initializer=watch_parent, initargs=(watch.reader, init, (a, b)))
    ...
    watch.close()  # every worker of the pool ends now, busy or not
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from typing import Any, Final

EXIT_ORPHANED: Final[int] = 70  # a worker's exit status when its parent has gone


class ParentWatch:
    """The pipe between a parent and its workers: ``reader`` for the workers, the write end kept here."""

    def __init__(self, context: SpawnContext) -> None:
        self.reader, self._writer = context.Pipe(duplex=False)

    def close(self) -> None:
        """End every worker watching this pipe (the parent's death does the same)."""
        self._writer.close()
        self.reader.close()


def _end_with_parent(reader: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        reader.recv_bytes()  # nothing is ever sent: this returns only when the write end closes
    os._exit(EXIT_ORPHANED)  # at once, mid-print included: nobody is waiting for the result any more


def watch_parent(
    reader: Connection, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> None:
    """A worker's initializer: start watching ``reader``, then run the pool's own ``initializer``."""
    threading.Thread(target=_end_with_parent, args=(reader,), name="parent-watch", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)
