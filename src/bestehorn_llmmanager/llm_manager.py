"""LLMManager: Converse and ConverseStream over a list of models and regions, failing over between
them, with the catalog turning each (model, region) into the id to send. It passes Converse fields
through untouched and never re-models the Converse API.

Importing this module does not import boto3; the first runtime client does.

Retries: the manager's failover *is* the retry layer. Each runtime client is created with
botocore's ``standard`` retry mode and ``total_max_attempts=1``, so botocore never retries on its
own: a throttled region is left at once for the next target instead of being hammered with
botocore's backoff, and the attempts the manager reports are exactly the requests that were sent.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from ._errors import AllTargetsFailedError, ConfigurationError, NoCredentialsError, RequestError
from ._version import __version__
from .bedrock.catalog._regions import validate_region
from .bedrock.catalog._types import AccessMethod, ModelInfo

if TYPE_CHECKING:
    from .bedrock.catalog._catalog import Catalog

logger = logging.getLogger(__name__)

#: The access method tried first in each region, then the next one the catalog offers there.
DEFAULT_ACCESS_PREFERENCE: tuple[AccessMethod, ...] = (
    AccessMethod.DIRECT,
    AccessMethod.REGIONAL_PROFILE,
    AccessMethod.GLOBAL_PROFILE,
)
#: ``region_first``: try every region of the first model, then the next model.
#: ``model_first``: try every model in the first region, then the next region.
FAILOVER_MODES = ("region_first", "model_first")
#: Rounds over the whole target list when every failure was transient (throttling, 5xx, ...).
DEFAULT_MAX_ROUNDS = 3
#: Backoff between rounds: min(max, base * 2**round), of which a random half is jitter.
DEFAULT_BACKOFF_BASE_SECONDS = 1.0
DEFAULT_BACKOFF_MAX_SECONDS = 16.0
#: How long a (model, region) that answered AccessDeniedException is skipped by this manager.
DEFAULT_DENIED_TTL_SECONDS = 300.0
#: Runtime client timeouts. Reads are long: a large answer (or the gap between stream events
#: of a slow model) can take minutes; connecting never should.
DEFAULT_CONNECT_TIMEOUT_SECONDS = 10.0
DEFAULT_READ_TIMEOUT_SECONDS = 300.0
#: Connections per runtime client, so many threads sharing one manager do not queue for one.
DEFAULT_MAX_POOL_CONNECTIONS = 50

# Error codes (the first letter upper-cased: in-stream errors arrive as "throttlingException").
_TRANSIENT_CODES = frozenset(
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceUnavailableException",
        "InternalServerException",
        "InternalFailure",
        "ModelNotReadyException",
        "ModelTimeoutException",
        "ModelStreamErrorException",
        "ModelErrorException",
        "ServiceQuotaExceededException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
_DENIED_CODES = frozenset({"AccessDeniedException", "UnrecognizedClientException"})
# HTTP 400 codes that are about the caller's credentials or clock, not the request's content:
# every other unknown 400 code (SerializationException, ...) is a malformed request.
_CREDENTIAL_CODES = frozenset(
    {
        "ExpiredTokenException",
        "ExpiredToken",
        "RequestExpired",
        "InvalidSignatureException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
        "InvalidClientTokenId",
    }
)
# Substrings of ValidationException messages. AWS writes "isn\u2019t" with a typographic
# apostrophe (sometimes a plain one), so the on-demand marker stops before the apostrophe.
_ON_DEMAND_MARKER = "with on-demand throughput isn"
_INVALID_ID_MARKER = "provided model identifier is invalid"


class _Kind(Enum):
    TRANSIENT = "transient"  # next target now; another round later
    DENIED = "denied"  # next target; skip this (model, region) for a while
    NEEDS_PROFILE = "needs_profile"  # stale catalog: same region through a profile, now
    UNUSABLE = "unusable"  # next target; never again in this call
    REQUEST = "request"  # the request itself is wrong: raise at once


# -- results and errors -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request sent to one target; ``error_code`` is None for the one that succeeded."""

    model_id: str  # the id sent: model id, profile id or ARN
    region: str
    access_method: AccessMethod
    error_code: str | None = None
    message: str | None = None
    elapsed_s: float = 0.0

    @property
    def succeeded(self) -> bool:
        return self.error_code is None

    def describe(self) -> str:
        """One line: what was sent where, and how it ended."""
        outcome = "ok" if self.error_code is None else f"{self.error_code}: {self.message or ''}"
        return (
            f"{self.model_id} in {self.region} ({self.access_method.value}, "
            f"{self.elapsed_s * 1000:.0f} ms): {outcome}"
        )


