"""The parallel layer's data: 0.9's request, configuration, strategies, statistics and response.

Data only: nothing here sends a request, starts a thread or imports boto3. Field names, defaults
and ``to_dict`` keys are 0.9's. ``BedrockConverseRequest`` stays a mutable dataclass because
0.9's public methods (``record_failure``) change it; everything produced by a run is frozen.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .._llm import BedrockResponse

__all__ = [
    "DEFAULT_MAX_CONCURRENT_REQUESTS",
    "DEFAULT_REQUEST_TIMEOUT_SECONDS",
    "BedrockConverseRequest",
    "FailureEntry",
    "FailureHandlingStrategy",
    "LoadBalancingStrategy",
    "ParallelExecutionStats",
    "ParallelProcessingConfig",
    "ParallelResponse",
    "RegionAssignment",
]

#: 0.9's defaults.
DEFAULT_MAX_CONCURRENT_REQUESTS: Final = 5
DEFAULT_REQUEST_TIMEOUT_SECONDS: Final = 300
DEFAULT_FAILURE_THRESHOLD: Final = 0.5
REQUEST_ID_PREFIX: Final = "req"
REQUEST_ID_HASH_LENGTH: Final = 12

# A process-wide sequence makes generated ids unique even for identical requests created in the
# same microsecond (0.9's hash + timestamp could collide there and then refuse the batch).
_SEQUENCE = itertools.count(1)


class FailureHandlingStrategy(Enum):
    """What a batch does about failed requests (0.9's values).

    Every request of a batch is answered under every strategy; the strategy decides whether
    ``converse_parallel`` raises ``ParallelExecutionError`` at the end (see ParallelLLMManager).
    """

    CONTINUE_ON_FAILURE = "continue_on_failure"
    STOP_ON_FIRST_FAILURE = "stop_on_first_failure"
    STOP_ON_THRESHOLD = "stop_on_threshold"


class LoadBalancingStrategy(Enum):
    """How the first region of each request is chosen (0.9's values)."""

    ROUND_ROBIN = "round_robin"
    RANDOM = "random"
    LEAST_LOADED = "least_loaded"


@dataclass(frozen=True, slots=True)
class FailureEntry:
    """One failed attempt of a request: when, what, and the (model, region) it went to."""

    attempt_number: int
    timestamp: datetime
    exception: BaseException
    exception_type: str
    error_message: str
    model: str | None = None
    region: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """0.9's keys; the exception object itself is left out."""
        return {
            "attempt_number": self.attempt_number,
            "timestamp": self.timestamp.isoformat(),
            "exception_type": self.exception_type,
            "error_message": self.error_message,
            "model": self.model,
            "region": self.region,
        }

    def __repr__(self) -> str:
        return (
            f"FailureEntry(attempt={self.attempt_number}, type={self.exception_type}, "
            f"message={self.error_message[:50]!r}, model={self.model}, region={self.region})"
        )


def _hashable(content: Any) -> Any:
    """JSON-safe copy for the id hash: bytes become their digest (images, documents)."""
    if isinstance(content, (bytes, bytearray)):
        return f"<bytes:{hashlib.sha256(content).hexdigest()[:16]}>"
    if isinstance(content, Mapping):
        return {str(k): _hashable(v) for k, v in content.items()}
    if isinstance(content, (list, tuple)):
        return [_hashable(item) for item in content]
    return content


# Python name -> 0.9's converse() keyword, for the optional Converse fields of a request.
_OPTIONAL_FIELDS: Final = (
    "system",
    "inference_config",
    "additional_model_request_fields",
    "additional_model_response_field_paths",
    "guardrail_config",
    "tool_config",
    "request_metadata",
    "prompt_variables",
    "model_specific_config",
    "output_config",
    "performance_config",
    "service_tier",
)


@dataclass(slots=True)
class BedrockConverseRequest:
    """One Converse request of a batch (0.9's fields, in 0.9's order).

    ``request_id`` is generated when not given: ``req_<content hash>_<unique number>``.
    ``output_config``, ``performance_config`` and ``service_tier`` are additions to 0.9,
    keyword-only so 0.9's positional order is unchanged.
    """

    messages: list[dict[str, Any]]
    system: list[Any] | None = None
    inference_config: dict[str, Any] | None = None
    additional_model_request_fields: dict[str, Any] | None = None
    additional_model_response_field_paths: list[str] | None = None
    guardrail_config: dict[str, Any] | None = None
    tool_config: dict[str, Any] | None = None
    request_metadata: dict[str, Any] | None = None
    prompt_variables: dict[str, Any] | None = None
    model_specific_config: Any | None = None
    request_id: str | None = None
    retry_count: int = 0
    failure_history: list[FailureEntry] = field(default_factory=list)
    max_retries: int | None = None
    output_config: dict[str, Any] | None = field(default=None, kw_only=True)
    performance_config: dict[str, Any] | None = field(default=None, kw_only=True)
    service_tier: Any | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if self.request_id is None:
            self.request_id = self._generate_request_id()
        elif not isinstance(self.request_id, str) or not self.request_id:
            raise ValueError(
                f"request_id: expected a non-empty string or None, got {self.request_id!r}"
            )

    def _generate_request_id(self) -> str:
        content = {
            "messages": _hashable(self.messages),
            "system": _hashable(self.system),
            "inference_config": _hashable(self.inference_config),
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=repr)
        digest = hashlib.sha256(text.encode()).hexdigest()[:REQUEST_ID_HASH_LENGTH]
        unique = f"{time.time_ns() // 1000}{next(_SEQUENCE):04d}"
        return f"{REQUEST_ID_PREFIX}_{digest}_{unique}"

    def to_converse_args(self) -> dict[str, Any]:
        """The keyword arguments of ``LLMManager.converse``; fields that are None are left out."""
        args: dict[str, Any] = {"messages": self.messages}
        for name in _OPTIONAL_FIELDS:
            value = getattr(self, name)
            if value is not None:
                args[name] = value
        return args

    def to_dict(self) -> dict[str, Any]:
        """0.9's keys (the Converse fields and the id); the additions only when set."""
        data: dict[str, Any] = {
            "request_id": self.request_id,
            "messages": self.messages,
            "system": self.system,
            "inference_config": self.inference_config,
            "additional_model_request_fields": self.additional_model_request_fields,
            "additional_model_response_field_paths": self.additional_model_response_field_paths,
            "guardrail_config": self.guardrail_config,
            "tool_config": self.tool_config,
            "request_metadata": self.request_metadata,
            "prompt_variables": self.prompt_variables,
        }
        for name in ("output_config", "performance_config", "service_tier"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BedrockConverseRequest:
        """The inverse of ``to_dict``; ``messages`` is required.

        Raises:
            ValueError: ``messages`` is missing (named in the message).
        """
        if "messages" not in data:
            raise ValueError("BedrockConverseRequest.from_dict: the 'messages' key is required")
        return cls(
            messages=data["messages"],
            system=data.get("system"),
            inference_config=data.get("inference_config"),
            additional_model_request_fields=data.get("additional_model_request_fields"),
            additional_model_response_field_paths=data.get("additional_model_response_field_paths"),
            guardrail_config=data.get("guardrail_config"),
            tool_config=data.get("tool_config"),
            request_metadata=data.get("request_metadata"),
            prompt_variables=data.get("prompt_variables"),
            request_id=data.get("request_id"),
            output_config=data.get("output_config"),
            performance_config=data.get("performance_config"),
            service_tier=data.get("service_tier"),
        )

    def record_failure(
        self, exception: BaseException, model: str | None = None, region: str | None = None
    ) -> None:
        """Count one failed attempt and keep its details in ``failure_history``."""
        self.retry_count += 1
        self.failure_history.append(
            FailureEntry(
                attempt_number=self.retry_count,
                timestamp=datetime.now(),
                exception=exception,
                exception_type=type(exception).__name__,
                error_message=str(exception),
                model=model,
                region=region,
            )
        )

    def can_retry(self, max_retries: int) -> bool:
        """True while ``retry_count`` is below this request's ``max_retries`` (else the given)."""
        limit = self.max_retries if self.max_retries is not None else max_retries
        return self.retry_count < limit

    def get_last_failure(self) -> FailureEntry | None:
        return self.failure_history[-1] if self.failure_history else None

    def __repr__(self) -> str:
        return (
            f"BedrockConverseRequest(id={self.request_id}, messages={len(self.messages)}, "
            f"system={self.system is not None}, "
            f"inference_config={self.inference_config is not None})"
        )


@dataclass(frozen=True, slots=True)
class ParallelProcessingConfig:
    """How a batch runs (0.9's fields and defaults).

    Args:
        max_concurrent_requests: requests in flight at once (worker threads).
        request_timeout_seconds: the most one request may take, every failover attempt
            included: that call's deadline, and the timeout of the LLMManager that
            ParallelLLMManager creates (so even an answer that never starts is cut). A shared
            ``llm_manager=`` keeps its own timeout, which then bounds each socket read.
        enable_request_prioritization: accepted; requests start in the order given.
        failure_handling_strategy: see ``FailureHandlingStrategy``.
        load_balancing_strategy: see ``LoadBalancingStrategy``.
        failure_threshold: for ``STOP_ON_THRESHOLD``, the failed share (0.0-1.0) tolerated.
        enable_automatic_retry: accepted. The manager's failover is the retry: a request that
            failed everywhere is not sent again by the parallel layer (0.9 re-sent it, so a
            request could reach Bedrock more than once). Use ``retry_failed_requests``.
        max_retries_per_request: accepted for the same reason.
    """

    max_concurrent_requests: int = DEFAULT_MAX_CONCURRENT_REQUESTS
    request_timeout_seconds: float = DEFAULT_REQUEST_TIMEOUT_SECONDS
    enable_request_prioritization: bool = True
    failure_handling_strategy: FailureHandlingStrategy = FailureHandlingStrategy.CONTINUE_ON_FAILURE
    load_balancing_strategy: LoadBalancingStrategy = LoadBalancingStrategy.ROUND_ROBIN
    failure_threshold: float = DEFAULT_FAILURE_THRESHOLD
    enable_automatic_retry: bool = True
    max_retries_per_request: int | None = None

    def __post_init__(self) -> None:
        value = self.max_concurrent_requests
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"max_concurrent_requests must be a positive integer, got: {value!r}")
        timeout = self.request_timeout_seconds
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError(f"request_timeout_seconds must be positive, got: {timeout!r}")
        threshold = self.failure_threshold
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, (int, float))
            or not 0.0 <= threshold <= 1.0
        ):
            raise ValueError(f"failure_threshold must be between 0.0 and 1.0, got: {threshold!r}")
        for name, enum in (
            ("failure_handling_strategy", FailureHandlingStrategy),
            ("load_balancing_strategy", LoadBalancingStrategy),
        ):
            given = getattr(self, name)
            if not isinstance(given, enum):
                try:  # 0.9 users sometimes pass the value string
                    object.__setattr__(self, name, enum(given))
                except ValueError:
                    allowed = ", ".join(str(m.value) for m in enum)
                    raise ValueError(f"{name}: {given!r} is not one of {allowed}") from None
        retries = self.max_retries_per_request
        if retries is not None and (isinstance(retries, bool) or not isinstance(retries, int)):
            raise ValueError(f"max_retries_per_request must be an integer, got: {retries!r}")


