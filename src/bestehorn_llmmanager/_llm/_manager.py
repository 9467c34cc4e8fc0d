"""LLMManager: Converse and ConverseStream over a list of models and regions, failing over between
them, with the catalog turning each (model, region) into the id to send.

It takes 0.9's constructor and call signatures and answers with 0.9's response types; underneath
is one failover engine. Importing this module does not import boto3; the first runtime client does.

Retries: the manager's failover *is* the retry layer. Each runtime client makes one HTTP attempt
(``_aws.client_config``), so a throttled region is left at once for the next target and the
attempts the manager reports are exactly the requests that were sent. When every failure of a
round was transient, the whole target list is tried again after a backoff (``RetryConfig``).
Each call is bounded by ``timeout`` seconds in total and each attempt by ``read_timeout``, even
when a body trickles in (``_deadline``).
"""

from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, NoReturn

from .. import _aws
from .._errors import (
    AllTargetsFailedError,
    ConfigurationError,
    LLMManagerError,
    ModelAccessError,
    ModelNotFoundError,
    NoCredentialsError,
    RequestError,
)
from .._tracking import AccessMethodTracker
from ..bedrock.catalog import AccessMethod, ModelInfo
from ..bedrock.catalog._regions import normalise_regions
from ._config import (
    AccessMethodPreferenceNames,
    AuthConfig,
    AuthenticationType,
    Boto3Config,
    CacheConfig,
    ModelSpecificConfig,
    RegionOrder,
    ResponseValidationConfig,
    RetryConfig,
    RetryStrategy,
    ValidationResult,
)
from ._deadline import shared_deadlines
from ._request import build_request, feature_in_error, with_model_fields, without_feature
from ._response import ACCESS_METHOD_NAMES, BedrockResponse, RequestAttempt, ValidationAttempt
from ._stream import StreamingResponse

if TYPE_CHECKING:
    from ..bedrock.catalog import Catalog

__all__ = [
    "DEFAULT_ACCESS_PREFERENCE",
    "DEFAULT_TIMEOUT_SECONDS",
    "FAILOVER_MODES",
    "LLMManager",
    "Target",
]

logger = logging.getLogger(__name__)
_PACKAGE_LOGGER = "bestehorn_llmmanager"

#: The access method tried first in each region, then the next one the catalog offers there.
DEFAULT_ACCESS_PREFERENCE: tuple[AccessMethod, ...] = (
    AccessMethod.DIRECT,
    AccessMethod.REGIONAL_PROFILE,
    AccessMethod.GLOBAL_PROFILE,
)
#: ``region_first``: every region of the first model, then the next model; ``model_first``:
#: every model in the first region, then the next region.
FAILOVER_MODES = ("region_first", "model_first")
#: 0.9's per-call bound: a ``converse`` call ends within this many seconds.
DEFAULT_TIMEOUT_SECONDS = 300.0
#: How long a (model, region) that answered AccessDeniedException is skipped by this manager.
DEFAULT_DENIED_TTL_SECONDS = 300.0

_METHOD_OF_09_NAME = {name: method for method, name in ACCESS_METHOD_NAMES.items()}

# One call's region order and timeout, set by ``_converse_ordered`` (ParallelLLMManager's load
# balancing and per-request timeout) for the duration of that call only; () / None: the defaults.
_CALL_ORDER: contextvars.ContextVar[tuple[tuple[str, ...], float | None]] = contextvars.ContextVar(
    "bestehorn_llmmanager_call_order", default=((), None)
)

# ValidationException wordings (AWS writes "isn\u2019t" with a typographic apostrophe, sometimes a
# plain one, so the on-demand marker stops before it).
_ON_DEMAND_MARKER = "with on-demand throughput isn"
_INVALID_ID_MARKER = "provided model identifier is invalid"


class _Kind(Enum):
    TRANSIENT = "transient"  # next target now; another round later
    DENIED = "denied"  # next target; skip this (model, region) for a while
    NEEDS_PROFILE = "needs_profile"  # stale catalog: same region through a profile, now
    UNUSABLE = "unusable"  # next target; never again in this call
    REQUEST = "request"  # the request itself is wrong: raise at once
    DEADLINE = "deadline"  # the attempt outlived its bound: next target


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
class _Plan:
    """The ordered targets for one catalog snapshot; replaced whole, never mutated."""

    catalog: object
    models: tuple[ModelInfo, ...]
    targets: tuple[Target, ...]
    #: The same targets with the global profile first where there is one (global_cris_fraction).
    global_targets: tuple[Target, ...] = ()


@dataclass
class _Call:
    """The state of one call: what was sent, what was given up, what the caller must be told."""

    request: dict[str, Any]
    deadline: float
    attempts: list[RequestAttempt] = field(default_factory=list)
    #: This call's region order (``_converse_ordered``); empty: the manager's region_order.
    region_order: tuple[str, ...] = ()
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    recoveries: list[dict[str, Any]] = field(default_factory=list)
    validation_attempts: list[ValidationAttempt] = field(default_factory=list)
    validation_errors: list[dict[str, Any]] = field(default_factory=list)
    final_fields: dict[str, Any] | None = None
    #: A region order for this call only (the parallel runner's per-request order), else None.
    regions: tuple[str, ...] | None = None


class _Rejected(Exception):
    """A response validation function refused an answer (internal)."""


