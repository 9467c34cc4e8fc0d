"""ParallelLLMManager through the real boto3 client against the local runtime server: each request
sent once, spread over regions, a throttled region left at once and then avoided, 0.9's results."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import boto3
import pytest

from bestehorn_llmmanager import LLMManager, ParallelLLMManager
from bestehorn_llmmanager._errors import LLMManagerError, RequestValidationError
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
from bestehorn_llmmanager.bedrock.exceptions.parallel_exceptions import (
    ParallelConfigurationError,
    ParallelExecutionError,
    ParallelProcessingError,
    RegionDistributionError,
    RequestIdCollisionError,
)
from bestehorn_llmmanager.bedrock.exceptions.parallel_exceptions import (
    RequestValidationError as ParallelRequestValidationError,
)
from bestehorn_llmmanager.bedrock.models.parallel_structures import (
    BedrockConverseRequest,
    FailureHandlingStrategy,
    LoadBalancingStrategy,
    ParallelProcessingConfig,
)
from tests.bedrock_runtime import CONVERSE, Runtime
from tests.bedrock_server import BedrockServer

REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]
HAIKU = "Claude Haiku 4.5"


def _requests(count: int, prefix: str = "r") -> list[BedrockConverseRequest]:
    return [
        BedrockConverseRequest(
            request_id=f"{prefix}{n}", messages=[{"role": "user", "content": [{"text": f"q{n}"}]}]
        )
        for n in range(count)
    ]


def _parallel(catalog: BedrockModelCatalog, workers: int = 4, **config: Any) -> ParallelLLMManager:
    return ParallelLLMManager(
        models=[HAIKU],
        regions=REGIONS,
        parallel_config=ParallelProcessingConfig(max_concurrent_requests=workers, **config),
        catalog=catalog,
    )


def test_every_request_is_answered_once_and_spread_over_the_regions(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    batch = _parallel(runtime_catalog).converse_parallel(_requests(30))
    assert batch.success and batch.get_success_rate() == 100.0
    assert set(batch.request_responses) == {f"r{n}" for n in range(30)}
    calls = runtime.calls(operation=CONVERSE)
    assert len(calls) == 30  # one request each, nothing sent twice
    for response in batch.request_responses.values():
        assert response.get_attempt_count() == 1
        assert (
            response.get_content() == f"Hello from {response.model_used} in {response.region_used}."
        )
    stats = batch.parallel_execution_stats
    assert stats is not None
    assert stats.region_distribution == dict.fromkeys(REGIONS, 10)  # round robin
    assert stats.access_method_distribution == {"regional_cris": 30}
    assert stats.successful_requests == 30 and stats.concurrent_executions == 4
    assert stats.min_request_duration_ms <= stats.average_request_duration_ms
    assert batch.get_total_tokens_used()["total_tokens"] > 0
    assert batch.failed_requests == [] and batch.get_retryable_request_ids() == []


def test_a_region_throttling_everything_is_left_at_once_and_the_others_absorb_it(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    runtime.fail("us-east-1", "ThrottlingException")
    workers = 4
    batch = _parallel(runtime_catalog, workers=workers).converse_parallel(_requests(40))
    assert batch.success and batch.get_success_rate() == 100.0
    throttled = runtime.calls(region="us-east-1", operation=CONVERSE)
    # Only requests that started before the first throttle came back went there, once each.
    assert 1 <= len(throttled) <= workers
    assert len(runtime.calls(operation=CONVERSE)) == 40 + len(throttled)
    stats = batch.parallel_execution_stats
    assert stats is not None
    assert set(stats.region_distribution) == {"us-west-2", "eu-west-1"}
    assert abs(stats.region_distribution["us-west-2"] - stats.region_distribution["eu-west-1"]) <= (
        workers
    )
    for response in batch.request_responses.values():
        codes = [a.error_code for a in response.attempts]
        assert codes in ([None], ["ThrottlingException", None])  # left at once, never retried


def test_failures_are_answers_with_their_attempts_and_nothing_is_resent(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    for region in REGIONS:
        runtime.fail(
            region, "ResourceNotFoundException"
        )  # 404: not transient, not the request's fault
    batch = _parallel(runtime_catalog, workers=2).converse_parallel(_requests(5))
    assert not batch.success and batch.get_success_rate() == 0.0
    assert sorted(batch.failed_request_ids) == [f"r{n}" for n in range(5)]
    sent = sum(r.get_attempt_count() for r in batch.request_responses.values())
    assert sent == len(runtime.calls(operation=CONVERSE))  # every send is in a response
    for request_id, response in batch.request_responses.items():
        assert response.success is False
        assert response.get_warnings()[0].startswith(f"Request {request_id} failed")
        assert response.get_last_error() is not None
        assert {a.region for a in response.attempts} == set(REGIONS)
        original = batch.original_requests[request_id]
        assert original.retry_count == 1 and len(original.failure_history) == 1
    assert (
        batch.get_failed_by_exception_type(
            type(batch.request_responses["r0"].get_last_error()).__name__
        )
        == batch.get_failed_responses()
    )


def test_stop_on_first_failure_stops_sending_and_keeps_every_answer(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    for region in REGIONS:
        runtime.fail(region, "ResourceNotFoundException", times=1)  # only the first request fails
    manager = _parallel(
        runtime_catalog,
        workers=1,
        failure_handling_strategy=FailureHandlingStrategy.STOP_ON_FIRST_FAILURE,
    )
    with pytest.raises(ParallelExecutionError, match="first failure") as caught:
        manager.converse_parallel(_requests(6))
    error = caught.value
    batch = error.parallel_response
    assert batch is not None and len(batch.request_responses) == 6
    assert len(runtime.calls(operation=CONVERSE)) == 3  # r0 in each region, then nothing
    not_sent = [r for r in batch.request_responses.values() if "was not sent" in r.warnings[0]]
    assert len(not_sent) == 5
    assert error.get_failed_requests() == batch.failed_requests and error.total_requests == 6
    assert isinstance(error, ParallelProcessingError) and isinstance(error, LLMManagerError)

    # The retry sends the unsent and the failed ones, once each, and merges.
    runtime.reset()
    merged = manager.retry_failed_requests(batch)
    assert merged.success and len(merged.successful_request_ids) == 6
    assert len(runtime.calls(operation=CONVERSE)) == 6


def test_stop_on_threshold(runtime_catalog: BedrockModelCatalog, runtime: Runtime) -> None:
    for region in REGIONS:
        runtime.fail(region, "ResourceNotFoundException")
    manager = _parallel(
        runtime_catalog,
        workers=1,
        failure_handling_strategy=FailureHandlingStrategy.STOP_ON_THRESHOLD,
        failure_threshold=0.25,
    )
    with pytest.raises(ParallelExecutionError, match=r"exceeding threshold 25\.0%") as caught:
        manager.converse_parallel(_requests(8))
    batch = caught.value.parallel_response
    assert batch is not None
    sent = {c.region for c in runtime.calls(operation=CONVERSE)}
    assert sent == set(REGIONS)
    # 3 failures are needed to pass 25% of 8; the rest was never sent.
    assert sum(1 for r in batch.request_responses.values() if r.get_attempt_count()) == 3


def test_continue_on_failure_returns_partial_results(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    for region in REGIONS:
        runtime.fail(region, "ResourceNotFoundException", times=1)
    batch = _parallel(runtime_catalog, workers=1).converse_parallel(_requests(4))
    assert batch.success  # 0.9: at least one success
    assert batch.failed_request_ids == ["r0"] and len(batch.successful_request_ids) == 3


def test_retry_failed_requests_keeps_earlier_successes_and_honours_the_filter(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    for region in REGIONS:
        runtime.fail(region, "ResourceNotFoundException", times=2)
    manager = _parallel(runtime_catalog, workers=1)
    first = manager.converse_parallel(_requests(5))
    assert sorted(first.failed_request_ids) == ["r0", "r1"]
    kept = first.request_responses["r4"]
    runtime.reset()
    merged = manager.retry_failed_requests(first, filter_func=lambda rid, resp: rid == "r1")
    assert len(runtime.calls(operation=CONVERSE)) == 1  # only r1 was sent again
    assert merged.failed_request_ids == ["r0"]
    assert merged.request_responses["r4"] is kept
    assert merged.request_responses["r1"].success
    assert len(merged.request_responses) == 5


def test_retry_with_nothing_to_retry_is_an_error() -> None:
    from bestehorn_llmmanager.bedrock.models.parallel_structures import ParallelResponse

    manager = object.__new__(ParallelLLMManager)
    with pytest.raises(ValueError, match="No failed or timed-out requests"):
        manager.retry_failed_requests(ParallelResponse(success=True))


def test_bad_batches_are_refused_before_anything_is_sent(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    manager = _parallel(runtime_catalog)
    with pytest.raises(ParallelRequestValidationError, match="cannot be empty"):
        manager.converse_parallel([])
    with pytest.raises(RequestIdCollisionError, match="ID 'same0': 2 requests") as collision:
        manager.converse_parallel(_requests(1, "same") + _requests(1, "same"))
    assert collision.value.get_collision_count() == 1
    bad = BedrockConverseRequest(
        request_id="bad",
        messages=[{"role": "robot", "content": [{"nothing": 1}]}],
        inference_config={"maxTokens": 0},
    )
    with pytest.raises(ParallelRequestValidationError) as caught:
        manager.converse_parallel([*_requests(2), bad])
    problems = caught.value.get_validation_errors()
    assert any("role 'robot'" in p for p in problems)
    assert any("block 0 holds no content" in p for p in problems)
    assert any("maxTokens must be a positive integer" in p for p in problems)
    assert isinstance(caught.value, RequestValidationError)  # one except for both paths
    with pytest.raises(RegionDistributionError, match="has 3 regions") as shortage:
        manager.converse_parallel(_requests(1), target_regions_per_request=5)
    assert shortage.value.get_shortage() == 2
    assert runtime.calls() == []


def test_construction_errors_name_the_argument() -> None:
    with pytest.raises(ParallelConfigurationError, match="No models") as caught:
        ParallelLLMManager(models=[], regions=REGIONS)
    assert caught.value.get_invalid_parameter() == "models"
    with pytest.raises(ParallelConfigurationError, match="not the string"):
        ParallelLLMManager(models=[HAIKU], regions="us-east-1")
    with pytest.raises(ParallelConfigurationError, match="ParallelProcessingConfig"):
        ParallelLLMManager(models=[HAIKU], regions=REGIONS, parallel_config={"x": 1})  # type: ignore[arg-type]


class _CountingSession(boto3.session.Session):
    """A real session that counts the runtime clients made from it."""

    def __init__(self) -> None:
        super().__init__()
        self.runtime_clients = 0
        self._lock = threading.Lock()

    def client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if service_name == "bedrock-runtime":
            with self._lock:
                self.runtime_clients += 1
        return super().client(service_name, *args, **kwargs)


def test_one_shared_llm_manager_and_one_client_per_region(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    session = _CountingSession()
    llm = LLMManager(models=[HAIKU], regions=REGIONS, catalog=runtime_catalog, session=session)
    manager = ParallelLLMManager(
        llm_manager=llm, parallel_config=ParallelProcessingConfig(max_concurrent_requests=8)
    )
    assert manager.get_underlying_llm_manager() is llm
    assert manager.get_available_models() == [HAIKU]
    assert manager.get_available_regions() == REGIONS
    for _ in range(2):
        assert manager.converse_parallel(_requests(24)).success
    assert session.runtime_clients == len(REGIONS)
    with pytest.raises(ParallelConfigurationError, match="not both"):
        ParallelLLMManager(llm_manager=llm, catalog=runtime_catalog)


def test_least_loaded_and_random_answer_every_request(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    for strategy in (LoadBalancingStrategy.LEAST_LOADED, LoadBalancingStrategy.RANDOM):
        runtime.reset()
        batch = _parallel(runtime_catalog, load_balancing_strategy=strategy).converse_parallel(
            _requests(12)
        )
        assert batch.success and len(runtime.calls(operation=CONVERSE)) == 12


def test_a_request_past_its_timeout_is_reported_timed_out(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    server, _ = runtime_server
    for region in REGIONS:
        server.set_latency(region, 3.0)
    manager = ParallelLLMManager(
        models=[HAIKU],
        regions=REGIONS,
        timeout=1,  # 0.9's per-request bound, given to the LLMManager
        parallel_config=ParallelProcessingConfig(max_concurrent_requests=2),
        catalog=runtime_catalog,
    )
    batch = manager.converse_parallel(_requests(2))
    assert sorted(batch.timed_out_request_ids) == ["r0", "r1"]
    assert batch.failed_request_ids == [] and sorted(batch.failed_requests) == ["r0", "r1"]
    for response in batch.request_responses.values():
        assert "timed out after" in response.get_warnings()[0]
        assert all(a.error_code == "DeadlineExceeded" for a in response.attempts)
    assert batch.total_duration_ms < 2900  # ended by the bound, not by the server's answer


def test_request_timeout_seconds_bounds_each_request(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    server, _ = runtime_server
    for region in REGIONS:
        server.set_latency(region, 2.0)
    manager = _parallel(runtime_catalog, workers=2, request_timeout_seconds=0.3)
    batch = manager.converse_parallel(_requests(2))
    assert sorted(batch.timed_out_request_ids) == ["r0", "r1"]
    assert batch.total_duration_ms < 1900  # each request ended at its own bound, not the server's
    for response in batch.request_responses.values():
        assert "timed out after 0.3 seconds" in response.get_warnings()[0]


def test_0_9_accessors(runtime_catalog: BedrockModelCatalog, runtime: Runtime) -> None:
    manager = _parallel(runtime_catalog, workers=10)
    assert manager.get_parallel_config().max_concurrent_requests == 10
    report = manager.validate_configuration()
    assert report["max_concurrent_requests"] == 10
    assert report["load_balancing_strategy"] == "round_robin"
    assert report["parallel_warnings"] and "High concurrency" in report["parallel_warnings"][0]
    assert report["parallel_config_valid"] is True and "valid" in report
    single = manager.converse_with_request(_requests(1)[0])
    assert single.success and single.get_content()
    assert "ParallelLLMManager(models=1, regions=3, max_concurrent=10" in repr(manager)
    manager.refresh_model_data()  # the local server answers: no error
    batch = manager.converse_parallel(_requests(3))
    assert batch.to_dict()["success"] is True
    assert batch.get_access_method_statistics()["regional_cris_count"] == 3
    assert batch.get_profile_usage_details()["requests_using_profiles"] == ["r0", "r1", "r2"]
    assert batch.get_average_latency() is not None


def test_a_failed_refresh_is_a_parallel_processing_error(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    fixed = runtime_catalog.catalog  # an immutable Catalog: the manager cannot refresh it
    manager = ParallelLLMManager(models=[HAIKU], regions=REGIONS, catalog=fixed)
    with pytest.raises(ParallelProcessingError, match="Failed to refresh model data") as caught:
        manager.refresh_model_data()
    assert isinstance(caught.value.__cause__, LLMManagerError)


def test_0_9_readme_parallel_snippet_runs_unchanged(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    from tests.bedrock_runtime import install
    from tests.test_reference_examples import REFERENCE, _environment

    text = (REFERENCE / "readme_parallel.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    with BedrockServer.from_directory(REFERENCE / "world") as server:
        runtime = install(server)
        result = subprocess.run(
            [sys.executable, str(script)],
            env=_environment(tmp_path, server),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        calls = runtime.calls(operation=CONVERSE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Success rate: 10000.0%"  # 0.9's percent through its ".1%" format
    for n in range(3):
        assert any(line.startswith(f"question-{n}: Hello from ") for line in lines), n
    assert len(calls) == 3  # three requests, each sent once
    assert {c.region for c in calls} == {"us-east-1", "us-west-2", "eu-west-1"}


def test_regions_no_model_reaches_get_no_share(
    runtime_catalog: BedrockModelCatalog, runtime: Runtime
) -> None:
    # Claude Haiku 4.5 is not offered in ap-northeast-1 in this world.
    manager = ParallelLLMManager(
        models=[HAIKU],
        regions=[*REGIONS, "ap-northeast-1"],
        parallel_config=ParallelProcessingConfig(max_concurrent_requests=4),
        catalog=runtime_catalog,
    )
    batch = manager.converse_parallel(_requests(30))
    stats = batch.parallel_execution_stats
    assert stats is not None and stats.region_distribution == dict.fromkeys(REGIONS, 10)
    assert len(runtime.calls(operation=CONVERSE)) == 30
