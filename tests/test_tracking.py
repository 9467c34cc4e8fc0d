"""The process-wide trackers: ParameterCompatibilityTracker (what parameters a (model id,
region) accepted) and AccessMethodTracker (which access method answered there)."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bestehorn_llmmanager import ParameterCompatibilityTracker
from bestehorn_llmmanager._errors import RetryExhaustedError
from bestehorn_llmmanager._tracking import AccessMethodTracker
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
from bestehorn_llmmanager.bedrock.tracking import (
    ParameterCompatibilityTracker as TrackerAt09Path,
)
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer

MODEL = "anthropic.claude-haiku-4-5-20251001-v1:0"


def test_the_09_path_is_the_same_class_and_get_instance_is_one_tracker() -> None:
    assert TrackerAt09Path is ParameterCompatibilityTracker
    assert (
        ParameterCompatibilityTracker.get_instance() is ParameterCompatibilityTracker.get_instance()
    )
    assert ParameterCompatibilityTracker() is not ParameterCompatibilityTracker.get_instance()


def test_only_a_recorded_failure_is_known_incompatible() -> None:
    tracker = ParameterCompatibilityTracker()
    fields = {"anthropic_beta": ["context-1m-2025-08-07"]}
    assert not tracker.is_known_incompatible(MODEL, "us-east-1", fields)
    tracker.record_failure(MODEL, "us-east-1", fields, ValueError("rejected"))
    assert tracker.is_known_incompatible(MODEL, "us-east-1", fields)
    assert not tracker.is_known_incompatible(MODEL, "us-west-2", fields)  # other region
    assert not tracker.is_known_incompatible(MODEL, "us-east-1", {"other": 1})  # other fields
    tracker.record_success(MODEL, "us-east-1", fields)  # the latest answer wins
    assert not tracker.is_known_incompatible(MODEL, "us-east-1", fields)
    assert tracker.is_known_compatible(MODEL, "us-east-1", fields)


def test_statistics_have_0_9s_keys_and_counts() -> None:
    tracker = ParameterCompatibilityTracker()
    tracker.record_success(MODEL, "us-east-1", {"a": 1})
    tracker.record_failure(MODEL, "eu-west-1", {"a": 1}, RuntimeError("x"))
    tracker.record_failure("meta.llama3-8b-instruct-v1:0", "eu-west-1", {"b": 2})
    assert tracker.get_statistics() == {
        "total_combinations": 3,
        "compatible_count": 1,
        "incompatible_count": 2,
        "models_tracked": sorted([MODEL, "meta.llama3-8b-instruct-v1:0"]),
        "regions_tracked": ["eu-west-1", "us-east-1"],
    }
    tracker.clear()
    assert tracker.get_statistics()["total_combinations"] == 0


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6))
def test_key_order_never_matters(fields: dict[str, object]) -> None:
    tracker = ParameterCompatibilityTracker()
    tracker.record_failure(MODEL, "us-east-1", fields)
    reordered = dict(reversed(list(fields.items())))
    assert tracker.is_known_incompatible(MODEL, "us-east-1", reordered)


def test_values_json_cannot_hold_are_refused_by_name() -> None:
    tracker = ParameterCompatibilityTracker()
    with pytest.raises(TypeError, match="not JSON values"):
        tracker.record_success(MODEL, "us-east-1", {"blob": b"\x00"})
    with pytest.raises(TypeError, match="additionalModelRequestFields mapping"):
        tracker.record_success(MODEL, "us-east-1", ["not", "a", "mapping"])  # type: ignore[arg-type]


def test_the_error_message_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    tracker = ParameterCompatibilityTracker()
    with caplog.at_level("DEBUG", logger="bestehorn_llmmanager._tracking"):
        tracker.record_failure(MODEL, "us-east-1", {"a": 1}, ValueError("secret prompt text"))
    assert "secret prompt text" not in caplog.text and "ValueError" in caplog.text


def test_many_threads_record_without_losing_any() -> None:
    tracker = ParameterCompatibilityTracker()

    def work(n: int) -> None:
        for i in range(50):
            tracker.record_success(MODEL, f"region-{n}", {"i": i})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tracker.get_statistics()["compatible_count"] == 400


# -- AccessMethodTracker --------------------------------------------------------------------------


def test_access_methods_are_recorded_from_real_calls(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    from bestehorn_llmmanager import LLMManager

    _, runtime = runtime_server
    AccessMethodTracker.reset_for_testing()
    tracker = AccessMethodTracker.get_instance()
    manager = LLMManager(
        models=["Claude Haiku 4.5", "Claude 3 Opus"],
        regions=["us-east-1", "us-west-2"],
        catalog=runtime_catalog,
    )
    manager.converse(messages=[{"role": "user", "content": [{"text": "hi"}]}])
    haiku = tracker.get_preference(MODEL, "us-east-1")
    assert haiku is not None and haiku.get_preferred_method() == "regional_cris"
    assert not tracker.requires_profile(MODEL, "us-east-1")  # not learned from an error

    opus = "anthropic.claude-3-opus-20240229-v1:0"
    runtime.require_profile("us-east-1", opus)  # stale catalog: Opus now needs a profile
    stats_before = tracker.get_statistics()
    opus_only = LLMManager(models=["Claude 3 Opus"], regions=["us-east-1"], catalog=runtime_catalog)
    # This world has no Opus profile, so after the refusal nothing is left to try.
    with pytest.raises(RetryExhaustedError):
        opus_only.converse(messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert tracker.requires_profile(opus, "us-east-1")
    stats = tracker.get_statistics()
    assert stats["profile_required_count"] == stats_before["profile_required_count"] + 1
    assert stats["access_method_distribution"]["regional_cris"] >= 1
    assert set(stats) >= {
        "total_tracked",
        "profile_required_count",
        "direct_access_count",
        "regional_cris_count",
        "global_cris_count",
        "learned_from_error_count",
    }


def test_access_method_names_are_checked() -> None:
    with pytest.raises(ValueError, match="not one of direct, regional_cris, global_cris"):
        AccessMethodTracker().record_success(MODEL, "us-east-1", "cris")


def test_the_access_tracker_is_at_0_9s_paths() -> None:
    from bestehorn_llmmanager.bedrock.tracking import AccessMethodTracker as AtPackage
    from bestehorn_llmmanager.bedrock.tracking.access_method_tracker import (
        AccessMethodTracker as AtModule,
    )

    assert AtPackage is AtModule is AccessMethodTracker
