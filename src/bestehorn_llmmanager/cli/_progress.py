"""The progress line of a fetch, drawn on stderr when stderr is a terminal.

Fed by the ``progress`` callback of ``fetch_regions`` (through ``BedrockModelCatalog.refresh``):
it renders what the library reports and never changes what is fetched. One line, redrawn in
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

from ._render import Quiet, clean, stderr_width
from ._run import ProgressAware, Run

#: Name the pending regions once at most this many are left (or 80 % are done).
PENDING_NAMED_AT = 5

#: Seconds between redraws of the elapsed time while nothing else happens.
TICK_SECONDS = 1.0


class ProgressLine:
    """A one-line progress display; call it as the fetch's progress callback."""

    def __init__(self, regions: Sequence[str] | None, *, label: str = "fetching") -> None:
        self._label = label
        self._targets: list[str] | None = list(regions) if regions is not None else None
        self._total: int | None = len(self._targets) if self._targets is not None else None
        self._finished: dict[str, str] = {}  # region -> status, in the order they finished
        self._requests = 0
        self._requests_total: int | None = None
        self._pending_reported: list[str] | None = None
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._drawn = False
        self._closed = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="bedrock-catalog-progress")
        self._ticker.daemon = True  # never keeps the process alive (Ctrl-C exits at once)

    # -- the callback ----------------------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        """``(outcome, done, total)`` after each region, or one event object with richer data."""
        with self._lock:
            if len(args) >= 3:
                outcome, _done, total = args[:3]
                self._total = int(total)
                self._finished[str(outcome.region)] = str(getattr(outcome.status, "value", ""))
            elif args:
                self._absorb(args[0])
            self._draw_locked()

    def _absorb(self, event: Any) -> None:
        """A richer progress event (duck-typed: whatever attributes it has are shown)."""
        total = getattr(event, "total", None) or getattr(event, "regions_total", None)
        if isinstance(total, int):
            self._total = total
        targets = getattr(event, "regions", None)
        if targets and self._targets is None:
            self._targets = [str(r) for r in targets]
        outcome = getattr(event, "outcome", None)
        if outcome is not None:
            self._finished[str(outcome.region)] = str(getattr(outcome.status, "value", ""))
        for name in ("requests_done", "requests", "pages_done", "pages"):
            value = getattr(event, name, None)
            if isinstance(value, int):
                self._requests = value
                break
        else:
            kind = str(getattr(event, "kind", "") or getattr(event, "event", ""))
            if "page" in kind or "request" in kind:
                self._requests += 1
        for name in ("requests_total", "pages_total"):
            value = getattr(event, name, None)
            if isinstance(value, int):
                self._requests_total = value
        pending = getattr(event, "pending", None)
        if pending is not None:
            self._pending_reported = [str(r) for r in pending]

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
        done = len(self._finished)
        elapsed = f"{time.monotonic() - self._started:.0f}s"
        if total is None:
            head = f"{self._label} every Bedrock region…"
            counts = ""
        else:
            head = f"{self._label} {total} regions…"
            counts = f" {done}/{total}"
        failed = sum(1 for s in self._finished.values() if s != "ok")
        extra = f", {failed} not ok" if failed else ""
        if self._requests:
            of = f"/{self._requests_total}" if self._requests_total else ""
            extra += f", {self._requests}{of} requests"
        tail = f"{counts}{extra} {elapsed}"
        pending = self._pending()
        if pending and total and (len(pending) <= PENDING_NAMED_AT or done >= 0.8 * total):
            tail += " waiting for " + " ".join(pending)
        bar_room = width - len(head) - len(tail) - 4
        if total and bar_room >= 10:
            bar_width = min(30, bar_room)
            filled = int(bar_width * done / total) if total else bar_width
            line = f"{head} [{'#' * filled}{'-' * (bar_width - filled)}]{tail}"
        else:
            line = f"{head}{tail}"
        line = clean(line)
        return line if len(line) < width else line[: max(0, width - 2)] + "…"

    def _pending(self) -> list[str]:
        if self._pending_reported is not None:
            return self._pending_reported
        if self._targets is None:
            return []
        return [r for r in self._targets if r not in self._finished]

    def _draw_locked(self) -> None:
        if self._closed.is_set():
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
def fetch_progress(run: Run, regions: Sequence[str] | None) -> Iterator[ProgressLine | None]:
    """A progress line while the block fetches, when stderr is a terminal and output is for
    people (not --json, not -q); else None."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or run.json or Quiet.quiet:
        yield None
        return
    line = ProgressLine(regions)
    line.start()
    try:
        yield line
    finally:
        line.finish()
