"""The answer to one ``converse_stream`` call: StreamingResponse, iterated as text chunks (0.9).

Iterating yields the text of each ``contentBlockDelta``; ``events()`` yields boto3's event dicts
instead. Either way every event updates the response (stop reason, usage, metrics, reasoning,
citations). The manager hands a stream over only once its first content has arrived, so every
failure before that was failed over; a failure after it ends the stream with
``StreamInterruptedError`` (a ``StreamingError``) carrying the text received so far, and is
recorded in ``get_stream_errors()`` and ``get_mid_stream_exceptions()``. The stream never splices
text from a second target into the first one's answer (see docs/api.md, "Streaming").

Not meant to be shared between threads. Never imports boto3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .._content import CacheDetail, Citation, ReasoningContent
from .._errors import StreamInterruptedError
from .._redact import mask_account_ids
from ._response import BedrockResponse, RequestAttempt, TokenCounts, usage_09

if TYPE_CHECKING:
    from ..bedrock.catalog._types import ModelInfo

__all__ = ["StreamingResponse"]


class StreamingResponse(TokenCounts):
    """A streamed answer with 0.9's attributes; see the module docs for its failure rule.

    The 0.9 attributes (``success``, ``content_parts``, ``stream_errors``, ``stream_position``,
    ``model_used``, ``region_used``, ``access_method_used``, ``inference_profile_used``,
    ``inference_profile_id``, ``total_duration_ms``, ``api_latency_ms``, ``stop_reason``,
    ``usage_info``, ``metrics_info``, ``trace_info``, ``additional_model_response_fields``,
    ``current_message_role``, ``request_attempt``, ``warnings``) are plain attributes; those about
    the outcome are final once ``is_streaming_complete()``.
    """

    def __init__(
        self,
        success: bool = False,
        *,
        content_parts: list[str] | None = None,
        stream_errors: list[Exception] | None = None,
        model_used: str | None = None,
        region_used: str | None = None,
        access_method_used: str | None = None,
        total_duration_ms: float | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.success = success
        self.content_parts: list[str] = list(content_parts or ())
        self.final_response: BedrockResponse | None = None
        self.stream_errors: list[Exception] = list(stream_errors or ())
        self.stream_position = sum(len(p) for p in self.content_parts)
        self.model_used = model_used
        self.region_used = region_used
        self.access_method_used = access_method_used
        self.inference_profile_used = access_method_used not in (None, "direct")
        self.inference_profile_id = model_used if self.inference_profile_used else None
        self.total_duration_ms = total_duration_ms
        self.api_latency_ms: float | None = None
        self.stop_reason: str | None = None
        self.usage_info: dict[str, Any] | None = None
        self.metrics_info: dict[str, Any] | None = None
        self.trace_info: dict[str, Any] | None = None
        self.additional_model_response_fields: dict[str, Any] | None = None
        self.current_message_role: str | None = None
        self.request_attempt: RequestAttempt | None = None
        self.warnings: list[str] = list(warnings or ())
        self.reasoning_text_parts: list[str] = []
        self.reasoning_signature: str | None = None
        self.reasoning_redacted_content: Any | None = None
        self.citation_blocks: list[dict[str, Any]] = []
        #: Every request the call sent (the project's records; 0.9 kept only the last one).
        self.attempts: list[RequestAttempt] = []
        #: boto3's response dict (its ``stream`` is the EventStream); {} when not started.
        self.raw: dict[str, Any] = {}
        #: The catalog entry of the model that answers.
        self.model: ModelInfo | None = None
        self.usage: dict[str, Any] = {}
        self.metrics: dict[str, Any] = {}
        self._events: Iterator[dict[str, Any]] = iter(())
        self._pending: list[dict[str, Any]] = []
        self._recoveries: list[dict[str, Any]] = []
        self._clock: Callable[[], float] = _zero
        self._started = 0.0
        self._first_token: float | None = None
        self._last_token: float | None = None
        self._complete = not success

    @classmethod
    def _begin(
        cls,
        *,
        raw: dict[str, Any],
        events: Iterator[dict[str, Any]],
        pending: list[dict[str, Any]],
        model: ModelInfo,
        attempts: list[RequestAttempt],
        recoveries: list[dict[str, Any]],
        warnings: list[str],
        clock: Callable[[], float],
        started: float,
    ) -> StreamingResponse:
        """A running stream: ``pending`` are the events already read (replayed first)."""
        last = attempts[-1]
        response = cls(
            True,
            model_used=last.model_id,
            region_used=last.region,
            access_method_used=last.access_method,
            warnings=warnings,
        )
        response.raw, response.model, response.attempts = raw, model, attempts
        response.request_attempt = last
        response._events, response._pending = events, pending
        response._recoveries = recoveries
        response._clock, response._started = clock, started
        response._complete = False
        return response

    # -- the project's views ---------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The text received so far."""
        return "".join(self.content_parts)

    @property
    def finished(self) -> bool:
        return self._complete

    # -- iteration -------------------------------------------------------------------------------

    def __iter__(self) -> StreamingResponse:
        return self

    def __next__(self) -> str:
        while True:
            event = self._next_event()
            text = self._observe(event)
            if text:
                return text

    def events(self) -> Iterator[dict[str, Any]]:
        """boto3's event dicts, as they arrive (each also updates this response)."""
        while True:
            try:
                event = self._next_event()
            except StopIteration:
                return
            self._observe(event)
            yield event

    def _next_event(self) -> dict[str, Any]:
        if self._pending:
            return self._pending.pop(0)
        if self._complete:
            raise StopIteration
        try:
            return next(self._events)
        except StopIteration:
            self._finish(None)
            raise
        except Exception as exc:
            self._finish(exc)
            stream = self.raw.get("stream")
            if stream is not None:  # release the broken connection now, not at garbage collection
                stream.close()
            partial = self.text
            raise StreamInterruptedError(
                f"the stream from {self.model_used} in {self.region_used} failed after "
                f"{len(partial)} characters ({self.stream_errors[-1]}); the text so far is in "
                "partial_content. It was not continued on another target, because the caller "
                "already has part of this answer: send the request again to get a whole one",
                partial_content=partial,
                attempts=self.attempts,
                target_switches=self.get_target_switches(),
            ) from None

    def _observe(self, event: Mapping[str, Any]) -> str | None:
        delta = event.get("contentBlockDelta")
        if delta is not None:
            body = delta.get("delta") or {}
            reasoning = body.get("reasoningContent")
            if reasoning:
                if reasoning.get("text"):
                    self.reasoning_text_parts.append(reasoning["text"])
                if reasoning.get("signature"):
                    self.reasoning_signature = reasoning["signature"]
                if reasoning.get("redactedContent") is not None:
                    self.reasoning_redacted_content = reasoning["redactedContent"]
            citation = body.get("citation")
            if citation:
                self.citation_blocks.append(citation)
            text = body.get("text")
            if text and isinstance(text, str):
                now = self._clock()
                if self._first_token is None:
                    self._first_token = now
                self._last_token = now
                self.content_parts.append(text)
                self.stream_position += len(text)
                return text
            return None
        start = event.get("messageStart")
        if start is not None:
            self.current_message_role = start.get("role")
            return None
        stop = event.get("messageStop")
        if stop is not None:
            self.stop_reason = stop.get("stopReason")
            self.additional_model_response_fields = stop.get("additionalModelResponseFields")
            return None
        metadata = event.get("metadata")
        if metadata is not None:
            self.usage = dict(metadata.get("usage") or {})
            self.metrics = dict(metadata.get("metrics") or {})
            self.metrics_info = self.metrics
            self.trace_info = metadata.get("trace")
            info: dict[str, Any] = usage_09(self.usage) or {}
            info["cache_details"] = list(self.usage.get("cacheDetails") or ())
            self.usage_info = info
            latency = self.metrics.get("latencyMs")
            self.api_latency_ms = float(latency) if latency is not None else None
        return None

    def _finish(self, error: Exception | None) -> None:
        self._complete = True
        self.total_duration_ms = (self._clock() - self._started) * 1000.0
        if error is not None:
            masked = Exception(f"{type(error).__name__}: {mask_account_ids(str(error))}")
            self.stream_errors.append(masked)
            self._recoveries.append(
                {
                    "error_type": type(error).__name__,
                    "error_message": str(masked),
                    "position": self.stream_position,
                    "model": self.model_used,
                    "region": self.region_used,
                    "timestamp": datetime.now(timezone.utc).isoformat(),
                    "recovered": False,
                }
            )
            self.success = False

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._complete = True
        self._pending = []
        stream = self.raw.get("stream")
        if stream is not None:
            stream.close()

    def __enter__(self) -> StreamingResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- 0.9's getters ---------------------------------------------------------------------------

    def get_full_content(self) -> str:
        return "".join(self.content_parts)

    def get_content_parts(self) -> list[str]:
        return list(self.content_parts)

    def add_content_part(self, content: str) -> None:
        self.content_parts.append(content)
        self.stream_position += len(content)

    def add_stream_error(self, error: Exception) -> None:
        self.stream_errors.append(error)

    def get_stream_errors(self) -> list[Exception]:
        return list(self.stream_errors)

    def is_streaming_complete(self) -> bool:
        return self._complete

    def get_guardrail_trace(self) -> dict[str, Any] | None:
        return self.trace_info.get("guardrail") if isinstance(self.trace_info, dict) else None

    def get_reasoning(self) -> ReasoningContent | None:
        if self.reasoning_text_parts:
            return ReasoningContent(
                text="".join(self.reasoning_text_parts),
                signature=self.reasoning_signature,
                redacted_content=self.reasoning_redacted_content,
            )
        if self.reasoning_redacted_content is not None:
            return ReasoningContent(redacted_content=self.reasoning_redacted_content)
        return None

    def get_citations(self) -> list[Citation]:
        return [Citation.from_citation(block) for block in self.citation_blocks]

    def get_usage(self) -> dict[str, int] | None:
        if not self.usage_info:
            return None
        return {k: self.usage_info.get(k, 0) for k in _USAGE_KEYS}

    def get_cache_details(self) -> list[CacheDetail]:
        details = (self.usage_info or {}).get("cache_details") or ()
        return [CacheDetail.from_cache_detail(d) for d in details]

    def get_metrics(self) -> dict[str, float | int] | None:
        """0.9's metrics: latency, duration, time to first/last token, parts, position, errors."""
        metrics: dict[str, float | int] = {}
        if self.api_latency_ms is not None:
            metrics["api_latency_ms"] = self.api_latency_ms
        if self.total_duration_ms is not None:
            metrics["total_duration_ms"] = self.total_duration_ms
        if self._first_token is not None:
            metrics["time_to_first_token_ms"] = (self._first_token - self._started) * 1000.0
        if self._last_token is not None:
            metrics["time_to_last_token_ms"] = (self._last_token - self._started) * 1000.0
        if self._first_token is not None and self._last_token is not None:
            generation = (self._last_token - self._first_token) * 1000.0
            metrics["token_generation_duration_ms"] = generation
        metrics["content_parts"] = len(self.content_parts)
        metrics["stream_position"] = self.stream_position
        metrics["stream_errors"] = len(self.stream_errors)
        return metrics

    def get_mid_stream_exceptions(self) -> list[dict[str, Any]]:
        """Each failure after a stream had begun: recovered ones (before any content, so the
        stream moved to the next target) and the final unrecovered one, if any."""
        return [dict(r) for r in self._recoveries]

    def get_target_switches(self) -> int:
        """How often the stream moved to another target after it had begun."""
        return sum(1 for r in self._recoveries if r["recovered"])

    def get_recovery_info(self) -> dict[str, Any]:
        recovered = self.get_target_switches()
        return {
            "total_exceptions": len(self._recoveries),
            "recovered_exceptions": recovered,
            "target_switches": recovered,
            "recovery_enabled": True,
            "final_model": self.model_used,
            "final_region": self.region_used,
            "partial_content_preserved": bool(self.content_parts) and not self.success,
        }

    def __repr__(self) -> str:
        status = ("SUCCESS" if self.success else "FAILED") if self._complete else "STREAMING"
        return (
            f"StreamingResponse(status={status}, parts={len(self.content_parts)}, "
            f"position={self.stream_position}, errors={len(self.stream_errors)})"
        )


_USAGE_KEYS = (
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
)


def _zero() -> float:
    return 0.0