@dataclass(frozen=True, slots=True)
class Target:
    """One (model, region) pair and the id the manager sends there."""

    model: ModelInfo
    region: str
    access_method: AccessMethod
    model_id: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.model.model_id, self.region)

    def __repr__(self) -> str:
        return f"Target({self.model_id!r} in {self.region}, {self.access_method.value})"


@dataclass(frozen=True, slots=True)
class ConverseResponse:
    """A successful Converse answer; ``raw`` is boto3's response dict, untouched."""

    raw: dict[str, Any]
    model: ModelInfo
    region: str
    model_id_used: str
    access_method: AccessMethod
    attempts: tuple[Attempt, ...]

    @property
    def text(self) -> str:
        """The text blocks of the output message, joined."""
        content = self.raw.get("output", {}).get("message", {}).get("content", ())
        return "".join(block["text"] for block in content if "text" in block)

    @property
    def stop_reason(self) -> str | None:
        reason = self.raw.get("stopReason")
        return reason if isinstance(reason, str) else None

    @property
    def usage(self) -> dict[str, int]:
        usage = self.raw.get("usage")
        return usage if isinstance(usage, dict) else {}


class ConverseStream(Iterator[dict[str, Any]]):
    """The events of one ConverseStream call, as boto3 yields them.

    ``text`` grows as events are consumed; ``usage`` and ``stop_reason`` are known at the end.
    An error inside the stream (after the first event) is raised as botocore raises it
    (``EventStreamError``): the caller has already seen output, so the manager cannot fail over.
    Not meant to be shared between threads.
    """

    def __init__(
        self,
        raw: dict[str, Any],
        events: Iterator[dict[str, Any]],
        first: dict[str, Any] | None,
        target: Target,
        attempts: tuple[Attempt, ...],
    ) -> None:
        self.raw = raw  # boto3's response dict (its "stream" is the EventStream)
        self._events = events
        self._pending = first
        self._parts: list[str] = []
        self._target = target
        self.attempts = attempts
        self.stop_reason: str | None = None
        self.usage: dict[str, int] = {}
        self.metrics: dict[str, Any] = {}
        self.finished = first is None

    @property
    def model(self) -> ModelInfo:
        return self._target.model

    @property
    def region(self) -> str:
        return self._target.region

    @property
    def model_id_used(self) -> str:
        return self._target.model_id

    @property
    def access_method(self) -> AccessMethod:
        return self._target.access_method

    @property
    def text(self) -> str:
        """The text received so far."""
        return "".join(self._parts)

    def __iter__(self) -> ConverseStream:
        return self

    def __next__(self) -> dict[str, Any]:
        event = self._pending
        if event is not None:
            self._pending = None
        else:
            if self.finished:
                raise StopIteration
            try:
                event = next(self._events)
            except StopIteration:
                self.finished = True
                raise
        self._observe(event)
        return event

    def _observe(self, event: Mapping[str, Any]) -> None:
        delta = event.get("contentBlockDelta")
        if delta is not None:
            text = delta.get("delta", {}).get("text")
            if text:
                self._parts.append(text)
            return
        stop = event.get("messageStop")
        if stop is not None:
            self.stop_reason = stop.get("stopReason")
            return
        metadata = event.get("metadata")
        if metadata is not None:
            self.usage = dict(metadata.get("usage") or {})
            self.metrics = dict(metadata.get("metrics") or {})

    def close(self) -> None:
        """Stop reading and release the connection."""
        self.finished = True
        self._pending = None
        stream = self.raw.get("stream")
        if stream is not None:
            stream.close()

    def __enter__(self) -> ConverseStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the manager --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """The ordered targets for one catalog snapshot; replaced whole, never mutated."""

    catalog: object
    models: tuple[ModelInfo, ...]
    targets: tuple[Target, ...]


