"""Fetches the raw Bedrock answers (foundation models, system inference profiles) of many regions
in parallel; it never transforms them, never writes files, and imports boto3 only when called.

Bounds, all in FetchLimits: every request is sent at most ``max_attempts`` times; each response
is read within ``read_timeout`` seconds *in total* (a body that trickles in a byte at a time is
cut off, not waited for) and up to ``max_body_bytes``; a region keeps at most ``max_entries``
entries per operation. The workers are daemon threads: a fetch returns at its deadline (or at a
Ctrl-C) without joining a worker stuck on a socket, and such a worker never keeps the process
alive. An endpoint that refuses connections, or never accepts one, is recognised by the first
region that meets it, and every other region on it fails at once with the same one-line reason.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import json
import logging
import math
import os
import queue
import random as _random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from ... import _aws
from ..._errors import FetchError, NoCredentialsError
from ..._redact import mask_account_ids
from . import _regions
from ._clock import system_clock
from ._constants import DEFAULT_MAX_WORKERS, DEFAULT_TIMEOUT_SECONDS
from ._types import FetchResult, RegionAnswer, RegionOutcome, RegionStatus

__all__ = [
    "UNREACHABLE_ENDPOINTS",
    "UNREACHABLE_FILENAME",
    "FetchEvent",
    "FetchLimits",
    "UnreachableEndpoints",
    "fetch_regions",
]

logger = logging.getLogger(__name__)

#: The ONE retry budget: every request (one page of one operation in one region) is sent at most
#: this many times in total. botocore makes exactly one HTTP attempt per call (see
#: ``_aws.client_config``), and this module alone retries throttling, 5xx and timeouts with
#: exponential backoff and full jitter. A region makes at most ``(1 + profile pages) *
#: MAX_ATTEMPTS`` requests.
MAX_ATTEMPTS = 5

#: Full-jitter backoff (``_aws.Backoff`` with floor 0): the n-th retry sleeps
#: ``rand(0, 1) * min(CAP, BASE * 2 ** (n - 1))`` seconds, never past the fetch's deadline.
#: Bedrock's control plane allows about 10 TPS per region: half a second clears a burst.
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0

#: Per-attempt socket timeouts of the control plane, also capped by the fetch's ``timeout``.
CONNECT_TIMEOUT_SECONDS = _aws.CONTROL_CONNECT_TIMEOUT_SECONDS
READ_TIMEOUT_SECONDS = _aws.CONTROL_READ_TIMEOUT_SECONDS

#: Caps on what one region may answer. The 2026-10 snapshot's largest region answers 119 models
#: (58 KB) and 94 profiles; these caps are ~8x and ~140x that. Past a cap the region fails as
#: MalformedResponse naming the cap: a runaway answer must not cost minutes of parsing.
MAX_ENTRIES_PER_OPERATION = 1_000
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_PROFILE_PAGES = 200

#: How long a refused or never-accepted endpoint is remembered in this process: the next fetch
#: within this time fails its regions at once instead of paying for the connect timeouts again.
UNREACHABLE_TTL_SECONDS = 60.0

#: Once this many distinct endpoints failed to connect and none connected, the network itself
#: is down (a proxy, a VPC without a Bedrock endpoint): the remaining regions are not tried.
NETWORK_DOWN_AFTER_ENDPOINTS = 3

#: See _Endpoints.settle: how long a failed worker waits, while nothing has answered, for the
#: requests sent with its own to fail too, before it takes fresh work.
_SETTLE_SECONDS = 1.0

_MODELS = "ListFoundationModels"
_PROFILES = "ListInferenceProfiles"
_RAW_BODY = "bestehorn_llmmanager:raw_body"  # key of the unparsed JSON body in a response
_READ_CHUNK = 64 * 1024

#: ``progress(outcome, done, total)``: called from the calling thread after each region.
Progress = Callable[[RegionOutcome, int, int], None]


# -- public values -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """The bounds of one fetch (see the module docstring); every field has a sane default.

    Args:
        max_attempts: sends per request, retries included (>= 1).
        connect_timeout: seconds to open a connection (capped by the fetch's ``timeout``).
        read_timeout: seconds to read one whole response, from sending to its last byte.
        max_entries: entries per operation per region (all profile pages together).
        max_body_bytes: bytes of one response body.
        max_pages: ListInferenceProfiles pages per region.
        backoff_base: seconds; the first retry waits up to this (full jitter).
        backoff_cap: seconds; no retry waits longer.
    """

    max_attempts: int = MAX_ATTEMPTS
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS
    read_timeout: float = READ_TIMEOUT_SECONDS
    max_entries: int = MAX_ENTRIES_PER_OPERATION
    max_body_bytes: int = MAX_BODY_BYTES
    max_pages: int = MAX_PROFILE_PAGES
    backoff_base: float = BACKOFF_BASE_SECONDS
    backoff_cap: float = BACKOFF_CAP_SECONDS

    def __post_init__(self) -> None:
        for name in ("max_attempts", "max_entries", "max_body_bytes", "max_pages"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}: must be an integer >= 1, got {value!r}")
        for name in ("connect_timeout", "read_timeout", "backoff_base", "backoff_cap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name}: must be a number of seconds > 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class FetchEvent:
    """One step of a fetch, as a progress display wants it; always delivered on the calling thread.

    Args:
        kind: ``"started"`` (before the first request: ``regions_total`` is known),
            ``"request"`` (one HTTP request of ``region`` ended: a page, a retry, an error),
            ``"region"`` (``region`` finished with ``outcome``), ``"finished"`` (the last event;
            not sent when the fetch raises, e.g. NoCredentialsError or KeyboardInterrupt).
        regions_total: regions in this fetch.
        regions_done: regions finished so far.
        requests_done: HTTP requests ended so far (pages, retries and failures alike).
        operations_done: operations finished so far (each region has two).
        pending: the regions not finished yet, sorted (empty in the "finished" event).
        elapsed_s: seconds since the fetch started.
        region, operation, page: what the event is about ("request": ``page`` is the 1-based
            ListInferenceProfiles page, None for ListFoundationModels).
        outcome: the region's outcome ("region" events only).
    """

    kind: Literal["started", "request", "region", "finished"]
    regions_total: int
    regions_done: int = 0
    requests_done: int = 0
    operations_done: int = 0
    pending: tuple[str, ...] = ()
    elapsed_s: float = 0.0
    region: str | None = None
    operation: str | None = None
    page: int | None = None
    outcome: RegionOutcome | None = None

    @property
    def fraction(self) -> float:
        """Share of the work done, in [0, 1]: finished operations (two per region)."""
        if self.regions_total == 0 or self.kind == "finished":
            return 1.0
        return min(1.0, self.operations_done / (2 * self.regions_total))


#: Name of the file that shares the memory of unreachable endpoints between processes, in the
#: cache directory the store resolved (see UnreachableEndpoints ``path``).
UNREACHABLE_FILENAME = ".bedrock_unreachable.json"
_UNREACHABLE_FORMAT = "bestehorn-llmmanager/unreachable-endpoints/1"
_UNREACHABLE_MAX_ENTRIES = 64
_UNREACHABLE_MAX_BYTES = 32 * 1024


class UnreachableEndpoints:
    """Endpoints that refused or never accepted a connection, remembered for ``ttl`` seconds.

    One process-wide instance (UNREACHABLE_ENDPOINTS) serves every fetch; tests and long-running
    services may ``reset()`` it. With ``path``, the memory is also kept in that small file, so
    the next process does not pay for the same dead network again: written atomically with mode
    0600, read only when this user (or root) owns it and nobody else can write it (the store's
    file safety), at most 64 endpoints, messages with account ids masked. Entries are stamped
    with ``wall`` (the file is shared between processes), and one dated in the future is ignored.
    Loopback endpoints are not remembered unless ``include_loopback``: a local test server or
    emulator is started and stopped on purpose, and must not stay "unreachable" after it is up.
    """

    def __init__(
        self,
        ttl: float = UNREACHABLE_TTL_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        include_loopback: bool = False,
        path: str | os.PathLike[str] | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._include_loopback = include_loopback
        self._path = None if path is None else os.fspath(path)
        self._wall = wall
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[float, str, str]] = {}

    def remember(self, endpoint: str, code: str, message: str) -> None:
        """Note that ``endpoint`` could not be connected to (``code``: the botocore error)."""
        if not self._include_loopback and _is_loopback(endpoint):
            return
        message = mask_account_ids(message)[:500]
        with self._lock:
            self._failures[endpoint] = (self._clock(), code, message)
            if self._path is not None:
                entries = self._read_file()
                entries[endpoint] = (self._wall(), code, message)
                self._write_file(entries)

    def recall(self, endpoint: str) -> tuple[str, str, float] | None:
        """(code, message, seconds ago) of a failure still remembered, else None."""
        with self._lock:
            found = self._failures.get(endpoint)
            if found is not None:
                ago = self._clock() - found[0]
                if ago <= self._ttl:
                    return found[1], found[2], ago
                del self._failures[endpoint]
            if self._path is None:
                return None
            shared = self._read_file().get(endpoint)
            if shared is None:
                return None
            return shared[1], shared[2], self._wall() - shared[0]

    def forget(self, endpoint: str) -> None:
        with self._lock:
            self._failures.pop(endpoint, None)
            if self._path is not None:
                entries = self._read_file()
                if entries.pop(endpoint, None) is not None:
                    self._write_file(entries)

    def reset(self) -> None:
        """Forget every failure (the shared file too)."""
        with self._lock:
            self._failures.clear()
            if self._path is not None and self._read_file():
                self._write_file({})

    def _read_file(self) -> dict[str, tuple[float, str, str]]:
        """The file's entries that are still valid; {} when it is missing, foreign or broken."""
        from ._store._posix import read_trusted

        assert self._path is not None
        data = read_trusted(self._path, _UNREACHABLE_MAX_BYTES)[0]
        if data is None:
            return {}
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            return {}
        if not isinstance(document, dict) or document.get("format") != _UNREACHABLE_FORMAT:
            return {}
        entries = document.get("endpoints")
        if not isinstance(entries, dict):
            return {}
        now = self._wall()
        valid: dict[str, tuple[float, str, str]] = {}
        for endpoint, entry in entries.items():
            if not (isinstance(entry, list) and len(entry) == 3):
                continue
            when, code, message = entry
            if not isinstance(when, (int, float)) or isinstance(when, bool):
                continue
            if isinstance(code, str) and isinstance(message, str) and 0 <= now - when <= self._ttl:
                valid[str(endpoint)] = (float(when), code, message)
        return valid

    def _write_file(self, entries: Mapping[str, tuple[float, str, str]]) -> None:
        from ._store._posix import write_atomic

        assert self._path is not None
        newest = sorted(entries.items(), key=lambda item: item[1][0])[-_UNREACHABLE_MAX_ENTRIES:]
        document = {
            "format": _UNREACHABLE_FORMAT,
            "endpoints": {url: [when, code, msg] for url, (when, code, msg) in newest},
        }
        try:
            write_atomic(self._path, json.dumps(document).encode())
        except OSError as error:  # a read-only or vanished directory: memory still works
            logger.debug("could not write %s: %s", self._path, error)

    def _after_fork(self) -> None:
        # A lock held by another thread at fork time would stay held forever in the child.
        self._lock = threading.Lock()


#: The process-wide memory of unreachable endpoints (see UnreachableEndpoints).
UNREACHABLE_ENDPOINTS = UnreachableEndpoints()
if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=UNREACHABLE_ENDPOINTS._after_fork)


