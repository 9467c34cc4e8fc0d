"""LLMManager with 0.9's face, through real boto3 against the local Bedrock server.

Each test proves one 0.9 meaning (constructor, converse, BedrockResponse, StreamingResponse,
configs) or one reliability rule of the manager itself (issue 14).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bestehorn_llmmanager import LLMManager
from bestehorn_llmmanager._errors import (
    AllTargetsFailedError,
    ConfigurationError,
    RequestError,
    RetryExhaustedError,
)
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
from bestehorn_llmmanager.bedrock.models.bedrock_response import BedrockResponse, StreamingResponse
from bestehorn_llmmanager.bedrock.models.cache_structures import CacheConfig, CacheStrategy
from bestehorn_llmmanager.bedrock.models.llm_manager_structures import (
    AuthConfig,
    AuthenticationType,
    Boto3Config,
    RequestAttempt,
    ResponseValidationConfig,
    RetryConfig,
    RetryStrategy,
    ValidationAttempt,
    ValidationResult,
)
from bestehorn_llmmanager.bedrock.models.model_specific_structures import ModelSpecificConfig
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer, RegionWorld

PRO = "amazon.nova-pro-v1:0"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"
E1, W2, EU = "us-east-1", "us-west-2", "eu-west-1"
ACCOUNT = "123456789012"
USER = [{"role": "user", "content": [{"text": "Hello"}]}]


@pytest.fixture
def make(runtime_catalog: BedrockModelCatalog, sleeps: list[float]) -> Callable[..., LLMManager]:
    def factory(models: Any = ("Nova Pro",), regions: Any = (E1, W2), **kwargs: Any) -> LLMManager:
        kwargs.setdefault("catalog", runtime_catalog)
        kwargs.setdefault("sleep", sleeps.append)
        kwargs.setdefault("jitter", lambda: 0.5)
        return LLMManager(models=list(models), regions=list(regions), **kwargs)

    return factory


def codes(attempts: Any) -> list[str | None]:
    return [a.error_code for a in attempts]


# -- 1. the constructor -----------------------------------------------------------------------


def test_retry_config_sets_rounds_backoff_and_order(
    make: Any, runtime: Runtime, sleeps: list[float]
) -> None:
    for region in (E1, W2):
        runtime.fail(region, "ThrottlingException")
    retry = RetryConfig(
        max_retries=2,
        retry_delay=0.5,
        backoff_multiplier=3.0,
        max_retry_delay=1.0,
        retry_strategy=RetryStrategy.MODEL_FIRST,
    )
    manager = make(["Nova Pro", "Claude Haiku 4.5"], retry_config=retry)
    assert [(t.model.name, t.region) for t in manager.targets] == [
        ("Nova Pro", E1),
        ("Claude Haiku 4.5", E1),
        ("Nova Pro", W2),
        ("Claude Haiku 4.5", W2),
    ]
    with pytest.raises(RetryExhaustedError) as caught:
        manager.converse(messages=USER)
    assert caught.value.attempts_made == 8  # two rounds of four targets, each sent once
    assert sleeps == [0.375]  # round 2 after min(1.0, 0.5 * 3**0) * (0.5 + 0.5 * jitter)
    assert manager.get_retry_stats()["max_retries"] == 2
    assert manager.get_retry_stats()["retry_strategy"] == "model_first"


def test_the_shared_backoff_takes_0_9s_multiplier() -> None:
    from bestehorn_llmmanager._aws import Backoff  # the one backoff, shared with the fetcher

    backoff = Backoff(0.5, 10.0, floor=0.5, random=lambda: 0.0, multiplier=3.0)
    assert [backoff.delay(i) for i in range(4)] == [0.25, 0.75, 2.25, 5.0]
    with pytest.raises(ValueError, match="multiplier"):
        Backoff(1.0, 2.0, multiplier=0)


def test_log_level_sets_the_package_logger_as_09_did(make: Any) -> None:
    package = logging.getLogger("bestehorn_llmmanager")
    before = package.level
    try:
        make(log_level="DEBUG")
        assert package.level == logging.DEBUG
        make(log_level=logging.ERROR)
        assert package.level == logging.ERROR
        make()  # no log_level: the application's setting is left alone
        assert package.level == logging.ERROR
        with pytest.raises(ConfigurationError, match="log_level"):
            make(log_level="LOUD")
    finally:
        package.setLevel(before)


def test_options_without_meaning_warn_and_still_work(make: Any) -> None:
    with pytest.warns(FutureWarning, match="strict_cache_mode"):
        manager = make(strict_cache_mode=True, ignore_cache_age=True)
    assert manager.converse(messages=USER).success
    with pytest.warns(FutureWarning, match="retries_max_attempts"):
        make(boto3_config=Boto3Config(retries_max_attempts=5))


def test_a_09_unified_model_manager_lends_its_catalog(
    runtime_catalog: BedrockModelCatalog,
) -> None:
    from bestehorn_llmmanager.bedrock import UnifiedModelManager

    with pytest.warns(DeprecationWarning):
        legacy = UnifiedModelManager(catalog=runtime_catalog)
    with pytest.warns(FutureWarning, match="unified_model_manager is deprecated"):
        manager = LLMManager(["Nova Pro"], [E1], unified_model_manager=legacy)
    assert manager._source is runtime_catalog
    assert manager.converse(messages=USER).success


def test_a_bare_region_string_is_refused_by_the_one_region_validator(
    make: Any, runtime_catalog: BedrockModelCatalog
) -> None:
    with pytest.raises(ConfigurationError, match="not the string 'us-east-1'"):
        LLMManager(["Nova Pro"], E1, catalog=runtime_catalog)
    assert make(regions=[" US-EAST-1", E1]).regions == (E1,)  # the catalog's own rule
    with pytest.raises(ConfigurationError, match="not an AWS region name"):
        make(regions=["us-east-99x"])


def test_bad_config_objects_raise_configuration_errors(make: Any) -> None:
    with pytest.raises(ConfigurationError, match="Boto3Config"):
        make(boto3_config={"read_timeout": 5})
    with pytest.raises(ConfigurationError, match="access_method_preference"):
        make(access_method_preference="teleport")
    with pytest.raises(ConfigurationError, match="either auth_config= or session="):
        make(auth_config=AuthConfig(AuthenticationType.AUTO), session=boto3.Session())
    with pytest.raises(ValueError, match="profile_name is required"):
        AuthConfig(auth_type=AuthenticationType.PROFILE)
    with pytest.raises(ConfigurationError, match="no-such-profile"):
        make(auth_config=AuthConfig(AuthenticationType.PROFILE, profile_name="no-such-profile"))


def test_access_method_preference_puts_that_method_first(make: Any) -> None:
    manager = make(["Claude Haiku 4.5"], [E1], access_method_preference="global_cris")
    assert manager.targets[0].model_id.startswith("global.")
    response = manager.converse(messages=USER)
    assert response.access_method_used == "global_cris" and response.was_profile_used()


def test_region_order_rotate_spreads_first_attempts_and_keeps_every_region(
    make: Any, runtime: Runtime
) -> None:
    manager = make(region_order="rotate")
    firsts = [manager.converse(messages=USER).region_used for _ in range(4)]
    assert firsts == [W2, E1, W2, E1]
    runtime.fail(W2, "ThrottlingException", times=1)
    response = manager.converse(messages=USER)  # W2 first this time, E1 still behind it
    assert [a.region for a in response.attempts] == [W2, E1]


def test_global_cris_fraction_sends_that_share_to_the_global_profile_first(
    runtime_catalog: BedrockModelCatalog,
) -> None:
    draws = iter([0.1, 0.9])  # below the fraction: global first; above: the default order
    manager = LLMManager(
        ["Claude Haiku 4.5"],
        [E1],
        catalog=runtime_catalog,
        global_cris_fraction=0.5,
        jitter=lambda: next(draws),
    )
    assert manager.converse(messages=USER).access_method_used == "global_cris"
    assert manager.converse(messages=USER).access_method_used == "regional_cris"


def test_session_reaches_the_default_catalog_and_it_fetches_only_the_managers_regions(
    runtime_server: tuple[BedrockServer, Runtime], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    server, _ = runtime_server
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    session = boto3.Session(
        aws_access_key_id="from-session", aws_secret_access_key="s", region_name=E1
    )
    manager = LLMManager(["Nova Pro"], [E1, W2], session=session, catalog_cache_directory=tmp_path)
    catalog = manager._source
    assert catalog.metadata.source.value == "api"  # it could sign: the session reached it
    listed = {r.region for r in server.records() if r.operation.startswith("List")}
    assert listed == {E1, W2}  # not every Bedrock region
    assert not [r for r in server.records() if r.operation.startswith("Converse")]
    assert manager.converse(messages=USER).success


def test_auth_config_credentials_sign_the_runtime_calls(
    runtime_server: tuple[BedrockServer, Runtime],
    runtime_catalog: BedrockModelCatalog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    auth = AuthConfig(AuthenticationType.CREDENTIALS, access_key_id="AKIDX", secret_access_key="s")
    assert "secret" not in repr(auth) and "'s'" not in repr(auth)
    manager = LLMManager(["Nova Pro"], [E1], auth_config=auth, catalog=runtime_catalog)
    assert manager.converse(messages=USER).success
    assert manager.validate_configuration()["auth_status"] == "credentials"


# -- 2. unusable models --------------------------------------------------------------------------


def test_a_region_the_catalog_was_not_fetched_for_is_named_as_such(
    runtime_server: tuple[BedrockServer, Runtime],
) -> None:
    catalog = BedrockModelCatalog(cache_mode="none", regions=[E1])
    with pytest.raises(ConfigurationError) as caught:
        LLMManager(["Nova Pro"], [EU], catalog=catalog)
    assert "the catalog was fetched for us-east-1 only; add eu-west-1 to its regions" in str(
        caught.value
    )


def test_a_legacy_model_is_used_with_one_warning(
    make: Any, runtime_catalog: BedrockModelCatalog, caplog: pytest.LogCaptureFixture
) -> None:
    from bestehorn_llmmanager.bedrock.catalog import Catalog

    snapshot = runtime_catalog.catalog
    models = [
        m.replace(lifecycle_status="LEGACY") if m.model_id == PRO else m
        for m in snapshot.models.values()
    ]
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        manager = make(catalog=Catalog(models, snapshot.metadata))
        response = manager.converse(messages=USER)
    assert response.model_used == PRO  # never silently a different model
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "marked LEGACY" in warned[0]


def test_only_models_left_unusable_raise_and_each_is_named(make: Any) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make(["Nova Proo", "Claude 3 Opus"], [EU])
    message = str(caught.value)
    assert "'Nova Proo': no Bedrock model matches" in message
    assert "'Claude 3 Opus': Claude 3 Opus is not callable from eu-west-1" in message
    assert set(caught.value.invalid_config["models"]) == {"Nova Proo", "Claude 3 Opus"}  # type: ignore[index]


# -- 3. converse and BedrockResponse -------------------------------------------------------------


def test_converse_returns_a_bedrock_response_with_09_meanings(make: Any, runtime: Runtime) -> None:
    runtime.fail(E1, "ThrottlingException", times=1)
    response = make().converse(messages=USER, system=[{"text": "Be brief."}])
    assert isinstance(response, BedrockResponse)
    assert response.success and response.was_successful()
    assert (response.model_used, response.region_used) == (PRO, W2)
    assert response.get_content() == f"Hello from {PRO} in {W2}."
    usage = response.get_usage()
    assert usage is not None and set(usage) == {
        "input_tokens",
        "output_tokens",
        "total_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
    }
    assert response.get_output_tokens() == usage["output_tokens"] > 0
    assert response.get_total_tokens() == usage["input_tokens"] + usage["output_tokens"]
    metrics = response.get_metrics()
    assert metrics is not None
    assert metrics["attempts_made"] == 2 and metrics["successful_attempt_number"] == 2
    assert metrics["api_latency_ms"] == 1 and response.total_duration_ms > 0
    assert response.get_stop_reason() == "end_turn"
    assert response.get_attempt_count() == 2
    assert "ThrottlingException" in str(response.get_last_error())
    assert len(response.get_all_errors()) == 1
    assert response.get_access_method() == "direct" and not response.was_profile_used()
    assert response.get_access_method_info()["region"] == W2
    assert codes(response.attempts) == ["ThrottlingException", None]  # our records stay
    assert response.model_id_used == PRO and response.access_method.value == "direct"
    assert runtime.calls()[-1].body["system"] == [{"text": "Be brief."}]


def test_tool_use_reasoning_and_citations_are_typed(make: Any, runtime: Runtime) -> None:
    runtime.answer = lambda body: (
        [
            {"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
            {"text": "Calling."},
            {"toolUse": {"toolUseId": "t1", "name": "weather", "input": {"city": "Oslo"}}},
            {
                "citationsContent": {
                    "citations": [{"title": "Doc", "sourceContent": [{"text": "x"}]}]
                }
            },
        ],
        "tool_use",
    )
    response = make().converse(messages=USER)
    [tool] = response.get_tool_uses()
    assert (tool.tool_use_id, tool.name, tool.input) == ("t1", "weather", {"city": "Oslo"})
    assert response.has_tool_use()
    reasoning = response.get_reasoning()
    assert reasoning is not None and (reasoning.text, reasoning.signature) == ("think", "sig")
    assert [c.title for c in response.get_citations()] == ["Doc"]
    assert response.get_content() == "Calling."
    assert len(response.get_content_blocks() or []) == 4


def test_the_other_getters_read_the_converse_answer() -> None:
    answer = {
        "output": {
            "message": {
                "content": [
                    {"text": '{"a": [1, 2]}'},
                    {"image": {"format": "png", "source": {"bytes": b"x"}}},
                ]
            }
        },
        "stopReason": "max_tokens",
        "usage": {"inputTokens": 100, "outputTokens": 5, "cacheReadInputTokens": 60},
        "performanceConfig": {"latency": "optimized"},
        "serviceTier": {"type": "flex"},
        "trace": {"guardrail": {"actionReason": "none"}},
        "additionalModelResponseFields": {"k": 1},
    }
    response = BedrockResponse(success=True, response_data=answer, parameters_removed=["a", "b"])
    assert response.get_structured_output() == {"a": [1, 2]}
    assert response.get_image_blocks() == [{"format": "png", "source": {"bytes": b"x"}}]
    assert len(response.get_content_blocks_by_type("image")) == 1
    assert response.get_performance_config() == {"latency": "optimized"}
    assert response.get_service_tier() == {"type": "flex"}
    assert response.get_guardrail_trace() == {"actionReason": "none"}
    assert response.get_additional_model_response_fields() == {"k": 1}
    assert response.get_stop_reason_category().value == "terminal"
    assert response.get_cache_efficiency()["cache_hit_ratio"] == 0.6  # type: ignore[index]
    assert len(response.get_parameter_warnings()) == 3
    assert (
        json.loads(response.to_json())["response_data"]["output"]["message"]["content"][1]["image"][
            "source"
        ]["bytes"]
        == "eA=="
    )  # bytes as base64, said in to_json's docs
    failed = BedrockResponse(success=False, response_data=answer)
    assert failed.get_content() is None and failed.get_usage() is None
    assert failed.get_metrics() is None and failed.get_stop_reason() is None


def test_none_for_an_optional_field_is_never_sent(make: Any, runtime: Runtime) -> None:
    response = make().converse(
        messages=USER,
        guardrail_config=None,
        request_metadata=None,
        additional_model_response_field_paths=None,
        prompt_variables=None,
        output_config=None,
        performance_config=None,
        service_tier=None,
        tool_config=None,
        inference_config=None,
    )
    assert response.success
    assert set(runtime.calls()[-1].body) == {"messages"}
    make().converse(
        messages=USER, request_metadata={"team": "a"}, inference_config={"maxTokens": 5}
    )
    body = runtime.calls()[-1].body
    assert body["requestMetadata"] == {"team": "a"} and body["inferenceConfig"] == {"maxTokens": 5}


def test_default_inference_config_merges_under_the_calls(make: Any, runtime: Runtime) -> None:
    manager = make(default_inference_config={"maxTokens": 100, "temperature": 0.1})
    manager.converse(messages=USER, inference_config={"temperature": 0.9})
    assert runtime.calls()[-1].body["inferenceConfig"] == {"maxTokens": 100, "temperature": 0.9}


def test_the_inspection_methods_keep_their_09_shapes(make: Any) -> None:
    manager = make(["Claude Haiku 4.5"], [E1, W2])
    info = manager.get_model_access_info("Claude Haiku 4.5", E1)
    assert info is not None and set(info) == {
        "access_methods",
        "model_id",
        "regional_cris_profile_id",
        "global_cris_profile_id",
        "region",
    }
    assert "regional_cris" in info["access_methods"] and info["region"] == E1
    assert manager.get_model_access_info("Nova Proo", E1) is None
    status = manager.validate_configuration()
    assert status["valid"] and status["model_region_combinations"] == 2
    assert manager.get_available_regions() == [E1, W2]


def test_converse_with_request_takes_the_requests_arguments(make: Any, runtime: Runtime) -> None:
    class Request:
        def to_converse_args(self) -> dict[str, Any]:
            return {"messages": USER, "inference_config": {"maxTokens": 7}}

    response = make().converse_with_request(Request())
    assert response.success and runtime.calls()[-1].body["inferenceConfig"] == {"maxTokens": 7}


def test_extended_context_reaches_only_models_that_take_it(make: Any, runtime: Runtime) -> None:
    response = make().converse(messages=USER, enable_extended_context=True)
    assert "additionalModelRequestFields" not in runtime.calls()[-1].body
    assert any("extended context is not available" in w for w in response.get_warnings())
    custom = ModelSpecificConfig(custom_fields={"top_k": 3})
    make().converse(messages=USER, model_specific_config=custom)
    assert runtime.calls()[-1].body["additionalModelRequestFields"] == {"top_k": 3}


# -- 5. streaming --------------------------------------------------------------------------------


def test_a_stream_yields_text_chunks_and_has_09_attributes(make: Any, runtime: Runtime) -> None:
    stream = make().converse_stream(messages=USER, stream_processing_mode="async")
    assert isinstance(stream, StreamingResponse)
    chunks = list(stream)
    assert chunks == ["Hello from ", f"{PRO} in {E1}."]
    assert stream.success and stream.is_streaming_complete()
    assert stream.get_full_content() == "".join(chunks) == stream.text
    assert (stream.model_used, stream.region_used, stream.stop_reason) == (PRO, E1, "end_turn")
    assert stream.get_output_tokens() > 0 and stream.get_usage() is not None
    metrics = stream.get_metrics()
    assert metrics is not None and metrics["content_parts"] == 2
    assert metrics["time_to_first_token_ms"] <= metrics["time_to_last_token_ms"]
    assert stream.get_recovery_info()["target_switches"] == 0
    assert runtime.calls()[-1].body["guardrailConfig"] == {"streamProcessingMode": "async"}


def test_a_stream_carries_reasoning_citations_and_tool_use(make: Any, runtime: Runtime) -> None:
    runtime.answer = lambda body: (
        [
            {"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
            {"text": "Calling."},
            {
                "citationsContent": {
                    "citations": [{"title": "Doc", "sourceContent": [{"text": "x"}]}]
                }
            },
            {"toolUse": {"toolUseId": "t1", "name": "weather", "input": {"city": "Oslo"}}},
        ],
        "tool_use",
    )
    stream = make().converse_stream(messages=USER)
    assert list(stream) == ["Calling."]
    reasoning = stream.get_reasoning()
    assert reasoning is not None and (reasoning.text, reasoning.signature) == ("think", "sig")
    assert [c.title for c in stream.get_citations()] == ["Doc"]
    assert stream.stop_reason == "tool_use" and stream.success


def test_the_raw_events_carry_what_text_chunks_leave_out(make: Any, runtime: Runtime) -> None:
    runtime.answer = lambda body: (
        [{"toolUse": {"toolUseId": "t1", "name": "weather", "input": {"city": "Oslo"}}}],
        "tool_use",
    )
    stream = make().converse_stream(messages=USER)
    events = list(stream.events())
    starts = [
        e["contentBlockStart"]["start"]["toolUse"] for e in events if "contentBlockStart" in e
    ]
    assert starts == [{"toolUseId": "t1", "name": "weather"}]
    assert stream.get_full_content() == "" and stream.stop_reason == "tool_use"


def test_a_stream_that_fails_before_any_content_recovers_on_the_next_target(
    make: Any, runtime: Runtime
) -> None:
    runtime.stream_error(E1, after_events=1, exception_type="modelStreamErrorException")
    stream = make().converse_stream(messages=USER)
    text = "".join(stream)
    assert text == f"Hello from {PRO} in {W2}."  # only the second target's words, whole
    assert stream.success and stream.get_target_switches() == 1
    [event] = stream.get_mid_stream_exceptions()
    assert event["recovered"] and event["region"] == E1 and event["position"] == 0
    info = stream.get_recovery_info()
    assert info["recovered_exceptions"] == 1 and info["final_region"] == W2


# -- 6. validation and feature fallback ----------------------------------------------------------


def test_a_rejected_answer_is_asked_again_and_recorded(make: Any, runtime: Runtime) -> None:
    seen: list[str] = []

    def validate(response: BedrockResponse) -> ValidationResult:
        seen.append(response.region_used or "")
        if len(seen) < 2:
            return ValidationResult(False, "not JSON", {"why": "prose"})
        return ValidationResult(True)

    config = ResponseValidationConfig(validate, response_validation_retries=2)
    response = make().converse(messages=USER, response_validation_config=config)
    assert seen == [E1, E1]  # the same target first
    assert response.had_validation_failures()
    assert response.get_validation_attempt_count() == 2
    assert response.get_last_validation_error()["error_message"] == "not JSON"  # type: ignore[index]
    assert response.get_validation_metrics()["successful_validation_attempt"] == 2
    assert len(runtime.calls()) == 2


def test_answers_that_always_fail_validation_move_on_then_raise(
    make: Any, runtime: Runtime
) -> None:
    config = ResponseValidationConfig(lambda r: ValidationResult(False, "no"), 1)
    with pytest.raises(AllTargetsFailedError):
        make().converse(messages=USER, response_validation_config=config)
    assert [c.region for c in runtime.calls()] == [E1, E1, W2, W2]


def test_feature_fallback_drops_a_rejected_feature_and_says_so(make: Any, runtime: Runtime) -> None:
    runtime.fail(
        E1, "ValidationException", "This model doesn't support the guardrail config.", times=1
    )
    guardrail = {"guardrailIdentifier": "g", "guardrailVersion": "1"}
    response = make().converse(messages=USER, guardrail_config=guardrail)
    assert response.success and response.get_disabled_features() == ["guardrails"]
    assert "Disabled guardrails due to compatibility issues" in response.get_warnings()
    first, second = runtime.calls()
    assert "guardrailConfig" in first.body and "guardrailConfig" not in second.body
    runtime.fail(
        E1, "ValidationException", "This model doesn't support the guardrail config.", times=1
    )
    strict = make(retry_config=RetryConfig(enable_feature_fallback=False))
    with pytest.raises(RequestError):
        strict.converse(messages=USER, guardrail_config=guardrail)


def test_a_rejection_naming_a_feature_the_request_lacks_is_not_a_fallback(
    make: Any, runtime: Runtime
) -> None:
    runtime.fail(E1, "ValidationException", "The tool schema is invalid.", times=1)
    with pytest.raises(RequestError):
        make().converse(messages=USER)  # no toolConfig: nothing to drop, nothing is hidden


# -- 7. cache points -----------------------------------------------------------------------------


def test_cache_config_places_cache_points_and_the_answer_reports_cache_details(
    make: Any, runtime: Runtime
) -> None:
    runtime.usage_extra = {
        "cacheReadInputTokens": 40,
        "cacheWriteInputTokens": 12,
        "cacheDetails": [{"inputTokens": 12, "ttl": "5m"}],
    }
    config = CacheConfig(
        enabled=True, strategy=CacheStrategy.CONSERVATIVE, cache_point_threshold=50
    )
    message = {"role": "user", "content": [{"text": "context " * 100}, {"text": "Question?"}]}
    response = make(cache_config=config).converse(messages=[message])
    sent = runtime.calls()[-1].body["messages"][0]["content"]
    assert [next(iter(block)) for block in sent] == ["text", "cachePoint", "text"]
    assert message["content"][1] == {"text": "Question?"} and len(message["content"]) == 2
    assert response.get_cache_read_tokens() == 40 and response.get_cache_write_tokens() == 12
    [detail] = response.get_cache_details()
    assert (detail.input_tokens, detail.ttl) == (12, "5m")
    assert response.get_cached_tokens_info()["cache_hit"] is True  # type: ignore[index]


def test_an_aggressive_strategy_places_several_points(make: Any, runtime: Runtime) -> None:
    config = CacheConfig(enabled=True, strategy=CacheStrategy.AGGRESSIVE, cache_point_threshold=50)
    blocks = [{"text": "a" * 4000}, {"text": "b" * 4000}, {"text": "end"}]
    make(cache_config=config).converse(messages=[{"role": "user", "content": blocks}])
    sent = runtime.calls()[-1].body["messages"][0]["content"]
    assert [next(iter(b)) for b in sent] == ["text", "cachePoint", "text", "cachePoint", "text"]


def test_custom_rules_place_a_point_after_each_image(make: Any, runtime: Runtime) -> None:
    config = CacheConfig(
        enabled=True, strategy=CacheStrategy.CUSTOM, custom_rules={"cache_all_images": True}
    )
    image = {"image": {"format": "png", "source": {"bytes": b"\x89PNG"}}}
    blocks = [image, {"text": "and"}, image, {"text": "Describe both."}]
    make(cache_config=config).converse(messages=[{"role": "user", "content": blocks}])
    sent = runtime.calls()[-1].body["messages"][0]["content"]
    kinds = [next(iter(b)) for b in sent]
    assert kinds == ["image", "cachePoint", "text", "image", "cachePoint", "text"]


# -- 9. reliability ------------------------------------------------------------------------------


def _drop_model(server: BedrockServer, runtime: Runtime, model_id: str) -> None:
    for region, world in list(server.world.items()):
        server.world[region] = RegionWorld(
            models=tuple(m for m in world.models if m.get("modelId") != model_id),
            profiles=tuple(p for p in world.profiles if model_id not in json.dumps(p)),
        )
        runtime.remove(region, model_id)


def test_a_model_dropped_by_a_refresh_keeps_failing_over_with_one_warning(
    make: Any,
    server: BedrockServer,
    runtime: Runtime,
    runtime_catalog: BedrockModelCatalog,
    caplog: pytest.LogCaptureFixture,
) -> None:
    manager = make(["Nova Pro", "Claude Haiku 4.5"], [E1])
    assert manager.converse(messages=USER).model_used == PRO
    _drop_model(server, runtime, PRO)
    manager.refresh_model_data()
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        first = manager.converse(messages=USER)
        second = manager.converse(messages=USER)
    assert "haiku" in (first.model_used or "") and "haiku" in (second.model_used or "")
    warned = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("bestehorn_llmmanager._llm")
    ]
    assert (
        len(warned) == 1 and PRO in warned[0] and "no longer in the refreshed catalog" in warned[0]
    )


def test_a_trickling_body_is_cut_at_the_attempt_bound_and_fails_over(
    make: Any, server: BedrockServer
) -> None:
    server.trickle(E1, 0.05, operation="Converse")  # ~250 bytes: over 10 s if left alone
    started = time.monotonic()
    response = make(read_timeout=0.5).converse(messages=USER)
    elapsed = time.monotonic() - started
    assert response.region_used == W2
    assert codes(response.attempts) == ["DeadlineExceeded", None]
    assert "read_timeout=0.5" in (response.attempts[0].message or "")
    assert elapsed < 5


def test_a_stream_trickling_before_its_first_content_is_cut_and_fails_over(
    make: Any, runtime: Runtime
) -> None:
    runtime.stream_break(E1, "trickle", stall_seconds=0.05)  # ~100 bytes before any content
    stream = make(read_timeout=0.5).converse_stream(messages=USER)
    assert "".join(stream) == f"Hello from {PRO} in {W2}."
    assert codes(stream.attempts) == ["DeadlineExceeded", None]


def test_the_call_ends_within_its_timeout_even_when_every_body_trickles(
    make: Any, server: BedrockServer
) -> None:
    for region in (E1, W2):
        server.trickle(region, 0.05, operation="Converse")
    started = time.monotonic()
    with pytest.raises(AllTargetsFailedError) as caught:
        make(timeout=1.0).converse(messages=USER)
    elapsed = time.monotonic() - started
    assert elapsed < 4  # one second of budget; the bodies alone would take 10 s each
    assert codes(caught.value.attempts) == ["DeadlineExceeded"]
    assert "the call's timeout of 1 s ran out" in str(caught.value)


@pytest.mark.parametrize("body", [b'{"output": {"mess', b"{}", b"not json"])
def test_a_truncated_or_empty_answer_is_a_failed_target_not_an_empty_success(
    make: Any, server: BedrockServer, body: bytes
) -> None:
    server.answer_with(E1, body, operation="Converse", times=1)
    response = make().converse(messages=USER)
    assert response.region_used == W2 and response.get_content()
    assert codes(response.attempts) == ["IncompleteAnswerError", None]


def test_many_managers_share_one_watchdog_thread(make: Any) -> None:
    before = {t.ident for t in threading.enumerate()}
    for _ in range(5):
        make().converse(messages=USER)
    watchdogs = [t for t in threading.enumerate() if t.name == "llmmanager-deadlines"]
    assert len(watchdogs) == 1
    assert len({t.ident for t in threading.enumerate()} - before) <= 1


def test_no_account_id_reaches_attempts_errors_or_logs(
    make: Any, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    denied = f"User: arn:aws:iam::{ACCOUNT}:user/dev is not authorized to perform: bedrock:Invoke"
    for region in (E1, W2):
        runtime.fail(region, "AccessDeniedException", denied)
    with (
        caplog.at_level(logging.DEBUG, logger="bestehorn_llmmanager"),
        pytest.raises(AllTargetsFailedError) as caught,
    ):
        make().converse(messages=USER)
    texts = [str(caught.value), repr(caught.value.details)]
    texts += [a.message or "" for a in caught.value.attempts]
    texts += [str(a.error) for a in caught.value.attempts]
    texts += [str(e) for e in caught.value.last_errors]
    texts += [r.getMessage() for r in caplog.records]
    assert all(ACCOUNT not in t for t in texts)
    assert any("is not authorized" in t for t in texts)


def test_thirty_two_threads_send_each_request_once_per_attempt(make: Any, runtime: Runtime) -> None:
    runtime.fail(E1, "ThrottlingException", times=40)
    manager = make(["Nova Pro", "Claude Haiku 4.5"])
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(32)
    lock = threading.Lock()

    def work() -> None:
        try:
            start.wait()
            for _ in range(4):
                response = manager.converse(messages=USER)
                stream = manager.converse_stream(messages=USER)
                "".join(stream)
                with lock:
                    results.extend([response, stream])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 256 and all(r.success for r in results)
    attempts = [a for r in results for a in r.attempts]
    # A pooled connection the local server closes just as it is reused ends as a recorded
    # ConnectionClosedError that never reached a handler; every answered attempt reached one.
    answered = [a for a in attempts if a.error_code in (None, "ThrottlingException")]
    assert len(answered) == len(runtime.calls()) == 256 + 40
    assert {a.error_code for a in attempts if a not in answered} <= {"ConnectionClosedError"}
    for r in results:
        assert [a.attempt_number for a in r.attempts] == list(range(1, len(r.attempts) + 1))
        assert r.attempts[-1].success and not any(a.success for a in r.attempts[:-1])


# -- to_dict / from_dict -------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
_times = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(timezone.utc)
)
_floats = st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e9)


@st.composite
def _attempts(draw: Any) -> RequestAttempt:
    start = draw(_times)
    failed = draw(st.booleans())
    return RequestAttempt(
        model_id=draw(st.text(min_size=1, max_size=20)),
        region=draw(st.sampled_from([E1, W2, EU])),
        access_method=draw(st.sampled_from(["direct", "regional_cris", "global_cris"])),
        attempt_number=draw(st.integers(1, 9)),
        start_time=start,
        end_time=draw(st.none() | st.just(start + timedelta(milliseconds=5))),
        error=Exception(draw(st.text(min_size=1, max_size=10))) if failed else None,
        success=not failed,
        error_code="ThrottlingException" if failed else None,
        message=draw(st.none() | st.text(max_size=10)),
        duration_ms=draw(st.none() | _floats),
    )


_responses = st.builds(
    BedrockResponse,
    success=st.booleans(),
    response_data=st.none() | st.dictionaries(st.text(max_size=5), _json, max_size=3),
    model_used=st.none() | st.text(max_size=10),
    region_used=st.none() | st.sampled_from([E1, W2]),
    access_method_used=st.none() | st.sampled_from(["direct", "regional_cris"]),
    inference_profile_used=st.booleans(),
    inference_profile_id=st.none() | st.text(max_size=10),
    attempts=st.lists(_attempts(), max_size=3),
    total_duration_ms=st.none() | _floats,
    api_latency_ms=st.none() | _floats,
    warnings=st.lists(st.text(max_size=10), max_size=3),
    features_disabled=st.lists(st.sampled_from(["guardrails", "tool_use"]), max_size=2),
    validation_attempts=st.lists(
        st.builds(
            ValidationAttempt,
            attempt_number=st.integers(1, 5),
            validation_result=st.builds(
                ValidationResult,
                success=st.booleans(),
                error_message=st.none() | st.text(max_size=10),
                error_details=st.none() | st.dictionaries(st.text(max_size=4), _json, max_size=2),
            ),
            failed_content=st.none() | st.text(max_size=10),
        ),
        max_size=2,
    ),
    validation_errors=st.lists(st.dictionaries(st.text(max_size=4), _json, max_size=2), max_size=2),
    parameters_removed=st.none() | st.lists(st.text(max_size=5), max_size=2),
    original_additional_fields=st.none() | st.dictionaries(st.text(max_size=4), _json, max_size=2),
    final_additional_fields=st.none() | st.dictionaries(st.text(max_size=4), _json, max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(_responses)
def test_to_dict_from_dict_and_json_round_trip(response: BedrockResponse) -> None:
    data = response.to_dict()
    again = BedrockResponse.from_dict(data)
    assert again.to_dict() == data
    assert BedrockResponse.from_dict(json.loads(response.to_json())).to_dict() == data
    assert again.get_usage() == response.get_usage()
    assert again.get_content() == response.get_content()
    assert [str(e) for e in again.get_all_errors()] == [str(e) for e in response.get_all_errors()]


def test_from_dict_reads_a_09_dict_without_our_keys() -> None:
    data = {
        "success": True,
        "response_data": {"output": {"message": {"content": [{"text": "hi"}]}}},
        "model_used": PRO,
        "attempts": [
            {
                "model_id": PRO,
                "region": E1,
                "access_method": "direct",
                "attempt_number": 1,
                "start_time": "2025-06-01T10:00:00",
                "end_time": "2025-06-01T10:00:01",
                "duration_ms": 1000.0,
                "success": True,
                "error": None,
            }
        ],
    }
    response = BedrockResponse.from_dict(data)
    assert response.get_content() == "hi" and response.attempts[0].duration_ms == 1000.0
    assert dataclasses.asdict(response.attempts[0])["error_code"] is None