class LLMManager:
    """Send Converse requests to the first of several (model, region) targets that answers.

    Models are given the way people name them ("Claude Haiku 4.5"), or as ids, profile ids or
    ARNs; the catalog picks the id for each region. Targets are ordered by the retry strategy and
    the caller's order; with the default fixed region order the first target is always the same
    (Bedrock prompt caches are per region). Safe to share across threads.

    The arguments up to ``global_cris_fraction`` are 0.9's, with 0.9's meaning (docs/api.md maps
    each onto the engine). The keyword-only ones are the project's additions: ``catalog`` (a
    ``BedrockModelCatalog`` or ``Catalog`` to use), ``session`` (a boto3 Session, also used by the
    default catalog), ``access_preference`` and ``failover`` (the full forms of
    ``access_method_preference`` and ``retry_strategy``), ``endpoint_url``, the engine's numbers
    (``max_rounds``, ``backoff_base``, ``backoff_max``, ``denied_ttl``, ``connect_timeout``,
    ``read_timeout``, ``max_pool_connections``) and the injected ``sleep``, ``jitter`` (a
    ``random()`` in [0, 1)) and ``clock`` (monotonic seconds, for the denied-target table).

    Raises:
        ConfigurationError: when an argument is invalid, or when no given model is usable from
            the given regions (the message names each model and why).
    """

    def __init__(
        self,
        models: Sequence[str],
        regions: Sequence[str],
        auth_config: AuthConfig | None = None,
        boto3_config: Boto3Config | None = None,
        retry_config: RetryConfig | None = None,
        cache_config: CacheConfig | None = None,
        unified_model_manager: Any = None,
        catalog_cache_mode: Any = None,
        catalog_cache_directory: Any = None,
        force_download: bool = False,
        force_refresh: bool = False,
        strict_cache_mode: bool = False,
        ignore_cache_age: bool = False,
        default_inference_config: Mapping[str, Any] | None = None,
        model_specific_config: ModelSpecificConfig | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        log_level: int | str | None = None,
        region_order: str | None = None,
        access_method_preference: str | None = None,
        global_cris_fraction: float | None = None,
        *,
        catalog: Any = None,
        session: Any = None,
        access_preference: Iterable[AccessMethod | str] | None = None,
        failover: str | None = None,
        endpoint_url: str | None = None,
        max_rounds: int | None = None,
        backoff_base: float | None = None,
        backoff_max: float | None = None,
        denied_ttl: float = DEFAULT_DENIED_TTL_SECONDS,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_pool_connections: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if log_level is not None:
            _set_log_level(log_level)
        model_names = _names("models", models)
        try:
            checked = normalise_regions(regions, argument="regions")
        except ValueError as exc:
            raise ConfigurationError(str(exc), invalid_config={"regions": regions}) from None
        if checked is None:
            raise ConfigurationError("regions: pass at least one region, e.g. ['us-east-1']")
        self._regions = checked
        self._model_names = model_names

        retry = _retry_config(
            retry_config, region_order, access_method_preference, global_cris_fraction
        )
        self._retry = retry
        self._preference = _preference(access_preference, retry.access_method_preference)
        self._failover = _failover(failover, retry.retry_strategy)
        self._max_rounds = _rounds(max_rounds, retry.max_retries)
        self._backoff_base = _seconds(
            "backoff_base", retry.retry_delay if backoff_base is None else backoff_base
        )
        self._backoff_max = _seconds(
            "backoff_max", retry.max_retry_delay if backoff_max is None else backoff_max
        )
        self._multiplier = float(retry.backoff_multiplier)
        self._retryable_codes = frozenset(e for e in retry.retryable_errors if isinstance(e, str))
        self._retryable_types: tuple[type[BaseException], ...] = tuple(
            e
            for e in retry.retryable_errors
            if isinstance(e, type) and issubclass(e, BaseException)
        )
        self._denied_ttl = _seconds("denied_ttl", denied_ttl)
        self._timeout = _seconds("timeout", timeout, positive=True)

        if boto3_config is not None and not isinstance(boto3_config, Boto3Config):
            raise ConfigurationError(
                "boto3_config must be an instance of Boto3Config, "
                f"got {type(boto3_config).__name__}"
            )
        if boto3_config is not None and boto3_config.retries_max_attempts != 3:
            _warn_once(
                "Boto3Config.retries_max_attempts has no effect: botocore makes one "
                "attempt and the manager's failover retries (see RetryConfig)"
            )
        self._connect_timeout = _seconds(
            "connect_timeout",
            _first(
                connect_timeout,
                boto3_config and boto3_config.connect_timeout,
                _aws.RUNTIME_CONNECT_TIMEOUT_SECONDS,
            ),
            positive=True,
        )
        self._read_timeout = _seconds(
            "read_timeout",
            _first(
                read_timeout,
                boto3_config and boto3_config.read_timeout,
                _aws.RUNTIME_READ_TIMEOUT_SECONDS,
            ),
            positive=True,
        )
        pool = _first(
            max_pool_connections,
            boto3_config and boto3_config.max_pool_connections,
            _aws.RUNTIME_MAX_POOL_CONNECTIONS,
        )
        if isinstance(pool, bool) or not isinstance(pool, int) or pool < 1:
            raise ConfigurationError(f"max_pool_connections: expected an int >= 1, got {pool!r}")

        if cache_config is not None and not isinstance(cache_config, CacheConfig):
            raise ConfigurationError(
                f"cache_config must be a CacheConfig, got {type(cache_config).__name__}"
            )
        self._cache_config = (
            cache_config if cache_config is not None and cache_config.enabled else None
        )
        if model_specific_config is not None and not isinstance(
            model_specific_config, ModelSpecificConfig
        ):
            raise ConfigurationError("model_specific_config must be a ModelSpecificConfig")
        self._model_config = model_specific_config
        self._default_inference = dict(default_inference_config or {})

        if auth_config is not None and session is not None:
            raise ConfigurationError("pass either auth_config= or session=, not both")
        if auth_config is not None and not isinstance(auth_config, AuthConfig):
            raise ConfigurationError(
                f"auth_config must be an AuthConfig, got {type(auth_config).__name__}"
            )
        self._auth_config = auth_config
        self._session = _session_of(auth_config) if auth_config is not None else session
        self._sleep, self._jitter, self._clock = sleep, jitter, clock
        # Between whole rounds: equal jitter (a random half of the pause), 0.9's multiplier.
        self._backoff = _aws.Backoff(
            self._backoff_base,
            self._backoff_max,
            floor=0.5,
            random=jitter,
            sleep=sleep,
            multiplier=self._multiplier,
        )
        self._deadlines = shared_deadlines()
        self._clients = _aws.ClientCache(
            self._session,
            "bedrock-runtime",
            config=_aws.client_config(
                connect_timeout=self._connect_timeout,
                # A socket read never outlasts the call's own bound (headers included).
                read_timeout=min(self._read_timeout, self._timeout),
                max_pool_connections=pool,
            ),
            endpoint_url=endpoint_url,
            on_create=self._deadlines.install,
        )
        #: The exceptions that mean "no usable HTTP answer" (set on first use: imports botocore).
        self._transport: tuple[type[BaseException], ...] | None = None
        self._calls = 0  # per-call counter for region_order=rotate (a race only skews the spread)

        self._source = self._catalog_source(
            catalog,
            unified_model_manager,
            catalog_cache_mode,
            catalog_cache_directory,
            force_download,
            force_refresh,
            strict_cache_mode,
            ignore_cache_age,
        )
        snapshot = self._snapshot()
        if self._unknown(snapshot, model_names) and self._refresh_for_names(snapshot):
            snapshot = self._snapshot()
        self._plan = self._build_plan(snapshot, model_names)
        self._lock = threading.Lock()  # guards plan swaps, overrides and the denied table
        self._overrides: dict[tuple[str, str, str], Target | None] = {}
        self._denied: dict[tuple[str, str], float] = {}
        self._dropped_warned: set[str] = set()

    # -- construction ----------------------------------------------------------------------------

    def _catalog_source(
        self,
        catalog: Any,
        legacy: Any,
        cache_mode: Any,
        cache_directory: Any,
        force_download: bool,
        force_refresh: bool,
        strict: bool,
        ignore_age: bool,
    ) -> Any:
        if strict or ignore_age:
            _warn_once(
                "strict_cache_mode and ignore_cache_age applied only to the retired "
                "UnifiedModelManager and have no effect"
            )
        if force_download:
            _warn_once("force_download is deprecated: use force_refresh=True")
        if catalog is not None and legacy is not None:
            raise ConfigurationError("pass either catalog= or unified_model_manager=, not both")
        if legacy is not None:
            _warn_once("unified_model_manager is deprecated: pass catalog=BedrockModelCatalog(...)")
            inner = getattr(legacy, "catalog", None) or getattr(legacy, "_catalog", None)
            if inner is None:
                raise ConfigurationError(
                    "unified_model_manager: expected the package's UnifiedModelManager, "
                    f"got {type(legacy).__name__}"
                )
            return inner
        if catalog is not None:
            if cache_mode is not None or cache_directory is not None or force_refresh:
                _warn_once(
                    "catalog_cache_mode, catalog_cache_directory and force_refresh "
                    "configure the manager's own catalog; they are ignored with catalog="
                )
            return catalog
        from ..bedrock.catalog._facade import BedrockModelCatalog

        kwargs: dict[str, Any] = {
            "regions": self._regions,
            "session": self._session,
            "force_refresh": bool(force_refresh or force_download),
        }
        if cache_mode is not None:
            kwargs["cache_mode"] = getattr(cache_mode, "value", cache_mode)
        if cache_directory is not None:
            kwargs["cache_directory"] = cache_directory
        try:
            return BedrockModelCatalog(**kwargs)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from exc

    def _snapshot(self) -> Catalog:
        source = self._source
        inner = getattr(source, "catalog", None)  # a BedrockModelCatalog; else a Catalog itself
        return inner if inner is not None else source  # type: ignore[no-any-return]

    @staticmethod
    def _unknown(snapshot: Catalog, names: Sequence[str]) -> list[str]:
        unknown = []
        for name in names:
            try:
                snapshot.resolve(name)
            except ModelNotFoundError:
                unknown.append(name)
        return unknown

    def _refresh_for_names(self, snapshot: Catalog) -> bool:
        """A name unknown to a cached or bundled catalog may be a model launched since: refresh
        once (only then) and say so. True when a refreshed catalog is now in use."""
        source = getattr(getattr(snapshot, "metadata", None), "source", None)
        refresh = getattr(self._source, "refresh", None)
        if refresh is None or getattr(source, "value", "api") == "api":
            return False
        logger.info("a model name is unknown to the %s catalog; refreshing it once", source)
        try:
            refresh()
        except LLMManagerError as exc:
            logger.info(
                "the refresh failed (%s); the names are checked against the %s catalog",
                exc,
                source,
            )
            return False
        return True

    def _build_plan(self, snapshot: Catalog, names: Sequence[str]) -> _Plan:
        """Resolve the names; skip each unusable model with one WARNING; raise if none is left."""
        resolved: list[ModelInfo] = []
        problems: dict[str, str] = {}
        for name in names:
            try:
                model = snapshot.resolve(name)
            except ModelNotFoundError as exc:
                problems[name] = str(exc)
                continue
            if model in resolved:
                continue
            targets = _order_targets((model,), self._regions, self._preference, self._failover)
            if not targets:
                problems[name] = _not_callable(model, snapshot, self._regions, self._preference)
                continue
            resolved.append(model)
        for name, why in problems.items():
            if resolved:
                logger.warning("model %r is skipped: %s", name, why)
        for model in resolved:
            if getattr(model, "is_legacy", False):  # still served: used, but said once
                logger.warning(
                    "%s (%s) is marked LEGACY by AWS: it still answers but will be retired; "
                    "plan to move to a newer model (bedrock-catalog list shows the current ones)",
                    model.name,
                    model.model_id,
                )
        if not resolved:
            lines = "; ".join(f"{name!r}: {why}" for name, why in problems.items())
            raise ConfigurationError(
                f"no usable model from regions {list(self._regions)}: {lines}",
                invalid_config={"models": problems},
            )
        return self._plan_for(snapshot, tuple(resolved))

    def _plan_for(self, snapshot: object, models: tuple[ModelInfo, ...]) -> _Plan:
        targets = _order_targets(models, self._regions, self._preference, self._failover)
        global_targets: tuple[Target, ...] = ()
        if self._retry.global_cris_fraction:
            rest = [m for m in self._preference if m is not AccessMethod.GLOBAL_PROFILE]
            first = (AccessMethod.GLOBAL_PROFILE, *rest)
            global_targets = _order_targets(models, self._regions, first, self._failover)
        return _Plan(snapshot, models, targets, global_targets)

    def __repr__(self) -> str:
        models = ", ".join(m.name for m in self._plan.models)
        return (
            f"LLMManager(models=[{models}], regions={list(self._regions)}, "
            f"failover={self._failover!r})"
        )

    # -- public: the project's views -------------------------------------------------------------

    @property
    def targets(self) -> tuple[Target, ...]:
        """The targets in the order a call tries them (fixed region order, stale-catalog fixes)."""
        return self._current_plan().targets

    @property
    def models(self) -> tuple[ModelInfo, ...]:
        return self._current_plan().models

    @property
    def regions(self) -> tuple[str, ...]:
        return self._regions

    # -- public: calls ---------------------------------------------------------------------------

    def converse(
        self,
        messages: Sequence[Mapping[str, Any]] | str | None = None,
        system: Sequence[Mapping[str, Any]] | str | None = None,
        inference_config: Mapping[str, Any] | None = None,
        additional_model_request_fields: Mapping[str, Any] | None = None,
        model_specific_config: ModelSpecificConfig | None = None,
        enable_extended_context: bool = False,
        additional_model_response_field_paths: Sequence[str] | None = None,
        guardrail_config: Mapping[str, Any] | None = None,
        tool_config: Mapping[str, Any] | None = None,
        request_metadata: Mapping[str, Any] | None = None,
        prompt_variables: Mapping[str, Any] | None = None,
        response_validation_config: ResponseValidationConfig | None = None,
        output_config: Mapping[str, Any] | None = None,
        performance_config: Mapping[str, Any] | None = None,
        service_tier: Mapping[str, Any] | None = None,
        extra_request_fields: Mapping[str, Any] | None = None,
        *,
        prompt: str | None = None,
        **fields: Any,
    ) -> BedrockResponse:
        """Send one Converse request, failing over as needed (see the module docs).

        0.9's signature; ``None`` for an optional field leaves it out. ``messages`` may also be a
        plain string (one user text message), as may ``prompt=``; further snake-case keywords
        pass through as the camelCase Converse field.

        Raises:
            RequestValidationError: the messages are malformed (before anything is sent), or
                Bedrock rejected the request itself (``RequestError``).
            RetryExhaustedError: every target failed (``AllTargetsFailedError``, with each attempt).
            NoCredentialsError: no credentials to sign with.
        """
        started = time.monotonic()
        call = self._call(
            messages,
            prompt,
            system,
            inference_config,
            additional_model_request_fields,
            additional_model_response_field_paths,
            guardrail_config,
            tool_config,
            request_metadata,
            prompt_variables,
            output_config,
            performance_config,
            service_tier,
            None,
            extra_request_fields,
            fields,
            started,
        )
        config = self._model_fields_config(model_specific_config, enable_extended_context)
        if response_validation_config is not None and not isinstance(
            response_validation_config, ResponseValidationConfig
        ):
            raise ConfigurationError(
                "response_validation_config must be a ResponseValidationConfig"
            )
        raw, target = self._run(call, _call_converse, config, response_validation_config, False)
        return self._response(raw, target, call, started)

    def converse_stream(
        self,
        messages: Sequence[Mapping[str, Any]] | str | None = None,
        system: Sequence[Mapping[str, Any]] | str | None = None,
        inference_config: Mapping[str, Any] | None = None,
        additional_model_request_fields: Mapping[str, Any] | None = None,
        model_specific_config: ModelSpecificConfig | None = None,
        enable_extended_context: bool = False,
        additional_model_response_field_paths: Sequence[str] | None = None,
        guardrail_config: Mapping[str, Any] | None = None,
        tool_config: Mapping[str, Any] | None = None,
        request_metadata: Mapping[str, Any] | None = None,
        prompt_variables: Mapping[str, Any] | None = None,
        output_config: Mapping[str, Any] | None = None,
        performance_config: Mapping[str, Any] | None = None,
        service_tier: Mapping[str, Any] | None = None,
        extra_request_fields: Mapping[str, Any] | None = None,
        stream_processing_mode: str | None = None,
        *,
        prompt: str | None = None,
        **fields: Any,
    ) -> StreamingResponse:
        """Start one ConverseStream request; return it once its first content has arrived.

        Every failure before the first content (the request, the first events, an in-stream
        error) fails over to the next target; iterating then yields text chunks. A failure after
        the first content raises ``StreamInterruptedError`` from the iteration (docs/api.md).
        """
        started = time.monotonic()
        call = self._call(
            messages,
            prompt,
            system,
            inference_config,
            additional_model_request_fields,
            additional_model_response_field_paths,
            guardrail_config,
            tool_config,
            request_metadata,
            prompt_variables,
            output_config,
            performance_config,
            service_tier,
            stream_processing_mode,
            extra_request_fields,
            fields,
            started,
        )
        config = self._model_fields_config(model_specific_config, enable_extended_context)
        (raw, events, pending), target = self._run(
            call, self._call_stream(call), config, None, True
        )
        return StreamingResponse._begin(
            raw=raw,
            events=events,
            pending=pending,
            model=target.model,
            attempts=call.attempts,
            recoveries=call.recoveries,
            warnings=call.warnings,
            clock=time.monotonic,
            started=started,
        )

    def converse_with_request(
        self, request: Any, response_validation_config: ResponseValidationConfig | None = None
    ) -> BedrockResponse:
        """``converse`` with the arguments of a ``BedrockConverseRequest`` (0.9)."""
        arguments = dict(request.to_converse_args())
        return self.converse(response_validation_config=response_validation_config, **arguments)

    def _converse_ordered(
        self, regions: Sequence[str], timeout: float | None, arguments: Mapping[str, Any]
    ) -> BedrockResponse:
        """``converse(**arguments)`` trying the regions in ``regions`` order (models keep the
        failover order within it), ended within ``timeout`` seconds when that is shorter than
        the manager's. For ParallelLLMManager: one request, one call, one region order."""
        token = _CALL_ORDER.set((tuple(regions), timeout))
        try:
            return self.converse(**arguments)
        finally:
            _CALL_ORDER.reset(token)

    # -- public: 0.9's inspection methods --------------------------------------------------------

    def get_available_models(self) -> list[str]:
        """The model names this manager was given (0.9)."""
        return list(self._model_names)

    def get_available_regions(self) -> list[str]:
        return list(self._regions)

    def get_model_access_info(self, model_name: str, region: str) -> dict[str, Any] | None:
        """How ``model_name`` is callable from ``region`` (0.9's dict), None when it is not."""
        try:
            access = self._snapshot().get(model_name, region)
        except (ModelNotFoundError, ValueError) as exc:
            logger.debug("no access info for %s in %s: %s", model_name, region, exc)
            return None
        if access is None:
            return None
        return {
            "access_methods": [ACCESS_METHOD_NAMES[m] for m in access.access_methods],
            "model_id": access.direct_model_id or access.model_id,
            "regional_cris_profile_id": access.regional_profile_id,
            "global_cris_profile_id": access.global_profile_id,
            "region": region,
        }

    def validate_configuration(self) -> dict[str, Any]:
        """0.9's status dict: valid, errors, warnings, model_region_combinations, auth_status.

        It reads the catalog and the settings only; it sends nothing to AWS.
        """
        plan = self._current_plan()
        errors: list[str] = []
        notes: list[str] = []
        for name in self._model_names:
            try:
                model = self._snapshot().resolve(name)
            except ModelNotFoundError as exc:
                notes.append(f"{name}: {exc}")
                continue
            missing = [r for r in self._regions if r not in model.regions]
            if missing:
                notes.append(f"{name} is not callable from {', '.join(missing)}")
        if not plan.targets:
            errors.append("No valid model/region combinations found")
        auth = (
            self._auth_config.auth_type.value
            if self._auth_config is not None
            else ("session" if self._session is not None else AuthenticationType.AUTO.value)
        )
        return {
            "valid": not errors,
            "errors": errors,
            "warnings": notes,
            "model_region_combinations": len(plan.targets),
            "auth_status": auth,
        }

    def get_retry_stats(self) -> dict[str, Any]:
        """0.9's retry summary, plus the engine's own numbers."""
        return {
            "max_retries": self._retry.max_retries,
            "retry_strategy": self._failover,
            "enable_feature_fallback": self._retry.enable_feature_fallback,
            "retryable_error_count": len(_aws.TRANSIENT_CODES | self._retryable_codes),
            "access_error_count": len(_aws.DENIED_CODES),
            "non_retryable_error_count": len(_aws.CREDENTIAL_CODES),
            "max_rounds": self._max_rounds,
            "timeout_seconds": self._timeout,
        }

    def refresh_model_data(self) -> None:
        """Refresh the catalog; the targets follow on the next call (0.9).

        Raises:
            LLMManagerError: the refresh failed (the catalog's own error, or wrapping another).
        """
        refresh = getattr(self._source, "refresh", None)
        if refresh is None:
            raise ConfigurationError(
                "refresh_model_data: the manager was given a fixed Catalog; pass a "
                "BedrockModelCatalog to refresh it"
            )
        try:
            refresh()
        except LLMManagerError:
            raise
        except Exception as exc:
            raise LLMManagerError(f"Failed to refresh model data: {exc}") from exc

    # -- building a call -------------------------------------------------------------------------

    def _call(
        self,
        messages: Any,
        prompt: str | None,
        system: Any,
        inference_config: Any,
        additional_fields: Any,
        response_paths: Any,
        guardrail_config: Any,
        tool_config: Any,
        request_metadata: Any,
        prompt_variables: Any,
        output_config: Any,
        performance_config: Any,
        service_tier: Any,
        stream_processing_mode: str | None,
        extra: Any,
        fields: Mapping[str, Any],
        started: float,
    ) -> _Call:
        if prompt is not None or isinstance(messages, str):
            if prompt is not None and messages is not None:
                raise TypeError("pass either a prompt or messages=, not both")
            text = prompt if prompt is not None else messages
            if not isinstance(text, str):
                raise TypeError(f"prompt: expected a str, got {type(text).__name__}")
            messages = [{"role": "user", "content": [{"text": text}]}]
        if messages is None:
            raise TypeError("converse() needs messages= (or a prompt string)")
        request = build_request(
            messages,
            system=system,
            inference_config=inference_config,
            default_inference_config=self._default_inference,
            additional_model_request_fields=additional_fields,
            additional_model_response_field_paths=response_paths,
            guardrail_config=guardrail_config,
            tool_config=tool_config,
            request_metadata=request_metadata,
            prompt_variables=prompt_variables,
            output_config=output_config,
            performance_config=performance_config,
            service_tier=service_tier,
            stream_processing_mode=stream_processing_mode,
            extra_request_fields=extra,
            cache_config=self._cache_config,
            fields=fields,
        )
        order, timeout = _CALL_ORDER.get()
        bound = self._timeout if timeout is None else min(timeout, self._timeout)
        return _Call(request=request, deadline=started + bound, region_order=order)

    def _model_fields_config(
        self, config: ModelSpecificConfig | None, extended: bool
    ) -> ModelSpecificConfig | None:
        if config is not None:
            return config
        if extended:
            base = self._model_config or ModelSpecificConfig()
            return replace(base, enable_extended_context=True)
        return self._model_config

    def _response(
        self, raw: dict[str, Any], target: Target, call: _Call, started: float
    ) -> BedrockResponse:
        latency = (raw.get("metrics") or {}).get("latencyMs")
        profile = target.access_method is not AccessMethod.DIRECT
        original = call.request.get("additionalModelRequestFields")
        return BedrockResponse(
            success=True,
            response_data=raw,
            model_used=target.model_id,
            region_used=target.region,
            access_method_used=ACCESS_METHOD_NAMES[target.access_method],
            inference_profile_used=profile,
            inference_profile_id=target.model_id if profile else None,
            attempts=call.attempts,
            total_duration_ms=(time.monotonic() - started) * 1000.0,
            api_latency_ms=float(latency) if latency is not None else None,
            warnings=call.warnings,
            features_disabled=call.disabled,
            validation_attempts=call.validation_attempts,
            validation_errors=call.validation_errors,
            parameters_removed=list(call.disabled) or None,
            original_additional_fields=original,
            final_additional_fields=call.final_fields,
            model=target.model,
        )

    # -- targets ---------------------------------------------------------------------------------

    def _current_plan(self) -> _Plan:
        plan = self._plan
        snapshot = self._snapshot()
        if snapshot is plan.catalog:
            return plan
        # The catalog was refreshed: rebuild the targets from the same models.
        with self._lock:
            plan = self._plan
            if snapshot is not plan.catalog:
                models = []
                for model in plan.models:
                    found = snapshot.models.get(model.model_id)
                    if found is None:
                        self._warn_dropped(model)
                        continue
                    models.append(found)
                fresh = self._plan_for(snapshot, tuple(models))
                plan = self._plan = replace(
                    fresh,
                    targets=self._apply_overrides(fresh.targets),
                    global_targets=self._apply_overrides(fresh.global_targets),
                )
        return plan

    def _warn_dropped(self, model: ModelInfo) -> None:
        if model.model_id in self._dropped_warned:
            return
        self._dropped_warned.add(model.model_id)
        logger.warning(
            "%s (%s) is no longer in the refreshed catalog; this manager stops trying it and "
            "fails over to its other models",
            model.name,
            model.model_id,
        )

    def _targets_for_call(
        self, plan: _Plan, call_order: tuple[str, ...] = ()
    ) -> tuple[Target, ...]:
        targets = plan.targets
        fraction = self._retry.global_cris_fraction
        if fraction and plan.global_targets and self._jitter() < fraction:
            targets = plan.global_targets
        order = self._retry.region_order
        if call_order:  # this call's own order (ParallelLLMManager)
            regions = call_order
        elif order == RegionOrder.FIXED or len(self._regions) < 2:
            return targets
        elif order == RegionOrder.ROTATE:
            self._calls += 1
            shift = self._calls % len(self._regions)
            regions = self._regions[shift:] + self._regions[:shift]
        else:
            regions = tuple(random.Random(self._jitter()).sample(self._regions, len(self._regions)))
        rank = {r: i for i, r in enumerate(regions)}
        last = len(rank)  # a region the call order leaves out keeps its place, after the rest
        model_rank = {m.model_id: i for i, m in enumerate(plan.models)}
        if self._failover == "region_first":
            return tuple(
                sorted(
                    targets, key=lambda t: (model_rank[t.model.model_id], rank.get(t.region, last))
                )
            )
        return tuple(
            sorted(targets, key=lambda t: (rank.get(t.region, last), model_rank[t.model.model_id]))
        )

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
        AccessMethodTracker.get_instance().record_profile_requirement(
            target.model.model_id, target.region
        )
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
            self._plan = replace(
                plan,
                targets=self._apply_overrides(plan.targets),
                global_targets=self._apply_overrides(plan.global_targets),
            )
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

    def _dropped(self, attempts: Sequence[RequestAttempt]) -> list[str]:
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
        call: _Call,
        invoke: Callable[[Any, dict[str, Any], list[bool]], Any],
        config: ModelSpecificConfig | None,
        validation: ResponseValidationConfig | None,
        streaming: bool,
    ) -> tuple[Any, Target]:
        errors = _aws.botocore_errors()
        finished: set[tuple[str, str]] = set()  # targets that failed for good in this call
        for round_index in range(self._max_rounds):
            transient = False
            plan = self._current_plan()
            for planned in self._targets_for_call(plan, call.region_order):
                key = planned.key
                if key in finished:
                    continue
                if streaming and planned.model.streaming_supported is False:
                    if round_index == 0:
                        call.skipped.append(f"{planned.model_id} in {planned.region}: no streaming")
                    continue
                if self._denied and self._is_denied(key):
                    if round_index == 0:
                        call.skipped.append(
                            f"{planned.model_id} in {planned.region}: access denied recently"
                        )
                    continue
                target: Target | None = planned
                rejections = 0
                while target is not None:
                    if self._deadlines.remaining(call.deadline) <= 0:
                        self._out_of_time(call)
                    outcome = self._attempt(target, call, invoke, config, errors)
                    if not isinstance(outcome, _Kind):
                        if validation is None or self._accepted(
                            outcome, target, call, validation, rejections
                        ):
                            return outcome, target
                        rejections += 1
                        if rejections <= validation.response_validation_retries:
                            if validation.response_validation_delay:
                                self._sleep(validation.response_validation_delay)
                            continue
                        finished.add(key)
                        target = None
                        continue
                    if (
                        outcome is _Kind.NEEDS_PROFILE
                        and target.access_method is AccessMethod.DIRECT
                    ):
                        target = self._switch_to_profile(target)  # same region, at once
                        if target is None:
                            finished.add(key)
                        continue
                    if outcome is _Kind.REQUEST:
                        continue  # a feature was dropped: the same target, with the new request
                    if outcome is _Kind.TRANSIENT or outcome is _Kind.DEADLINE:
                        transient = True
                    else:
                        finished.add(key)
                        if outcome is _Kind.DENIED:
                            self._deny(key)
                    target = None
            if not transient or round_index + 1 >= self._max_rounds:
                break
            delay = self._backoff.delay(round_index)
            remaining = self._deadlines.remaining(call.deadline)
            if delay >= remaining:
                self._out_of_time(call)
            logger.debug(
                "every target failed transiently; round %d in %.2f s", round_index + 2, delay
            )
            self._backoff.sleep(delay)
        raise AllTargetsFailedError(call.attempts, call.skipped + self._dropped(call.attempts))

    def _out_of_time(self, call: _Call) -> NoReturn:
        call.skipped.append(f"the call's timeout of {self._timeout:g} s ran out")
        raise AllTargetsFailedError(call.attempts, call.skipped + self._dropped(call.attempts))

    def _accepted(
        self,
        raw: Any,
        target: Target,
        call: _Call,
        validation: ResponseValidationConfig,
        rejections: int,
    ) -> bool:
        started = time.monotonic()
        response = self._response(raw, target, call, started)
        try:
            result = validation.response_validation_function(response)
        except Exception as exc:  # a validator that raises judges the answer invalid
            result = ValidationResult(False, f"the validation function raised {exc!r}")
        if not isinstance(result, ValidationResult):
            result = ValidationResult(bool(result))
        number = len(call.validation_attempts) + 1
        if result.success:
            if call.validation_attempts:
                call.validation_attempts.append(ValidationAttempt(number, result))
            return True
        call.validation_attempts.append(ValidationAttempt(number, result, response.get_content()))
        call.validation_errors.append(
            {
                "attempt_number": number,
                "error_message": result.error_message,
                "error_details": result.error_details,
                "model_id": target.model_id,
                "region": target.region,
            }
        )
        call.warnings.append(
            f"response validation failed on {target.model_id} in {target.region}: "
            f"{result.error_message or 'no reason given'}"
        )
        logger.info(
            "response validation failed (%s); attempt %d", result.error_message, rejections + 1
        )
        return False

    def _attempt(
        self,
        target: Target,
        call: _Call,
        invoke: Callable[[Any, dict[str, Any], list[bool]], Any],
        config: ModelSpecificConfig | None,
        errors: _aws.BotocoreErrors,
    ) -> Any:
        """Send to one target: the result on success, else how the failure is handled."""
        client = self._clients.get(target.region)
        transport = self._transport
        if transport is None:
            transport = self._transport = (
                *errors.connection,
                StreamEndedError,
                IncompleteAnswerError,
                *self._retryable_types,
            )
        request, note = with_model_fields(call.request, target.model.model_id, config)
        if note is not None and note not in call.warnings:
            call.warnings.append(note)
        arguments = dict(request)
        arguments["modelId"] = target.model_id
        began: list[bool] = []  # set by a stream once its first event arrived
        start_time = datetime.now(timezone.utc)
        started = time.perf_counter()
        # The socket's read timeout catches a silent server; the watch catches a trickling one,
        # a little later so that a plain timeout keeps its own name in the attempt record.
        grace = self._read_timeout * 1.1 + 0.1
        attempt_deadline = min(call.deadline, self._deadlines.now() + grace)
        with self._deadlines.watch(attempt_deadline) as watch:
            try:
                result = invoke(client, arguments, began)
                if watch.fired:
                    # The body was cut: what was read is a truncated answer (some botocore and
                    # urllib3 versions parse it without an error), never a result.
                    _discard(result)
                    raise StreamEndedError("the answer was cut at its deadline")
            except errors.param_validation as exc:  # botocore refused it before sending
                raise RequestError("ParamValidationError", str(exc), call.attempts) from exc
            except errors.no_credentials as exc:  # every target would fail the same way
                raise NoCredentialsError(f"no AWS credentials to sign the request ({exc})") from exc
            except errors.client_error as exc:
                details = _aws.error_details(exc)
                code, message = details.code, details.message
                kind = self._classify(code, message, details.status, exc)
            except transport as exc:
                details = _aws.error_details(exc)
                code, message, kind = details.code, details.message, _Kind.TRANSIENT
            else:
                duration = (time.perf_counter() - started) * 1000.0
                call.attempts.append(
                    RequestAttempt(
                        target.model_id,
                        target.region,
                        ACCESS_METHOD_NAMES[target.access_method],
                        len(call.attempts) + 1,
                        start_time,
                        datetime.now(timezone.utc),
                        None,
                        True,
                        None,
                        None,
                        duration,
                    )
                )
                call.final_fields = request.get("additionalModelRequestFields")
                AccessMethodTracker.get_instance().record_success(  # 0.9's process-wide record
                    target.model.model_id,
                    target.region,
                    ACCESS_METHOD_NAMES[target.access_method],
                    target.model_id,
                )
                return result
        if watch.fired:
            code = "DeadlineExceeded"
            if attempt_deadline >= call.deadline:
                message = f"the call's timeout of {self._timeout:g} s ran out during this request"
            else:
                message = (
                    f"no complete answer within read_timeout={self._read_timeout:g} s; "
                    "the connection was cut"
                )
            kind = _Kind.DEADLINE
        duration = (time.perf_counter() - started) * 1000.0
        method = ACCESS_METHOD_NAMES[target.access_method]
        call.attempts.append(
            RequestAttempt(
                target.model_id,
                target.region,
                method,
                len(call.attempts) + 1,
                start_time,
                datetime.now(timezone.utc),
                ModelAccessError(f"{code}: {message}", target.model_id, target.region, method),
                False,
                code,
                message,
                duration,
            )
        )
        if began:
            call.recoveries.append(
                {
                    "error_type": code,
                    "error_message": message,
                    "position": 0,
                    "model": target.model_id,
                    "region": target.region,
                    "timestamp": datetime.now(timezone.utc).isoformat(),
                    "recovered": kind is not _Kind.REQUEST,
                }
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
            feature = None
            if self._retry.enable_feature_fallback and code == "ValidationException":
                feature = feature_in_error(message, call.request)
            if feature is None or feature in call.disabled:
                raise RequestError(code, message, call.attempts)
            call.request = without_feature(call.request, feature)
            call.disabled.append(feature)
            call.warnings.append(f"Disabled {feature} due to compatibility issues")
            logger.warning(
                "%s in %s rejected %s (%s); sending the request again without it",
                target.model_id,
                target.region,
                feature,
                message,
            )
        return kind

    def _classify(self, code: str, message: str, status: int, exc: BaseException) -> _Kind:
        if code in _aws.TRANSIENT_CODES or code in self._retryable_codes:
            return _Kind.TRANSIENT
        if self._retryable_types and isinstance(exc, self._retryable_types):
            return _Kind.TRANSIENT
        if code in _aws.DENIED_CODES:
            return _Kind.DENIED
        if code == "ValidationException":
            if _ON_DEMAND_MARKER in message:
                return _Kind.NEEDS_PROFILE
            if _INVALID_ID_MARKER in message:
                return _Kind.UNUSABLE
            return _Kind.REQUEST
        if status >= 500 or status == 429:
            return _Kind.TRANSIENT
        if status == 400 and code not in _aws.CREDENTIAL_CODES:
            return _Kind.REQUEST  # a malformed request (SerializationException, ...)
        return _Kind.UNUSABLE  # e.g. ResourceNotFoundException, ExpiredTokenException

    def _call_stream(
        self, call: _Call
    ) -> Callable[[Any, dict[str, Any], list[bool]], tuple[Any, Iterator[Any], list[Any]]]:
        def invoke(
            client: Any, arguments: dict[str, Any], began: list[bool]
        ) -> tuple[Any, Iterator[Any], list[Any]]:
            response = client.converse_stream(**arguments)
            stream = response["stream"]
            events = iter(stream)
            pending: list[Any] = []
            try:
                # Read up to the first content: until then nothing reached the caller, so any
                # failure (even one sent inside the stream) is still failed over.
                for event in events:
                    pending.append(event)
                    began[:] = [True]
                    if _has_content(event):
                        break
                if not pending:
                    # Bedrock always starts with messageStart: a body that ends (or is cut
                    # inside a frame) before any event is a failed transport, not an answer.
                    raise StreamEndedError("the stream ended before its first event")
            except BaseException:
                stream.close()
                raise
            return response, events, pending

        return invoke


# -- helpers ------------------------------------------------------------------------------------


def _discard(result: Any) -> None:
    """Release what an attempt returned but must not be used (a stream's connection)."""
    response = result[0] if isinstance(result, tuple) else None
    stream = response.get("stream") if isinstance(response, dict) else None
    if stream is not None:
        stream.close()


class IncompleteAnswerError(Exception):
    """A Converse answer without its output; the target failed transiently."""


class StreamEndedError(Exception):
    """A ConverseStream body without a single event; the target failed transiently."""


def _has_content(event: Mapping[str, Any]) -> bool:
    return "contentBlockDelta" in event or "contentBlockStart" in event or "messageStop" in event


def _call_converse(client: Any, arguments: dict[str, Any], began: list[bool]) -> dict[str, Any]:
    answer: dict[str, Any] = client.converse(**arguments)
    if not isinstance(answer.get("output"), dict):
        # A body cut short or not JSON: botocore (with some urllib3 versions) parses it as {}
        # and raises nothing. It is a failed transport of this target, never an empty answer.
        raise IncompleteAnswerError("the answer has no 'output' (a truncated or invalid body)")
    return answer


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
    model: ModelInfo, snapshot: Any, regions: Sequence[str], preference: Sequence[AccessMethod]
) -> str:
    """Why ``model`` has no target in ``regions``: the true reason, with the fix."""
    given = ", ".join(regions)
    metadata = getattr(snapshot, "metadata", None)
    held = set(getattr(metadata, "regions_ok", ()) or ())
    requested = getattr(metadata, "requested_regions", None)
    not_fetched = [r for r in regions if held and r not in held]
    if not_fetched:
        scope = ", ".join(sorted(held)) if requested is not None else "other regions"
        return (
            f"{model.name} cannot be checked in {', '.join(not_fetched)}: the catalog was fetched "
            f"for {scope} only; add {', '.join(not_fetched)} to its regions"
        )
    if getattr(model, "is_legacy", False):
        status = getattr(model, "lifecycle_status", "LEGACY")
        retired = f" (lifecycle {status}: AWS is retiring it)"
    else:
        retired = ""
    callable_from = sorted(model.regions)
    if not callable_from:
        return (
            f"{model.name} is not callable from {given}{retired}; "
            "the catalog lists no region it is callable from"
        )
    present = [r for r in regions if r in model.regions]
    if not present:
        where = ", ".join(callable_from[:8]) + (", ..." if len(callable_from) > 8 else "")
        return (
            f"{model.name} is not callable from {given}{retired}; it is callable from "
            f"{where}: add one of those regions"
        )
    offered = sorted({m.value for r in present for m in model.regions[r].access_methods})
    wanted = ", ".join(m.value for m in preference)
    return (
        f"{model.name} is callable from {', '.join(present)} only as {', '.join(offered)}, which "
        f"access_preference ({wanted}) excludes; allow it in access_preference"
    )


