"""A wall-clock bound on one request, even when its body trickles in a byte at a time.

botocore's ``read_timeout`` bounds each socket read, so a body that sends a byte every few seconds
never times out. ``Deadlines`` runs one daemon thread (started on first use) that, when a watched
request outlives its deadline, shuts down the socket of its HTTP response; the blocked read then
fails at once and the manager records a ``DeadlineExceeded`` attempt. One watchdog serves the
whole process (``shared_deadlines``), so creating many managers never creates many threads.
``install(client)`` hooks a runtime client so the response of each request sent under
``watch()`` is attached to the watch before its body is read.

It uses the real monotonic clock on purpose: it bounds real waiting on real sockets. It reaches
into botocore's endpoint (``client._endpoint.http_session``) because botocore offers no hook
between "headers arrived" and "body read"; ``install`` leaves a client it cannot hook unchanged.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Deadlines", "Watch", "shared_deadlines"]

logger = logging.getLogger(__name__)


class Watch:
    """One request's deadline; ``fired`` once it has passed (and the response was cut)."""

    __slots__ = ("_lock", "_response", "deadline", "done", "fired")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self.done = False
        self._response: Any = None
        self._lock = threading.Lock()

    def attach(self, response: Any) -> None:
        with self._lock:
            self._response = response
            fired = self.fired
        if fired:
            _abort(response)

    def fire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.fired = True
            response = self._response
        if response is not None:
            _abort(response)

    def __lt__(self, other: Watch) -> bool:
        return self.deadline < other.deadline


def _abort(response: Any) -> None:
    """Shut down the socket under a urllib3 response, so a read blocked on it returns now.

    The connection's socket first (urllib3 1.26 and 2.x keep it on ``_connection`` while the body
    is unread); ``HTTPResponse.shutdown()`` (urllib3 >= 2.3) only when that is missing, because it
    refuses to work unless urllib3 itself made the connection.
    """
    sock = getattr(getattr(response, "_connection", None), "sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
            return
        shutdown = getattr(response, "shutdown", None)
        if callable(shutdown):
            shutdown()
    except (OSError, ValueError, RuntimeError):  # already closed or released: nothing blocks
        pass


class _Watching:
    """The ``with`` block of one watch (a plain class: cheaper than a generator per request)."""

    __slots__ = ("_local", "_watch")

    def __init__(self, local: threading.local, watch: Watch) -> None:
        self._local = local
        self._watch = watch

    def __enter__(self) -> Watch:
        self._local.watch = self._watch
        return self._watch

    def __exit__(self, *exc: object) -> None:
        self._local.watch = None
        watch = self._watch
        with watch._lock:
            watch.done = True
            watch._response = None


class Deadlines:
    """The watchdog of one manager: ``watch(seconds)`` bounds the requests sent inside it."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._heap: list[tuple[float, int, Watch]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._local = threading.local()
        #: When the watchdog will next look at the heap (inf: when notified); under _cond.
        self._wake_at = float("inf")

    def watch(self, deadline: float) -> _Watching:
        """Bound the requests sent by this thread inside the ``with`` block by ``deadline``
        (clock time); the block receives the Watch."""
        watch = Watch(deadline)
        with self._cond:
            heap = self._heap
            while heap and heap[0][2].done:  # finished watches leave as new ones come
                heapq.heappop(heap)
            heapq.heappush(heap, (deadline, next(self._counter), watch))
            if self._thread is None or not self._thread.is_alive():  # first use, or a fork
                self._thread = threading.Thread(
                    target=self._run, name="llmmanager-deadlines", daemon=True
                )
                self._thread.start()
            elif deadline < self._wake_at:  # only then must the watchdog wake sooner
                self._cond.notify()
        return _Watching(self._local, watch)

    def remaining(self, deadline: float) -> float:
        return deadline - self._clock()

    def now(self) -> float:
        return self._clock()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._wake_at = float("inf")
                    self._cond.wait()
                deadline, _, watch = self._heap[0]
                if watch.done:
                    heapq.heappop(self._heap)
                    continue
                delay = deadline - self._clock()
                if delay > 0:
                    self._wake_at = deadline
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
            logger.debug("a request passed its deadline; cutting its connection")
            watch.fire()

    def install(self, client: Any) -> None:
        """Attach each response ``client`` receives to the sending thread's current watch."""
        session = getattr(getattr(client, "_endpoint", None), "http_session", None)
        original = getattr(session, "send", None)
        if original is None:
            logger.debug("cannot bound the body read of %r: no http_session.send", client)
            return
        local = self._local

        def send(request: Any) -> Any:
            watch = getattr(local, "watch", None)
            if watch is None:
                return original(request)
            streaming = request.stream_output
            # Have botocore return at the headers, attach the response, then read the body
            # here under the watch (botocore reads it only once: AWSResponse caches .content).
            request.stream_output = True
            try:
                response = original(request)
            finally:
                request.stream_output = streaming
            watch.attach(response.raw)
            if not streaming:
                _ = response.content
            return response

        setattr(session, "send", send)  # noqa: B010 - session is Any here


_SHARED: list[Deadlines] = []
_SHARED_LOCK = threading.Lock()


def shared_deadlines() -> Deadlines:
    """The process's one watchdog: every manager uses it, so many managers cost one thread."""
    if not _SHARED:
        with _SHARED_LOCK:
            if not _SHARED:
                _SHARED.append(Deadlines())
    return _SHARED[0]