@dataclass(frozen=True, slots=True)
class ParallelExecutionStats:
    """Figures of one batch (0.9's fields). Durations are of successful requests only.

    ``region_distribution`` counts the requests each region answered. ``access_method_
    distribution`` (answers per access method: ``direct``, ``regional_cris``, ``global_cris``)
    is an addition that 0.9's documentation showed here.
    """

    total_requests: int
    successful_requests: int
    failed_requests_count: int
    average_request_duration_ms: float
    max_request_duration_ms: float
    min_request_duration_ms: float
    concurrent_executions: int
    region_distribution: dict[str, int] = field(default_factory=dict)
    access_method_distribution: dict[str, int] = field(default_factory=dict)

    @property
    def success_rate(self) -> float:
        """Percent (0-100) of requests that succeeded."""
        if self.total_requests == 0:
            return 0.0
        return self.successful_requests / self.total_requests * 100.0

    @property
    def failure_rate(self) -> float:
        return 100.0 - self.success_rate

    def to_dict(self) -> dict[str, Any]:
        return {
            "total_requests": self.total_requests,
            "successful_requests": self.successful_requests,
            "failed_requests_count": self.failed_requests_count,
            "average_request_duration_ms": self.average_request_duration_ms,
            "max_request_duration_ms": self.max_request_duration_ms,
            "min_request_duration_ms": self.min_request_duration_ms,
            "concurrent_executions": self.concurrent_executions,
            "region_distribution": dict(self.region_distribution),
            "access_method_distribution": dict(self.access_method_distribution),
        }