def _names(argument: str, values: Any) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)  # one name is unambiguous (a region string is not: see regions)
    try:
        items = tuple(values)
    except TypeError:
        raise ConfigurationError(f"{argument}: expected a list of names, got {values!r}") from None
    if not items:
        raise ConfigurationError(f"{argument}: pass at least one, e.g. ['Claude Haiku 4.5']")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ConfigurationError(f"{argument}: expected non-empty strings, got {item!r}")
    return items


def _retry_config(
    config: RetryConfig | None,
    region_order: str | None,
    preference: str | None,
    fraction: float | None,
) -> RetryConfig:
    if config is not None and not isinstance(config, RetryConfig):
        raise ConfigurationError(f"retry_config must be a RetryConfig, got {type(config).__name__}")
    base = config or RetryConfig()
    overrides: dict[str, Any] = {
        name: value
        for name, value in (
            ("region_order", region_order),
            ("access_method_preference", preference),
            ("global_cris_fraction", fraction),
        )
        if value is not None
    }
    if not overrides:
        return base
    try:
        return replace(base, **overrides)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc


def _preference(
    values: Iterable[AccessMethod | str] | None, preferred_09: str | None
) -> tuple[AccessMethod, ...]:
    if values is not None and preferred_09 is not None:
        raise ConfigurationError(
            "pass either access_preference= or access_method_preference=, not both"
        )
    if preferred_09 is not None:
        first = _METHOD_OF_09_NAME[preferred_09]
        return (first, *tuple(m for m in DEFAULT_ACCESS_PREFERENCE if m is not first))
    if values is None:
        return DEFAULT_ACCESS_PREFERENCE
    if isinstance(values, (str, AccessMethod)):
        values = (values,)
    result: list[AccessMethod] = []
    for value in values:
        try:
            method = (
                _METHOD_OF_09_NAME.get(value) if isinstance(value, str) else None
            ) or AccessMethod(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in AccessMethod)
            raise ConfigurationError(
                f"access_preference: {value!r} is not an access method (expected {allowed})"
            ) from None
        if method not in result:
            result.append(method)
    if not result:
        raise ConfigurationError("access_preference: pass at least one access method")
    return tuple(result)


