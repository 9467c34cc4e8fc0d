"""Fetches the raw Bedrock answers (foundation models, system inference profiles) of many regions
in parallel; it never transforms them, never writes files, and imports boto3 only when called.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import heapq
import itertools
import json
import logging
import math
import queue
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..._errors import NoCredentialsError
from . import _regions
from ._constants import DEFAULT_MAX_WORKERS, DEFAULT_TIMEOUT_SECONDS
from ._types import FetchResult, RegionAnswer, RegionOutcome, RegionStatus

__all__ = ["fetch_regions"]

logger = logging.getLogger(__name__)

#: The ONE retry budget: every request (one page of one operation in one region) is sent at most
#: this many times in total. botocore's ``standard`` mode is configured with
#: ``total_max_attempts=1`` so that it makes exactly one HTTP attempt per call, and this module
#: alone retries throttling, 5xx, timeouts and connection errors with exponential backoff and
#: full jitter. Retries are therefore never multiplied across layers: a region makes at most
#: ``(1 + profile pages) * MAX_ATTEMPTS`` requests.
MAX_ATTEMPTS = 5

#: botocore's own attempt count (see MAX_ATTEMPTS): one, so its retries never stack on ours.
BOTOCORE_TOTAL_MAX_ATTEMPTS = 1

#: Full-jitter backoff: the n-th retry sleeps ``uniform(0, min(CAP, BASE * 2 ** (n - 1)))``
#: seconds, never past the fetch's deadline. Bedrock's control plane allows about 10 TPS per
#: region, so half a second is enough to clear a burst.
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0

#: Socket timeouts of one HTTP attempt, also capped by the fetch's ``timeout``. The read timeout is
#: what eventually frees a worker thread stuck on a hung connection after the deadline has passed.
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0

#: Injection points for tests: the backoff sleep and the jitter source (a float in [0, 1)).
_sleep: Callable[[float], None] = time.sleep
_jitter: Callable[[], float] = random.random

_MODELS = "ListFoundationModels"
_PROFILES = "ListInferenceProfiles"
_RAW_BODY = "bestehorn_llmmanager:raw_body"  # key of the unparsed JSON body in a response

# Error codes by meaning. Opt-in regions the account has not enabled answer
# UnrecognizedClientException "The security token included in the request is invalid", exactly
# like a bad key would; in a multi-region fetch the region is the likelier cause, so it is
# `unavailable`, not a credentials failure.
_UNAVAILABLE_CODES = frozenset(
    {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidClientTokenId",  # the STS-style spelling of "security token invalid"
        "OptInRequired",
        "AccessDenied",
    }
)
_UNAVAILABLE_MESSAGES = ("security token included in the request is invalid",)
_EXPIRED_CODES = frozenset({"ExpiredTokenException", "ExpiredToken", "RequestExpired"})
_THROTTLE_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
    }
)
_TRANSIENT_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "ServiceUnavailable"}
)

Progress = Callable[[RegionOutcome, int, int], None]


class _MalformedResponseError(Exception):
    """A 2xx answer whose body is not the JSON object the API documents."""


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


@dataclass
class _OperationResult:
    region: str
    operation: str
    summaries: list[dict[str, Any]] | None = None
    outcome: RegionOutcome | None = None  # None when the operation succeeded
    expired: bool = False


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
        # the end: the wall time stays near max(calls / workers, longest chain) (a schedule
        # simulated on the 2026-10 snapshot reaches the ceil(calls / workers) optimum). The
        # trade-off: a fetch cut short by its deadline has fewer complete regions.
        if self.attempts:
            # A request that timed out waits behind all fresh work: a few hanging regions
            # must not keep the pool's workers from the healthy ones.
            return (2, self.attempts)
        if self.operation == _MODELS:
            return (1, 0)
        return (0, self.pages)


class _WorkQueue:
    """A thread-safe priority queue of pending requests, popped by the pool's tasks."""

    def __init__(self) -> None:
        self._heap: list[tuple[tuple[int, int], int, _Work]] = []
        self._lock = threading.Lock()
        self._order = itertools.count()

    def push(self, item: _Work) -> None:
        with self._lock:
            heapq.heappush(self._heap, (item.priority, next(self._order), item))

    def pop(self) -> _Work:
        # One task is submitted per push, so a task always finds an item.
        with self._lock:
            return heapq.heappop(self._heap)[2]


