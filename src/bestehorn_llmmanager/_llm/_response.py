"""The answer to one ``converse`` call (BedrockResponse) and the record of each request it sent.

BedrockResponse has 0.9's fields, getters and dict/JSON form; the project's own views (``raw``,
``text``, ``model``, ``model_id_used``, ``access_method``, ``attempts``) read the same fields.
RequestAttempt is the one attempt record: 0.9's fields plus the error code and masked message.
This module reads Converse dicts; it never calls AWS and never imports boto3.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .._content import (
    CacheDetail,
    Citation,
    ReasoningContent,
    ResponseContentType,
    StopReasonCategory,
    ToolUse,
    stop_reason_category,
)
from ..bedrock.catalog._types import AccessMethod

if TYPE_CHECKING:
    from ..bedrock.catalog._types import ModelInfo

__all__ = [
    "ACCESS_METHOD_NAMES",
    "BedrockResponse",
    "RequestAttempt",
    "TokenCounts",
    "ValidationAttempt",
    "ValidationResult",
    "failed_response",
    "usage_09",
]

#: The catalog's access methods under 0.9's names (``access_method_used``, attempt records).
ACCESS_METHOD_NAMES: dict[AccessMethod, str] = {
    AccessMethod.DIRECT: "direct",
    AccessMethod.REGIONAL_PROFILE: "regional_cris",
    AccessMethod.GLOBAL_PROFILE: "global_cris",
}
_METHODS_BY_NAME = {name: method for method, name in ACCESS_METHOD_NAMES.items()}


@dataclass(frozen=True)
class ValidationResult:
    """What a response validation function returns: ``success``, and why not."""

    success: bool
    error_message: str | None = None
    error_details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"success": self.success}
        if self.error_message is not None:
            result["error_message"] = self.error_message
        if self.error_details is not None:
            result["error_details"] = self.error_details
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ValidationResult:
        return cls(
            success=data["success"],
            error_message=data.get("error_message"),
            error_details=data.get("error_details"),
        )


@dataclass(frozen=True)
class RequestAttempt:
    """One request sent to one target.

    Args:
        model_id: the id sent (model id, profile id or ARN).
        region: where it was sent.
        access_method: 0.9's name of the access method ("direct", "regional_cris", "global_cris").
        attempt_number: 1 for the first request of the call.
        start_time, end_time: wall-clock start and end.
        duration_ms: how long the request took (measured with a monotonic clock).
        error: the failure as an exception (account ids masked), None on success.
        success: whether this request answered.
        error_code: the AWS error code (or the transport error's class name), None on success.
        message: the service's message, account ids masked.
    """

    model_id: str
    region: str
    access_method: str
    attempt_number: int
    start_time: datetime
    end_time: datetime | None = None
    error: Exception | None = None
    success: bool = False
    error_code: str | None = None
    message: str | None = None
    duration_ms: float | None = None

    def _duration(self) -> float | None:
        if self.duration_ms is not None or self.end_time is None:
            return self.duration_ms
        return (self.end_time - self.start_time).total_seconds() * 1000

    @property
    def method(self) -> AccessMethod | None:
        """The catalog's AccessMethod for ``access_method`` (None for an unknown name)."""
        return _METHODS_BY_NAME.get(self.access_method)

    @property
    def succeeded(self) -> bool:
        return self.success

    @property
    def elapsed_s(self) -> float:
        return (self.duration_ms or 0.0) / 1000.0

    def describe(self) -> str:
        """One line: what was sent where, and how it ended."""
        outcome = "ok" if self.error_code is None else f"{self.error_code}: {self.message or ''}"
        method = self.method.value if self.method is not None else self.access_method
        return (
            f"{self.model_id} in {self.region} ({method}, {self.duration_ms or 0:.0f} ms): "
            f"{outcome}"
        )

    def to_dict(self) -> dict[str, Any]:
        """0.9's attempt dict, plus ``error_code`` and ``message``."""
        return {
            "model_id": self.model_id,
            "region": self.region,
            "access_method": self.access_method,
            "attempt_number": self.attempt_number,
            "start_time": self.start_time.isoformat(),
            "end_time": self.end_time.isoformat() if self.end_time else None,
            "duration_ms": self._duration(),
            "success": self.success,
            "error": str(self.error) if self.error else None,
            "error_code": self.error_code,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RequestAttempt:
        start = datetime.fromisoformat(data["start_time"])
        end = datetime.fromisoformat(data["end_time"]) if data.get("end_time") else None
        duration = data.get("duration_ms")
        if duration is None and end is not None:
            duration = (end - start).total_seconds() * 1000
        error = data.get("error")
        return cls(
            model_id=data["model_id"],
            region=data["region"],
            access_method=data["access_method"],
            attempt_number=data["attempt_number"],
            start_time=start,
            end_time=end,
            error=Exception(error) if error else None,
            success=data["success"],
            error_code=data.get("error_code"),
            message=data.get("message"),
            duration_ms=duration,
        )


@dataclass(frozen=True)
class ValidationAttempt:
    """One answer that a response validation function judged (0.9)."""

    attempt_number: int
    validation_result: ValidationResult
    failed_content: str | None = None


def usage_09(usage: Any) -> dict[str, int] | None:
    """Converse ``usage`` under 0.9's keys (missing counts are 0); None when there is none."""
    if not isinstance(usage, dict):
        return None
    return {
        "input_tokens": usage.get("inputTokens", 0),
        "output_tokens": usage.get("outputTokens", 0),
        "total_tokens": usage.get("totalTokens", 0),
        "cache_read_tokens": usage.get("cacheReadInputTokens", 0),
        "cache_write_tokens": usage.get("cacheWriteInputTokens", 0),
    }


def _cache_details(usage: Any) -> list[CacheDetail]:
    if not isinstance(usage, dict):
        return []
    return [CacheDetail.from_cache_detail(d) for d in usage.get("cacheDetails") or ()]


class TokenCounts:
    """What both response types share: 0.9's token getters over ``get_usage()`` (0 when absent)
    and the project's names for the target that answered."""

    model_used: str | None
    region_used: str | None
    access_method_used: str | None

    def get_usage(self) -> dict[str, int] | None:
        raise NotImplementedError

    @property
    def region(self) -> str | None:
        return self.region_used

    @property
    def model_id_used(self) -> str | None:
        return self.model_used

    @property
    def access_method(self) -> AccessMethod | None:
        """The catalog's AccessMethod of the request that answered."""
        return _METHODS_BY_NAME.get(self.access_method_used or "")

    def _count(self, key: str) -> int:
        usage = self.get_usage()
        return usage.get(key, 0) if usage else 0

    def get_input_tokens(self) -> int:
        return self._count("input_tokens")

    def get_output_tokens(self) -> int:
        return self._count("output_tokens")

    def get_total_tokens(self) -> int:
        return self._count("total_tokens")

    def get_cache_read_tokens(self) -> int:
        return self._count("cache_read_tokens")

    def get_cache_write_tokens(self) -> int:
        return self._count("cache_write_tokens")


@dataclass
class BedrockResponse(TokenCounts):
    """The result of one ``converse`` call (0.9's type and meaning).

    ``response_data`` is boto3's Converse answer, untouched. ``model_used`` is the id that
    answered (a profile id when a profile was used), ``attempts`` every request the call sent.
    """

    success: bool
    response_data: dict[str, Any] | None = None
    model_used: str | None = None
    region_used: str | None = None
    access_method_used: str | None = None
    inference_profile_used: bool = False
    inference_profile_id: str | None = None
    attempts: list[RequestAttempt] = field(default_factory=list)
    total_duration_ms: float | None = None
    api_latency_ms: float | None = None
    warnings: list[str] = field(default_factory=list)
    features_disabled: list[str] = field(default_factory=list)
    validation_attempts: list[ValidationAttempt] = field(default_factory=list)
    validation_errors: list[dict[str, Any]] = field(default_factory=list)
    parameters_removed: list[str] | None = None
    original_additional_fields: dict[str, Any] | None = None
    final_additional_fields: dict[str, Any] | None = None
    #: The catalog entry of the model that answered (not serialised; None after from_dict).
    model: ModelInfo | None = field(default=None, compare=False, repr=False)

    # -- the project's views ---------------------------------------------------------------------

    @property
    def raw(self) -> dict[str, Any]:
        """boto3's Converse answer ({} for a failed response)."""
        return self.response_data or {}

    @property
    def text(self) -> str:
        """The text blocks of the output message, joined without separator ("" when none)."""
        return "".join(self.get_text_blocks())

    @property
    def stop_reason(self) -> str | None:
        return self.get_stop_reason()

    @property
    def usage(self) -> dict[str, int]:
        """Converse's ``usage`` dict as sent (camelCase keys); {} when absent."""
        usage = self.raw.get("usage")
        return usage if isinstance(usage, dict) else {}

    # -- content ---------------------------------------------------------------------------------

    def get_content_blocks(self) -> list[Any] | None:
        """Every content block of the output message in order (a copy), None when there are none."""
        if not self.success or not self.response_data:
            return None
        output = self.response_data.get("output")
        message = output.get("message") if isinstance(output, dict) else None
        blocks = message.get("content") if isinstance(message, dict) else None
        return list(blocks) if isinstance(blocks, list) else None

    def get_content_blocks_by_type(self, content_type: ResponseContentType | str) -> list[Any]:
        """The blocks of one kind (a ResponseContentType or its key, e.g. ``"toolUse"``)."""
        wanted = (
            content_type
            if isinstance(content_type, ResponseContentType)
            else ResponseContentType.from_block({str(content_type): None})
        )
        return [
            block
            for block in self.get_content_blocks() or ()
            if ResponseContentType.from_block(block) is wanted
        ]

    def get_text_blocks(self) -> list[str]:
        return [b["text"] for b in self.get_content_blocks_by_type(ResponseContentType.TEXT)]

    def get_image_blocks(self) -> list[dict[str, Any]]:
        return [b["image"] for b in self.get_content_blocks_by_type(ResponseContentType.IMAGE)]

    def get_tool_uses(self) -> list[ToolUse]:
        return [
            ToolUse.from_tool_use_block(b["toolUse"])
            for b in self.get_content_blocks_by_type(ResponseContentType.TOOL_USE)
        ]

    def has_tool_use(self) -> bool:
        """True when the answer holds a toolUse block or stopped for ``tool_use``."""
        return bool(self.get_tool_uses()) or self.get_stop_reason() == "tool_use"

    def get_reasoning(self) -> ReasoningContent | None:
        blocks = self.get_content_blocks_by_type(ResponseContentType.REASONING_CONTENT)
        if not blocks:
            return None
        return ReasoningContent.from_reasoning_block(blocks[0]["reasoningContent"])

    def get_citations(self) -> list[Citation]:
        citations: list[Citation] = []
        for block in self.get_content_blocks_by_type(ResponseContentType.CITATIONS_CONTENT):
            for raw in block["citationsContent"].get("citations") or ():
                citations.append(Citation.from_citation(raw))
        return citations

    def get_content(self) -> str | None:
        """The text blocks joined with newlines (0.9), None when the answer has no text."""
        parts = self.get_text_blocks()
        return "\n".join(parts) if parts else None

    def get_structured_output(self) -> Any | None:
        """The text parsed as a JSON object or array (structured output), else None."""
        content = self.get_content()
        if not content:
            return None
        try:
            parsed = json.loads(content)
        except ValueError:
            return None
        return parsed if isinstance(parsed, (dict, list)) else None

    # -- usage and metrics -----------------------------------------------------------------------

    def get_usage(self) -> dict[str, int] | None:
        """Token counts under 0.9's keys: input/output/total/cache_read/cache_write _tokens."""
        if not self.success or not self.response_data:
            return None
        return usage_09(self.response_data.get("usage", {}))

    def get_cache_details(self) -> list[CacheDetail]:
        """The cache-write tokens per TTL (``usage.cacheDetails``)."""
        if not self.success or not self.response_data:
            return []
        return _cache_details(self.response_data.get("usage"))

    def get_cached_tokens_info(self) -> dict[str, int] | None:
        usage = self.get_usage()
        if not usage:
            return None
        read, write = usage["cache_read_tokens"], usage["cache_write_tokens"]
        return {
            "cache_read_tokens": read,
            "cache_write_tokens": write,
            "cache_hit": read > 0,
            "cache_write": write > 0,
        }

    def get_cache_efficiency(self) -> dict[str, Any] | None:
        """Share of the input read from the cache, in 0.9's shape.

        ``cache_savings_cost`` and ``latency_reduction_ms`` are 0.9's fixed rough estimates
        ($0.03 per 1,000 cached tokens; 1 ms per 100 cached tokens), not prices or measurements.
        """
        usage = self.get_usage()
        if not usage or not usage["input_tokens"]:
            return None
        read, write = usage["cache_read_tokens"], usage["cache_write_tokens"]
        ratio = read / usage["input_tokens"]
        return {
            "cache_hit_ratio": round(ratio, 2),
            "cache_savings_tokens": read,
            "cache_savings_cost": f"${read / 1000 * 0.03:.2f}",
            "latency_reduction_ms": read // 100,
            "cache_write_tokens": write,
            "cache_read_tokens": read,
            "cache_effectiveness": round(ratio * 100, 1),
        }

    def get_metrics(self) -> dict[str, float | int] | None:
        """api_latency_ms, total_duration_ms, attempts_made, successful_attempt_number."""
        if not self.success or not self.response_data:
            return None
        metrics: dict[str, float | int] = {}
        latency = (self.response_data.get("metrics") or {}).get("latencyMs")
        if latency is not None:
            metrics["api_latency_ms"] = latency
        if self.total_duration_ms is not None:
            metrics["total_duration_ms"] = self.total_duration_ms
        metrics["attempts_made"] = len(self.attempts)
        for attempt in self.attempts:
            if attempt.success:
                metrics["successful_attempt_number"] = attempt.attempt_number
                break
        return metrics

    def get_stop_reason(self) -> str | None:
        if not self.success or not self.response_data:
            return None
        reason = self.response_data.get("stopReason")
        return reason if isinstance(reason, str) else None

    def get_stop_reason_category(self) -> StopReasonCategory:
        return stop_reason_category(self.get_stop_reason())

    def _field(self, name: str) -> Any:
        if not self.success or not self.response_data:
            return None
        return self.response_data.get(name)

    def get_additional_model_response_fields(self) -> dict[str, Any] | None:
        return self._field("additionalModelResponseFields")  # type: ignore[no-any-return]

    def get_performance_config(self) -> dict[str, Any] | None:
        return self._field("performanceConfig")  # type: ignore[no-any-return]

    def get_service_tier(self) -> dict[str, Any] | None:
        return self._field("serviceTier")  # type: ignore[no-any-return]

    def get_guardrail_trace(self) -> dict[str, Any] | None:
        trace = self._field("trace")
        return trace.get("guardrail") if isinstance(trace, dict) else None

    # -- outcome, errors, attempts ---------------------------------------------------------------

    def was_successful(self) -> bool:
        return self.success

    def get_warnings(self) -> list[str]:
        return list(self.warnings)

    def get_disabled_features(self) -> list[str]:
        return list(self.features_disabled)

    def get_last_error(self) -> Exception | None:
        """The error of the last failed attempt, None when none failed."""
        for attempt in reversed(self.attempts):
            if not attempt.success and attempt.error is not None:
                return attempt.error
        return None

    def get_all_errors(self) -> list[Exception]:
        return [a.error for a in self.attempts if a.error is not None]

    def get_attempt_count(self) -> int:
        return len(self.attempts)

    def get_successful_attempt(self) -> RequestAttempt | None:
        return next((a for a in self.attempts if a.success), None)

    # -- validation ------------------------------------------------------------------------------

    def had_validation_failures(self) -> bool:
        return bool(self.validation_attempts)

    def get_validation_attempt_count(self) -> int:
        return len(self.validation_attempts)

    def get_validation_errors(self) -> list[dict[str, Any]]:
        return list(self.validation_errors)

    def get_last_validation_error(self) -> dict[str, Any] | None:
        return self.validation_errors[-1] if self.validation_errors else None

    def get_validation_metrics(self) -> dict[str, Any]:
        metrics: dict[str, Any] = {
            "validation_attempts": len(self.validation_attempts),
            "validation_errors": len(self.validation_errors),
            "had_validation_failures": self.had_validation_failures(),
        }
        for attempt in self.validation_attempts:
            if attempt.validation_result.success:
                metrics["successful_validation_attempt"] = attempt.attempt_number
                break
        return metrics

    def had_parameters_removed(self) -> bool:
        return bool(self.parameters_removed)

    def get_parameter_warnings(self) -> list[str]:
        removed = self.parameters_removed or []
        warnings = [
            f"Parameter '{name}' was removed due to incompatibility with model/region combination"
            for name in removed
        ]
        if len(removed) > 1:
            warnings.append(f"Total of {len(removed)} parameters were removed for compatibility")
        return warnings

    # -- access method ---------------------------------------------------------------------------

    def get_access_method(self) -> str | None:
        return self.access_method_used

    def was_profile_used(self) -> bool:
        return self.inference_profile_used

    def get_profile_id(self) -> str | None:
        return self.inference_profile_id if self.inference_profile_used else None

    def get_access_method_info(self) -> dict[str, Any]:
        return {
            "access_method": self.access_method_used,
            "profile_used": self.inference_profile_used,
            "profile_id": self.inference_profile_id,
            "model_id": self.model_used,
            "region": self.region_used,
        }

    # -- serialisation ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """0.9's dict form (JSON-ready when ``response_data`` is)."""
        return {
            "success": self.success,
            "response_data": self.response_data,
            "model_used": self.model_used,
            "region_used": self.region_used,
            "access_method_used": self.access_method_used,
            "inference_profile_used": self.inference_profile_used,
            "inference_profile_id": self.inference_profile_id,
            "total_duration_ms": self.total_duration_ms,
            "api_latency_ms": self.api_latency_ms,
            "warnings": list(self.warnings),
            "features_disabled": list(self.features_disabled),
            "attempts": [a.to_dict() for a in self.attempts],
            "validation_attempts": [
                {
                    "attempt_number": v.attempt_number,
                    "validation_result": v.validation_result.to_dict(),
                    "failed_content": v.failed_content,
                }
                for v in self.validation_attempts
            ],
            "validation_errors": list(self.validation_errors),
            "parameters_removed": self.parameters_removed,
            "original_additional_fields": self.original_additional_fields,
            "final_additional_fields": self.final_additional_fields,
        }

    def to_json(self, indent: int | None = None) -> str:
        """``to_dict()`` as JSON; bytes in the answer (images, redacted reasoning) become base64
        strings and datetimes ISO strings, so any answer serialises."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=_json_default)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BedrockResponse:
        """The response ``to_dict`` produced (errors come back as plain ``Exception``\\ s)."""
        return cls(
            success=data["success"],
            response_data=data.get("response_data"),
            model_used=data.get("model_used"),
            region_used=data.get("region_used"),
            access_method_used=data.get("access_method_used"),
            inference_profile_used=data.get("inference_profile_used", False),
            inference_profile_id=data.get("inference_profile_id"),
            attempts=[RequestAttempt.from_dict(a) for a in data.get("attempts", ())],
            total_duration_ms=data.get("total_duration_ms"),
            api_latency_ms=data.get("api_latency_ms"),
            warnings=list(data.get("warnings", ())),
            features_disabled=list(data.get("features_disabled", ())),
            validation_attempts=[
                ValidationAttempt(
                    attempt_number=v["attempt_number"],
                    validation_result=ValidationResult.from_dict(v["validation_result"]),
                    failed_content=v.get("failed_content"),
                )
                for v in data.get("validation_attempts", ())
            ],
            validation_errors=list(data.get("validation_errors", ())),
            parameters_removed=data.get("parameters_removed"),
            original_additional_fields=data.get("original_additional_fields"),
            final_additional_fields=data.get("final_additional_fields"),
        )

    def __repr__(self) -> str:
        status = "SUCCESS" if self.success else "FAILED"
        return (
            f"BedrockResponse(status={status}, model={self.model_used}, "
            f"region={self.region_used}, attempts={len(self.attempts)})"
        )


def failed_response(message: str, error: BaseException | None) -> BedrockResponse:
    """A response for a request that got no answer: ``success`` False, ``message`` in the
    warnings, and the attempts the error recorded (or one record of the error itself)."""
    attempts = list(getattr(error, "attempts", ()) or ())
    if not all(isinstance(a, RequestAttempt) for a in attempts) or not attempts:
        cause = error if isinstance(error, Exception) else Exception(message)
        attempts = [
            RequestAttempt(
                model_id="",
                region="",
                access_method="",
                attempt_number=1,
                start_time=datetime.now(timezone.utc),
                error=cause,
                success=False,
                error_code=type(cause).__name__,
                message=str(cause),
            )
        ]
    return BedrockResponse(success=False, attempts=attempts, warnings=[message])


def _json_default(value: Any) -> Any:
    """boto3 answers hold bytes (images, redacted reasoning) and datetimes: say what they are."""
    if isinstance(value, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
