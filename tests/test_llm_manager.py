"""LLMManager through real boto3 against the local Bedrock server (control plane and runtime)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from bestehorn_llmmanager import AllTargetsFailedError, LLMManager, RequestError
from bestehorn_llmmanager._errors import RequestValidationError, StreamInterruptedError
from bestehorn_llmmanager.bedrock.catalog import (
    AccessMethod,
    BedrockModelCatalog,
    Catalog,
    ConfigurationError,
    NoCredentialsError,
)
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer

PRO = "amazon.nova-pro-v1:0"
PRO_US = "us.amazon.nova-pro-v1:0"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"
OPUS = "anthropic.claude-3-opus-20240229-v1:0"
E1, W2, EU = "us-east-1", "us-west-2", "eu-west-1"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make(
    runtime_catalog: BedrockModelCatalog, sleeps: list[float], clock: FakeClock
) -> Callable[..., LLMManager]:
    def factory(models: Any = ("Nova Pro",), regions: Any = (E1, W2), **kwargs: Any) -> LLMManager:
        kwargs.setdefault("catalog", runtime_catalog)
        kwargs.setdefault("sleep", sleeps.append)
        kwargs.setdefault("jitter", lambda: 0.5)
        kwargs.setdefault("clock", clock)
        return LLMManager(models=list(models), regions=list(regions), **kwargs)

    return factory


def codes(attempts: Any) -> list[str | None]:
    return [a.error_code for a in attempts]


# -- targets ------------------------------------------------------------------------------------


def test_the_first_target_is_the_same_on_every_call(make: Any, runtime: Runtime) -> None:
    manager = make(["Nova Pro", "Claude Haiku 4.5"], [W2, E1])
    for _ in range(5):
        response = manager.converse("Hello")
        assert (response.region, response.model_id_used) == (W2, PRO)
        assert response.access_method is AccessMethod.DIRECT
        assert len(response.attempts) == 1 and response.attempts[0].succeeded
    assert runtime.targets() == [(W2, PRO)] * 5


def test_region_first_tries_every_region_of_a_model_before_the_next_model(make: Any) -> None:
    manager = make(["Nova Pro", "Claude Haiku 4.5"], [W2, E1])
    assert [(t.model.model_id, t.region) for t in manager.targets] == [
        (PRO, W2),
        (PRO, E1),
        (HAIKU, W2),
        (HAIKU, E1),
    ]


def test_model_first_tries_every_model_in_a_region_before_the_next_region(make: Any) -> None:
    manager = make(["Nova Pro", "Claude Haiku 4.5"], [W2, E1], failover="model_first")
    assert [(t.model.model_id, t.region) for t in manager.targets] == [
        (PRO, W2),
        (HAIKU, W2),
        (PRO, E1),
        (HAIKU, E1),
    ]


def test_each_target_uses_the_preferred_access_method_the_catalog_offers(make: Any) -> None:
    default = make(["Claude Haiku 4.5", "Nova Pro"], [E1, EU])
    assert [(t.region, t.model_id) for t in default.targets] == [
        (E1, "us." + HAIKU),
        (EU, "eu." + HAIKU),
        (E1, PRO),
        (EU, "eu." + PRO),
    ]
    global_first = make(
        ["Claude Haiku 4.5"], [E1], access_preference=(AccessMethod.GLOBAL_PROFILE, "direct")
    )
    assert [t.model_id for t in global_first.targets] == ["global." + HAIKU]
    assert global_first.targets[0].access_method is AccessMethod.GLOBAL_PROFILE


def test_a_model_given_by_profile_id_or_arn_resolves_to_the_model(make: Any) -> None:
    arn = f"arn:aws:bedrock:us-east-1::foundation-model/{OPUS}"
    manager = make([PRO_US, arn])
    assert [m.model_id for m in manager.models] == [PRO, OPUS]


# -- construction checks ------------------------------------------------------------------------


def test_an_unknown_model_alone_raises_configuration_error_with_suggestions(make: Any) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make(["Nova Proo"])
    assert "did you mean 'Nova Pro'" in str(caught.value)
    problems = caught.value.invalid_config["models"]  # type: ignore[index]
    assert list(problems) == ["Nova Proo"]


def test_an_unknown_model_beside_a_usable_one_is_skipped_with_one_warning(
    make: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="bestehorn_llmmanager"):
        manager = make(["Nova Proo", "Nova Pro"])
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 1 and "'Nova Proo' is skipped" in warned[0]
    assert "did you mean 'Nova Pro'" in warned[0]
    assert [m.name for m in manager.models] == ["Nova Pro"]
    assert manager.get_available_models() == ["Nova Proo", "Nova Pro"]  # 0.9: as given


def test_an_invalid_region_raises_value_error_naming_it(make: Any) -> None:
    with pytest.raises(ValueError, match="us-east-99x"):
        make(regions=[E1, "us-east-99x"])


def test_a_model_not_callable_from_any_given_region_raises_configuration_error(
    make: Any,
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make(["Claude 3 Opus"], [EU])
    assert str(caught.value) == (
        "no usable model from regions ['eu-west-1']: 'Claude 3 Opus': Claude 3 Opus is not "
        "callable from eu-west-1; it is callable from us-east-1, us-west-2: add one of those "
        "regions"
    )


def test_a_model_excluded_by_access_preference_raises_configuration_error(make: Any) -> None:
    with pytest.raises(ConfigurationError, match="access_preference"):
        make(["Claude Haiku 4.5"], [E1], access_preference=["direct"])


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("failover", "round_robin"),
        ("access_preference", ["cheapest"]),
        ("max_rounds", 0),
        ("denied_ttl", -1),
    ],
)
def test_invalid_arguments_raise_value_error_naming_them(
    make: Any, argument: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=argument):
        make(**{argument: value})


def test_construction_makes_no_request_beyond_loading_the_catalog(
    make: Any, server: BedrockServer
) -> None:
    before = server.count()
    make(["Nova Pro", "Claude Haiku 4.5"], [E1, W2, EU])
    assert server.count() == before


def test_missing_credentials_fail_once_with_the_librarys_error_and_send_nothing(
    make: Any, server: BedrockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = make(["Nova Pro"], [E1, W2])
    before = server.count()
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(NoCredentialsError, match="AWS_PROFILE"):
        manager.converse("Hi")
    with pytest.raises(NoCredentialsError):
        manager.converse_stream("Hi")
    assert server.count() == before


def test_a_plain_catalog_snapshot_works_as_catalog(
    make: Any, runtime_catalog: BedrockModelCatalog
) -> None:
    manager = make(catalog=runtime_catalog.catalog)
    assert manager.converse("Hi").region == E1


# -- requests -----------------------------------------------------------------------------------


def test_a_prompt_becomes_one_user_text_message(make: Any, runtime: Runtime) -> None:
    response = make().converse("Hello")
    assert runtime.calls()[0].body["messages"] == [{"role": "user", "content": [{"text": "Hello"}]}]
    assert response.text == f"Hello from {PRO} in {E1}."
    assert response.stop_reason == "end_turn"
    assert response.usage["totalTokens"] == response.raw["usage"]["totalTokens"]
    assert response.raw["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response.model.name == "Nova Pro"


def test_snake_case_fields_map_to_camel_case_and_others_pass_through(
    make: Any, runtime: Runtime
) -> None:
    make().converse(
        messages=[{"role": "user", "content": [{"text": "Hi"}]}],
        system="Be brief.",
        inference_config={"maxTokens": 10, "temperature": 0.1},
        tool_config={"tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": {}}}}]},
        additional_model_request_fields={"top_k": 5},
        requestMetadata={"team": "a"},
    )
    body = runtime.calls()[0].body
    assert body["system"] == [{"text": "Be brief."}]
    assert body["inferenceConfig"] == {"maxTokens": 10, "temperature": 0.1}
    assert body["toolConfig"]["tools"][0]["toolSpec"]["name"] == "t"
    assert body["additionalModelRequestFields"] == {"top_k": 5}  # values untouched
    assert body["requestMetadata"] == {"team": "a"}


def test_model_id_cannot_be_passed(make: Any) -> None:
    with pytest.raises(TypeError, match="modelId"):
        make().converse("Hi", model_id=PRO)


# -- the failover table -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "ThrottlingException",
        "ServiceUnavailableException",
        "InternalServerException",
        "ModelNotReadyException",
        "ModelTimeoutException",
    ],
)
def test_transient_errors_move_to_the_next_target_at_once(
    make: Any, runtime: Runtime, sleeps: list[float], code: str
) -> None:
    runtime.fail(E1, code, times=1)
    response = make().converse("Hello")
    assert response.region == W2
    assert codes(response.attempts) == [code, None]
    assert sleeps == []
    assert runtime.targets() == [(E1, PRO), (W2, PRO)]


def test_the_servers_own_fault_injection_reaches_the_runtime_routes(
    make: Any, server: BedrockServer
) -> None:
    server.throttle(E1, times=1, operation="Converse")
    response = make().converse("Hello")
    assert codes(response.attempts) == ["ThrottlingException", None]


def test_a_read_timeout_moves_to_the_next_target(make: Any, server: BedrockServer) -> None:
    server.hang(E1, operation="Converse", times=1)
    response = make(read_timeout=0.3).converse("Hello")
    assert response.region == W2
    assert codes(response.attempts) == ["ReadTimeoutError", None]
    assert response.attempts[0].duration_ms < 2000


def test_connection_errors_are_transient(make: Any, sleeps: list[float]) -> None:
    with BedrockServer({}) as closed:
        url = closed.url
    manager = make(endpoint_url=url, max_rounds=2)
    with pytest.raises(AllTargetsFailedError) as caught:
        manager.converse("Hello")
    assert codes(caught.value.attempts) == ["EndpointConnectionError"] * 4
    assert len(sleeps) == 1


def test_a_round_of_transient_failures_backs_off_before_the_next_round(
    make: Any, runtime: Runtime, sleeps: list[float]
) -> None:
    runtime.fail(E1, "ThrottlingException", times=2)
    runtime.fail(W2, "ServiceUnavailableException", times=1)
    response = make(backoff_base=2.0).converse("Hello")
    assert codes(response.attempts) == [
        "ThrottlingException",
        "ServiceUnavailableException",
        "ThrottlingException",
        None,
    ]
    assert response.region == W2
    assert sleeps == [1.5]  # half of 2.0 plus half of the jitter (0.5)


def test_backoff_grows_exponentially_bounded_and_rounds_are_configurable(
    make: Any, runtime: Runtime, sleeps: list[float]
) -> None:
    runtime.fail(E1, "ThrottlingException")
    runtime.fail(W2, "ThrottlingException")
    manager = make(max_rounds=4, backoff_base=1.0, backoff_max=3.0, jitter=lambda: 1.0)
    with pytest.raises(AllTargetsFailedError) as caught:
        manager.converse("Hello")
    assert len(caught.value.attempts) == 8
    assert sleeps == [1.0, 2.0, 3.0]


def test_all_targets_failed_lists_one_line_per_attempt(make: Any, runtime: Runtime) -> None:
    runtime.fail(E1, "ThrottlingException")
    runtime.fail(W2, "InternalServerException")
    with pytest.raises(AllTargetsFailedError) as caught:
        make(max_rounds=1).converse("Hello")
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert "us-east-1" in lines[0] and "ThrottlingException" in lines[0]
    assert "us-west-2" in lines[1] and "InternalServerException" in lines[1]
    assert all(a.elapsed_s >= 0 for a in caught.value.attempts)


def test_skipped_targets_keep_the_message_at_one_line_per_attempt(
    make: Any, runtime: Runtime
) -> None:
    runtime.fail(E1, "AccessDeniedException")
    runtime.fail(W2, "ThrottlingException")
    manager = make(max_rounds=2)
    with pytest.raises(AllTargetsFailedError):
        manager.converse("Hello")
    with pytest.raises(AllTargetsFailedError) as caught:
        manager.converse("Hello")  # us-east-1 is skipped: denied recently
    assert codes(caught.value.attempts) == ["ThrottlingException"] * 2
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[-1].endswith(f"(not tried: {PRO} in {E1}: access denied recently)")
    runtime.reset()
    runtime.fail(E1, "AccessDeniedException")
    runtime.fail(W2, "AccessDeniedException")
    denied = make()
    with pytest.raises(AllTargetsFailedError):
        denied.converse("Hello")
    with pytest.raises(AllTargetsFailedError) as nothing_sent:
        denied.converse("Hello")
    assert nothing_sent.value.attempts == ()
    assert str(nothing_sent.value) == (
        f"no target to try: {PRO} in {E1}: access denied recently; "
        f"{PRO} in {W2}: access denied recently"
    )


def test_a_target_dropped_by_a_stale_catalog_is_named_when_nothing_is_left(
    make: Any, runtime: Runtime
) -> None:
    runtime.require_profile(E1, OPUS)  # the catalog has no profile for Opus
    manager = make(["Claude 3 Opus"], [E1])
    with pytest.raises(AllTargetsFailedError):
        manager.converse("Hello")
    with pytest.raises(AllTargetsFailedError) as caught:
        manager.converse("Hello")
    assert caught.value.attempts == ()
    assert f"{OPUS} in {E1}: not callable on demand" in str(caught.value)
    assert len(runtime.calls()) == 1


def test_access_denied_moves_on_and_skips_the_target_for_a_while(
    make: Any, runtime: Runtime, clock: FakeClock, sleeps: list[float]
) -> None:
    runtime.fail(E1, "AccessDeniedException")
    manager = make(denied_ttl=60)
    first = manager.converse("Hello")
    assert codes(first.attempts) == ["AccessDeniedException", None]
    second = manager.converse("Hello")
    assert codes(second.attempts) == [None]
    assert runtime.targets() == [(E1, PRO), (W2, PRO), (W2, PRO)]
    clock.now += 61
    third = manager.converse("Hello")
    assert codes(third.attempts) == ["AccessDeniedException", None]
    assert sleeps == []


def test_access_denied_everywhere_fails_without_rounds(
    make: Any, runtime: Runtime, sleeps: list[float]
) -> None:
    runtime.fail(E1, "AccessDeniedException")
    runtime.fail(W2, "AccessDeniedException")
    manager = make()
    with pytest.raises(AllTargetsFailedError) as caught:
        manager.converse("Hello")
    assert codes(caught.value.attempts) == ["AccessDeniedException"] * 2
    assert sleeps == []
    with pytest.raises(AllTargetsFailedError) as again:
        manager.converse("Hello")
    assert again.value.attempts == ()
    assert len(runtime.calls()) == 2


def test_a_stale_catalog_heals_through_a_profile_in_the_same_region(
    make: Any, runtime: Runtime
) -> None:
    runtime.require_profile(E1, PRO)  # the catalog still says ON_DEMAND
    manager = make()
    first = manager.converse("Hello")
    assert (first.region, first.model_id_used) == (E1, PRO_US)
    assert first.access_method is AccessMethod.REGIONAL_PROFILE
    assert codes(first.attempts) == ["ValidationException", None]
    for _ in range(3):
        later = manager.converse("Hello")
        assert [(a.region, a.model_id) for a in later.attempts] == [(E1, PRO_US)]
    assert runtime.targets() == [(E1, PRO), (E1, PRO_US), (E1, PRO_US), (E1, PRO_US), (E1, PRO_US)]
    assert manager.targets[0].model_id == PRO_US


def test_a_stale_catalog_without_a_profile_moves_on_and_remembers(
    make: Any, runtime: Runtime
) -> None:
    runtime.require_profile(E1, OPUS)  # the catalog has no profile for Opus
    manager = make(["Claude 3 Opus"])
    first = manager.converse("Hello")
    assert first.region == W2
    assert codes(first.attempts) == ["ValidationException", None]
    manager.converse("Hello")
    assert runtime.targets() == [(E1, OPUS), (W2, OPUS), (W2, OPUS)]


def test_an_invalid_model_identifier_moves_to_the_next_target(
    make: Any, runtime: Runtime, sleeps: list[float]
) -> None:
    runtime.remove(E1, PRO)
    response = make().converse("Hello")
    assert response.region == W2
    assert response.attempts[0].message == "The provided model identifier is invalid."


def test_any_other_validation_error_is_raised_at_once(make: Any, runtime: Runtime) -> None:
    with pytest.raises(RequestError) as caught:
        make(["Nova Pro", "Claude Haiku 4.5"]).converse(
            messages=[{"role": "assistant", "content": [{"text": "Hi"}]}]
        )
    assert caught.value.error_code == "ValidationException"
    assert codes(caught.value.attempts) == ["ValidationException"]
    assert len(runtime.calls()) == 1


def test_a_request_the_service_cannot_parse_is_raised_at_once(make: Any, runtime: Runtime) -> None:
    runtime.fail(E1, "SerializationException")  # any 400 that is not about credentials
    runtime.fail(W2, "SerializationException")
    with pytest.raises(RequestError) as caught:
        make().converse("Hello")
    assert caught.value.error_code == "SerializationException"
    assert len(runtime.calls()) == 1


def test_the_prompt_may_be_passed_by_keyword(make: Any) -> None:
    assert make().converse(prompt="Hello").text.startswith("Hello from")


def test_a_malformed_request_is_raised_before_anything_is_sent(
    make: Any, server: BedrockServer, runtime: Runtime
) -> None:
    before = server.count()
    manager = make()
    with pytest.raises(RequestError) as caught:
        manager.converse("Hi", inference_config={"maxTokens": "many"})
    assert caught.value.error_code == "ParamValidationError"
    assert caught.value.attempts == ()
    with pytest.raises(RequestValidationError) as malformed:
        manager.converse(messages=[{"role": "user", "content": "not a list"}])
    assert malformed.value.validation_errors == ["Message 0 content must be a list"]
    assert server.count() == before


# -- streaming ----------------------------------------------------------------------------------


def test_a_stream_yields_boto3_events_and_exposes_text_and_usage(
    make: Any, runtime: Runtime
) -> None:
    stream = make().converse_stream("Hello")
    assert (stream.region, stream.model_id_used, stream.model.name) == (E1, PRO, "Nova Pro")
    events = list(stream.events())
    assert next(iter(events[0])) == "messageStart"
    assert stream.text == f"Hello from {PRO} in {E1}."
    assert stream.get_full_content() == stream.text and stream.success
    assert stream.stop_reason == "end_turn"
    assert stream.usage["outputTokens"] > 0
    assert codes(stream.attempts) == [None]
    assert runtime.calls()[0].operation == "ConverseStream"


def test_a_stream_fails_over_on_an_error_before_the_first_event(
    make: Any, runtime: Runtime
) -> None:
    runtime.fail(E1, "ThrottlingException", times=1, operation="ConverseStream")
    stream = make().converse_stream("Hello")
    assert stream.region == W2
    assert codes(stream.attempts) == ["ThrottlingException", None]
    assert stream.text == ""
    list(stream)
    assert stream.text.endswith(f"in {W2}.")


def test_a_stream_fails_over_on_an_in_stream_error_before_the_first_event(
    make: Any, runtime: Runtime
) -> None:
    runtime.stream_error(E1, after_events=0, exception_type="serviceUnavailableException")
    stream = make().converse_stream("Hello")
    assert stream.region == W2
    assert codes(stream.attempts) == ["ServiceUnavailableException", None]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("corrupt", "ChecksumMismatch"), ("stall", "ReadTimeoutError"), ("cut", "StreamEndedError")],
)
def test_a_stream_fails_over_on_a_transport_failure_before_the_first_event(
    make: Any, runtime: Runtime, mode: str, expected: str
) -> None:
    # botocore leaves these unwrapped while the first event is read: urllib3's read timeout,
    # the event-stream parser's checksum error; a body cut inside its first frame just ends.
    runtime.stream_break(E1, mode, stall_seconds=1.0)
    stream = make(read_timeout=0.2).converse_stream("Hello")
    assert stream.region == W2
    assert codes(stream.attempts) == [expected, None]
    assert runtime.targets() == [(E1, PRO), (W2, PRO)]
    list(stream)


def test_an_in_stream_error_after_the_first_event_is_raised_as_is(
    make: Any, runtime: Runtime
) -> None:
    runtime.stream_error(E1, after_events=2, exception_type="modelStreamErrorException")
    stream = make().converse_stream("Hello")
    received = []
    with pytest.raises(StreamInterruptedError) as caught:
        for chunk in stream:
            received.append(chunk)
    assert received == ["Hello from "]
    assert caught.value.partial_content == "Hello from "
    assert "modelStreamErrorException" in str(stream.get_stream_errors()[0])
    assert stream.success is False and stream.text == "Hello from "
    assert [e["recovered"] for e in stream.get_mid_stream_exceptions()] == [False]
    assert runtime.targets() == [(E1, PRO)]  # no failover after output was handed out


def test_a_stream_skips_models_that_do_not_stream(
    make: Any, runtime_catalog: BedrockModelCatalog
) -> None:
    snapshot = runtime_catalog.catalog
    models = [
        m.replace(streaming_supported=False) if m.model_id == PRO else m
        for m in snapshot.models.values()
    ]
    manager = make(
        ["Nova Pro", "Claude Haiku 4.5"], [E1], catalog=Catalog(models, snapshot.metadata)
    )
    stream = manager.converse_stream("Hello")
    assert stream.model_id_used == "us." + HAIKU
    assert codes(stream.attempts) == [None]
    assert manager.converse("Hello").model_id_used == PRO


# -- threads ------------------------------------------------------------------------------------


def test_eight_threads_share_one_manager(make: Any, runtime: Runtime) -> None:
    runtime.fail(E1, "ThrottlingException", times=8)
    manager = make(["Nova Pro", "Claude Haiku 4.5"])
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work() -> None:
        try:
            start.wait()
            for _ in range(5):
                results.append(manager.converse("Hello"))
                stream = manager.converse_stream("Hello")
                list(stream)
                results.append(stream)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 80
    assert all(r.text.startswith("Hello from") for r in results)
    # A ConnectionClosedError (the local server closing a pooled connection as it is reused)
    # is recorded but reaches no handler; every answered attempt reached one.
    answered = [
        a for r in results for a in r.attempts if a.error_code in (None, "ThrottlingException")
    ]
    assert len(answered) == len(runtime.calls()) == 88
    assert sum(r.region == W2 for r in results) == 8
    assert len(manager._clients) == 2


# -- imports ------------------------------------------------------------------------------------


def test_importing_the_manager_does_not_import_boto3() -> None:
    code = (
        "import sys, bestehorn_llmmanager.llm_manager as m; "
        "from bestehorn_llmmanager import LLMManager; "
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