def _is_loopback(endpoint: str) -> bool:
    host = urlsplit(endpoint).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- internal state ------------------------------------------------------------------------------


class _MalformedResponseError(Exception):
    """A 2xx answer whose body is not the answer the API documents."""


class _Stop(Exception):
    """One operation of one region ends early; ``outcome`` says how."""

    def __init__(self, outcome: RegionOutcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


class _Requeue(Exception):
    """A request timed out with attempts left: retry it later, releasing the worker now."""

    def __init__(self, attempts: int) -> None:
        super().__init__(attempts)
        self.attempts = attempts


class _ExpiredCredentialsError(Exception):
    """AWS rejected the credentials as expired: the whole fetch stops."""


class _BodyTimeout(Exception):
    """A response body did not arrive whole within the read timeout (e.g. it trickled)."""


@dataclass
class _OperationResult:
    region: str
    operation: str
    summaries: list[dict[str, Any]] | None = None
    outcome: RegionOutcome | None = None  # None when the operation succeeded
    expired: bool = False


@dataclass(frozen=True)
class _RequestEnded:
    region: str
    operation: str
    page: int | None


@dataclass
class _Work:
    """One pending request: a model listing, or the next profile page of a region."""

    region: str
    operation: str
    next_token: str | None = None
    pages: int = 0  # profile pages already read
    summaries: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0  # attempts already spent on this request (timed out, then re-queued)
    tokens: frozenset[str] = frozenset()  # every nextToken of this chain so far

    @property
    def priority(self) -> tuple[int, int]:
        # Profile pages form the only sequential chains, and a chain's length is unknown until
        # its last page. Reading every region's page k before any page k+1 keeps the longest
        # chain moving on every round, and the one-call model listings fill the idle workers at
        # the end: the wall time stays near max(calls / workers, longest chain). The trade-off:
        # a fetch cut short by its deadline has fewer complete regions.
        if self.attempts:
            # A request that timed out waits behind all fresh work: a few hanging or trickling
            # regions must not keep the pool's workers from the healthy ones.
            return (2, self.attempts)
        if self.operation == _MODELS:
            return (1, 0)
        return (0, self.pages)


class _WorkQueue:
    """A thread-safe priority queue of pending requests; ``pop`` blocks until work or close."""

    def __init__(self) -> None:
        self._heap: list[tuple[tuple[int, int], int, _Work]] = []
        self._ready = threading.Condition(threading.Lock())
        self._order = itertools.count()
        self._closed = False

    def push(self, item: _Work) -> None:
        with self._ready:
            heapq.heappush(self._heap, (item.priority, next(self._order), item))
            self._ready.notify()

    def pop(self) -> _Work | None:
        with self._ready:
            while not self._heap and not self._closed:
                self._ready.wait()
            if self._closed:
                return None
            return heapq.heappop(self._heap)[2]

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()


class _Endpoints:
    """Which endpoints this fetch connected to, and which could not be connected to."""

    def __init__(self, memory: UnreachableEndpoints) -> None:
        self._memory = memory
        self._lock = threading.Condition(threading.Lock())  # notified on every change
        self._connected: set[str] = set()
        self._dead: dict[str, tuple[str, str]] = {}
        self._silent: set[str] = set()  # regions whose request timed out before any answer
        self._in_flight = 0  # requests sent and not ended yet
        self._remembered: set[str] = set()  # endpoints cut by network_down, already remembered
        self.network_down: tuple[str, str] | None = None

    def connected(self, endpoint: str) -> None:
        with self._lock:
            if endpoint not in self._connected:
                self._connected.add(endpoint)
                self._memory.forget(endpoint)
                self._lock.notify_all()

    def failed(self, endpoint: str, code: str, message: str, *, everywhere: bool = False) -> None:
        """Note a connection failure; ``everywhere``: it concerns every endpoint (a proxy)."""
        with self._lock:
            self._dead.setdefault(endpoint, (code, message))
            if everywhere or (
                not self._connected and len(self._dead) >= NETWORK_DOWN_AFTER_ENDPOINTS
            ):
                self.network_down = (code, message)
            self._lock.notify_all()
        self._memory.remember(endpoint, code, message)

    def timed_out(self, region: str, code: str, message: str) -> None:
        """Note a request that got no answer at all (not even headers) within the timeout.

        Once requests of NETWORK_DOWN_AFTER_ENDPOINTS regions timed out and nothing answered
        anywhere, the path itself is silent (a proxy or endpoint that accepts connections and
        never answers): the remaining regions are not tried.
        """
        with self._lock:
            if self._connected:
                return
            self._silent.add(region)
            if len(self._silent) >= NETWORK_DOWN_AFTER_ENDPOINTS:
                self.network_down = (code, message)
            self._lock.notify_all()

    def sending(self) -> None:
        with self._lock:
            self._in_flight += 1

    def ended(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._lock.notify_all()

    def settle(self, grace: float) -> None:
        """After a failure while nothing has answered: wait up to ``grace`` seconds for the
        requests sent at the same time to fail too (or for anything to answer).

        Requests that start together fail together: without this pause, the first workers to
        fail would send fresh requests into the same dead path a moment before the verdict.
        Never waits once anything has answered (a healthy fetch never pauses here), nor when no
        other request is on its way.
        """
        deadline = time.monotonic() + grace
        with self._lock:
            while self._in_flight and not self._connected and self.network_down is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._lock.wait(left)

    def dead(self, endpoint: str) -> tuple[str, str] | None:
        """(code, message) when requests to ``endpoint`` are not worth sending."""
        verdict: tuple[str, str] | None = None
        with self._lock:
            found = self._dead.get(endpoint)
            if found is not None:
                return found
            if self.network_down is not None and endpoint not in self._connected:
                code, message = self.network_down
                verdict = code, f"{message} (not tried: the network failed for other regions)"
        if verdict is not None:
            # Remembered too: the next process on this dead network skips this endpoint at once.
            if endpoint not in self._remembered:
                self._remembered.add(endpoint)
                self._memory.remember(endpoint, code, message)
            return verdict
        remembered = self._memory.recall(endpoint)
        if remembered is not None:
            code, message, ago = remembered
            return code, f"{message} (remembered from {ago:.0f} s ago)"
        return None

    def dead_count(self) -> int:
        with self._lock:
            return len(self._dead)

    def only_connect_failures(self) -> bool:
        with self._lock:
            return not self._connected


@dataclass
class _Context:
    """State shared by the worker threads of one fetch."""

    clients: _aws.ClientCache
    limits: FetchLimits
    backoff: _aws.Backoff
    endpoints: _Endpoints
    deadline: float
    timeout: float
    stop: threading.Event = field(default_factory=threading.Event)
    # First bad outcome per region: the region's other operation stops before its next request.
    abort_lock: threading.Lock = field(default_factory=threading.Lock)
    aborted: dict[str, RegionOutcome] = field(default_factory=dict)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def abort(self, outcome: RegionOutcome) -> None:
        with self.abort_lock:
            self.aborted.setdefault(outcome.region, outcome)

    def check(self, region: str) -> None:
        """Raise _Stop when this region (or the whole fetch) must not send another request."""
        if self.stop.is_set() or self.remaining() <= 0:
            raise _Stop(_deadline_outcome(region, self.timeout))
        with self.abort_lock:
            outcome = self.aborted.get(region)
        if outcome is not None:
            raise _Stop(outcome)


# -- the fetch -----------------------------------------------------------------------------------


def fetch_regions(
    regions: Sequence[str] | None = None,
    *,
    session: Any = None,
    max_workers: int = DEFAULT_MAX_WORKERS,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    progress: Progress | None = None,
    on_event: Callable[[FetchEvent], None] | None = None,
    endpoint_url: str | None = None,
    clock: Callable[[], datetime] | None = None,
    limits: FetchLimits | None = None,
    random: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
    unreachable: UnreachableEndpoints | None = None,
) -> FetchResult:
    """Call ListFoundationModels and every page of ListInferenceProfiles(SYSTEM_DEFINED) per region.

    ``regions`` None means every region where botocore knows a ``bedrock`` endpoint; a list is
    normalised by ``_regions.normalise_regions``. ``timeout`` bounds the whole fetch: regions not
    finished by then are ``failed`` with error code ``deadline``, and the call returns then, even
    if a worker is still stuck on a socket. ``progress(outcome, done, total)`` is called after
    each region, ``on_event(FetchEvent)`` after every request too; both on the calling thread.
    ``clock`` stamps ``retrieved_at`` (default: the real UTC time); ``random`` (a float in
    [0, 1); default ``random.random``) and ``sleep`` (default ``time.sleep``) drive the retry
    backoff; ``unreachable`` is the memory of dead endpoints
    (default: the process-wide UNREACHABLE_ENDPOINTS).

    Raises NoCredentialsError, once, when there are no usable or no unexpired credentials;
    FetchError, with one line, when no region's endpoint could be connected to; and
    KeyboardInterrupt at once when the calling thread is interrupted.
    """
    requested = _regions.normalise_regions(regions, argument="regions")
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError(f"max_workers: must be an integer >= 1, got {max_workers!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout: must be a number of seconds > 0, got {timeout!r}")
    limits = limits if limits is not None else FetchLimits()
    started = time.monotonic()
    deadline = started + timeout  # may be inf: no deadline

    if session is None:
        session = _aws.new_session()
    targets = requested if requested is not None else _regions.default_regions(session)
    if on_event is not None:
        on_event(FetchEvent("started", len(targets), pending=tuple(sorted(targets))))
    _aws.resolve_credentials(session)

    context = _Context(
        clients=_aws.ClientCache(
            session,
            "bedrock",
            config=_aws.client_config(
                connect_timeout=min(float(timeout), limits.connect_timeout),
                read_timeout=min(float(timeout), limits.read_timeout),
                # Each worker holds at most one connection, and any region may get all of them.
                max_pool_connections=max_workers,
            ),
            endpoint_url=endpoint_url,
            on_create=lambda client: _install_hooks(client, context),
        ),
        limits=limits,
        backoff=_aws.Backoff(
            limits.backoff_base,
            limits.backoff_cap,
            random=random if random is not None else _random.random,
            sleep=sleep if sleep is not None else time.sleep,
        ),
        endpoints=_Endpoints(unreachable if unreachable is not None else UNREACHABLE_ENDPOINTS),
        deadline=deadline,
        timeout=float(timeout),
    )
    logger.debug(
        "fetching %d regions with %d workers, timeout %.1f s",
        len(targets),
        max_workers,
        timeout,
    )
    answers = _run(context, targets, max_workers, progress, on_event, started)
    _raise_if_unreachable(context, answers)
    retrieved_at = (clock or system_clock)()
    logger.debug("fetch finished in %.2f s", time.monotonic() - started)
    return FetchResult(
        retrieved_at=retrieved_at,
        answers={region: answers[region] for region in targets},
        requested_regions=requested,
    )


def _raise_if_unreachable(context: _Context, answers: Mapping[str, RegionAnswer]) -> None:
    """One line instead of one reason per region, when no region's endpoint could be reached."""
    outcomes = [answer.outcome for answer in answers.values()]
    if not outcomes or not context.endpoints.only_connect_failures():
        return
    connect = [o for o in outcomes if o.error_code in _CONNECT_CODES]
    if not connect or any(o.error_code not in _CONNECT_CODES | {"deadline"} for o in outcomes):
        return
    first = connect[0]
    message = (first.message or "").split(" (not tried:")[0].split(" (remembered")[0]
    found = _URL_IN_MESSAGE.search(message)
    where = f" at {found.group(1)}" if found else f": {message}"
    others = context.endpoints.dead_count() - 1
    proxy = first.error_code == "ProxyConnectionError"
    more = f" (and {others} other endpoints)" if others > 0 and not proxy else ""
    count = f"{len(outcomes)} region{'s' if len(outcomes) != 1 else ''}"
    summary = f"{count} unreachable: {first.error_code}{where}{more}"
    if "remembered" in (first.message or ""):
        summary += f"; remembered for {UNREACHABLE_TTL_SECONDS:.0f} s after the last failure"
    raise FetchError(summary)


# Failures that mean "nothing answered": no connection, or (when nothing at all answered in the
# fetch) a connection that never got a reply.
_CONNECT_CODES = frozenset(
    {"EndpointConnectionError", "ConnectTimeoutError", "ProxyConnectionError", "ReadTimeoutError"}
)
_URL_IN_MESSAGE = re.compile(r'"((?:https?://)?[^"\s]+)"')


def _run(
    context: _Context,
    targets: Sequence[str],
    max_workers: int,
    progress: Progress | None,
    on_event: Callable[[FetchEvent], None] | None,
    started: float,
) -> dict[str, RegionAnswer]:
    by_region: dict[str, dict[str, _OperationResult]] = {region: {} for region in targets}
    answers: dict[str, RegionAnswer] = {}
    total = len(targets)
    results: queue.SimpleQueue[_OperationResult | _RequestEnded] = queue.SimpleQueue()
    work = _WorkQueue()
    counters = {"requests": 0, "operations": 0}

    def event(kind: Any, **fields: Any) -> None:
        if on_event is not None:
            on_event(
                FetchEvent(
                    kind,
                    total,
                    regions_done=len(answers),
                    requests_done=counters["requests"],
                    operations_done=counters["operations"],
                    pending=tuple(sorted(r for r in targets if r not in answers)),
                    elapsed_s=time.monotonic() - started,
                    **fields,
                )
            )

    def finish(answer: RegionAnswer) -> None:
        answers[answer.region] = answer
        _report(answer, len(answers), total, progress)
        event("region", region=answer.region, outcome=answer.outcome)

    # The first client loads the service model (tens of ms of pure Python). Doing it here, before
    # the workers start, keeps it from holding the GIL while every thread is being started. A
    # region botocore refuses (e.g. a name it cannot build an endpoint for) fails in its own
    # step below, never the whole fetch.
    if targets:
        try:
            context.clients.get(targets[0])
        except Exception:
            logger.debug("creating the client of %s failed", targets[0], exc_info=True)
    for region in targets:
        work.push(_Work(region, _PROFILES))
        work.push(_Work(region, _MODELS))
    workers = [
        threading.Thread(
            target=_worker,
            args=(context, work, results),
            name=f"bedrock-fetch-{n}",
            # Daemon: a worker stuck on a socket past the deadline must not keep the process
            # alive (non-daemon pool threads are joined at interpreter exit).
            daemon=True,
        )
        for n in range(min(max_workers, 2 * len(targets)))
    ]
    try:
        for thread in workers:
            thread.start()
        while len(answers) < total:
            remaining = context.remaining()
            if remaining <= 0:
                break
            try:
                # Bounded waits keep the calling thread responsive to Ctrl-C on every platform.
                result = results.get(timeout=0.5 if math.isinf(remaining) else min(remaining, 0.5))
            except queue.Empty:
                continue
            if isinstance(result, _RequestEnded):
                counters["requests"] += 1
                event(
                    "request",
                    region=result.region,
                    operation=result.operation,
                    page=result.page,
                )
                continue
            if result.expired:
                raise NoCredentialsError("AWS credentials expired")
            counters["operations"] += 1
            operations = by_region[result.region]
            operations[result.operation] = result
            if len(operations) == 2:
                finish(_answer(result.region, operations))
    finally:
        # Never wait for workers stuck on a slow socket: they notice `stop` before their next
        # request (and between the chunks of the body they are reading), and exit.
        context.stop.set()
        work.close()
    for region in targets:
        if region not in answers:
            finish(RegionAnswer(region=region, outcome=_deadline_outcome(region, context.timeout)))
    event("finished")
    return answers


def _worker(
    context: _Context,
    work: _WorkQueue,
    results: queue.SimpleQueue[_OperationResult | _RequestEnded],
) -> None:
    while not context.stop.is_set():
        item = work.pop()
        if item is None:
            return
        _step(context, work, results, item)


def _report(answer: RegionAnswer, done: int, total: int, progress: Progress | None) -> None:
    outcome = answer.outcome
    logger.debug(
        "region %s: %s%s (%d models, %d profiles) [%d/%d]",
        outcome.region,
        outcome.status.value,
        f" ({outcome.reason})" if outcome.reason else "",
        len(answer.model_summaries),
        len(answer.profile_summaries),
        done,
        total,
    )
    if progress is not None:
        progress(outcome, done, total)


def _answer(region: str, by_operation: Mapping[str, _OperationResult]) -> RegionAnswer:
    models, profiles = by_operation[_MODELS], by_operation[_PROFILES]
    bad = [r.outcome for r in (models, profiles) if r.outcome is not None]
    # `unavailable` is the account's standing state of the region and wins over a transient
    # failure of the other operation; partial answers are dropped rather than half-trusted.
    for status in (RegionStatus.UNAVAILABLE, RegionStatus.FAILED):
        for outcome in bad:
            if outcome.status is status:
                return RegionAnswer(region=region, outcome=outcome)
    return RegionAnswer(
        region=region,
        outcome=RegionOutcome(region=region, status=RegionStatus.OK),
        model_summaries=tuple(models.summaries or ()),
        profile_summaries=tuple(profiles.summaries or ()),
    )


def _deadline_outcome(region: str, timeout: float) -> RegionOutcome:
    message = f"not finished within {timeout:.1f} s"
    return RegionOutcome(region, RegionStatus.FAILED, error_code="deadline", message=message)


def _malformed(region: str, message: str) -> RegionOutcome:
    return RegionOutcome(region, RegionStatus.FAILED, "MalformedResponse", message)


def _step(
    context: _Context,
    work: _WorkQueue,
    results: queue.SimpleQueue[_OperationResult | _RequestEnded],
    item: _Work,
) -> None:
    """Send one pending request; queue its next page or report its operation."""
    region, operation = item.region, item.operation
    limits = context.limits
    try:
        context.check(region)
        client = context.clients.get(region)
        if operation == _MODELS:
            page = _call(context, results, region, client, operation, {}, item.attempts, None)
            summaries = _summaries(page, "modelSummaries", region, limits.max_entries)
        else:
            kwargs: dict[str, Any] = {"typeEquals": "SYSTEM_DEFINED"}
            if item.next_token is not None:
                kwargs["nextToken"] = item.next_token
            # A retried page keeps its nextToken: a throttle on page k resumes at page k.
            page = _call(
                context,
                results,
                region,
                client,
                operation,
                kwargs,
                item.attempts,
                item.pages + 1,
            )
            summaries = item.summaries + _summaries(
                page, "inferenceProfileSummaries", region, limits.max_entries
            )
            if len(summaries) > limits.max_entries:
                raise _MalformedResponseError(
                    f"{operation} answered more than {limits.max_entries} entries over "
                    f"{item.pages + 1} pages (the cap per region)"
                )
            token = page.get(_RAW_BODY, page).get("nextToken")
            if token is not None and not isinstance(token, str):
                raise _MalformedResponseError("nextToken is not a string")
            if token and token in item.tokens:
                # A server that hands back a token it already gave would page forever.
                raise _MalformedResponseError("nextToken repeats an earlier page (a paging loop)")
            if token:
                if item.pages + 1 >= limits.max_pages:
                    raise _MalformedResponseError(
                        f"{operation} has more than {limits.max_pages} pages (the cap per region)"
                    )
                following = _Work(region, operation, token, item.pages + 1, summaries)
                following.tokens = item.tokens | {token}
                work.push(following)
                return
        results.put(_OperationResult(region, operation, summaries=summaries))
    except _Requeue as requeue:
        item.attempts = requeue.attempts
        work.push(item)
    except _Stop as stop:
        if stop.outcome.status is not RegionStatus.OK and stop.outcome.error_code != "deadline":
            context.abort(stop.outcome)
        results.put(_OperationResult(region, operation, outcome=stop.outcome))
    except _ExpiredCredentialsError:
        context.stop.set()
        results.put(_OperationResult(region, operation, expired=True))
    except _MalformedResponseError as error:  # valid JSON of the wrong shape, or over a cap
        outcome = _malformed(region, str(error))
        context.abort(outcome)
        results.put(_OperationResult(region, operation, outcome=outcome))
    except Exception as error:  # a bug or an unexpected botocore error: this region only
        logger.debug("region %s: %s raised", region, operation, exc_info=True)
        details = _aws.error_details(error)
        outcome = RegionOutcome(region, RegionStatus.FAILED, details.code, details.message)
        context.abort(outcome)
        results.put(_OperationResult(region, operation, outcome=outcome))


def _call(
    context: _Context,
    results: queue.SimpleQueue[_OperationResult | _RequestEnded],
    region: str,
    client: Any,
    operation: str,
    kwargs: Mapping[str, Any],
    attempt: int,
    page: int | None,
) -> dict[str, Any]:
    """One API call with the module's retry budget; raises _Stop when the region must stop.

    ``attempt`` counts the attempts already spent (by a re-queued request). A timed-out
    attempt raises _Requeue instead of retrying in place: it has already held its worker for
    a whole read timeout, and the retry goes behind every fresh request.
    """
    errors = _aws.botocore_errors()
    method = (
        client.list_foundation_models if operation == _MODELS else client.list_inference_profiles
    )
    endpoint = str(client.meta.endpoint_url)
    limits = context.limits
    while True:
        context.check(region)
        dead = context.endpoints.dead(endpoint)
        if dead is not None:
            raise _Stop(RegionOutcome(region, RegionStatus.FAILED, dead[0], dead[1]))
        attempt += 1
        timed_out = False
        try:
            context.endpoints.sending()
            try:
                response: dict[str, Any] = method(**kwargs)
            finally:
                context.endpoints.ended()
                results.put(_RequestEnded(region, operation, page))
            context.endpoints.connected(endpoint)
            return response
        except errors.client_error as error:
            context.endpoints.connected(endpoint)
            details = _aws.error_details(error)
            if details.code in _aws.EXPIRED_CODES:
                raise _ExpiredCredentialsError from error
            if details.is_unavailable:
                raise _Stop(
                    RegionOutcome(region, RegionStatus.UNAVAILABLE, details.code, details.message)
                ) from error
            code, message, retryable = (
                details.code,
                details.message,
                details.is_transient,
            )
        except errors.connect_failures as error:
            # No connection at all: every region on this endpoint would pay the same timeout.
            details = _aws.error_details(error)
            # The proxy (from HTTPS_PROXY, the same for every region) is what failed.
            proxy = details.code == "ProxyConnectionError"
            context.endpoints.failed(endpoint, details.code, details.message, everywhere=proxy)
            context.endpoints.settle(_SETTLE_SECONDS)
            raise _Stop(
                RegionOutcome(region, RegionStatus.FAILED, details.code, details.message)
            ) from error
        except _BodyTimeout as error:
            code, message, retryable, timed_out = (
                "ReadTimeoutError",
                str(error),
                True,
                True,
            )
        except errors.connection as error:
            details = _aws.error_details(error)
            code, message, retryable = details.code, details.message, True
            timed_out = isinstance(error, errors.timeouts)
            if timed_out:
                context.endpoints.timed_out(region, code, message)
                context.endpoints.settle(_SETTLE_SECONDS)
        failed = RegionOutcome(region, RegionStatus.FAILED, code, message)
        if not retryable or attempt >= limits.max_attempts:
            raise _Stop(failed)
        if timed_out:
            context.check(region)
            raise _Requeue(attempt)
        delay = context.backoff.delay(attempt - 1)
        if delay >= context.remaining():
            raise _Stop(failed)  # no time left to retry: report the real error, not "deadline"
        logger.debug(
            "region %s: %s (attempt %d/%d), retrying in %.2f s",
            region,
            code,
            attempt,
            limits.max_attempts,
            delay,
        )
        context.backoff.sleep(delay)


# Fields of a summary that the API documents as lists; a string there would be read letter by
# letter downstream, so such an entry is not a summary.
_LIST_FIELDS = {
    "modelSummaries": (
        "inputModalities",
        "outputModalities",
        "customizationsSupported",
        "inferenceTypesSupported",
    ),
    "inferenceProfileSummaries": ("models",),
}
_ID_FIELD = {
    "modelSummaries": "modelId",
    "inferenceProfileSummaries": "inferenceProfileId",
}
_ARN_FIELD = {
    "modelSummaries": "modelArn",
    "inferenceProfileSummaries": "inferenceProfileArn",
}


def _summaries(
    page: Mapping[str, Any], key: str, region: str, max_entries: int
) -> list[dict[str, Any]]:
    """The usable summaries of one page; raises _MalformedResponseError when it is no answer."""
    body = page.get(_RAW_BODY, page)
    if key not in body:
        # A 200 without the list (``{}``, or an error-shaped body) is not "no models": reading it
        # as such would empty the region and cache the emptiness.
        shown = ", ".join(sorted(str(k) for k in body)[:5]) or "none"
        raise _MalformedResponseError(f"the answer has no {key} list (keys: {shown})")
    items = body[key]
    if not isinstance(items, list):
        raise _MalformedResponseError(f"{key} is not a list")
    if len(items) > max_entries:
        raise _MalformedResponseError(
            f"{key} has {len(items)} entries, over the cap of {max_entries} per region"
        )
    entries = [item for item in items if _is_summary(item, key)]
    if items and not entries:
        raise _MalformedResponseError(f"none of the {len(items)} {key} entries is a summary")
    for entry in entries:
        arn = entry.get(_ARN_FIELD[key])
        named = _arn_region(arn)
        if named and named != region:
            raise _MalformedResponseError(
                f"{_ARN_FIELD[key]} {mask_account_ids(str(arn))!r} names region {named!r}, "
                f"not {region!r}: the answer is another region's"
            )
    if len(entries) != len(items):
        # One bad entry never loses the rest of the region.
        logger.warning(
            "skipping %d %s entries of %s that are not summaries",
            len(items) - len(entries),
            key,
            region,
        )
    return entries


def _is_summary(item: object, key: str) -> bool:
    """A JSON object with a non-empty string id whose documented list fields are lists."""
    if not isinstance(item, dict):
        return False
    identifier = item.get(_ID_FIELD[key])
    if not isinstance(identifier, str) or not identifier:
        return False
    for name in _LIST_FIELDS[key]:
        value = item.get(name)
        if value is not None and not isinstance(value, list):
            return False
    return True


def _arn_region(arn: object) -> str:
    """The region field of an ARN ("arn:aws:bedrock:REGION:ACCOUNT:..."), "" when absent."""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return ""
    parts = arn.split(":", 5)
    return parts[3] if len(parts) > 4 else ""


# -- botocore hooks ------------------------------------------------------------------------------


def _install_hooks(client: Any, context: _Context) -> None:
    events = client.meta.events
    for operation in (_MODELS, _PROFILES):
        events.register(f"before-send.bedrock.{operation}", _bounded_sender(client, context))
        events.register(f"before-parse.bedrock.{operation}", _take_raw_json)


def _bounded_sender(client: Any, context: _Context) -> Callable[..., Any]:
    """A ``before-send`` handler that sends like botocore but reads the body within bounds.

    botocore reads a whole body before any hook sees it, with only a per-``recv`` timeout: a
    body trickling in a byte every few seconds holds the worker for as long as the server likes,
    and a gigantic one is read whole. This handler sends through the client's own HTTP session
    (same pool, proxies, TLS settings) with ``stream_output``, then reads the body itself,
    checking the wall-clock budget and the size cap between chunks.
    """
    http_session = getattr(getattr(client, "_endpoint", None), "http_session", None)

    def send(request: Any, **_: Any) -> Any:
        if http_session is None:  # a botocore without the attribute: its own unbounded read
            return None
        from botocore.awsrequest import AWSResponse

        limits = context.limits
        budget_end = min(time.monotonic() + limits.read_timeout, context.deadline)
        request.stream_output = True
        response = http_session.send(request)
        # Headers arrived: the endpoint answers (a slow body is this request's problem).
        context.endpoints.connected(str(client.meta.endpoint_url))
        raw = response.raw
        try:
            length = response.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > limits.max_body_bytes:
                raise _MalformedResponseError(
                    f"the response body is {int(length)} bytes, over the cap of "
                    f"{limits.max_body_bytes} bytes"
                )
            body = _read_body(raw, budget_end, limits, context.stop, request.url)
        except BaseException:
            _discard(raw)
            raise
        return AWSResponse(request.url, response.status_code, response.headers, _Body(body))

    return send


def _read_body(
    raw: Any, budget_end: float, limits: FetchLimits, stop: threading.Event, url: str
) -> bytes:
    from botocore.exceptions import ConnectionClosedError, ReadTimeoutError
    from urllib3.exceptions import ProtocolError
    from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeoutError

    read = getattr(raw, "read1", None) or raw.read
    chunks: list[bytes] = []
    size = 0
    while True:
        if stop.is_set() or time.monotonic() > budget_end:
            raise _BodyTimeout(
                f"the response body did not arrive within {limits.read_timeout:g} s "
                f"({size} bytes so far) from endpoint URL: {url}"
            )
        try:
            chunk = read(_READ_CHUNK)
        except Urllib3ReadTimeoutError as error:
            raise ReadTimeoutError(endpoint_url=url, error=error) from error
        except ProtocolError as error:
            raise ConnectionClosedError(endpoint_url=url, error=error) from error
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise _MalformedResponseError(
                f"the response body is over the cap of {limits.max_body_bytes} bytes"
            )
        chunks.append(chunk)


def _discard(raw: Any) -> None:
    # A half-read connection must never go back to the pool: close it, then release it.
    for name in ("close", "release_conn"):
        method = getattr(raw, name, None)
        if method is not None:
            try:
                method()
            except Exception:
                logger.debug("closing a half-read response failed", exc_info=True)


class _Body:
    """The ``raw`` of a response whose body was read already (what AWSResponse.content reads)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, *_: Any, **__: Any) -> Any:
        yield self._data


def _take_raw_json(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    """Keep a 2xx body as the API sent it, and spare botocore's shape-walking parser.

    botocore parses an unparseable 2xx JSON body as {"message": body} and returns an empty result,
    which would read as "this region has no models": reject it instead. And its parser walks
    every field of every summary (and turns timestamps into datetimes) for ~3 ms of GIL-holding
    CPU per 100-model page, which serialises the worker threads; the plain JSON is what the
    transform wants anyway, so it is handed over as is and botocore parses an empty object.
    """
    if int(response_dict.get("status_code", 0)) >= 300:
        return
    body = response_dict.get("body")
    if not body:
        # Not "a region with no models": these operations always answer a JSON object.
        raise _MalformedResponseError("response body is empty")
    try:
        parsed = json.loads(body)
    except ValueError as error:
        raise _MalformedResponseError(f"response body is not valid JSON: {error}") from None
    except RecursionError:
        raise _MalformedResponseError("response body is nested too deeply") from None
    if not isinstance(parsed, dict):
        raise _MalformedResponseError("response body is not a JSON object")
    customized_response_dict[_RAW_BODY] = parsed
    response_dict["body"] = b"{}"