@dataclass(frozen=True, slots=True)
class RegionAssignment:
    """The regions one request was given, first region first (0.9's fields)."""

    request_id: str
    assigned_regions: list[str]
    priority: int = 0

    def __repr__(self) -> str:
        return (
            f"RegionAssignment(id={self.request_id}, regions={self.assigned_regions}, "
            f"priority={self.priority})"
        )


_TOKEN_KEYS: Final = (
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
)


@dataclass(frozen=True, slots=True)
class ParallelResponse:
    """The outcome of a batch: one ``BedrockResponse`` per request id, and the figures.

    Every request given to ``converse_parallel`` has exactly one entry in ``request_responses``;
    ``failed_requests`` lists the failed ids (timed out ones included), ``failed_request_ids``
    and ``timed_out_request_ids`` split them.
    """

    success: bool
    request_responses: dict[str, BedrockResponse] = field(default_factory=dict)
    total_duration_ms: float = 0.0
    parallel_execution_stats: ParallelExecutionStats | None = None
    warnings: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    successful_request_ids: list[str] = field(default_factory=list)
    failed_request_ids: list[str] = field(default_factory=list)
    timed_out_request_ids: list[str] = field(default_factory=list)
    original_requests: dict[str, BedrockConverseRequest] = field(default_factory=dict)

    def get_successful_responses(self) -> dict[str, BedrockResponse]:
        return {k: r for k, r in self.request_responses.items() if r.success}

    def get_failed_responses(self) -> dict[str, BedrockResponse]:
        return {k: r for k, r in self.request_responses.items() if not r.success}

    def get_response_by_id(self, request_id: str) -> BedrockResponse | None:
        return self.request_responses.get(request_id)

    def get_success_rate(self) -> float:
        """Percent (0-100) of requests that succeeded; 0.0 for an empty batch."""
        if not self.request_responses:
            return 0.0
        return len(self.get_successful_responses()) / len(self.request_responses) * 100.0

    def get_total_tokens_used(self) -> dict[str, int]:
        """Token counts summed over the successful responses (0.9's keys)."""
        totals = dict.fromkeys(_TOKEN_KEYS, 0)
        for response in self.get_successful_responses().values():
            usage = response.get_usage() or {}
            for key in _TOKEN_KEYS:
                value = usage.get(key, 0)
                totals[key] += value if isinstance(value, int) else 0
        return totals

    def get_cache_metrics(self) -> Any:
        """0.9's ``CacheMetrics`` of the batch: a success that read from the prompt cache is a
        hit, any other success a miss; savings are the cache-read tokens."""
        from .._llm import CacheMetrics

        successful = self.get_successful_responses().values()
        reads = [int(r.get_cache_read_tokens() or 0) for r in successful]
        hits = sum(1 for n in reads if n > 0)
        return CacheMetrics(
            cache_hit_ratio=hits / len(reads) if reads else 0.0,
            cache_savings_tokens=sum(reads),
            total_cache_hits=hits,
            total_cache_misses=len(reads) - hits,
        )

    def get_average_latency(self) -> float | None:
        """Mean ``api_latency_ms`` over the successful responses that report it, or None."""
        latencies = []
        for response in self.get_successful_responses().values():
            metrics = response.get_metrics() or {}
            latency = metrics.get("api_latency_ms")
            if isinstance(latency, (int, float)):
                latencies.append(float(latency))
        return sum(latencies) / len(latencies) if latencies else None

    def get_failed_by_exception_type(self, exception_type: str) -> dict[str, BedrockResponse]:
        """Failed responses whose last error is of the named type (e.g. ``"ClientError"``)."""
        return {
            k: r
            for k, r in self.get_failed_responses().items()
            if r.get_last_error() is not None
            and type(r.get_last_error()).__name__ == exception_type
        }

    def filter_failed_requests(
        self, filter_func: Callable[[str, BedrockResponse], bool]
    ) -> list[str]:
        """Ids of the failed requests for which ``filter_func(request_id, response)`` is true."""
        return [k for k, r in self.get_failed_responses().items() if filter_func(k, r)]

    def get_retryable_request_ids(self) -> list[str]:
        """Failed and timed-out ids: what ``retry_failed_requests`` would send again."""
        return list(self.failed_request_ids) + list(self.timed_out_request_ids)

    def get_requests_with_removed_parameters(self) -> dict[str, list[str]]:
        """Request id -> the request fields feature fallback removed to get an answer."""
        found: dict[str, list[str]] = {}
        for request_id, response in self.request_responses.items():
            removed = getattr(response, "parameters_removed", None)
            if removed:
                found[request_id] = list(removed)
        return found

    def get_parameter_compatibility_summary(self) -> dict[str, Any]:
        removed = self.get_requests_with_removed_parameters()
        counts: dict[str, int] = {}
        for names in removed.values():
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        with_parameters = sum(
            1
            for r in self.request_responses.values()
            if getattr(r, "original_additional_fields", None)
            or getattr(r, "final_additional_fields", None)
            or getattr(r, "parameters_removed", None)
        )
        return {
            "total_requests_with_parameters": with_parameters,
            "requests_with_removed_parameters": len(removed),
            "most_common_incompatible_parameters": sorted(
                counts.items(), key=lambda item: item[1], reverse=True
            ),
            "affected_request_ids": list(removed),
        }

    def get_access_method_statistics(self) -> dict[str, Any]:
        """Counts per access method (``direct``, ``regional_cris``, ``global_cris``)."""
        total = len(self.request_responses)
        counts: dict[str, int] = {}
        profiles = 0
        for response in self.request_responses.values():
            method = getattr(response, "access_method_used", None)
            if method:
                counts[method] = counts.get(method, 0) + 1
                if getattr(response, "inference_profile_used", False):
                    profiles += 1
        return {
            "total_requests": total,
            "direct_access_count": counts.get("direct", 0),
            "regional_cris_count": counts.get("regional_cris", 0),
            "global_cris_count": counts.get("global_cris", 0),
            "profile_usage_count": profiles,
            "profile_usage_percentage": round(profiles / total * 100, 2) if total else 0.0,
            "access_method_breakdown": counts,
        }

    def get_requests_by_access_method(self, access_method: str) -> dict[str, BedrockResponse]:
        return {
            k: r
            for k, r in self.request_responses.items()
            if getattr(r, "access_method_used", None) == access_method
        }

    def get_profile_usage_details(self) -> dict[str, Any]:
        using: list[str] = []
        by_request: dict[str, str] = {}
        for request_id, response in self.request_responses.items():
            profile_id = getattr(response, "inference_profile_id", None)
            if getattr(response, "inference_profile_used", False) and profile_id:
                using.append(request_id)
                by_request[request_id] = profile_id
        return {
            "requests_using_profiles": using,
            "profile_ids_used": sorted(set(by_request.values())),
            "profile_usage_by_request": by_request,
        }

    def to_dict(self) -> dict[str, Any]:
        """0.9's keys; each response as its own ``to_dict()``."""
        return {
            "success": self.success,
            "request_responses": {k: r.to_dict() for k, r in self.request_responses.items()},
            "total_duration_ms": self.total_duration_ms,
            "parallel_execution_stats": (
                self.parallel_execution_stats.to_dict()
                if self.parallel_execution_stats is not None
                else None
            ),
            "warnings": list(self.warnings),
            "failed_requests": list(self.failed_requests),
        }

    def __repr__(self) -> str:
        return (
            f"ParallelResponse(success={self.success}, "
            f"responses={len(self.get_successful_responses())}/{len(self.request_responses)}, "
            f"duration={self.total_duration_ms:.1f}ms)"
        )