def _failover(value: str | None, strategy: RetryStrategy) -> str:
    if value is None:
        return strategy.value
    if value not in FAILOVER_MODES:
        raise ConfigurationError(f"failover: expected one of {FAILOVER_MODES}, got {value!r}")
    if strategy is not RetryStrategy.REGION_FIRST and value != strategy.value:
        raise ConfigurationError(
            f"failover={value!r} contradicts retry_config.retry_strategy={strategy.value!r}"
        )
    return value


def _rounds(value: int | None, max_retries: int) -> int:
    if value is None:
        return max(1, max_retries)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_rounds: must be an integer >= 1, got {value!r}")
    return value


def _first(*values: Any) -> Any:
    return next(v for v in values if v is not None and v is not False)


def _seconds(argument: str, value: Any, *, positive: bool = False) -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float))
    if not ok or not (value > 0 if positive else value >= 0):
        bound = "> 0" if positive else ">= 0"
        raise ConfigurationError(f"{argument}: expected a number of seconds {bound}, got {value!r}")
    return float(value)


def _session_of(auth: AuthConfig) -> Any:
    """The boto3 Session of ``auth``; a profile that does not exist is a ConfigurationError."""
    from botocore.exceptions import ProfileNotFound

    try:
        return auth.session()
    except ProfileNotFound as exc:
        raise ConfigurationError(
            f"auth_config: {exc}; add the profile to ~/.aws/config or pass another profile_name",
            invalid_config={"profile_name": auth.profile_name},
        ) from exc


def _set_log_level(level: int | str) -> None:
    """Set the package logger's level, as 0.9's ``log_level`` did (names or numbers)."""
    try:
        logging.getLogger(_PACKAGE_LOGGER).setLevel(
            level.upper() if isinstance(level, str) else level
        )
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"log_level: expected a logging level such as logging.INFO or 'DEBUG', got {level!r}"
        ) from None


def _warn_once(message: str) -> None:
    """A 0.9 option that means nothing any more: Python's warning filter shows it once per
    place in the caller's code (the first frame outside this package)."""
    import sys

    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_PACKAGE_LOGGER):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(message, FutureWarning, stacklevel=level + 1)


# Names kept for the 0.9 structures module and the access-method tables.
_ = (AccessMethodPreferenceNames,)
