"""0.9's streaming display utilities: render a finished ``StreamingResponse`` for people.

This is presentation, called explicitly by an application or an example: it writes to the
stream it is given (``sys.stdout`` by default) and nothing in the library calls it. It reads the
response through 0.9's public interface only and never changes it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any

__all__ = [
    "StreamingDisplayFormatter",
    "display_recovery_information",
    "display_streaming_response",
    "display_streaming_summary",
]


def _get(response: Any, name: str, default: Any = None) -> Any:
    # Optional 0.9 attributes: a response type without one shows "N/A", never crashes a report.
    return getattr(response, name, default)


def _call(response: Any, name: str, default: Any) -> Any:
    method = getattr(response, name, None)
    return method() if callable(method) else default


class StreamingDisplayFormatter:
    """Formats streaming responses: full report, one-screen summary, recovery details.

    Args:
        logger: accepted for 0.9 compatibility (0.9 kept it and never logged with it).
        file: where to write; default ``sys.stdout`` at the time of each call.
    """

    def __init__(self, logger: logging.Logger | None = None, file: IO[str] | None = None) -> None:
        self._logger = logger or logging.getLogger(__name__)
        self._file = file

    def _print(self, text: str = "") -> None:
        print(text, file=self._file if self._file is not None else sys.stdout)

    def display_streaming_response(
        self,
        streaming_response: Any,
        title: str = "Streaming Response",
        show_content: bool = True,
        show_metadata: bool = True,
        show_timing: bool = True,
        show_usage: bool = True,
        show_errors: bool = True,
        content_preview_length: int | None = 500,
    ) -> None:
        """The full report: status, then the sections asked for; warnings last."""
        self._header(title)
        success = bool(_get(streaming_response, "success", False))
        self._print(f"{'✅' if success else '❌'} Success: {success}")
        if success:
            if show_metadata:
                self._metadata(streaming_response)
            if show_timing:
                self._timing(streaming_response)
            if show_content:
                self._content(streaming_response, content_preview_length)
            if show_usage:
                self._usage(streaming_response)
        else:
            self._failure(streaming_response, show_errors)
        warnings = _get(streaming_response, "warnings") or _call(
            streaming_response, "get_warnings", []
        )
        if show_errors and warnings:
            self._print("\n⚠️ Warnings:")
            for warning in warnings:
                self._print(f"   - {warning}")

    def display_streaming_summary(
        self, streaming_response: Any, title: str = "Streaming Summary"
    ) -> None:
        """Status, model, region, content size and duration."""
        self._header(title)
        success = bool(_get(streaming_response, "success", False))
        self._print(f"{'✅' if success else '❌'} Success: {success}")
        model = _get(streaming_response, "model_used")
        if model:
            self._print(f"🤖 Model: {model}")
        region = _get(streaming_response, "region_used")
        if region:
            self._print(f"🌍 Region: {region}")
        content = _call(streaming_response, "get_full_content", "") or ""
        parts = _get(streaming_response, "content_parts") or ()
        self._print(f"📝 Content: {len(content)} characters, {len(parts)} parts")
        duration = _get(streaming_response, "total_duration_ms")
        if duration:
            self._print(f"⏱️ Duration: {duration:.1f}ms")

    def display_recovery_information(
        self, streaming_response: Any, title: str = "Recovery Information"
    ) -> None:
        """Mid-stream exceptions and target switches; nothing when recovery was not enabled."""
        info: Mapping[str, Any] = _call(streaming_response, "get_recovery_info", {}) or {}
        if not info.get("recovery_enabled", False):
            return
        self._header(title)
        self._print(f"   Total exceptions: {info.get('total_exceptions', 0)}")
        self._print(f"   Recovered exceptions: {info.get('recovered_exceptions', 0)}")
        self._print(f"   Target switches: {info.get('target_switches', 0)}")
        exceptions: Iterable[Mapping[str, Any]] = (
            _call(streaming_response, "get_mid_stream_exceptions", []) or []
        )
        listed = list(exceptions)
        if listed:
            self._print("   Mid-stream exceptions handled:")
            for number, exc in enumerate(listed, 1):
                status = "✅ recovered" if exc.get("recovered") else "❌ failed"
                self._print(
                    f"     {number}. {exc.get('error_type')} at position {exc.get('position')} "
                    f"({exc.get('model')}, {exc.get('region')}) - {status}"
                )
        final_model, final_region = info.get("final_model"), info.get("final_region")
        if final_model and final_region:
            self._print(f"   🔄 Final target: {final_model} in {final_region}")

    # -- sections --------------------------------------------------------------------------------

    def _header(self, title: str) -> None:
        self._print(f"\n{title}")
        self._print("=" * len(title))

    def _failure(self, response: Any, show_errors: bool) -> None:
        errors = list(_get(response, "stream_errors") or ())
        if show_errors and errors:
            self._print(f"🔄 Stream Errors: {len(errors)}")
            for number, error in enumerate(errors, 1):
                self._print(f"   {number}. {type(error).__name__}: {error}")
        partial = _call(response, "get_full_content", "") or ""
        if partial:
            parts = _get(response, "content_parts") or ()
            self._print(f"📝 Partial content received: {len(partial)} characters")
            self._print(f"📦 Content parts: {len(parts)}")

    def _metadata(self, response: Any) -> None:
        self._print(f"🤖 Model: {_get(response, 'model_used')}")
        self._print(f"🌍 Region: {_get(response, 'region_used')}")
        self._print(f"🔗 Access Method: {_get(response, 'access_method_used')}")
        self._print("\n🌊 Streaming Details:")
        self._print(f"   📦 Content Parts: {len(_get(response, 'content_parts') or ())}")
        self._print(f"   📏 Stream Position: {_get(response, 'stream_position', 'N/A')}")
        self._print(f"   🛑 Stop Reason: {_get(response, 'stop_reason') or 'N/A'}")
        self._print(f"   🎭 Message Role: {_get(response, 'current_message_role') or 'N/A'}")

    def _timing(self, response: Any) -> None:
        metrics: Mapping[str, Any] = _call(response, "get_metrics", {}) or {}
        if not metrics:
            return
        self._print("\n⏱️ Performance Metrics:")
        duration = _get(response, "total_duration_ms")
        if duration:
            self._print(f"   Total Duration: {duration:.2f}ms")
        latency = _get(response, "api_latency_ms")
        if latency:
            self._print(f"   API Latency: {latency:.2f}ms")
        for key, label in (
            ("time_to_first_token_ms", "Time to First Token"),
            ("time_to_last_token_ms", "Time to Last Token"),
            ("token_generation_duration_ms", "Token Generation Duration"),
        ):
            if key in metrics and metrics[key] is not None:
                self._print(f"   {label}: {metrics[key]:.2f}ms")

    def _content(self, response: Any, preview: int | None) -> None:
        content = _call(response, "get_full_content", "") or ""
        if not content:
            return
        self._print(f"\n💬 Streamed Content ({len(content)} characters):")
        self._print("-" * 20)
        if preview and len(content) > preview:
            self._print(f"{content[:preview]}...")
            self._print(
                f"\n[Content truncated - showing first {preview} of {len(content)} characters]"
            )
        else:
            self._print(content)

    def _usage(self, response: Any) -> None:
        usage: Mapping[str, Any] = _call(response, "get_usage", {}) or {}
        if not usage:
            return
        self._print("\n📊 Token Usage:")
        self._print(f"   Input tokens: {usage.get('input_tokens', 0)}")
        self._print(f"   Output tokens: {usage.get('output_tokens', 0)}")
        self._print(f"   Total tokens: {usage.get('total_tokens', 0)}")
        read, write = usage.get("cache_read_tokens", 0), usage.get("cache_write_tokens", 0)
        if read or write:
            self._print(f"   Cache read tokens: {read}")
            self._print(f"   Cache write tokens: {write}")


def display_streaming_response(
    streaming_response: Any, title: str = "Streaming Response", **kwargs: Any
) -> None:
    """``StreamingDisplayFormatter().display_streaming_response(...)``; ``file=`` picks the
    stream, the other keywords are the method's."""
    file = kwargs.pop("file", None)
    StreamingDisplayFormatter(file=file).display_streaming_response(
        streaming_response=streaming_response, title=title, **kwargs
    )


def display_streaming_summary(
    streaming_response: Any, title: str = "Streaming Summary", file: IO[str] | None = None
) -> None:
    """``StreamingDisplayFormatter().display_streaming_summary(...)``."""
    StreamingDisplayFormatter(file=file).display_streaming_summary(
        streaming_response=streaming_response, title=title
    )


def display_recovery_information(
    streaming_response: Any, title: str = "Recovery Information", file: IO[str] | None = None
) -> None:
    """``StreamingDisplayFormatter().display_recovery_information(...)``."""
    StreamingDisplayFormatter(file=file).display_recovery_information(
        streaming_response=streaming_response, title=title
    )
