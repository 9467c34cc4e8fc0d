"""Runs one batch: a bounded pool of workers, each request sent exactly once.

A worker takes the next request, asks the scheduler for its region order at that moment, and
hands it to ``send`` (the manager's failover engine, which leaves a throttled region at once).
Whatever ``send`` returns or raises becomes that request's one answer; the parallel layer never
sends a request again (0.9 re-queued failed requests, so one request could reach Bedrock several
times on top of the manager's own retries). A stop policy can end dispatching early; requests
not sent by then are answered "not sent" and are ready for ``retry_failed_requests``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ._schedule import Scheduler
from ._structures import BedrockConverseRequest

logger = logging.getLogger(__name__)

__all__ = ["Outcome", "run_batch"]

#: send(request, region_order) -> a BedrockResponse (or raises).
Send = Callable[[BedrockConverseRequest, tuple[str, ...]], Any]
#: fail(request, error, sent) -> a failed BedrockResponse for a request that raised or was not sent.
Fail = Callable[[BedrockConverseRequest, BaseException | None, bool], Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One request's answer, the regions it was given and how long it took."""

    request_id: str
    response: Any
    assigned_regions: tuple[str, ...]
    duration_ms: float
    sent: bool
    error: BaseException | None = None


def run_batch(
    requests: Sequence[BedrockConverseRequest],
    *,
    send: Send,
    fail: Fail,
    scheduler: Scheduler,
    workers: int,
    width: int,
    stop_after: Callable[[int, int], bool] = lambda failed, total: False,
) -> dict[str, Outcome]:
    """Send every request once with at most ``workers`` in flight; one Outcome per request id.

    ``stop_after(failed_so_far, total)`` is asked after each failure; once it says True, no
    further request is sent (those in flight finish).
    """
    total = len(requests)
    stop = threading.Event()
    lock = threading.Lock()
    failed = [0]
    outcomes: dict[str, Outcome] = {}

    def one(request: BedrockConverseRequest) -> None:
        request_id = request.request_id or ""
        if stop.is_set():
            response = fail(request, None, False)
            with lock:
                outcomes[request_id] = Outcome(request_id, response, (), 0.0, False)
            return
        order = scheduler.order(width)
        started = time.perf_counter()
        error: BaseException | None = None
        try:
            response = send(request, order)
        except Exception as exc:  # the manager's errors and anything unexpected: one answer
            error = exc
            logger.debug("request %s failed: %s", request_id, exc)
            response = fail(request, exc, True)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        scheduler.done(order[0], _attempts_of(response, error))
        outcome = Outcome(request_id, response, order[: max(1, width)], elapsed_ms, True, error)
        with lock:
            outcomes[request_id] = outcome
            if not getattr(response, "success", False):
                failed[0] += 1
                if not stop.is_set() and stop_after(failed[0], total):
                    stop.set()
                    logger.warning(
                        "stopping the batch after %d failed request(s) of %d; requests not "
                        "sent yet are answered as not sent",
                        failed[0],
                        total,
                    )

    with ThreadPoolExecutor(
        max_workers=max(1, min(workers, total or 1)), thread_name_prefix="llm-parallel"
    ) as pool:
        futures = [pool.submit(one, request) for request in requests]
        try:
            for future in futures:
                future.result()  # re-raises only a bug in ``one``, never a request's error
        except BaseException:
            # Ctrl-C (or a bug): send nothing more; the requests in flight finish on their own.
            stop.set()
            for future in futures:
                future.cancel()
            raise
    return outcomes


def _attempts_of(response: Any, error: BaseException | None) -> Sequence[Any]:
    attempts = getattr(response, "attempts", None)
    if not attempts and error is not None:
        attempts = getattr(error, "attempts", None)
    return tuple(attempts or ())
