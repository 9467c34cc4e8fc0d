"""The parallel layer's data, its region scheduler and its batch runner (no network here; the
manager itself is tested against the local server in test_parallel.py)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bestehorn_llmmanager._parallel._run import run_batch
from bestehorn_llmmanager._parallel._schedule import Scheduler
from bestehorn_llmmanager.bedrock.models.parallel_structures import (
    BedrockConverseRequest,
    FailureHandlingStrategy,
    LoadBalancingStrategy,
    ParallelExecutionStats,
    ParallelProcessingConfig,
)

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")


def _message(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"text": text}]}]


# -- BedrockConverseRequest -----------------------------------------------------------------------


def test_identical_requests_made_at_once_get_distinct_ids() -> None:
    ids = {BedrockConverseRequest(messages=_message("same")).request_id for _ in range(2000)}
    assert len(ids) == 2000
    first = next(iter(ids))
    assert first is not None and first.startswith("req_")


def test_bytes_content_can_be_hashed_for_the_id() -> None:
    blob = {"role": "user", "content": [{"image": {"format": "png", "source": {"bytes": b"\x89"}}}]}
    assert BedrockConverseRequest(messages=[blob]).request_id


def test_converse_args_leave_out_none_and_keep_0_9s_keywords() -> None:
    request = BedrockConverseRequest(
        messages=_message("hi"),
        inference_config={"maxTokens": 10},
        guardrail_config=None,
        output_config={"textFormat": {"type": "json_schema"}},
    )
    assert request.to_converse_args() == {
        "messages": _message("hi"),
        "inference_config": {"maxTokens": 10},
        "output_config": {"textFormat": {"type": "json_schema"}},
    }


def test_0_9s_positional_order_is_unchanged() -> None:
    request = BedrockConverseRequest(_message("a"), [{"text": "sys"}], {"maxTokens": 5})
    assert request.system == [{"text": "sys"}] and request.inference_config == {"maxTokens": 5}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    system=st.none() | st.lists(st.fixed_dictionaries({"text": st.text(max_size=10)}), max_size=2),
    inference=st.none()
    | st.dictionaries(st.sampled_from(["maxTokens", "topP"]), st.integers(1, 99)),
    metadata=st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    fields=st.none() | st.dictionaries(st.text(max_size=5), json_values, max_size=3),
    request_id=st.none() | st.text(min_size=1, max_size=12),
)
def test_to_dict_from_dict_round_trip(
    system: Any, inference: Any, metadata: Any, fields: Any, request_id: str | None
) -> None:
    request = BedrockConverseRequest(
        messages=_message("x"),
        system=system,
        inference_config=inference,
        request_metadata=metadata,
        additional_model_request_fields=fields,
        request_id=request_id,
    )
    again = BedrockConverseRequest.from_dict(request.to_dict())
    assert again.to_dict() == request.to_dict()
    assert again.request_id == request.request_id


def test_from_dict_names_the_missing_messages() -> None:
    with pytest.raises(ValueError, match="'messages' key is required"):
        BedrockConverseRequest.from_dict({"system": []})


def test_record_failure_and_can_retry() -> None:
    request = BedrockConverseRequest(messages=_message("x"), max_retries=1)
    assert request.can_retry(5) and request.get_last_failure() is None
    request.record_failure(RuntimeError("boom"), model="m", region="us-east-1")
    entry = request.get_last_failure()
    assert (
        entry is not None and entry.attempt_number == 1 and entry.exception_type == "RuntimeError"
    )
    assert entry.to_dict()["region"] == "us-east-1" and "exception" not in entry.to_dict()
    assert not request.can_retry(5)  # the request's own limit wins


def test_an_empty_request_id_is_refused() -> None:
    with pytest.raises(ValueError, match="request_id"):
        BedrockConverseRequest(messages=_message("x"), request_id="")


# -- ParallelProcessingConfig / stats ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_concurrent_requests": 0}, "max_concurrent_requests"),
        ({"max_concurrent_requests": True}, "max_concurrent_requests"),
        ({"request_timeout_seconds": 0}, "request_timeout_seconds"),
        ({"failure_threshold": 1.5}, "failure_threshold"),
        ({"load_balancing_strategy": "fastest"}, "load_balancing_strategy"),
    ],
)
def test_config_refuses_bad_values_by_name(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ParallelProcessingConfig(**kwargs)


def test_config_defaults_are_0_9s_and_strategy_strings_are_read() -> None:
    config = ParallelProcessingConfig(failure_handling_strategy="stop_on_threshold")  # type: ignore[arg-type]
    assert config.failure_handling_strategy is FailureHandlingStrategy.STOP_ON_THRESHOLD
    default = ParallelProcessingConfig()
    assert (default.max_concurrent_requests, default.request_timeout_seconds) == (5, 300)
    assert default.load_balancing_strategy is LoadBalancingStrategy.ROUND_ROBIN


def test_stats_rates() -> None:
    stats = ParallelExecutionStats(4, 3, 1, 1.0, 2.0, 0.5, 4, {"us-east-1": 3})
    assert stats.success_rate == 75.0 and stats.failure_rate == 25.0
    assert stats.to_dict()["region_distribution"] == {"us-east-1": 3}
    assert ParallelExecutionStats(0, 0, 0, 0, 0, 0, 0).success_rate == 0.0


# -- Scheduler -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Attempt:
    region: str
    error_code: str | None


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_round_robin_spreads_first_regions_evenly_and_keeps_every_region() -> None:
    scheduler = Scheduler(REGIONS)
    orders = [scheduler.order() for _ in range(8)]
    assert [o[0] for o in orders] == list(REGIONS) * 2
    assert all(sorted(o) == sorted(REGIONS) for o in orders)


def test_a_throttled_region_goes_last_until_its_cooldown_ends() -> None:
    clock = _Clock()
    scheduler = Scheduler(REGIONS, cooldown=5.0, clock=clock)
    first = scheduler.order()
    scheduler.done(
        first[0], [_Attempt("us-east-1", "ThrottlingException"), _Attempt("us-west-2", None)]
    )
    assert scheduler.cooling() == ("us-east-1",)
    orders = [scheduler.order() for _ in range(6)]
    assert all(o[0] != "us-east-1" and o[-1] == "us-east-1" for o in orders)
    clock.now = 5.01
    assert "us-east-1" in [scheduler.order()[0] for _ in range(4)]


def test_when_every_region_cools_the_order_is_still_complete() -> None:
    scheduler = Scheduler(REGIONS, clock=_Clock())
    scheduler.done("us-east-1", [_Attempt(r, "ThrottlingException") for r in REGIONS])
    assert sorted(scheduler.order()) == sorted(REGIONS)


def test_other_errors_do_not_cool_a_region() -> None:
    scheduler = Scheduler(REGIONS, clock=_Clock())
    scheduler.done("us-east-1", [_Attempt("us-east-1", "AccessDeniedException")])
    assert scheduler.cooling() == ()


def test_least_loaded_picks_the_region_with_fewest_requests_in_flight() -> None:
    scheduler = Scheduler(REGIONS, LoadBalancingStrategy.LEAST_LOADED)
    firsts = [scheduler.order()[0] for _ in range(4)]
    assert sorted(firsts) == sorted(REGIONS)
    scheduler.done("eu-west-1")
    assert scheduler.order()[0] == "eu-west-1"


def test_random_uses_the_injected_choice() -> None:
    scheduler = Scheduler(REGIONS, LoadBalancingStrategy.RANDOM, choice=lambda pool: pool[-1])
    order = scheduler.order()
    assert order[0] == REGIONS[-1] and sorted(order) == sorted(REGIONS)


def test_assignment_counts_follow_the_width() -> None:
    scheduler = Scheduler(REGIONS)
    for _ in range(4):
        scheduler.order(width=2)
    assert scheduler.assignment_counts() == dict.fromkeys(REGIONS, 2)


# -- run_batch -------------------------------------------------------------------------------------


@dataclass
class _Answer:
    success: bool
    attempts: Sequence[Any] = field(default_factory=tuple)


def _run(
    requests: list[BedrockConverseRequest], send: Any, workers: int = 1, **options: Any
) -> dict[str, Any]:
    """run_batch with a fail() that answers unsuccessfully and round-robin over REGIONS."""
    return run_batch(
        requests,
        send=send,
        fail=lambda r, e, s: _Answer(False),
        scheduler=Scheduler(REGIONS),
        workers=workers,
        width=1,
        **options,
    )


def test_every_request_is_sent_once_with_bounded_concurrency() -> None:
    lock = threading.Lock()
    in_flight, peak, sent = [0], [0], []
    release = threading.Event()
    started = threading.Semaphore(0)

    def send(request: BedrockConverseRequest, order: tuple[str, ...]) -> _Answer:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
            sent.append(request.request_id)
        started.release()
        release.wait(5)
        with lock:
            in_flight[0] -= 1
        return _Answer(True)

    requests = [BedrockConverseRequest(messages=_message(str(i))) for i in range(20)]
    result: dict[str, Any] = {}
    runner = threading.Thread(target=lambda: result.update(_run(requests, send, workers=3)))
    runner.start()
    for _ in range(3):
        assert started.acquire(timeout=5)
    assert not started.acquire(timeout=0.05)  # a fourth cannot start while three are in flight
    release.set()
    runner.join(10)
    assert peak[0] == 3
    assert sorted(sent) == sorted(r.request_id for r in requests)  # each exactly once
    assert set(result) == {r.request_id for r in requests}


def test_a_raising_send_becomes_that_requests_answer() -> None:
    def send(request: BedrockConverseRequest, order: tuple[str, ...]) -> _Answer:
        raise RuntimeError(f"no answer for {request.request_id}")

    requests = [BedrockConverseRequest(messages=_message("x"))]
    outcomes = _run(requests, send, workers=2)
    outcome = outcomes[requests[0].request_id or ""]
    assert outcome.sent and isinstance(outcome.error, RuntimeError)
    assert outcome.response.success is False


def test_a_stop_rule_ends_dispatching_and_the_rest_is_answered_not_sent() -> None:
    sent: list[str] = []

    def send(request: BedrockConverseRequest, order: tuple[str, ...]) -> _Answer:
        sent.append(request.request_id or "")
        return _Answer(False)

    requests = [BedrockConverseRequest(messages=_message(str(i))) for i in range(10)]
    outcomes = _run(requests, send, workers=1, stop_after=lambda failed, total: failed >= 1)
    assert len(sent) == 1
    assert len(outcomes) == 10
    assert sum(1 for o in outcomes.values() if not o.sent) == 9


def test_the_parallel_names_import_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bestehorn_llmmanager as b;"
        "b.ParallelLLMManager; b.ParameterCompatibilityTracker;"
        "import bestehorn_llmmanager.parallel_llm_manager, bestehorn_llmmanager.bedrock.tracking;"
        "import bestehorn_llmmanager.bedrock.models.parallel_structures;"
        "import bestehorn_llmmanager.bedrock.exceptions.parallel_exceptions;"
        "import bestehorn_llmmanager.util.streaming_display;"
        "print(sorted(m for m in ('boto3', 'botocore', 'urllib3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_interrupt_sends_nothing_more() -> None:
    class Interrupt(BaseException):  # stands for KeyboardInterrupt, which pytest would act on
        pass

    sent: list[str] = []

    def send(request: BedrockConverseRequest, order: tuple[str, ...]) -> _Answer:
        if not sent:
            sent.append(request.request_id or "")
            raise Interrupt
        sent.append(request.request_id or "")
        return _Answer(True)

    requests = [BedrockConverseRequest(messages=_message(str(i))) for i in range(10)]
    with pytest.raises(Interrupt):
        _run(requests, send, workers=1)
    assert sent == [requests[0].request_id]  # nothing was sent after the interrupt
