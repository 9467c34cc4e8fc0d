"""0.9's streaming display utilities, rendering real StreamingResponses from the local server."""

from __future__ import annotations

import io

import pytest

from bestehorn_llmmanager import LLMManager
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
from bestehorn_llmmanager.util.streaming_display import (
    StreamingDisplayFormatter,
    display_recovery_information,
    display_streaming_response,
    display_streaming_summary,
)
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer

REGIONS = ["us-east-1", "us-west-2"]


@pytest.fixture
def finished_stream(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> object:
    _, runtime = runtime_server
    runtime.reply = "Streaming works from {region} " + "word " * 150
    manager = LLMManager(models=["Claude Haiku 4.5"], regions=REGIONS, catalog=runtime_catalog)
    stream = manager.converse_stream(messages=[{"role": "user", "content": [{"text": "hi"}]}])
    chunks = list(stream)
    assert chunks and "".join(chunks) == stream.get_full_content()
    return stream


def test_the_full_report_shows_what_the_stream_did(finished_stream: object) -> None:
    out = io.StringIO()
    display_streaming_response(finished_stream, title="Demo", file=out)
    text = out.getvalue()
    assert text.startswith("\nDemo\n====\n")
    assert "✅ Success: True" in text
    assert "🤖 Model: us.anthropic.claude-haiku-4-5-20251001-v1:0" in text
    assert "🌍 Region: us-east-1" in text
    assert "🔗 Access Method: regional_cris" in text
    assert "Streaming works from us-east-1" in text
    assert "[Content truncated - showing first 500 of" in text  # the default preview length
    assert "📊 Token Usage:" in text and "Input tokens:" in text
    assert "🛑 Stop Reason: end_turn" in text


def test_sections_can_be_left_out_and_the_preview_turned_off(finished_stream: object) -> None:
    out = io.StringIO()
    StreamingDisplayFormatter(file=out).display_streaming_response(
        finished_stream,
        show_metadata=False,
        show_usage=False,
        show_timing=False,
        content_preview_length=None,
    )
    text = out.getvalue()
    assert "🤖 Model" not in text and "Token Usage" not in text
    assert "Content truncated" not in text
    assert text.rstrip().endswith("word")


def test_the_summary(finished_stream: object) -> None:
    out = io.StringIO()
    display_streaming_summary(finished_stream, file=out)
    text = out.getvalue()
    content = finished_stream.get_full_content()  # type: ignore[attr-defined]
    assert f"📝 Content: {len(content)} characters" in text
    assert "🌍 Region: us-east-1" in text and "⏱️ Duration:" in text


def test_it_writes_to_stdout_by_default(
    finished_stream: object, capsys: pytest.CaptureFixture[str]
) -> None:
    display_streaming_summary(finished_stream)
    assert "Streaming Summary" in capsys.readouterr().out


def test_a_failed_stream_shows_its_errors_partial_content_and_recovery(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    from bestehorn_llmmanager._errors import StreamingError

    _, runtime = runtime_server
    for region in REGIONS:
        runtime.stream_error(region, after_events=3, times=None)
    manager = LLMManager(models=["Claude Haiku 4.5"], regions=REGIONS, catalog=runtime_catalog)
    stream = manager.converse_stream(messages=[{"role": "user", "content": [{"text": "hi"}]}])
    with pytest.raises(StreamingError):
        for _ in stream:
            pass
    out = io.StringIO()
    display_streaming_response(stream, file=out)
    text = out.getvalue()
    assert "❌ Success: False" in text
    assert "🔄 Stream Errors: 1" in text and "throttlingException" in text
    assert f"📝 Partial content received: {len(stream.get_full_content())} characters" in text
    recovery = io.StringIO()
    display_recovery_information(stream, file=recovery)
    lines = recovery.getvalue()
    assert "Total exceptions: 1" in lines and "Recovered exceptions: 0" in lines
    assert "EventStreamError at position" in lines and "❌ failed" in lines
    assert "🔄 Final target: us.anthropic.claude-haiku-4-5-20251001-v1:0 in us-east-1" in lines


def test_recovery_information_prints_nothing_without_recovery_data() -> None:
    class Plain:
        def get_recovery_info(self) -> dict[str, object]:
            return {"recovery_enabled": False}

    out = io.StringIO()
    display_recovery_information(Plain(), file=out)
    assert out.getvalue() == ""