class LLMManager:
    """Send Converse requests to the first of several (model, region) targets that answers.

    Models are given the way people name them ("Claude Haiku 4.5"), or as ids, profile ids or
    ARNs; the catalog picks the id for each region following ``access_preference``. Targets are
    ordered by ``failover`` and the caller's order, and the first one is always the same (Bedrock
    prompt caches are per region). Safe to share across threads.
    """

    def __init__(
        self,
        models: Sequence[str] | str,
        regions: Sequence[str] | str,
        catalog: Any = None,
        session: Any = None,
        access_preference: Iterable[AccessMethod | str] = DEFAULT_ACCESS_PREFERENCE,
        failover: str = "region_first",
        *,
        endpoint_url: str | None = None,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        backoff_base: float = DEFAULT_BACKOFF_BASE_SECONDS,
        backoff_max: float = DEFAULT_BACKOFF_MAX_SECONDS,
        denied_ttl: float = DEFAULT_DENIED_TTL_SECONDS,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = DEFAULT_READ_TIMEOUT_SECONDS,
        max_pool_connections: int = DEFAULT_MAX_POOL_CONNECTIONS,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        model_names = _names("models", models)
        self._regions = tuple(
            dict.fromkeys(
                validate_region(r, argument="regions") for r in _names("regions", regions)
            )
        )
        self._preference = _preference(access_preference)
        if failover not in FAILOVER_MODES:
            raise ValueError(f"failover: expected one of {FAILOVER_MODES}, got {failover!r}")
        self._failover = failover
        if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
            raise ValueError(f"max_rounds: must be an integer >= 1, got {max_rounds!r}")
        self._max_rounds = max_rounds
        self._backoff_base = _seconds("backoff_base", backoff_base)
        self._backoff_max = _seconds("backoff_max", backoff_max)
        self._denied_ttl = _seconds("denied_ttl", denied_ttl)
        self._connect_timeout = _seconds("connect_timeout", connect_timeout)
        self._read_timeout = _seconds("read_timeout", read_timeout)
        self._max_pool = max_pool_connections
        self._sleep, self._jitter, self._clock = sleep, jitter, clock
        self._endpoint_url = endpoint_url
        self._session = session

        if catalog is None:
            from .bedrock.catalog._facade import BedrockModelCatalog

            catalog = BedrockModelCatalog()
        self._source = catalog
        snapshot = self._snapshot()
        resolved = tuple(dict.fromkeys(snapshot.resolve(name) for name in model_names))
        targets = _order_targets(resolved, self._regions, self._preference, self._failover)
        for model in resolved:
            if not any(t.model is model for t in targets):
                raise ConfigurationError(_not_callable(model, self._regions, self._preference))
        self._plan = _Plan(snapshot, resolved, targets)

        self._lock = threading.Lock()  # guards plan swaps, overrides and the denied table
        self._overrides: dict[tuple[str, str, str], Target | None] = {}
        self._denied: dict[tuple[str, str], float] = {}
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()

    def __repr__(self) -> str:
        models = ", ".join(m.name for m in self._plan.models)
        return (
            f"LLMManager(models=[{models}], regions={list(self._regions)}, "
            f"failover={self._failover!r})"
        )

    # -- public ----------------------------------------------------------------------------------

    @property
    def targets(self) -> tuple[Target, ...]:
        """The targets in the order every call tries them (after any stale-catalog switches)."""
        return self._current_plan().targets

    @property
    def models(self) -> tuple[ModelInfo, ...]:
        return self._plan.models

    @property
    def regions(self) -> tuple[str, ...]:
        return self._regions

    def converse(
        self,
        prompt: str | None = None,
        *,
        messages: Sequence[Mapping[str, Any]] | None = None,
        system: Sequence[Mapping[str, Any]] | str | None = None,
        inference_config: Mapping[str, Any] | None = None,
        tool_config: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> ConverseResponse:
        """Send one Converse request, failing over as needed (see the module docs).

        ``prompt`` is one user text message. Snake-case keywords become the camelCase Converse
        field (``inference_config`` -> ``inferenceConfig``); other fields pass through as given.
        """
        request = build_request(prompt, messages, system, inference_config, tool_config, fields)
        raw, target, attempts = self._run(request, _call_converse)
        return ConverseResponse(
            raw=raw,
            model=target.model,
            region=target.region,
            model_id_used=target.model_id,
            access_method=target.access_method,
            attempts=attempts,
        )

    def converse_stream(
        self,
        prompt: str | None = None,
        *,
        messages: Sequence[Mapping[str, Any]] | None = None,
        system: Sequence[Mapping[str, Any]] | str | None = None,
        inference_config: Mapping[str, Any] | None = None,
        tool_config: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> ConverseStream:
        """Start one ConverseStream request and return its events once the first has arrived.

        Failover happens only until the first event; the stream raises later errors as is.
        """
        request = build_request(prompt, messages, system, inference_config, tool_config, fields)
        (raw, events, first), target, attempts = self._run(
            request, _call_converse_stream, streaming=True
        )
        return ConverseStream(raw, events, first, target, attempts)

    # -- targets ---------------------------------------------------------------------------------

    def _snapshot(self) -> Catalog:
        source = self._source
        inner = getattr(source, "catalog", None)  # a BedrockModelCatalog; else a Catalog itself
        return inner if inner is not None else source  # type: ignore[no-any-return]

    def _current_plan(self) -> _Plan:
        plan = self._plan
        snapshot = self._snapshot()
        if snapshot is plan.catalog:
            return plan
        # The catalog was refreshed: rebuild the targets from the same models.
        with self._lock:
            plan = self._plan
            if snapshot is not plan.catalog:
                models = tuple(
                    snapshot.models.get(m.model_id) or snapshot.resolve(m.model_id)
                    for m in plan.models
                )
                targets = _order_targets(models, self._regions, self._preference, self._failover)
                plan = self._plan = _Plan(snapshot, models, self._apply_overrides(targets))
        return plan

    def _apply_overrides(self, targets: Iterable[Target]) -> tuple[Target, ...]:
        result = []
        for target in targets:
            key = (target.model.model_id, target.region, target.model_id)
            if key in self._overrides:
                replacement = self._overrides[key]
                if replacement is not None:
                    result.append(replacement)
            else:
                result.append(target)
        return tuple(result)

    def _switch_to_profile(self, target: Target) -> Target | None:
        """The stale catalog listed ``target`` as on-demand; use a profile from now on."""
        access = target.model.regions.get(target.region)
        replacement = None
        if access is not None:
            for method in self._preference:
                profile_id = access.id_for(method)
                if method is not AccessMethod.DIRECT and profile_id is not None:
                    replacement = Target(target.model, target.region, method, profile_id)
                    break
        with self._lock:
            self._overrides[(target.model.model_id, target.region, target.model_id)] = replacement
            plan = self._plan
            self._plan = _Plan(plan.catalog, plan.models, self._apply_overrides(plan.targets))
        if replacement is None:
            logger.warning(
                "%s is not callable on demand in %s and the catalog has no inference profile "
                "there; this manager no longer tries it (refresh the catalog)",
                target.model_id,
                target.region,
            )
        else:
            logger.info(
                "the catalog is stale: %s needs an inference profile in %s; using %s from now on",
                target.model_id,
                target.region,
                replacement.model_id,
            )
        return replacement

    def _dropped(self, attempts: Sequence[Attempt]) -> list[str]:
        """Targets this manager stopped trying after a stale-catalog refusal (for messages)."""
        tried = {(a.model_id, a.region) for a in attempts}
        with self._lock:
            dropped = [key for key, replacement in self._overrides.items() if replacement is None]
        return [
            f"{model_id} in {region}: not callable on demand and no inference profile there"
            for _, region, model_id in dropped
            if (model_id, region) not in tried
        ]

    def _is_denied(self, key: tuple[str, str]) -> bool:
        until = self._denied.get(key)
        if until is None:
            return False
        if until > self._clock():
            return True
        with self._lock:
            if self._denied.get(key) == until:
                del self._denied[key]
        return False

    def _deny(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._denied[key] = self._clock() + self._denied_ttl

    # -- the failover loop -----------------------------------------------------------------------

    def _run(
        self,
        request: dict[str, Any],
        invoke: Callable[[Any, dict[str, Any]], Any],
        *,
        streaming: bool = False,
    ) -> tuple[Any, Target, tuple[Attempt, ...]]:
        errors = _botocore_errors()
        attempts: list[Attempt] = []
        finished: set[tuple[str, str]] = set()  # targets that failed for good in this call
        skipped: list[str] = []
        for round_index in range(self._max_rounds):
            transient = False
            for planned in self._current_plan().targets:
                key = planned.key
                if key in finished:
                    continue
                if streaming and planned.model.streaming_supported is False:
                    if round_index == 0:
                        skipped.append(f"{planned.model_id} in {planned.region}: no streaming")
                    continue
                if self._denied and self._is_denied(key):
                    if round_index == 0:
                        skipped.append(
                            f"{planned.model_id} in {planned.region}: access denied recently"
                        )
                    continue
                target: Target | None = planned
                while target is not None:
                    outcome = self._attempt(target, request, invoke, errors, attempts)
                    if not isinstance(outcome, _Kind):
                        return outcome, target, tuple(attempts)
                    if (
                        outcome is _Kind.NEEDS_PROFILE
                        and target.access_method is AccessMethod.DIRECT
                    ):
                        target = self._switch_to_profile(target)  # same region, at once
                        if target is None:
                            finished.add(key)
                        continue
                    if outcome is _Kind.TRANSIENT:
                        transient = True
                    else:
                        finished.add(key)
                        if outcome is _Kind.DENIED:
                            self._deny(key)
                    target = None
            if not transient or round_index + 1 >= self._max_rounds:
                break
            delay = self._backoff(round_index)
            logger.debug(
                "every target failed transiently; round %d in %.2f s", round_index + 2, delay
            )
            self._sleep(delay)
        raise AllTargetsFailedError(attempts, skipped + self._dropped(attempts))

    def _attempt(
        self,
        target: Target,
        request: dict[str, Any],
        invoke: Callable[[Any, dict[str, Any]], Any],
        errors: _Errors,
        attempts: list[Attempt],
    ) -> Any:
        """Send to one target: the result on success, else how the failure is handled."""
        client = self._client(target.region)
        arguments = dict(request)
        arguments["modelId"] = target.model_id
        started = time.perf_counter()
        try:
            result = invoke(client, arguments)
        except errors.param_validation as exc:  # botocore refused it before sending anything
            raise RequestError("ParamValidationError", str(exc), attempts) from exc
        except errors.no_credentials as exc:  # every target would fail the same way: say it once
            raise NoCredentialsError(f"no AWS credentials to sign the request ({exc})") from exc
        except errors.client_error as exc:
            response: Mapping[str, Any] = getattr(exc, "response", None) or {}
            error = response.get("Error", {})
            code = _normalise_code(str(error.get("Code") or ""))
            message = str(error.get("Message") or exc)
            status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            kind = _classify(code, message, status)
        except errors.connection as exc:
            code, message, kind = type(exc).__name__, str(exc), _Kind.TRANSIENT
        except _StreamEndedError as exc:
            code, message, kind = "StreamEndedError", str(exc), _Kind.TRANSIENT
        else:
            elapsed = time.perf_counter() - started
            attempts.append(
                Attempt(target.model_id, target.region, target.access_method, None, None, elapsed)
            )
            return result
        elapsed = time.perf_counter() - started
        attempts.append(
            Attempt(target.model_id, target.region, target.access_method, code, message, elapsed)
        )
        logger.debug(
            "%s in %s failed (%s: %s); %s",
            target.model_id,
            target.region,
            code,
            message,
            kind.value,
        )
        if kind is _Kind.REQUEST:
            raise RequestError(code, message, attempts)
        return kind

    def _backoff(self, round_index: int) -> float:
        ceiling = min(self._backoff_max, self._backoff_base * 2**round_index)
        return float(ceiling / 2 + self._jitter() * ceiling / 2)

    # -- clients ---------------------------------------------------------------------------------

    def _client(self, region: str) -> Any:
        client = self._clients.get(region)
        if client is None:
            # boto3 sessions are not thread-safe: create clients one at a time, once per region.
            with self._clients_lock:
                client = self._clients.get(region)
                if client is None:
                    client = self._clients[region] = self._new_client(region)
        return client

    def _new_client(self, region: str) -> Any:
        import boto3
        from botocore.config import Config

        if self._session is None:
            self._session = boto3.session.Session()
        config = Config(
            # One attempt: the manager's failover is the retry layer (see the module docs).
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=self._connect_timeout,
            read_timeout=self._read_timeout,
            max_pool_connections=self._max_pool,
            user_agent_extra=f"bestehorn-llmmanager/{__version__}",
        )
        return self._session.client(
            "bedrock-runtime", region_name=region, endpoint_url=self._endpoint_url, config=config
        )


# -- helpers ------------------------------------------------------------------------------------


def build_request(
    prompt: str | None,
    messages: Sequence[Mapping[str, Any]] | None,
    system: Sequence[Mapping[str, Any]] | str | None,
    inference_config: Mapping[str, Any] | None,
    tool_config: Mapping[str, Any] | None,
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    """The Converse arguments (without ``modelId``) for one call."""
    if prompt is not None:
        if not isinstance(prompt, str):
            raise TypeError(f"prompt: expected a str, got {type(prompt).__name__}; use messages=")
        if messages is not None:
            raise TypeError("pass either a prompt or messages=, not both")
        messages = [{"role": "user", "content": [{"text": prompt}]}]
    if messages is None:
        raise TypeError("converse() needs a prompt or messages=")
    request: dict[str, Any] = {"messages": messages}
    if system is not None:
        request["system"] = [{"text": system}] if isinstance(system, str) else system
    if inference_config is not None:
        request["inferenceConfig"] = inference_config
    if tool_config is not None:
        request["toolConfig"] = tool_config
    for name, value in fields.items():
        field_name = _camel(name)
        if field_name == "modelId":
            raise TypeError("modelId is chosen by the manager; pass models= to LLMManager")
        request[field_name] = value
    return request


_CAMEL: dict[str, str] = {}


def _camel(name: str) -> str:
    """``inference_config`` -> ``inferenceConfig``; names without an underscore are kept."""
    found = _CAMEL.get(name)
    if found is None:
        if "_" not in name.strip("_"):
            found = name
        else:
            head, *rest = name.split("_")
            found = head + "".join(part[:1].upper() + part[1:] for part in rest)
        _CAMEL[name] = found
    return found


def _call_converse(client: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    return client.converse(**arguments)  # type: ignore[no-any-return]


def _call_converse_stream(
    client: Any, arguments: dict[str, Any]
) -> tuple[dict[str, Any], Iterator[dict[str, Any]], dict[str, Any] | None]:
    response = client.converse_stream(**arguments)
    stream = response["stream"]
    events = iter(stream)
    try:
        # An error before the first event (even one sent inside the stream) is still failover.
        first = next(events, None)
        if first is None:
            # Bedrock always starts with messageStart: a body that ends (or is cut inside a
            # frame) before any event is a failed transport, not an empty answer.
            raise _StreamEndedError("the stream ended before its first event")
    except BaseException:
        stream.close()
        raise
    return response, events, first


class _StreamEndedError(Exception):
    """A ConverseStream body without a single event; the target failed transiently."""


@dataclass(frozen=True, slots=True)
class _Errors:
    client_error: type[Exception]
    param_validation: type[Exception]
    no_credentials: tuple[type[Exception], ...]
    connection: tuple[type[Exception], ...]


_ERRORS: list[_Errors] = []


def _botocore_errors() -> _Errors:
    if not _ERRORS:
        from botocore import eventstream, exceptions
        from urllib3 import exceptions as urllib3_exceptions

        _ERRORS.append(
            _Errors(
                client_error=exceptions.ClientError,
                param_validation=exceptions.ParamValidationError,
                no_credentials=(exceptions.NoCredentialsError, exceptions.PartialCredentialsError),
                # Connect/read timeouts, refused and dropped connections. While the first
                # event of a stream is read, botocore does not wrap these: urllib3 raises its
                # own (read timeout, connection ended early) and the event-stream parser its
                # ParserError (a corrupt frame); each is a transport failure of that target.
                connection=(
                    exceptions.ConnectionError,
                    exceptions.HTTPClientError,
                    urllib3_exceptions.HTTPError,
                    eventstream.ParserError,
                ),
            )
        )
    return _ERRORS[0]


def _normalise_code(code: str) -> str:
    return code[:1].upper() + code[1:]


def _classify(code: str, message: str, status: Any) -> _Kind:
    if code in _TRANSIENT_CODES:
        return _Kind.TRANSIENT
    if code in _DENIED_CODES:
        return _Kind.DENIED
    if code == "ValidationException":
        if _ON_DEMAND_MARKER in message:
            return _Kind.NEEDS_PROFILE
        if _INVALID_ID_MARKER in message:
            return _Kind.UNUSABLE
        return _Kind.REQUEST
    if isinstance(status, int) and (status >= 500 or status == 429):
        return _Kind.TRANSIENT
    if status == 400 and code not in _CREDENTIAL_CODES:
        return _Kind.REQUEST  # a malformed request (SerializationException, ...): nowhere better
    return _Kind.UNUSABLE  # e.g. ResourceNotFoundException, ExpiredTokenException


def _order_targets(
    models: Sequence[ModelInfo],
    regions: Sequence[str],
    preference: Sequence[AccessMethod],
    failover: str,
) -> tuple[Target, ...]:
    if failover == "region_first":
        pairs = [(m, r) for m in models for r in regions]
    else:
        pairs = [(m, r) for r in regions for m in models]
    targets = []
    for model, region in pairs:
        access = model.regions.get(region)
        if access is None:
            continue
        for method in preference:
            model_id = access.id_for(method)
            if model_id is not None:
                targets.append(Target(model, region, method, model_id))
                break
    return tuple(targets)


def _not_callable(
    model: ModelInfo, regions: Sequence[str], preference: Sequence[AccessMethod]
) -> str:
    given = ", ".join(regions)
    callable_from = sorted(model.regions)
    if not callable_from:
        return (
            f"{model.name} is not callable from {given}; "
            "the catalog lists no region it is callable from"
        )
    present = [r for r in regions if r in model.regions]
    if not present:
        where = ", ".join(callable_from)
        return f"{model.name} is not callable from {given}; it is callable from {where}"
    offered = sorted({m.value for r in present for m in model.regions[r].access_methods})
    wanted = ", ".join(m.value for m in preference)
    return (
        f"{model.name} is callable from {', '.join(present)} only as {', '.join(offered)}, which "
        f"access_preference ({wanted}) excludes; allow it in access_preference"
    )


def _names(argument: str, values: Sequence[str] | str) -> tuple[str, ...]:
    items = (values,) if isinstance(values, str) else tuple(values)
    if not items:
        raise ValueError(f"{argument}: pass at least one")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{argument}: expected non-empty strings, got {item!r}")
    return items


def _preference(values: Iterable[AccessMethod | str]) -> tuple[AccessMethod, ...]:
    if isinstance(values, (str, AccessMethod)):
        values = (values,)
    result: list[AccessMethod] = []
    for value in values:
        try:
            method = AccessMethod(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in AccessMethod)
            raise ValueError(
                f"access_preference: {value!r} is not an access method (expected {allowed})"
            ) from None
        if method not in result:
            result.append(method)
    if not result:
        raise ValueError("access_preference: pass at least one access method")
    return tuple(result)


def _seconds(argument: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{argument}: expected a number of seconds >= 0, got {value!r}")
    return float(value)
