"""How the process ends: worker threads finish first, or the process leaves without them.

Two ways a plain ``return`` from ``main`` goes wrong when a worker thread is still running:

- **Aborted exit.** A daemon thread inside a Rust extension (pydantic-core validating a deck in
  the background: the last-good snapshot, the cache's re-check, a hot reload) is stopped by
  CPython's finalisation with ``pthread_exit``. Its unwinding meets Rust's panic guard, and the
  process aborts ("FATAL: exception not rethrown", signal 6) or crashes with signal 11 instead of
  exiting with its code. A booth asking its service for a restart (exit 75) then looks crashed.
- **Exit that never comes.** Python joins every non-daemon thread (a thread pool's workers)
  before it finalises. A worker stuck on a dead USB mount or a hung network share holds the
  process open forever, and the service never gets to restart the show.

:func:`leave` waits a bounded time for every thread but the main one. When they have all
finished, the caller returns the code as usual. When some are still running, it names them in
the log, flushes the log and the standard streams, and ends the process with the code at once,
so no finalisation runs beside them. Pure Python; no Qt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time

log = logging.getLogger(__name__)

#: How long :func:`leave` waits for worker threads (a deck validation takes well under a second,
#: a last-good copy a few seconds).
GRACE_S = 10.0


#: The stand-in :mod:`threading` makes for a thread it did not start (a Qt thread that called
#: Python, say, through the Qt message handler): it stays listed as alive after that thread
#: has ended, and it cannot be joined, so it is never waited for.
_FOREIGN = getattr(threading, "_DummyThread", ())


def others() -> list[threading.Thread]:
    """Threads started from Python still running, besides the calling one and the main thread."""
    here = threading.current_thread()
    main = threading.main_thread()
    return [t for t in threading.enumerate()
            if t is not here and t is not main and not isinstance(t, _FOREIGN) and t.is_alive()]


def settle(grace_s: float = GRACE_S) -> list[threading.Thread]:
    """Wait up to ``grace_s`` seconds in all for the other threads; returns those still running."""
    deadline = time.monotonic() + max(0.0, grace_s)
    for thread in others():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        thread.join(left)
    return others()


def leave(code: int, grace_s: float | None = None) -> int:
    """Return ``code`` once the worker threads are done, or end the process with it if they are not.

    Meant for the last step of a console entry point, never for code running inside a test's
    own process (it may end that process). ``grace_s`` defaults to :data:`GRACE_S`.
    """
    grace_s = GRACE_S if grace_s is None else grace_s
    started = time.monotonic()
    waited_for = sorted(t.name for t in others())
    stuck = settle(grace_s)
    if not stuck:
        if waited_for:
            log.debug("leaving after %.2f s for %s", time.monotonic() - started, ", ".join(waited_for))
        return code
    log.warning("leaving with %d worker thread(s) still running after %g s: %s", len(stuck), grace_s,
                ", ".join(sorted(t.name for t in stuck)))
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed or replaced streams
            stream.flush()
    os._exit(code)