@dataclass
class _Context:
    """State shared by the worker threads of one fetch."""

    session: Any
    config: Any
    endpoint_url: str | None
    deadline: float
    timeout: float
    stop: threading.Event = field(default_factory=threading.Event)
    client_lock: threading.Lock = field(default_factory=threading.Lock)
    clients: dict[str, Any] = field(default_factory=dict)
    # First bad outcome per region: the region's other operation stops before its next request.
    abort_lock: threading.Lock = field(default_factory=threading.Lock)
    aborted: dict[str, RegionOutcome] = field(default_factory=dict)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def client(self, region: str) -> Any:
        # boto3 Sessions are not thread-safe, so client creation is serialised; the clients
        # themselves are, and each region's client is created once and shared by its operations.
        client = self.clients.get(region)
        if client is not None:
            return client
        with self.client_lock:
            client = self.clients.get(region)
            if client is None:
                client = self.session.client(
                    "bedrock",
                    region_name=region,
                    config=self.config,
                    endpoint_url=self.endpoint_url,
                )
                for operation in (_MODELS, _PROFILES):
                    client.meta.events.register(f"before-parse.bedrock.{operation}", _take_raw_json)
                self.clients[region] = client
            return client

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


def fetch_regions(
    regions: Sequence[str] | None = None,
    *,
    session: Any = None,
    max_workers: int = DEFAULT_MAX_WORKERS,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    progress: Progress | None = None,
    endpoint_url: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FetchResult:
    """Call ListFoundationModels and every page of ListInferenceProfiles(SYSTEM_DEFINED) per region.

    ``regions`` None means every region where botocore knows a ``bedrock`` endpoint. ``timeout``
    bounds the whole fetch: regions not finished by then are ``failed`` with error code
    ``deadline``. ``progress(outcome, done, total)`` is called from the calling thread after each
    region. ``clock`` stamps ``retrieved_at`` (default: the real UTC time). Raises
    NoCredentialsError, once, when there are no usable or no unexpired credentials.
    """
    requested = _regions.validate_regions(regions)
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError(f"max_workers: must be an integer >= 1, got {max_workers!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout: must be a number of seconds > 0, got {timeout!r}")
    started = time.monotonic()
    deadline = started + timeout  # may be inf: no deadline

    import boto3
    from botocore.config import Config

    if session is None:
        session = boto3.Session()
    _resolve_credentials(session)
    targets = requested if requested is not None else _regions.default_regions(session)

    budget = min(float(timeout), READ_TIMEOUT_SECONDS)
    config = Config(
        retries={"mode": "standard", "total_max_attempts": BOTOCORE_TOTAL_MAX_ATTEMPTS},
        connect_timeout=min(float(timeout), CONNECT_TIMEOUT_SECONDS),
        read_timeout=budget,
        # Each worker holds at most one connection, and any region may get all of them.
        max_pool_connections=max_workers,
    )
    context = _Context(
        session=session,
        config=config,
        endpoint_url=endpoint_url,
        deadline=deadline,
        timeout=float(timeout),
    )
    logger.debug(
        "fetching %d regions with %d workers, timeout %.1f s", len(targets), max_workers, timeout
    )
    answers = _run(context, targets, max_workers, progress)
    retrieved_at = clock() if clock is not None else datetime.now(timezone.utc)
    logger.debug("fetch finished in %.2f s", time.monotonic() - started)
    return FetchResult(
        retrieved_at=retrieved_at,
        answers={region: answers[region] for region in targets},
        requested_regions=requested,
    )


def _resolve_credentials(session: Any) -> None:
    """Resolve the credentials once, up front, so a missing key fails once and fast."""
    from botocore.exceptions import BotoCoreError

    try:
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
    except BotoCoreError as error:  # e.g. an expired SSO token or a failing credential_process
        raise NoCredentialsError(
            f"AWS credentials could not be resolved ({type(error).__name__})"
        ) from error
    if frozen is None or not frozen.access_key or not frozen.secret_key:
        raise NoCredentialsError()


def _run(
    context: _Context,
    targets: Sequence[str],
    max_workers: int,
    progress: Progress | None,
) -> dict[str, RegionAnswer]:
    by_region: dict[str, dict[str, _OperationResult]] = {region: {} for region in targets}
    answers: dict[str, RegionAnswer] = {}
    total = len(targets)
    results: queue.SimpleQueue[_OperationResult] = queue.SimpleQueue()
    executor = concurrent.futures.ThreadPoolExecutor(
        max_workers=max_workers, thread_name_prefix="bedrock-fetch"
    )
    work = _WorkQueue()

    def submit() -> None:
        with contextlib.suppress(RuntimeError):  # the pool is shut down: the fetch is over
            executor.submit(_step, context, work, results, submit)

    # The first client loads the service model (tens of ms of pure Python). Doing it here, before
    # the pool exists, keeps it from holding the GIL while every worker thread is being started.
    if targets:
        context.client(targets[0])
    try:
        for region in targets:
            work.push(_Work(region, _PROFILES))
            work.push(_Work(region, _MODELS))
        for _ in range(2 * len(targets)):
            submit()
        while len(answers) < total:
            remaining = context.remaining()
            if remaining <= 0:
                break
            try:
                result = results.get(timeout=None if math.isinf(remaining) else remaining)
            except queue.Empty:
                break
            if result.expired:
                raise NoCredentialsError("AWS credentials expired")
            operations = by_region[result.region]
            operations[result.operation] = result
            if len(operations) == 2:
                answers[result.region] = _answer(result.region, operations)
                _report(answers[result.region], len(answers), total, progress)
    finally:
        # Never wait for workers stuck on a slow socket: they notice `stop` before their next
        # request, and the read timeout bounds the request they are in.
        context.stop.set()
        executor.shutdown(wait=False, cancel_futures=True)
    for region in targets:
        if region not in answers:
            outcome = _deadline_outcome(region, context.timeout)
            answers[region] = RegionAnswer(region=region, outcome=outcome)
            _report(answers[region], len(answers), total, progress)
    return answers


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


def _step(
    context: _Context,
    work: _WorkQueue,
    results: queue.SimpleQueue[_OperationResult],
    submit: Callable[[], None],
) -> None:
    """Send the most urgent pending request; queue its next page or report its operation."""
    item = work.pop()
    region, operation = item.region, item.operation
    try:
        context.check(region)
        client = context.client(region)
        if operation == _MODELS:
            page = _call(context, region, client.list_foundation_models, {}, item.attempts)
            summaries = _summaries(page, "modelSummaries", region)
        else:
            kwargs: dict[str, Any] = {"typeEquals": "SYSTEM_DEFINED"}
            if item.next_token is not None:
                kwargs["nextToken"] = item.next_token
            # A retried page keeps its nextToken: a throttle on page k resumes at page k.
            page = _call(context, region, client.list_inference_profiles, kwargs, item.attempts)
            summaries = item.summaries + _summaries(page, "inferenceProfileSummaries", region)
            token = page.get(_RAW_BODY, page).get("nextToken")
            if token is not None and not isinstance(token, str):
                raise _MalformedResponseError("nextToken is not a string")
            if token and token in item.tokens:
                # A server that hands back a token it already gave would page forever.
                raise _MalformedResponseError("nextToken repeats an earlier page (a paging loop)")
            if token:
                following = _Work(region, operation, token, item.pages + 1, summaries)
                following.tokens = item.tokens | {token}
                work.push(following)
                submit()
                return
        results.put(_OperationResult(region, operation, summaries=summaries))
    except _Requeue as requeue:
        item.attempts = requeue.attempts
        work.push(item)
        submit()
    except _Stop as stop:
        if stop.outcome.status is not RegionStatus.OK and stop.outcome.error_code != "deadline":
            context.abort(stop.outcome)
        results.put(_OperationResult(region, operation, outcome=stop.outcome))
    except _ExpiredCredentialsError:
        context.stop.set()
        results.put(_OperationResult(region, operation, expired=True))
    except _MalformedResponseError as error:  # valid JSON of the wrong shape
        outcome = RegionOutcome(region, RegionStatus.FAILED, "MalformedResponse", str(error))
        context.abort(outcome)
        results.put(_OperationResult(region, operation, outcome=outcome))
    except Exception as error:  # a bug or an unexpected botocore error: this region only
        logger.debug("region %s: %s raised", region, operation, exc_info=True)
        outcome = RegionOutcome(
            region, RegionStatus.FAILED, error_code=type(error).__name__, message=str(error)
        )
        context.abort(outcome)
        results.put(_OperationResult(region, operation, outcome=outcome))


def _call(
    context: _Context,
    region: str,
    method: Callable[..., Any],
    kwargs: Mapping[str, Any],
    attempt: int = 0,
) -> dict[str, Any]:
    """One API call with the module's retry budget; raises _Stop when the region must stop.

    ``attempt`` counts the attempts already spent (by a re-queued request). A timed-out
    attempt raises _Requeue instead of retrying in place: it has already held its worker for
    a whole read timeout, and the retry goes behind every fresh request.
    """
    from botocore.exceptions import (
        ClientError,
        ConnectTimeoutError,
        HTTPClientError,
        ReadTimeoutError,
    )
    from botocore.exceptions import ConnectionError as BotocoreConnectionError

    while True:
        context.check(region)
        attempt += 1
        timed_out = False
        try:
            response: dict[str, Any] = method(**kwargs)
            return response
        except ClientError as error:
            code, message, status = _error_details(error)
            if code in _EXPIRED_CODES:
                raise _ExpiredCredentialsError from error
            if code in _UNAVAILABLE_CODES or any(
                m in message.lower() for m in _UNAVAILABLE_MESSAGES
            ):
                raise _Stop(
                    RegionOutcome(region, RegionStatus.UNAVAILABLE, code, message)
                ) from error
            retryable = code in _THROTTLE_CODES or code in _TRANSIENT_CODES or status >= 500
            if status == 429:
                retryable = True
        except (BotocoreConnectionError, HTTPClientError) as error:
            code, message, retryable = type(error).__name__, str(error), True
            timed_out = isinstance(error, (ReadTimeoutError, ConnectTimeoutError))
        except _MalformedResponseError as error:
            code, message, retryable = "MalformedResponse", str(error), False
        failed = RegionOutcome(region, RegionStatus.FAILED, code, message)
        if not retryable or attempt >= MAX_ATTEMPTS:
            raise _Stop(failed)
        if timed_out:
            context.check(region)
            raise _Requeue(attempt)
        delay = _jitter() * min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        if delay >= context.remaining():
            raise _Stop(failed)  # no time left to retry: report the real error, not "deadline"
        logger.debug(
            "region %s: %s (attempt %d/%d), retrying in %.2f s",
            region,
            code,
            attempt,
            MAX_ATTEMPTS,
            delay,
        )
        _sleep(delay)


def _error_details(error: Any) -> tuple[str, str, int]:
    response = getattr(error, "response", None) or {}
    details = response.get("Error", {})
    code = str(details.get("Code") or "")
    message = str(details.get("Message") or "")
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    return code, message, int(status)


def _summaries(page: Mapping[str, Any], key: str, region: str) -> list[dict[str, Any]]:
    items = page.get(_RAW_BODY, page).get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise _MalformedResponseError(f"{key} is not a list")
    entries = [item for item in items if isinstance(item, dict)]
    if len(entries) != len(items):
        # One bad entry never loses the rest of the region (the transform skips bad objects).
        logger.warning(
            "skipping %d %s entries of %s that are not JSON objects",
            len(items) - len(entries),
            key,
            region,
        )
    return entries


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
    if not isinstance(parsed, dict):
        raise _MalformedResponseError("response body is not a JSON object")
    customized_response_dict[_RAW_BODY] = parsed
    response_dict["body"] = b"{}"
