"""Which region each request of a batch tries first: load balancing plus what the batch has
learned about each region so far.

Regions are chosen when a request is dispatched, not when the batch starts, so a region that
throttled a moment ago is put at the back of the order for the requests that follow and the
other regions absorb its share at once. A throttled region is never removed: when every region
is cooling down, the order is still complete and failover can reach all of them. This module
keeps counters only; it sends nothing.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from .._aws import THROTTLE_CODES
from ._structures import LoadBalancingStrategy

__all__ = ["DEFAULT_COOLDOWN_SECONDS", "Scheduler"]

#: How long a region that throttled stays at the back of new requests' orders.
DEFAULT_COOLDOWN_SECONDS: Final = 5.0


class Scheduler:
    """Orders the regions for each request of a batch. Thread-safe.

    Args:
        regions: the manager's regions, in the caller's order.
        strategy: how the first region is chosen among the healthy ones.
        cooldown: seconds a region stays behind the others after a throttle.
        clock: monotonic seconds; ``choice`` picks an element (both injected by tests).
    """

    def __init__(
        self,
        regions: Sequence[str],
        strategy: LoadBalancingStrategy = LoadBalancingStrategy.ROUND_ROBIN,
        *,
        cooldown: float = DEFAULT_COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        choice: Callable[[Sequence[str]], str] = random.choice,
    ) -> None:
        if not regions:
            raise ValueError("regions: a batch needs at least one region")
        self._regions = tuple(dict.fromkeys(regions))
        self._strategy = strategy
        self._cooldown = cooldown
        self._clock = clock
        self._choice = choice
        self._lock = threading.Lock()
        self._next = 0
        self._in_flight = dict.fromkeys(self._regions, 0)
        self._cooling_until = dict.fromkeys(self._regions, 0.0)
        self._assigned = dict.fromkeys(self._regions, 0)

    @property
    def regions(self) -> tuple[str, ...]:
        return self._regions

    def order(self, width: int | None = None) -> tuple[str, ...]:
        """Every region, the chosen first region first, cooling regions last.

        ``width`` (0.9's ``target_regions_per_request``) is how many regions count as the
        request's assignment; the order always holds all regions, so failover is never narrowed.
        The first region's in-flight count goes up until ``done`` is called for it.
        """
        with self._lock:
            now = self._clock()
            turn = self._next
            self._next += 1
            healthy = [r for r in self._regions if self._cooling_until[r] <= now]
            cooling = [r for r in self._regions if self._cooling_until[r] > now]
            pool = healthy or cooling
            if self._strategy is LoadBalancingStrategy.RANDOM:
                first = self._choice(pool)
            elif self._strategy is LoadBalancingStrategy.LEAST_LOADED:
                start = turn % len(pool)
                # min() keeps the first of equals, so ties go round-robin.
                first = min(pool[start:] + pool[:start], key=lambda r: self._in_flight[r])
            else:
                # The turn counts over the healthy regions only, so a cooling region's share is
                # spread evenly over the others (not all given to its neighbour).
                first = pool[turn % len(pool)]
            ordered = [first, *_after(healthy, first), *_after(cooling, first)]
            self._in_flight[first] += 1
            for region in ordered[: max(1, width or 1)]:
                self._assigned[region] += 1
            return tuple(ordered)

    def done(self, first_region: str, attempts: Iterable[Any] = ()) -> None:
        """A request that started in ``first_region`` ended; learn from its attempts.

        ``attempts`` are the manager's attempt records (``region``, ``error_code``): a region
        that answered with a throttling code cools down from now.
        """
        with self._lock:
            if self._in_flight.get(first_region, 0) > 0:
                self._in_flight[first_region] -= 1
            now = self._clock()
            for attempt in attempts:
                region = getattr(attempt, "region", None)
                code = getattr(attempt, "error_code", None)
                if region in self._cooling_until and code in THROTTLE_CODES:
                    self._cooling_until[region] = max(
                        self._cooling_until[region], now + self._cooldown
                    )

    def assignment_counts(self) -> dict[str, int]:
        """How many requests were assigned each region (0.9's region distribution)."""
        with self._lock:
            return {r: n for r, n in self._assigned.items() if n}

    def cooling(self) -> tuple[str, ...]:
        """Regions currently behind the others because they throttled."""
        with self._lock:
            now = self._clock()
            return tuple(r for r in self._regions if self._cooling_until[r] > now)


def _after(regions: list[str], first: str) -> list[str]:
    """``regions`` without ``first``, in cyclic order starting after it (when it is there)."""
    if first in regions:
        index = regions.index(first)
        return regions[index + 1 :] + regions[:index]
    return list(regions)
