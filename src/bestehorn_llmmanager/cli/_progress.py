"""The progress line of a fetch, drawn on stderr when stderr is a terminal.

Fed by the ``on_event(FetchEvent)`` callback of ``fetch_regions`` (through
``BedrockModelCatalog.refresh``/``load`` and the bundle generator): it renders what the library
reports, request by request, and never changes what is fetched. One line, redrawn in
place and cut to the terminal's width, so a narrow terminal never scrolls; near the end it names
the regions still pending, so a hanging region is visible.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from ._render import Quiet, clean, plural, stderr_width


class ProgressAware:
    """The progress display drawing now, if any: a log line first ends its line."""

    active: Any = None


#: Name the pending regions once at most this many are left (or 80 % are done).
PENDING_NAMED_AT = 5

#: Seconds between redraws of the elapsed time while nothing else happens.
TICK_SECONDS = 1.0


class ProgressLine:
    """A one-line progress display; call it as the fetch's progress callback."""

    def __init__(
        self, regions: Sequence[str] | None, *, label: str = "fetching", eager: bool = True
    ) -> None:
        self._label = label
        # Eager: drawn at once (refresh always fetches). Lazy: drawn from the first event, so
        # a list or show answered from the cache shows nothing.
        self._visible = eager
        self._targets: list[str] | None = list(regions) if regions is not None else None
        self._total: int | None = len(self._targets) if self._targets is not None else None
        self._finished: dict[str, str] = {}  # region -> status, in the order they finished
        self._done = 0
        self._requests = 0
        self._fraction = 0.0
        self._pending: list[str] = list(self._targets or [])
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._drawn = False
        self._closed = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="bedrock-catalog-progress")
        self._ticker.daemon = True  # never keeps the process alive (Ctrl-C exits at once)

    # -- the callback ----------------------------------------------------------------------------

    def __call__(self, event: Any) -> None:
        """``on_event(FetchEvent)``: one per request, region, and at the start and the end."""
        with self._lock:
            self._total = int(event.regions_total)
            self._requests = int(event.requests_done)
            self._fraction = float(event.fraction)
            self._pending = [str(r) for r in event.pending]
            if event.outcome is not None:
                self._finished[str(event.outcome.region)] = str(event.outcome.status.value)
            self._done = int(event.regions_done)
            self._visible = True
            self._draw_locked()

    # -- drawing ---------------------------------------------------------------------------------

    def start(self) -> None:
        ProgressAware.active = self
        with self._lock:
            self._draw_locked()
        self._ticker.start()

    def _tick(self) -> None:
        while not self._closed.wait(TICK_SECONDS):
            with self._lock:
                if self._closed.is_set():
                    return
                self._draw_locked()

    def text(self, width: int) -> str:
        """The line for a terminal of ``width`` columns (without the leading carriage return)."""
        total = self._total
        done = self._done
        elapsed = f"{time.monotonic() - self._started:.0f}s"
        head = (
            f"{self._label} every Bedrock region…"
            if total is None
            else f"{self._label} {plural(total, 'region')}…"
        )
        parts = [f"{done}/{total}"] if total is not None else []
        statuses: dict[str, int] = {}
        for status in self._finished.values():
            statuses[status] = statuses.get(status, 0) + 1
        counts = [f"{n} {s}" for s, n in sorted(statuses.items()) if s != "ok"]
        requests = f", {plural(self._requests, 'request')}" if self._requests else ""
        pending = self._pending
        waiting = ""
        if pending and total and done and (len(pending) <= PENDING_NAMED_AT or done >= 0.8 * total):
            waiting = " · waiting for " + " ".join(pending)
        # What matters most survives a narrow terminal: the counts and the pending regions,
        # then the request count, then the bar (one width for the whole fetch, so it does not
        # jump as the counts grow).
        bar_width = min(30, width - len(head) - 40)
        short = f"{self._label}:"
        for with_requests, with_bar, title, with_counts in (
            (True, True, head, True),
            (False, True, head, True),
            (False, False, head, True),
            (False, False, short, True),
            (False, False, short, False),
        ):
            shown = [*parts, *(counts if with_counts else []), elapsed]
            tail = " " + ", ".join(shown) + (requests if with_requests else "") + waiting
            if title is short and total is not None:
                tail = tail.replace(f" {done}/{total}", f" {done}/{total} regions", 1)
            if total and with_bar and bar_width >= 8:
                filled = int(bar_width * self._fraction)
                line = f"{title} [{'#' * filled}{'-' * (bar_width - filled)}]{tail}"
            else:
                line = f"{title}{tail}"
            if len(line) < width:
                break
        line = clean(line)
        return line if len(line) < width else line[: max(0, width - 2)] + "…"

    def _draw_locked(self) -> None:
        if self._closed.is_set() or not self._visible:
            return
        width = stderr_width()
        # \r, the text, then "erase to end of line": each redraw replaces the line in place.
        sys.stderr.write("\r" + self.text(width) + "\x1b[K")
        sys.stderr.flush()
        self._drawn = True

    def break_line(self) -> None:
        """End the progress line, so what is written next starts on a line of its own."""
        if self._drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._drawn = False

    def finish(self) -> None:
        self._closed.set()
        with self._lock:
            ProgressAware.active = None
            if self._drawn:
                # Clear the line: the command prints its own summary.
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
                self._drawn = False


@contextlib.contextmanager
def fetch_progress(
    regions: Sequence[str] | None, *, json: bool, eager: bool = True
) -> Iterator[ProgressLine | None]:
    """A progress line while the block fetches, when stderr is a terminal and output is for
    people (not --json, not -q); else None."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or json or Quiet.quiet:
        yield None
        return
    line = ProgressLine(regions, eager=eager)
    line.start()
    try:
        yield line
    finally:
        line.finish()
