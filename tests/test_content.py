"""The typed content values: parsing Converse dicts, rebuilding blocks, stop-reason categories."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bestehorn_llmmanager._content import (
    CacheDetail,
    Citation,
    ReasoningContent,
    ResponseContentType,
    StopReason,
    StopReasonCategory,
    StopReasonClassifier,
    StopReasonEnum,
    ToolUse,
    build_cache_point,
    build_json_schema_output_config,
    get_block_type,
    stop_reason_category,
)
from bestehorn_llmmanager._errors import RequestValidationError


def test_every_union_key_classifies_and_unknown_keys_do_not_fail() -> None:
    for kind in ResponseContentType:
        if kind is ResponseContentType.UNKNOWN:
            continue
        assert ResponseContentType.from_block({kind.value: {}}) is kind
        assert str(kind) == kind.value
    assert ResponseContentType.from_block({"brandNewBlock": {}}) is ResponseContentType.UNKNOWN
    assert ResponseContentType.from_block("junk") is ResponseContentType.UNKNOWN
    assert get_block_type(None) is ResponseContentType.UNKNOWN


def test_tool_use_parses_a_block_and_rebuilds_it_unchanged() -> None:
    block = {
        "toolUse": {"toolUseId": "tooluse_1", "name": "get_weather", "input": {"city": "Oslo"}}
    }
    tool = ToolUse.from_block(block)
    assert (tool.tool_use_id, tool.name, tool.input) == (
        "tooluse_1",
        "get_weather",
        {"city": "Oslo"},
    )
    assert tool.to_block() == block
    assert ToolUse.from_tool_use_block(block["toolUse"]) == tool


def test_tool_use_missing_fields_read_as_0_9_read_them() -> None:
    assert ToolUse.from_tool_use_block({}) == ToolUse(tool_use_id="", name="", input={})


def test_a_malformed_tool_input_is_kept_not_lost_or_raised() -> None:
    tool = ToolUse.from_tool_use_block({"toolUseId": "t", "name": "n", "input": '{"a": 1'})
    assert tool.input == '{"a": 1'


def test_from_block_of_the_wrong_kind_names_the_expected_key() -> None:
    with pytest.raises(ValueError, match=r"'toolUse'.*'text'"):
        ToolUse.from_block({"text": "hi"})
    with pytest.raises(ValueError, match="reasoningContent"):
        ReasoningContent.from_block({"toolUse": {}})


def test_values_are_frozen_and_slotted() -> None:
    tool = ToolUse(tool_use_id="a", name="b", input={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        tool.name = "c"  # type: ignore[misc]
    for cls in (ToolUse, ReasoningContent, Citation, CacheDetail):
        assert hasattr(cls, "__slots__"), cls


def test_reasoning_text_and_signature_survive_the_round_trip_byte_for_byte() -> None:
    signature = "EqQBCkYIBxgCKkA+/==  trailing space kept "
    block = {"reasoningContent": {"reasoningText": {"text": "  step 1\n", "signature": signature}}}
    reasoning = ReasoningContent.from_block(block)
    assert reasoning.signature == signature
    assert reasoning.to_content_block() == block
    assert reasoning.to_block() == block


def test_redacted_reasoning_round_trips_and_an_empty_value_refuses_to_build() -> None:
    block = {"reasoningContent": {"redactedContent": b"\x00secret"}}
    reasoning = ReasoningContent.from_block(block)
    assert reasoning.text is None
    assert reasoning.to_content_block() == block
    with pytest.raises(ValueError, match="neither text nor redacted_content"):
        ReasoningContent().to_content_block()


def test_citations_parse_from_a_citations_content_block() -> None:
    raw = {
        "title": "report.pdf",
        "sourceContent": [{"text": "revenue grew 4%"}],
        "location": {"documentPage": {"documentIndex": 0, "start": 2, "end": 3}},
    }
    cites = Citation.from_block({"citationsContent": {"citations": [raw], "content": []}})
    assert cites == [Citation.from_citation(raw)]
    assert cites[0].source_content == [{"text": "revenue grew 4%"}]
    assert cites[0].location == raw["location"]
    assert Citation.from_citation({}) == Citation()


def test_cache_detail_parses_and_defaults() -> None:
    assert CacheDetail.from_cache_detail({"inputTokens": 1200, "ttl": "1h"}) == CacheDetail(
        1200, "1h"
    )
    assert CacheDetail.from_cache_detail({}) == CacheDetail(0, "")


def test_cache_point_accepts_the_two_ttls_and_names_the_valid_values_otherwise() -> None:
    assert build_cache_point() == {"cachePoint": {"type": "default"}}
    assert build_cache_point(ttl="1h") == {"cachePoint": {"type": "default", "ttl": "1h"}}
    with pytest.raises(RequestValidationError, match="'5m', '1h'") as excinfo:
        build_cache_point(ttl="10m")
    assert excinfo.value.invalid_fields == ["ttl"]
    with pytest.raises(RequestValidationError, match="only valid type is 'default'"):
        build_cache_point(cache_type="ephemeral")


def test_json_schema_output_config_wraps_the_schema_and_rejects_empty_ones() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert build_json_schema_output_config(schema) == {
        "textFormat": {"type": "json_schema", "structure": schema}
    }
    for bad in ({}, "not a schema", None):
        with pytest.raises(RequestValidationError, match="non-empty JSON Schema dict"):
            build_json_schema_output_config(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reason", "category"),
    [
        ("end_turn", StopReasonCategory.TERMINAL),
        ("tool_use", StopReasonCategory.TERMINAL),
        ("max_tokens", StopReasonCategory.TERMINAL),
        ("stop_sequence", StopReasonCategory.TERMINAL),
        ("guardrail_intervened", StopReasonCategory.RETRY_DIFFERENT_TARGET),
        ("content_filtered", StopReasonCategory.RETRY_DIFFERENT_TARGET),
        ("model_context_window_exceeded", StopReasonCategory.RETRY_DIFFERENT_TARGET),
        ("malformed_model_output", StopReasonCategory.RETRYABLE),
        ("malformed_tool_use", StopReasonCategory.RETRYABLE),
        ("a_reason_from_2027", StopReasonCategory.UNKNOWN),
        (None, StopReasonCategory.UNKNOWN),
    ],
)
def test_stop_reason_categories_match_0_9(reason: str | None, category: StopReasonCategory) -> None:
    assert stop_reason_category(reason) is category
    assert StopReasonClassifier.categorize(reason) is category
    assert StopReasonClassifier.is_terminal(reason) == (category is StopReasonCategory.TERMINAL)
    assert StopReasonClassifier.is_retryable(reason) == (
        category in (StopReasonCategory.RETRY_DIFFERENT_TARGET, StopReasonCategory.RETRYABLE)
    )
    if reason is not None and category is not StopReasonCategory.UNKNOWN:
        assert StopReason(reason).category is category


def test_stop_reason_has_all_nine_botocore_values() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    wire = set(model.shape_for("StopReason").enum)
    assert {r.value for r in StopReason} == wire
    assert StopReasonEnum is StopReason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.text(), st.text(), st.dictionaries(st.text(), json_values, max_size=4))
def test_tool_use_block_round_trip(tool_use_id: str, name: str, arguments: dict) -> None:
    tool = ToolUse(tool_use_id=tool_use_id, name=name, input=arguments)
    assert ToolUse.from_block(tool.to_block()) == tool


@given(st.text() | st.none(), st.text() | st.none(), st.binary(min_size=1) | st.none())
def test_reasoning_block_round_trip(
    text: str | None, signature: str | None, redacted: bytes | None
) -> None:
    value = ReasoningContent(text=text, signature=signature, redacted_content=redacted)
    if text is None and redacted is None:
        with pytest.raises(ValueError):
            value.to_content_block()
        return
    rebuilt = ReasoningContent.from_block(value.to_content_block())
    if text is not None:  # a text block carries no redacted bytes, and keeps text and signature
        assert rebuilt == ReasoningContent(text=text, signature=signature)
    else:
        assert rebuilt == ReasoningContent(redacted_content=redacted)
