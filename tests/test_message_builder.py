"""MessageBuilder: every block kind through the real boto3 client, 0.9's surface, its limits."""

from __future__ import annotations

import base64
import inspect
import logging
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bestehorn_llmmanager import (
    CachePointTTLEnum,
    DocumentFormatEnum,
    GuardContentQualifierEnum,
    ImageFormatEnum,
    MessageBuilder,
    ReasoningContent,
    RolesEnum,
    ToolResultStatusEnum,
    ToolUse,
    VideoFormatEnum,
    create_assistant_message,
    create_message,
    create_user_message,
)
from bestehorn_llmmanager._errors import RequestValidationError
from bestehorn_llmmanager.message_builder import ConverseMessageBuilder
from bestehorn_llmmanager.message_builder_constants import MessageBuilderConfig
from tests import media_files as media
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer

MODEL = "amazon.nova-pro-v1:0"  # callable directly in us-east-1 of runtime_world


def runtime_client() -> Any:
    # The endpoint comes from AWS_ENDPOINT_URL_BEDROCK_RUNTIME (the runtime_server fixture).
    return boto3.client("bedrock-runtime", region_name="us-east-1")


def as_wire(value: Any) -> Any:
    """``value`` as botocore puts it on the wire: bytes become base64 text."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, Mapping):
        return {k: as_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_wire(v) for v in value]
    return value


def send(
    runtime_server: tuple[BedrockServer, Runtime], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    """Converse through real boto3 (botocore validates every shape) and return the wire body."""
    _, runtime = runtime_server
    before = len(runtime.calls())
    response = runtime_client().converse(modelId=MODEL, messages=messages)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    [call] = runtime.calls()[before:]
    return dict(call.body)


# -- every block kind through the real client ------------------------------------------------


def conversation() -> list[dict[str, Any]]:
    user = create_user_message().add_text("Look at all of these.", cacheable=True)
    for kind, _fmt, name, data in media.EVERY_FORMAT:
        getattr(user, f"add_{kind}_bytes")(data, filename=name)
    user.add_image_bytes(media.png(), format=ImageFormatEnum.PNG)
    user.add_document_bytes(
        media.pdf(), format=DocumentFormatEnum.PDF, name="Q3 report", citations_enabled=True
    )
    user.add_document_bytes(media.TXT, format="txt", context="cite the notes")
    user.add_video_bytes(media.iso_media(b"mp42"), format=VideoFormatEnum.MP4)
    user.add_image_s3("s3://media-bucket/img/a.png", ImageFormatEnum.PNG)
    user.add_document_s3(
        "s3://media-bucket/docs/spec v2.pdf",
        DocumentFormatEnum.PDF,
        bucket_owner="111122223333",
        citations_enabled=True,
        context="the spec",
    )
    user.add_video_s3("s3://media-bucket/v/clip.mp4", VideoFormatEnum.MP4, "111122223333")
    user.add_guard_content(
        "Is this allowed?",
        qualifiers=[GuardContentQualifierEnum.QUERY, "grounding_source"],
    )
    user.add_cache_point(ttl=CachePointTTLEnum.ONE_HOUR)
    user.add_text("What do they have in common?", cacheable=False)

    assistant = (
        create_assistant_message()
        .add_reasoning_content(text="Let me check the weather.", signature="sig-abc/+==")
        .add_text("I will look that up.")
        .add_tool_use("tooluse_1", "get_weather", {"city": "Oslo", "days": [1, 2]})
        .add_tool_use("tooluse_2", "get_time", {})
    )
    results = (
        create_user_message()
        .add_tool_result("tooluse_1", {"temp_c": 4}, status=ToolResultStatusEnum.SUCCESS)
        .add_tool_result(
            "tooluse_2",
            [{"text": "12:00"}, {"image": {"format": "png", "source": {"bytes": media.png()}}}],
            status="error",
        )
        .add_cache_point()
    )
    redacted = (
        create_assistant_message()
        .add_reasoning_content(redacted_content=b"\x00\x01encrypted")
        .add_text("It is 4 degrees.")
    )
    follow_up = create_user_message().add_text("Thanks!").add_cache_point(ttl="5m")
    return [m.build() for m in (user, assistant, results, redacted, follow_up)]


def test_every_block_kind_passes_botocore_validation_and_arrives_unchanged(
    runtime_server: tuple[BedrockServer, Runtime],
) -> None:
    messages = conversation()
    kinds = {next(iter(block)) for m in messages for block in m["content"]}
    assert kinds == {
        "text",
        "image",
        "document",
        "video",
        "guardContent",
        "cachePoint",
        "reasoningContent",
        "toolUse",
        "toolResult",
    }
    body = send(runtime_server, messages)
    assert body["messages"] == as_wire(messages)


def test_botocore_rejects_a_nameless_document_which_is_why_the_builder_names_every_one(
    runtime_server: tuple[BedrockServer, Runtime],
) -> None:
    nameless = {"document": {"format": "pdf", "source": {"bytes": media.pdf()}}}
    with pytest.raises(botocore.exceptions.ParamValidationError, match="name"):
        runtime_client().converse(modelId=MODEL, messages=[{"role": "user", "content": [nameless]}])
    built = (
        create_user_message().add_document_bytes(media.pdf()).add_document_bytes(media.CSV, "csv")
    )
    names = [b["document"]["name"] for b in built.build()["content"]]
    assert names == ["document-1", "document-2"]
    send(runtime_server, [built.build()])


def test_every_block_kind_round_trips_through_converse_stream_too(
    runtime_server: tuple[BedrockServer, Runtime],
) -> None:
    _, runtime = runtime_server
    messages = conversation()
    stream = runtime_client().converse_stream(modelId=MODEL, messages=messages)
    events = list(stream["stream"])
    assert any("messageStop" in e for e in events)
    [call] = runtime.calls(operation="ConverseStream")
    assert call.body["messages"] == as_wire(messages)


# -- what the blocks hold -------------------------------------------------------------------------


def test_text_is_stripped_at_its_ends_only_as_0_9_documented() -> None:
    text = "  \n line one\n\n    indented line\t\n "
    content = create_user_message().add_text(text).build()["content"]
    assert content == [{"text": "line one\n\n    indented line"}]


def test_document_names_from_file_names_are_what_bedrock_accepts() -> None:
    message = (
        create_user_message()
        .add_document_bytes(media.pdf(), filename="Q3_report.final.pdf")
        .add_document_bytes(media.pdf(), filename="my  notes (v2) [draft].pdf")
        .add_document_bytes(media.pdf(), filename="...pdf")
        .build()
    )
    names = [b["document"]["name"] for b in message["content"]]
    assert names == ["Q3-report-final", "my notes (v2) [draft]", "document"]


def test_an_explicit_document_name_bedrock_would_refuse_is_an_error_with_a_fix() -> None:
    with pytest.raises(RequestValidationError, match=r"Invalid document name 'a_b\.pdf'.*'a-b'"):
        create_user_message().add_document_bytes(media.pdf(), name="a_b.pdf")


def test_build_returns_independent_copies() -> None:
    builder = create_user_message().add_tool_result("t1", {"v": [1]})
    first = builder.build()
    first["content"][0]["toolResult"]["content"][0]["json"]["v"].append(2)
    first["content"].append({"text": "extra"})
    assert builder.build() == {
        "role": "user",
        "content": [{"toolResult": {"toolUseId": "t1", "content": [{"json": {"v": [1]}}]}}],
    }
    assert builder.content_block_count == 1


def test_roles_and_factories() -> None:
    assert create_user_message().role is RolesEnum.USER
    assert create_assistant_message().role is RolesEnum.ASSISTANT
    assert create_message(RolesEnum.ASSISTANT).role is RolesEnum.ASSISTANT
    assert MessageBuilder("user").role is RolesEnum.USER
    assert ConverseMessageBuilder is MessageBuilder
    builder = create_user_message().add_text("a").add_text("b")
    assert builder.content_block_count == 2
    assert str(builder) == "MessageBuilder(role=user, content_blocks=2)"
    with pytest.raises(RequestValidationError, match=r"Invalid role 'system'.*RolesEnum\.USER"):
        MessageBuilder("system")


def test_detected_format_is_logged_and_a_mismatch_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bestehorn_llmmanager"):
        message = create_user_message().add_image_bytes(media.png(), filename="photo.jpg").build()
    assert message["content"][0]["image"]["format"] == "png"
    assert any(
        r.levelno == logging.WARNING and "mismatch" in r.getMessage() for r in caplog.records
    )


def test_an_explicit_format_the_content_contradicts_is_sent_as_given_and_warned(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        message = create_user_message().add_image_bytes(media.png(), format="jpeg").build()
        create_user_message().add_video_bytes(media.mpeg_ps(), format="mpg")  # same container
        create_user_message().add_document_bytes(media.CSV, format="txt")  # no signature
    assert message["content"][0]["image"]["format"] == "jpeg"
    [warning] = [r.getMessage() for r in caplog.records]
    assert "format=jpeg was given" in warning and "image png" in warning


def test_reasoning_given_both_members_keeps_the_text_as_0_9_did_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        both = create_assistant_message().add_reasoning_content("t", "s", b"x").build()
        redacted = create_assistant_message().add_reasoning_content(None, "s", b"x").build()
    assert both["content"] == [
        {"reasoningContent": {"reasoningText": {"text": "t", "signature": "s"}}}
    ]
    assert redacted["content"] == [{"reasoningContent": {"redactedContent": b"x"}}]
    assert ["dropped" in r.getMessage() for r in caplog.records] == [True, True]


# -- validation: each error names the problem and the fix --------------------------------------


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda b: b.add_text("  \n"), r"empty for text; pass non-empty"),
        (lambda b: b.add_text(None), r"empty for text"),
        (lambda b: b.add_image_bytes(b""), r"empty for image"),
        (lambda b: b.add_image_bytes("not bytes"), r"must be bytes.*add_local_image"),
        (lambda b: b.add_image_bytes(media.png(), format="bmp"), r"Invalid image format: bmp"),
        (lambda b: b.add_image_bytes(media.pdf()), r"not an image; add it as a document"),
        (lambda b: b.add_document_bytes(media.CSV), r"pass format= explicitly"),
        (lambda b: b.add_video_bytes(media.avi(), filename="a.avi"), r"avi.*does not accept"),
        (lambda b: b.add_image_s3("https://x/y.png", "png"), r"s3://bucket/key"),
        (lambda b: b.add_image_s3("s3://bucket", "png"), r"s3://bucket/key"),
        (lambda b: b.add_video_s3("s3://bkt/v.mp4", "avi"), r"Invalid video format: avi"),
        (
            lambda b: b.add_document_s3("s3://bkt/d.pdf", "pdf", bucket_owner="1111-2222-3333"),
            r"12-digit AWS account id",
        ),
        (lambda b: b.add_cache_point(), r"without any preceding content blocks"),
        (lambda b: b.add_text("x").add_cache_point(ttl="2h"), r"'5m', '1h'"),
        (lambda b: b.add_guard_content("x", ["nope"]), r"qualifier.*grounding_source"),
        (lambda b: b.add_guard_content(""), r"empty for guard_content"),
        (lambda b: b.add_tool_use("", "n", {}), r"empty for tool_use_id"),
        (lambda b: b.add_tool_use("id", " ", {}), r"empty for tool name"),
        (lambda b: b.add_tool_use("id", "n", ["x"]), r"JSON object.*got list"),
        (lambda b: b.add_tool_result("id", ""), r"empty for tool_result"),
        (lambda b: b.add_tool_result("id", []), r"empty for tool_result"),
        (lambda b: b.add_tool_result("id", 42), r"expected str, dict, or list, got int"),
        (lambda b: b.add_tool_result("id", [{"a": 1, "b": 2}]), r"one key"),
        (lambda b: b.add_tool_result("id", "ok", status="done"), r"'done'.*success, error"),
        (lambda b: b.add_reasoning_content(), r"text or redacted_content required"),
        (lambda b: b.add_reasoning_content(text=" "), r"empty for reasoning text"),
        (lambda b: b.build(), r"without content blocks; add at least one"),
    ],
)
def test_bad_input_raises_an_error_that_names_the_fix(build: Any, match: str) -> None:
    with pytest.raises(RequestValidationError, match=match):
        build(create_user_message())


def test_a_bad_bucket_owner_is_not_echoed() -> None:
    with pytest.raises(RequestValidationError) as excinfo:
        create_user_message().add_image_s3("s3://bkt/a.png", "png", bucket_owner="1234567890123")
    assert "1234567890123" not in str(excinfo.value)


@pytest.mark.parametrize(
    ("method", "limit"),
    [
        ("add_image_bytes", MessageBuilderConfig.MAX_IMAGE_SIZE_BYTES),
        ("add_document_bytes", MessageBuilderConfig.MAX_DOCUMENT_SIZE_BYTES),
    ],
)
def test_size_limits_are_0_9s_and_the_error_names_limit_and_fix(
    method: str, limit: int, caplog: pytest.LogCaptureFixture
) -> None:
    head = media.png() if method == "add_image_bytes" else media.pdf()
    at_limit = head + bytes(limit - len(head))
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        getattr(create_user_message(), method)(at_limit)
    assert any("approaching limit" in r.getMessage() for r in caplog.records)
    with pytest.raises(RequestValidationError) as excinfo:
        getattr(create_user_message(), method)(at_limit + b"\x00")
    message = str(excinfo.value)
    assert f"{limit + 1} bytes > {limit} bytes" in message
    assert "add_*_s3" in message


def test_limits_match_0_9() -> None:
    assert MessageBuilderConfig.MAX_IMAGE_SIZE_BYTES == 3_750_000
    assert MessageBuilderConfig.MAX_DOCUMENT_SIZE_BYTES == 4_500_000
    assert MessageBuilderConfig.MAX_VIDEO_SIZE_BYTES == 100_000_000
    assert MessageBuilderConfig.MAX_CONTENT_BLOCKS_PER_MESSAGE == 100


def test_the_block_limit_stops_the_101st_block(caplog: pytest.LogCaptureFixture) -> None:
    builder = create_user_message()
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        for i in range(100):
            builder.add_text(f"block {i}")
    assert [r.getMessage() for r in caplog.records] == [
        "Content block count (80) approaching limit (100)"
    ]
    with pytest.raises(RequestValidationError, match=r"more than 100 blocks.*split the content"):
        builder.add_text("one more")
    assert builder.content_block_count == 100


# -- local files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "fmt", "name", "data"), media.EVERY_FORMAT)
def test_local_files_of_every_format_are_read_and_detected(
    tmp_path: Path, kind: str, fmt: str, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    message = getattr(create_user_message(), f"add_local_{kind}")(str(path)).build()
    [block] = message["content"]
    assert block[kind]["format"] == fmt
    assert block[kind]["source"] == {"bytes": data}


def test_local_file_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="Image file not found"):
        create_user_message().add_local_image(tmp_path / "missing.png")
    with pytest.raises(RequestValidationError, match="Path is not a file"):
        create_user_message().add_local_document(tmp_path)
    big = tmp_path / "big.pdf"
    big.write_bytes(media.pdf() + bytes(2 * 1024 * 1024))
    with pytest.raises(RequestValidationError, match=r"max_size_mb=1\.0 for big\.pdf"):
        create_user_message().add_local_document(big, max_size_mb=1.0)


# -- 0.9's surface ------------------------------------------------------------------------------

#: The parameters (name, default) of 0.9.0's ConverseMessageBuilder methods, in order.
OLD_METHODS: dict[str, list[tuple[str, object]]] = {
    "add_text": [("text", inspect.Parameter.empty), ("cacheable", None)],
    "add_image_bytes": [
        ("bytes", inspect.Parameter.empty),
        ("format", None),
        ("filename", None),
        ("cacheable", None),
    ],
    "add_local_image": [
        ("path_to_local_file", inspect.Parameter.empty),
        ("format", None),
        ("max_size_mb", 3.75),
    ],
    "add_document_bytes": [
        ("bytes", inspect.Parameter.empty),
        ("format", None),
        ("filename", None),
        ("name", None),
        ("citations_enabled", False),
        ("context", None),
    ],
    "add_local_document": [
        ("path_to_local_file", inspect.Parameter.empty),
        ("format", None),
        ("name", None),
        ("max_size_mb", 4.5),
        ("citations_enabled", False),
        ("context", None),
    ],
    "add_video_bytes": [("bytes", inspect.Parameter.empty), ("format", None), ("filename", None)],
    "add_local_video": [
        ("path_to_local_file", inspect.Parameter.empty),
        ("format", None),
        ("max_size_mb", 100.0),
    ],
    "add_image_s3": [
        ("uri", inspect.Parameter.empty),
        ("format", inspect.Parameter.empty),
        ("bucket_owner", None),
    ],
    "add_document_s3": [
        ("uri", inspect.Parameter.empty),
        ("format", inspect.Parameter.empty),
        ("name", None),
        ("bucket_owner", None),
        ("citations_enabled", False),
        ("context", None),
    ],
    "add_video_s3": [
        ("uri", inspect.Parameter.empty),
        ("format", inspect.Parameter.empty),
        ("bucket_owner", None),
    ],
    "add_cache_point": [("cache_type", "default"), ("ttl", None)],
    "add_guard_content": [("text", inspect.Parameter.empty), ("qualifiers", None)],
    "add_tool_use": [
        ("tool_use_id", inspect.Parameter.empty),
        ("name", inspect.Parameter.empty),
        ("input", inspect.Parameter.empty),
    ],
    "add_tool_result": [
        ("tool_use_id", inspect.Parameter.empty),
        ("content", inspect.Parameter.empty),
        ("status", None),
    ],
    "add_reasoning_content": [("text", None), ("signature", None), ("redacted_content", None)],
    "build": [],
}


@pytest.mark.parametrize("name", sorted(OLD_METHODS))
def test_every_0_9_method_keeps_its_parameters_and_defaults(name: str) -> None:
    parameters = list(inspect.signature(getattr(MessageBuilder, name)).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == OLD_METHODS[name]


def test_factories_keep_0_9_signatures() -> None:
    assert list(inspect.signature(create_message).parameters) == ["role", "cache_config"]
    assert list(inspect.signature(create_user_message).parameters) == ["cache_config"]
    assert list(inspect.signature(create_assistant_message).parameters) == ["cache_config"]


def test_enums_have_0_9s_values() -> None:
    assert [e.value for e in RolesEnum] == ["user", "assistant"]
    assert [e.value for e in ImageFormatEnum] == ["jpeg", "png", "gif", "webp"]
    assert [e.value for e in DocumentFormatEnum] == [
        "pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md",
    ]  # fmt: skip
    assert [e.value for e in VideoFormatEnum] == [
        "mp4", "mov", "webm", "mkv", "flv", "mpeg", "mpg", "wmv", "three_gp",
    ]  # fmt: skip
    assert [e.value for e in ToolResultStatusEnum] == ["success", "error"]
    assert [e.value for e in CachePointTTLEnum] == ["5m", "1h"]
    assert [e.value for e in GuardContentQualifierEnum] == [
        "grounding_source",
        "query",
        "guard_content",
    ]
    from bestehorn_llmmanager import DetectionMethodEnum

    assert [e.value for e in DetectionMethodEnum] == ["extension", "content", "combined", "manual"]
    assert str(RolesEnum.USER) == "user"


def test_the_enums_match_what_botocore_accepts() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    for enum, shape in [
        (ImageFormatEnum, "ImageFormat"),
        (DocumentFormatEnum, "DocumentFormat"),
        (VideoFormatEnum, "VideoFormat"),
        (ToolResultStatusEnum, "ToolResultStatus"),
        (CachePointTTLEnum, "CacheTTL"),
        (GuardContentQualifierEnum, "GuardrailConverseContentQualifier"),
    ]:
        assert {e.value for e in enum} == set(model.shape_for(shape).enum), shape


def test_importing_the_package_loads_no_builder_detector_or_content_module() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import bestehorn_llmmanager"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "bestehorn_llmmanager" in loaded
    heavy = {m for m in loaded if m.startswith(("bestehorn_llmmanager._messages", "boto"))}
    assert heavy == set()
    assert "bestehorn_llmmanager._content" not in loaded


def test_the_enum_path_loads_no_builder_and_building_loads_no_boto3() -> None:
    code = (
        "import sys, bestehorn_llmmanager.message_builder_enums; "
        "assert 'bestehorn_llmmanager._messages._builder' not in sys.modules; "
        "assert 'bestehorn_llmmanager._messages._detect' not in sys.modules; "
        "from bestehorn_llmmanager import create_user_message; "
        "create_user_message().add_image_bytes(b'GIF89a' + bytes(20)).build(); "
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- conversations end to end ----------------------------------------------------------------------


def test_a_tool_use_loop_runs_end_to_end(
    runtime_server: tuple[BedrockServer, Runtime], runtime_catalog: Any
) -> None:
    from bestehorn_llmmanager import LLMManager

    _, runtime = runtime_server

    def answer(body: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
        last = body["messages"][-1]["content"]
        results = [b["toolResult"] for b in last if "toolResult" in b]
        if not results:
            tool = {"toolUseId": "tooluse_7", "name": "add", "input": {"a": 2, "b": 3}}
            return [{"text": "Let me add."}, {"toolUse": tool}], "tool_use"
        [result] = results
        return [{"text": f"The sum is {result['content'][0]['json']['sum']}."}], "end_turn"

    runtime.answer = answer
    manager = LLMManager(models=["Nova Pro"], regions=["us-east-1"], catalog=runtime_catalog)
    tools = {"tools": [{"toolSpec": {"name": "add", "inputSchema": {"json": {"type": "object"}}}}]}
    messages = [create_user_message().add_text("What is 2 + 3?").build()]
    response = manager.converse(messages=messages, tool_config=tools)
    assert response.has_tool_use()
    [tool] = response.get_tool_uses()
    assert tool == ToolUse(tool_use_id="tooluse_7", name="add", input={"a": 2, "b": 3})

    assistant = create_assistant_message().add_text(response.get_content() or "")
    assistant.add_tool_use(tool.tool_use_id, tool.name, tool.input)
    messages.append(assistant.build())
    total = tool.input["a"] + tool.input["b"]
    messages.append(create_user_message().add_tool_result(tool.tool_use_id, {"sum": total}).build())
    final = manager.converse(messages=messages, tool_config=tools)

    assert final.get_content() == "The sum is 5."
    assert not final.has_tool_use()
    sent = runtime.calls()[-1].body["messages"]
    assert sent[1]["content"] == [{"text": "Let me add."}, tool.to_block()]
    assert sent[2]["content"][0]["toolResult"] == {
        "toolUseId": "tooluse_7",
        "content": [{"json": {"sum": 5}}],
    }


def test_reasoning_and_its_signature_survive_the_next_turn(
    runtime_server: tuple[BedrockServer, Runtime], runtime_catalog: Any
) -> None:
    from bestehorn_llmmanager import LLMManager

    _, runtime = runtime_server
    signature = "ErUBCkYIAhgCIkB/+signature==\n"
    reasoning = {"reasoningText": {"text": "First, 17 is prime.", "signature": signature}}

    def answer(body: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
        if len(body["messages"]) == 1:
            return [{"reasoningContent": reasoning}, {"text": "Yes."}], "end_turn"
        return [{"text": "And 19 too."}], "end_turn"

    runtime.answer = answer
    manager = LLMManager(models=["Nova Pro"], regions=["us-east-1"], catalog=runtime_catalog)
    thinking = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
    messages = [create_user_message().add_text("Is 17 prime?").build()]
    first = manager.converse(messages=messages, additional_model_request_fields=thinking)
    thought = first.get_reasoning()
    assert thought == ReasoningContent(text="First, 17 is prime.", signature=signature)

    # Echo it through the builder, as 0.9's docs show; the typed value rebuilds the same block.
    turn = (
        create_assistant_message()
        .add_reasoning_content(text=thought.text, signature=thought.signature)
        .add_text(first.get_content() or "")
        .build()
    )
    assert turn["content"][0] == thought.to_content_block()
    messages += [turn, create_user_message().add_text("And 19?").build()]
    second = manager.converse(messages=messages, additional_model_request_fields=thinking)

    assert second.get_content() == "And 19 too."
    echoed = runtime.calls()[-1].body["messages"][1]["content"]
    assert echoed == [{"reasoningContent": reasoning}, {"text": "Yes."}]


#: 0.9's import paths of the builder, detector and content names -> the names 0.9 exported there.
OLD_PATHS: dict[str, list[str]] = {
    "bestehorn_llmmanager": [
        "MessageBuilder", "create_message", "create_user_message", "create_assistant_message",
        "RolesEnum", "ImageFormatEnum", "DocumentFormatEnum", "VideoFormatEnum",
        "DetectionMethodEnum", "ToolResultStatusEnum", "GuardContentQualifierEnum",
        "CachePointTTLEnum", "ResponseContentType", "ToolUse", "ReasoningContent", "Citation",
        "CacheDetail", "build_cache_point", "build_json_schema_output_config",
    ],
    "bestehorn_llmmanager.message_builder": [
        "ConverseMessageBuilder", "MessageBuilder", "create_message", "create_user_message",
        "create_assistant_message",
    ],
    "bestehorn_llmmanager.message_builder_enums": [
        "RolesEnum", "ImageFormatEnum", "DocumentFormatEnum", "VideoFormatEnum",
        "DetectionMethodEnum", "ToolResultStatusEnum", "CachePointTTLEnum",
        "GuardContentQualifierEnum",
    ],
    "bestehorn_llmmanager.message_builder_constants": [
        "MessageBuilderFields", "MessageBuilderConfig", "MessageBuilderLogMessages",
        "MessageBuilderErrorMessages", "SupportedFormats",
    ],
    "bestehorn_llmmanager.util": [
        "FileTypeDetector", "DetectionResult", "StreamingDisplayFormatter",
        "display_streaming_response", "display_streaming_summary", "display_recovery_information",
    ],
    "bestehorn_llmmanager.util.file_type_detector": [
        "BaseDetector", "DetectionResult", "DetectionMethodEnum", "FileTypeDetector",
    ],
    "bestehorn_llmmanager.util.file_type_detector.base_detector": [
        "BaseDetector", "DetectionResult",
    ],
    "bestehorn_llmmanager.util.file_type_detector.file_type_detector": ["FileTypeDetector"],
    "bestehorn_llmmanager.util.file_type_detector.detector_constants": [
        "MagicBytesConstants", "FileExtensionConstants", "DetectionConstants",
    ],
    "bestehorn_llmmanager.bedrock.models.cache_detail": ["CacheDetail"],
    "bestehorn_llmmanager.bedrock.models.cache_point": ["build_cache_point"],
    "bestehorn_llmmanager.bedrock.models.citation": ["Citation"],
    "bestehorn_llmmanager.bedrock.models.content_block_types": [
        "ResponseContentType", "get_block_type",
    ],
    "bestehorn_llmmanager.bedrock.models.reasoning_content": ["ReasoningContent"],
    "bestehorn_llmmanager.bedrock.models.structured_output": ["build_json_schema_output_config"],
    "bestehorn_llmmanager.bedrock.models.tool_use": ["ToolUse"],
    "bestehorn_llmmanager.bedrock.models.stop_reason": [
        "StopReasonEnum", "StopReasonCategory", "StopReasonClassifier",
    ],
}  # fmt: skip


@pytest.mark.parametrize("path", sorted(OLD_PATHS))
def test_every_0_9_path_re_exports_the_one_implementation(path: str) -> None:
    import importlib

    module = importlib.import_module(path)
    for name in OLD_PATHS[path]:
        home = getattr(module, name).__module__
        # Defined once, in a private module; the 0.9 path only re-exports it.
        assert home.startswith(("bestehorn_llmmanager._", "bestehorn_llmmanager.bedrock._")), (
            f"{path}.{name} is defined in {home}"
        )


@given(st.text(max_size=300))
def test_any_file_name_becomes_a_document_name_bedrock_accepts(filename: str) -> None:
    name = create_user_message().add_document_bytes(media.pdf(), filename=filename or None)
    [block] = name.build()["content"]
    assert re.fullmatch(r"(?!.*\s\s)[A-Za-z0-9\s\-()\[\]]{1,200}", block["document"]["name"])
