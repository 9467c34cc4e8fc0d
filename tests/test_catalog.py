"""BedrockModelCatalog: the waterfall step by step, refresh semantics, thread safety, metadata.

The AWS side is the local Bedrock server over real HTTP; caches are real files in tmp dirs.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bestehorn_llmmanager._errors import FetchError
from bestehorn_llmmanager.bedrock.catalog import (
    BedrockModelCatalog,
    CacheMode,
    CatalogSettings,
    CatalogSource,
    CatalogUnavailableError,
    FallbackCause,
    ModelNotFoundError,
    NoCredentialsError,
)
from bestehorn_llmmanager.bedrock.catalog import (
    _fetch as fetch,
)
from bestehorn_llmmanager.bedrock.catalog._constants import shrinks
from bestehorn_llmmanager.bedrock.catalog._process import process_state
from tests.bedrock_server import BedrockServer
from tests.warm_path import WARM_PATH_FORBIDDEN

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"]
PAGES = {"us-east-1": 5, "us-west-2": 2, "eu-west-1": 1, "ap-northeast-1": 1}
FULL_FETCH = sum(1 + PAGES[r] for r in REGIONS)
HAIKU = "anthropic.claude-sonnet-4-20250514-v1:0"  # in us-east-1 and us-west-2


@pytest.fixture(autouse=True)
def private_temp_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The FILE store also reads its per-user fallback directory under the system temp dir: each
    # test gets its own, so no catalog another test (or process) left there can answer here.
    private = tmp_path_factory.mktemp("tmp")
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("TMPDIR", str(private))


class Clock:
    """An injectable clock that starts now and only moves when told."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make(tmp_path: Path, **kwargs: Any) -> BedrockModelCatalog:
    kwargs.setdefault("cache_directory", tmp_path / "cache")
    kwargs.setdefault("regions", REGIONS)
    kwargs.setdefault("timeout", 10.0)
    # Retries back off without sleeping: injected, as any caller may (no module global patched).
    kwargs.setdefault("sleep", no_sleep)
    kwargs.setdefault("random", no_jitter)
    return BedrockModelCatalog(**kwargs)


def no_sleep(seconds: float) -> None:
    pass


def no_jitter() -> float:
    return 0.0


# -- construction -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"cache_max_age_hours": -1}, "cache_max_age_hours"),
        ({"cache_max_age_hours": float("inf")}, "cache_max_age_hours"),
        ({"cache_max_age_hours": 1e300}, "cache_max_age_hours"),
        ({"cache_max_age_hours": float("nan")}, "cache_max_age_hours"),
        ({"cache_max_age_hours": "24"}, "cache_max_age_hours"),
        ({"timeout": float("inf")}, "timeout"),
        ({"max_workers": 2.5}, "max_workers"),
        ({"max_workers": 0}, "max_workers"),
        ({"cache_mode": "disk"}, "cache_mode"),
        ({"regions": ["us-east-1", "moon-base"]}, "regions"),
        ({"regions": "us-east-1"}, "regions"),
        ({"regions": "us-east-1,us-west-2"}, "regions"),
        ({"regions": []}, "regions"),
        ({"timeout": 0}, "timeout"),
        ({"fallback_to_bundled": "no"}, "fallback_to_bundled"),
        ({"force_refresh": "yes"}, "force_refresh"),
        ({"offline": 1}, "offline"),
        ({"clock": "now"}, "clock"),
        ({"random": 0.5}, "random"),
        ({"sleep": "no"}, "sleep"),
        ({"endpoint_url": ""}, "endpoint_url"),
        ({"cache_directory": b"/tmp/cache"}, "cache_directory"),
        ({"cache_directory": 5}, "cache_directory"),
        ({"regions": ["us-east-\uff11"]}, "regions"),  # a full-width digit is refused
    ],
)
def test_invalid_arguments_raise_value_error_naming_the_argument(
    tmp_path: Path, kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(ValueError, match=argument):
        make(tmp_path, **kwargs)
    assert not (tmp_path / "cache").exists()


def test_constructor_does_no_io(tmp_path: Path, bedrock_server: BedrockServer) -> None:
    catalog = make(tmp_path, endpoint_url=bedrock_server.url)
    assert not (tmp_path / "cache").exists()
    assert bedrock_server.count() == 0
    assert "not loaded" in repr(catalog)


def test_cache_mode_accepts_strings_case_insensitively(tmp_path: Path) -> None:
    assert make(tmp_path, cache_mode="MEMORY").cache_mode is CacheMode.MEMORY
    assert make(tmp_path, cache_mode="none").cache_mode is CacheMode.NONE


# -- the waterfall ------------------------------------------------------------------------------


def test_cold_start_fetches_stores_and_the_next_instance_uses_the_cache(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    first = make(tmp_path)
    meta = first.load()
    assert meta.source is CatalogSource.API
    assert bedrock_server.count() == FULL_FETCH
    assert meta.cache_path == tmp_path / "cache" / "bedrock_catalog.json"
    assert meta.cache_path.exists()

    second = make(tmp_path)
    assert second.metadata.source is CatalogSource.CACHE
    assert bedrock_server.count() == FULL_FETCH  # no second fetch
    assert second.get_model_info(HAIKU, "us-east-1") == first.get_model_info(HAIKU, "us-east-1")


def test_metadata_reports_region_outcomes_and_age(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    bedrock_server.deny_access("eu-west-1")
    meta = make(tmp_path).load()
    assert set(meta.regions_ok) == {"us-east-1", "us-west-2", "ap-northeast-1"}
    assert set(meta.regions_unavailable) == {"eu-west-1"}
    assert "AccessDenied" in meta.regions_unavailable["eu-west-1"]
    assert dict(meta.regions_failed) == {}
    assert meta.stale_regions == ()
    assert meta.retrieved_at.tzinfo is not None
    assert timedelta(0) <= meta.age < timedelta(minutes=5)
    assert meta.bundled_version is None or isinstance(meta.bundled_version, str)


def test_force_refresh_skips_a_valid_cache(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    make(tmp_path).load()
    meta = make(tmp_path, force_refresh=True).load()
    assert meta.source is CatalogSource.API
    assert bedrock_server.count() == 2 * FULL_FETCH


def test_no_credentials_falls_back_to_bundled_with_one_warning(
    tmp_path: Path, no_aws_credentials: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    catalog = make(tmp_path)
    meta = catalog.load()
    assert meta.source is CatalogSource.BUNDLED
    assert meta.bundled_version
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "bundled" in warnings[0].getMessage()
    assert "no AWS credentials" in warnings[0].getMessage()
    assert catalog.is_model_available("Claude Haiku 4.5", "us-east-1")


def test_offline_switch_skips_the_api(
    tmp_path: Path,
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BEDROCK_CATALOG_OFFLINE", "1")
    catalog = make(tmp_path)
    assert catalog.load().source is CatalogSource.BUNDLED
    assert bedrock_server.count() == 0
    # Offline means no AWS call at all: an explicit refresh() says why instead of fetching.
    with pytest.raises(FetchError, match=r"offline.*BEDROCK_CATALOG_OFFLINE"):
        catalog.refresh()
    with pytest.raises(FetchError, match=r"offline=True"):
        make(tmp_path, offline=True).refresh()
    assert bedrock_server.count() == 0
    assert catalog.metadata.source is CatalogSource.BUNDLED


def test_expired_cache_newer_than_bundle_is_used_when_the_api_fails(
    tmp_path: Path,
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    make(tmp_path, clock=clock).load()
    clock.advance(hours=30)
    for region in REGIONS:
        bedrock_server.deny_access(region)
    caplog.set_level(logging.WARNING)
    meta = make(tmp_path, clock=clock).load()
    assert meta.source is CatalogSource.STALE_CACHE
    assert any("expired" in r.getMessage() for r in caplog.records)

    # Offline, the expired cache is the chosen source, not a failure: INFO, not WARNING.
    caplog.clear()
    caplog.set_level(logging.INFO, logger="bestehorn_llmmanager")
    offline = make(tmp_path, clock=clock, offline=True).load()
    assert offline.source is CatalogSource.STALE_CACHE
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("offline: using an expired" in r.getMessage() for r in caplog.records)


def test_nothing_works_raises_catalog_unavailable_listing_each_step(
    tmp_path: Path, no_aws_credentials: None
) -> None:
    with pytest.raises(CatalogUnavailableError) as info:
        make(tmp_path, fallback_to_bundled=False).load()
    text = str(info.value)
    for step in ("cache", "api", "bundled"):
        assert step in info.value.steps
        assert step in text
    assert "no AWS credentials" in text


def test_none_mode_never_touches_disk(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    meta = make(tmp_path, cache_mode="none").load()
    assert meta.source is CatalogSource.API
    assert meta.cache_path is None
    assert not (tmp_path / "cache").exists()


def test_memory_mode_instances_share_one_fetch(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    regions = ["us-west-2", "eu-west-1"]  # a key no other test uses in this process
    first = make(tmp_path, cache_mode="memory", regions=regions)
    second = make(tmp_path, cache_mode="memory", regions=regions)
    assert first.load().source is CatalogSource.API
    assert second.load().source is CatalogSource.CACHE
    assert bedrock_server.count() == (1 + PAGES["us-west-2"]) + (1 + PAGES["eu-west-1"])
    assert not (tmp_path / "cache").exists()


# -- queries ------------------------------------------------------------------------------------


def test_queries_answer_through_the_contract(tmp_path: Path, bedrock_endpoint: str) -> None:
    catalog = make(tmp_path)
    access = catalog.get_model_info("Claude Sonnet 4", "us-east-1")
    assert access is not None and access.base_model_id == HAIKU  # model_id: 0.9's direct id
    assert catalog.resolve(f"us.{HAIKU}").model_id == HAIKU
    assert catalog.get_model_info(HAIKU, "eu-central-2") is None
    assert catalog.get_model_info("Claude 3 Hiaku", "us-east-1") is None  # 0.9: None, logged
    with pytest.raises(ModelNotFoundError):
        catalog.resolve("Claude 3 Hiaku")
    with pytest.raises(ValueError, match="us-east"):
        catalog.get_model_info(HAIKU, "us-east")
    models = catalog.list_models(region="us-east-1", streaming_only=True)
    assert models and all(m.streaming_supported for m in models)
    assert all("us-east-1" in m.regions for m in models)


# -- refresh semantics --------------------------------------------------------------------------


def test_refresh_total_failure_keeps_the_catalog_and_raises(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    catalog = make(tmp_path)
    before = catalog.load()
    for region in REGIONS:
        bedrock_server.deny_access(region)
    with pytest.raises(FetchError):
        catalog.refresh()
    assert catalog.metadata is before
    assert catalog.is_model_available(HAIKU, "us-east-1")


def test_refresh_without_credentials_raises_and_never_downgrades_to_bundled(
    tmp_path: Path, bedrock_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = make(tmp_path)
    assert catalog.load().source is CatalogSource.API
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(NoCredentialsError):
        catalog.refresh()
    assert catalog.metadata.source is CatalogSource.API


def test_partial_failure_keeps_previous_data_of_failed_regions_as_stale(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    catalog = make(tmp_path)
    catalog.load()
    before = catalog.get_model_info(HAIKU, "us-west-2")
    assert before is not None
    bedrock_server.server_error("us-west-2", times=None, status=503)
    meta = catalog.refresh()
    assert meta.source is CatalogSource.API
    assert meta.stale_regions == ("us-west-2",)
    assert "us-west-2" in meta.regions_failed
    assert catalog.get_model_info(HAIKU, "us-west-2") == before
    # Stored with its real timestamp; the store treats it as partial (short max age).
    reloaded = make(tmp_path)
    assert reloaded.metadata.stale_regions == ("us-west-2",)
    assert reloaded.get_model_info(HAIKU, "us-west-2") == before


def _deny_all_but_one(bedrock_server: BedrockServer) -> None:
    # Only one small region answers: far fewer than half the models.
    for region in ("us-east-1", "us-west-2", "eu-west-1"):
        bedrock_server.deny_access(region)


def test_refresh_takes_a_drop_confirmed_by_a_second_fetch(
    tmp_path: Path,
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    catalog = make(tmp_path)
    catalog.load()
    count = len(catalog.catalog)
    cache_file = tmp_path / "cache" / "bedrock_catalog.json"
    stored = cache_file.read_bytes()
    _deny_all_but_one(bedrock_server)
    small = len(make(tmp_path, regions=["ap-northeast-1"], cache_mode="none").catalog)
    assert shrinks(small, count)
    before = bedrock_server.count("ap-northeast-1", "ListFoundationModels")
    caplog.set_level(logging.WARNING)
    meta = catalog.refresh()
    # Two fetches (the second confirms), and the new data is taken and stored: never the stale.
    assert bedrock_server.count("ap-northeast-1", "ListFoundationModels") - before == 2
    assert meta.source is CatalogSource.API and len(catalog.catalog) == small
    assert cache_file.read_bytes() != stored
    assert len(make(tmp_path).catalog) == small
    assert any("confirmed the drop" in r.getMessage() for r in caplog.records)


def test_a_drop_that_a_second_fetch_does_not_confirm_is_not_taken(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    catalog = make(tmp_path)
    catalog.load()
    count = len(catalog.catalog)
    # A one-off glitch: three regions deny their next model listing, then answer again.
    for region in ("us-east-1", "us-west-2", "eu-west-1"):
        bedrock_server.fail_with(
            region, "AccessDeniedException", "glitch", operation="ListFoundationModels"
        )
    meta = catalog.refresh()
    assert meta.source is CatalogSource.API
    assert len(catalog.catalog) == count
    assert meta.regions_unavailable == {}
    assert len(make(tmp_path).catalog) == count


def test_refresh_raises_saying_why_when_the_confirming_fetch_fails(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    catalog = make(tmp_path)
    catalog.load()
    count = len(catalog.catalog)
    _deny_all_but_one(bedrock_server)

    def fail_the_second_fetch(outcome: Any, done: int, total: int) -> None:
        if done == total:  # the first fetch is over: the last region fails from now on
            bedrock_server.server_error("ap-northeast-1", times=None, status=503)

    with pytest.raises(FetchError, match=r"no region answered"):
        catalog.refresh(progress=fail_the_second_fetch)
    assert len(catalog.catalog) == count  # the catalog in use stays


def test_a_confirmed_drop_is_stored_so_later_starts_use_the_cache(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    clock = Clock()
    make(tmp_path, clock=clock).load()
    clock.advance(hours=25)  # the cache expired: the next start fetches
    _deny_all_but_one(bedrock_server)
    first = make(tmp_path, clock=clock)
    assert first.load().source is CatalogSource.API
    small = len(first.catalog)
    before = bedrock_server.count()
    later = make(tmp_path, clock=clock)
    assert later.load().source is CatalogSource.CACHE
    assert len(later.catalog) == small
    assert bedrock_server.count() == before  # the guard makes no start fetch again


def test_shrink_guard_compares_only_with_a_catalog_for_the_same_regions(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    # A cache for four regions, then a catalog for one small region of them: far fewer models,
    # as it should be. The guard must not take that for a broken account and keep the four.
    make(tmp_path).load()
    small = make(tmp_path, regions=["ap-northeast-1"])
    small.load()  # a subset of the cached regions: served from the cache
    assert small.metadata.source is CatalogSource.CACHE
    meta = small.refresh()
    assert meta.source is CatalogSource.API
    assert meta.requested_regions == ("ap-northeast-1",)
    fresh = make(tmp_path, regions=["ap-northeast-1"], cache_mode="none").catalog
    assert sorted(small.catalog.models) == sorted(fresh.models)


def test_a_subset_whose_region_failed_in_the_cached_catalog_is_fetched(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    bedrock_server.throttle("us-east-1", times=None)
    assert list(make(tmp_path).load().regions_failed) == ["us-east-1"]
    bedrock_server.clear_faults()
    before = bedrock_server.count()
    one = make(tmp_path, regions=["us-east-1"])
    assert one.load().source is CatalogSource.API
    assert bedrock_server.count() > before
    assert one.is_model_available(HAIKU, "us-east-1")


@pytest.mark.parametrize("mode", ["file", "memory"])
def test_an_injected_clock_far_from_real_time_still_keeps_and_expires_the_cache(
    mode: str, tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    # The clock stamps retrieved_at as well as judging age: a fake time is one time base.
    clock = Clock()
    clock.now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    memory = make(tmp_path, cache_mode="memory").store
    memory.clear()  # process-wide: start and end empty
    try:
        sources = [make(tmp_path, clock=clock, cache_mode=mode).load().source for _ in range(3)]
        assert sources == [CatalogSource.API, CatalogSource.CACHE, CatalogSource.CACHE]
        assert make(tmp_path, clock=clock, cache_mode=mode).load().retrieved_at == clock.now
        clock.advance(hours=25)
        assert make(tmp_path, clock=clock, cache_mode=mode).load().source is CatalogSource.API
    finally:
        memory.clear()


def test_refresh_fetches_even_when_an_injected_clock_stands_in_the_past(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    clock = Clock()
    catalog = make(tmp_path, clock=clock)
    catalog.load()
    clock.advance(minutes=-2)  # a test clock frozen a little before the cache was written
    before = bedrock_server.count()
    assert catalog.refresh().source is CatalogSource.API
    assert bedrock_server.count() > before


def test_refresh_reuses_a_cache_written_by_another_instance_meanwhile(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    a = make(tmp_path)
    b = make(tmp_path)
    a.load()
    b.load()
    assert bedrock_server.count() == FULL_FETCH
    a.refresh()
    assert bedrock_server.count() == 2 * FULL_FETCH


# -- thread safety ------------------------------------------------------------------------------


def test_sixteen_threads_on_a_fresh_catalog_cause_one_load(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    catalog = make(tmp_path)
    start = threading.Barrier(16)
    answers: list[Any] = []
    errors: list[BaseException] = []

    def query() -> None:
        start.wait()
        try:
            answers.append(catalog.get_model_info(HAIKU, "us-east-1"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=query) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert bedrock_server.count() == FULL_FETCH
    assert len({id(a) for a in answers}) == 1


def test_refresh_during_queries_never_exposes_a_half_built_catalog(
    tmp_path: Path, bedrock_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bestehorn_llmmanager.bedrock.catalog import _facade as catalog_module

    catalog = make(tmp_path)
    old = catalog.catalog
    expected = catalog.get_model_info(HAIKU, "us-east-1")
    seen: list[tuple[Any, Any, int]] = []

    def query_from_another_thread() -> None:
        def query() -> None:
            catalog.load()  # loaded already: returns at once, never waits behind the refresh
            current = catalog.catalog
            seen.append((current, catalog.get_model_info(HAIKU, "us-east-1"), len(current)))

        thread = threading.Thread(target=query, daemon=True)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive(), "a query waited behind refresh()"

    real_build = catalog_module._build

    def build_and_query(result: Any) -> Any:
        query_from_another_thread()  # the fetch is done, the new catalog not built yet
        built = real_build(result)
        query_from_another_thread()  # built, not yet stored or published
        return built

    monkeypatch.setattr(catalog_module, "_build", build_and_query)
    catalog.refresh()
    query_from_another_thread()  # published

    during, after = seen[:2], seen[2]
    assert all(current is old and access == expected for current, access, _ in during)
    assert after[0] is not old and after[0] is catalog.catalog
    assert after[1] == expected and after[2] == len(old)


# -- fresh processes ----------------------------------------------------------------------------

_WARM = """
import sys, json
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
c = BedrockModelCatalog(cache_directory=sys.argv[1], regions=json.loads(sys.argv[2]))
print(c.metadata.source.value, c.is_model_available(sys.argv[3], "us-east-1"),
      "boto3" in sys.modules, "botocore" in sys.modules)
"""


def test_warm_cache_path_never_imports_boto3(tmp_path: Path, bedrock_endpoint: str) -> None:
    make(tmp_path).load()
    out = subprocess.run(
        [sys.executable, "-c", _WARM, str(tmp_path / "cache"), json.dumps(REGIONS), HAIKU],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    ).stdout.split()
    assert out == ["cache", "True", "False", "False"]


_COLD = """
import time
t = time.perf_counter()
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
c = BedrockModelCatalog(cache_mode="none")
ok = c.is_model_available("Claude Haiku 4.5", "us-east-1")
print(c.metadata.source.value, ok, round(time.perf_counter() - t, 3))
"""


def test_no_credentials_cold_start_answers_from_bundle_quickly(
    tmp_path: Path, no_aws_credentials: None
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ACCESS")}
    env.pop("AWS_SECRET_ACCESS_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", _COLD],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=30,
    )
    source, ok, seconds = result.stdout.split()
    assert (source, ok) == ("bundled", "True")
    assert float(seconds) < 3.0  # generous smoke bound; the benchmark measures the real figure
    assert result.stderr.count("WARNING") + result.stderr.count("bundled") >= 1


def test_every_source_reports_the_bundled_version_and_refresh_reports_progress(
    tmp_path: Path, bedrock_endpoint: str
) -> None:
    catalog = make(tmp_path)
    assert catalog.load().source is CatalogSource.API
    assert catalog.metadata.bundled_version  # the bundle shipped, whatever the source
    seen: list[tuple[str, int, int]] = []
    meta = catalog.refresh(
        progress=lambda outcome, done, total: seen.append((outcome.region, done, total))
    )
    assert sorted(r for r, _, _ in seen) == sorted(REGIONS)
    assert [d for _, d, _ in seen] == [1, 2, 3, 4] and {t for _, _, t in seen} == {4}
    assert meta is catalog.metadata and meta.bundled_version


def test_account_ids_of_denied_regions_reach_no_error_reason_or_log(
    tmp_path: Path,
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # AccessDenied messages quote the caller's ARN. When every region denies, the API step's
    # error text becomes the fallback reason, a WARNING and part of CatalogUnavailableError.
    for region in REGIONS:
        bedrock_server.fail_with(
            region,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: "
            "bedrock:ListFoundationModels",
            times=None,
            status=403,
        )
    caplog.set_level(logging.DEBUG, logger="bestehorn_llmmanager")
    catalog = make(tmp_path)
    meta = catalog.load()
    assert meta.source is CatalogSource.BUNDLED
    assert meta.fallback_reason is not None and "not authorized" in meta.fallback_reason
    with pytest.raises(FetchError) as info:
        catalog.refresh()
    with pytest.raises(CatalogUnavailableError) as unavailable:
        make(tmp_path, fallback_to_bundled=False).load()
    ours = [r for r in caplog.records if r.name.startswith("bestehorn_llmmanager")]
    assert ours  # (botocore's own DEBUG log quotes raw bodies; that is botocore's choice)
    seen = [meta.fallback_reason, str(info.value), str(unavailable.value)]
    seen += [record.getMessage() for record in ours]
    seen += [o.message or "" for o in meta.region_outcomes.values()]
    assert "arn:aws:iam::" in str(info.value)  # the reason stays useful
    assert not [text for text in seen if "123456789012" in text]


# -- one settings object, one clock, the fallback as data (issue 10, 12.13) ----------------------


def test_settings_validate_every_option_once_and_a_catalog_is_built_from_them(
    tmp_path: Path,
) -> None:
    settings = CatalogSettings(
        cache_directory=tmp_path / "cache",
        regions=[" US-EAST-1", "us-east-1", "us-west-2"],
        cache_max_age_hours=2,
        environ={},
    )
    assert settings.regions == ("us-east-1", "us-west-2")  # normalised and deduplicated once
    assert settings.cache_max_age == timedelta(hours=2)
    assert settings.offline is False and settings.offline_switch == ""
    catalog = BedrockModelCatalog.from_settings(settings)
    assert catalog.settings is settings and catalog.cache_mode is CacheMode.FILE
    # The facade builds the same value from the same arguments.
    assert make(tmp_path, regions=["us-east-1", "us-west-2"], cache_max_age_hours=2).settings == (
        settings.replace(timeout=10.0, sleep=no_sleep, random=no_jitter)
    )
    with pytest.raises(ValueError, match="timeout"):
        settings.replace(timeout=-1)
    with pytest.raises(ValueError, match="settings"):
        BedrockModelCatalog.from_settings({"regions": None})  # type: ignore[arg-type]


@pytest.mark.parametrize("directory", ["", "   ", "cache\x00dir"])
def test_an_empty_or_nul_cache_directory_raises_at_construction(
    tmp_path: Path, directory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="cache_directory"):
        BedrockModelCatalog(cache_directory=directory)
    assert list(tmp_path.iterdir()) == []  # nothing created in the current directory


def test_the_environment_is_read_once_at_construction(
    tmp_path: Path, bedrock_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEDROCK_CATALOG_OFFLINE", "yes")
    monkeypatch.setenv("BEDROCK_CATALOG_CACHE_DIR", str(tmp_path / "from-env"))
    catalog = BedrockModelCatalog(regions=REGIONS)
    monkeypatch.delenv("BEDROCK_CATALOG_OFFLINE")
    assert catalog.settings.offline and catalog.settings.offline_switch == (
        "BEDROCK_CATALOG_OFFLINE=yes"
    )
    assert catalog.settings.cache_directory == tmp_path / "from-env"
    assert catalog.load().source is CatalogSource.BUNDLED  # still offline: read once
    # An explicit argument wins over the environment.
    assert not BedrockModelCatalog(offline=False, cache_mode="none").settings.offline


def test_the_retry_backoff_uses_the_random_and_sleep_given_to_the_constructor(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    bedrock_server.server_error("us-west-2", times=2, status=503, operation="ListFoundationModels")
    sleeps: list[float] = []

    catalog = make(tmp_path, sleep=sleeps.append, random=lambda: 0.5)

    assert catalog.load().source is CatalogSource.API
    base = fetch.BACKOFF_BASE_SECONDS
    assert sleeps == [0.5 * base, 0.5 * base * 2]  # rand() * base * 2 ** (n - 1)
    assert catalog.settings.sleep == sleeps.append


def test_process_state_reset_forgets_the_environment_warnings_and_the_bundle_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bestehorn_llmmanager.bedrock.catalog import _bundle

    monkeypatch.setenv("BEDROCK_CATALOG_OFFLINE", "perhaps")
    caplog.set_level(logging.WARNING)
    reads: list[int] = []
    real = _bundle.read_bundled_bytes
    monkeypatch.setattr(_bundle, "read_bundled_bytes", lambda: reads.append(1) or real())
    for _ in range(2):
        process_state.reset()
        make(tmp_path)
        make(tmp_path)
        assert _bundle.bundled_version() == _bundle.bundled_version()

    assert len([r for r in caplog.records if "'perhaps' is not understood" in r.getMessage()]) == 2
    assert reads == [1, 1]  # once per process state


def test_an_offline_value_that_is_not_understood_warns_once_and_is_not_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("BEDROCK_CATALOG_OFFLINE", "maybe-or-not")
    caplog.set_level(logging.WARNING)
    first = make(tmp_path)
    second = make(tmp_path)
    warned = [r for r in caplog.records if "not understood" in r.getMessage()]
    assert len(warned) == 1
    assert "BEDROCK_CATALOG_OFFLINE='maybe-or-not'" in warned[0].getMessage()
    assert "1" in warned[0].getMessage() and "false" in warned[0].getMessage()
    assert not first.settings.offline and not second.settings.offline
    for understood in ("0", "off", "", "TRUE", " on "):
        monkeypatch.setenv("BEDROCK_CATALOG_OFFLINE", understood)
        make(tmp_path)
    assert len([r for r in caplog.records if "not understood" in r.getMessage()]) == 1


def test_one_injected_clock_stamps_the_fetch_and_measures_every_age(
    tmp_path: Path, bedrock_endpoint: str
) -> None:
    clock = Clock()
    clock.now = datetime(2031, 5, 4, 3, 2, 1, tzinfo=timezone.utc)  # far from the real time
    catalog = make(tmp_path, clock=clock)
    meta = catalog.load()
    assert meta.retrieved_at == clock.now  # the fetch is stamped by the catalog's clock
    assert meta.age == timedelta(0)
    clock.advance(hours=3)
    assert catalog.metadata.age == timedelta(hours=3)  # the age, too
    assert meta.age_at(clock.now + timedelta(hours=1)) == timedelta(hours=4)
    # The store reads freshness by the same clock: still fresh after 3 hours, expired after 25.
    assert make(tmp_path, clock=clock).load().source is CatalogSource.CACHE
    clock.advance(hours=22)
    assert make(tmp_path, clock=clock, offline=True).load().source is CatalogSource.STALE_CACHE


def test_the_reason_for_a_fallback_is_data_on_the_metadata(
    tmp_path: Path, no_aws_credentials: None, bedrock_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta = make(tmp_path, cache_mode="none").load()
    assert meta.source is CatalogSource.BUNDLED
    assert meta.fallback is not None
    assert (meta.fallback.step, meta.fallback.cause) == ("api", FallbackCause.NO_CREDENTIALS)
    assert meta.fallback_reason == meta.fallback.detail and "credentials" in meta.fallback.detail
    assert meta.fallback.as_dict()["cause"] == "no_credentials"

    offline = make(tmp_path, cache_mode="none", offline=True).load()
    assert offline.fallback is not None and offline.fallback.cause is FallbackCause.OFFLINE
    assert "offline=True" in offline.fallback.detail

    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    missing = make(tmp_path, cache_mode="none").load()
    assert missing.fallback is not None
    assert missing.fallback.cause is FallbackCause.PROFILE_NOT_FOUND
    assert "no-such-profile" in missing.fallback.detail


def test_no_region_answering_is_one_summary_line_and_its_own_cause(
    tmp_path: Path, bedrock_endpoint: str, bedrock_server: BedrockServer
) -> None:
    for region in REGIONS:
        bedrock_server.deny_access(region)
    meta = make(tmp_path).load()
    assert meta.source is CatalogSource.BUNDLED
    assert meta.fallback is not None and meta.fallback.cause is FallbackCause.NO_REGION_ANSWERED
    detail = meta.fallback.detail
    assert detail.startswith("no region answered (4 regions: AccessDeniedException")
    assert "\n" not in detail and detail.count("AccessDeniedException") == 1
    assert meta.fallback_reason == detail
    with pytest.raises(FetchError, match=r"no region answered \(4 regions"):
        make(tmp_path).refresh()


def test_a_catalog_loaded_from_a_cache_never_reads_the_bundle_unless_asked(
    tmp_path: Path, bedrock_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path).load()
    from bestehorn_llmmanager.bedrock.catalog import _bundle

    reads: list[int] = []
    real = _bundle.read_bundled_bytes
    process_state.reset()  # the bundle's version is read again, once
    monkeypatch.setattr(_bundle, "read_bundled_bytes", lambda: reads.append(1) or real())
    catalog = make(tmp_path)
    assert catalog.load().source is CatalogSource.CACHE
    assert catalog.get_model_info(HAIKU, "us-east-1") is not None
    assert reads == []
    assert catalog.metadata.bundled_version  # read on demand, once
    assert catalog.metadata.bundled_version
    assert reads == [1]


def test_list_models_sorts_once_and_answers_like_a_full_sort(
    tmp_path: Path, bedrock_endpoint: str
) -> None:
    catalog = make(tmp_path).catalog
    every = sorted(
        catalog.models.values(),
        key=lambda m: (m.provider.casefold(), m.name.casefold(), m.model_id),
    )
    assert catalog.list_models() == every
    for region in [*REGIONS, "ap-south-2"]:
        expected = [m for m in every if region in m.regions]
        first = catalog.list_models(region=region)
        assert first == expected
        first.clear()  # a caller's list is its own: the next answer is whole
        assert catalog.list_models(region=region) == expected
    provider = every[0].provider
    assert catalog.list_models(region="us-east-1", provider=provider.upper()) == [
        m for m in every if "us-east-1" in m.regions and m.provider == provider
    ]
    assert catalog.list_models(region="us-east-1", streaming_only=True) == [
        m for m in every if "us-east-1" in m.regions and m.streaming_supported is True
    ]
    with pytest.raises(ValueError, match="region"):
        catalog.list_models(region="US-EAST-1")
    # Unknown (well-formed) regions are answered but not remembered: memory stays bounded.
    for number in range(50):
        assert catalog.list_models(region=f"xx-nowhere-{number}") == []
    assert len(catalog._by_region) <= len(REGIONS) + 1


_WARM_IMPORTS = """
import sys
sys.path.insert(0, sys.argv[1])
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
c = BedrockModelCatalog(cache_directory=sys.argv[2], regions=sys.argv[3].split(","))
assert c.get_model_info(sys.argv[4], "us-east-1") is not None
assert c.metadata.source.value == "cache"
print(" ".join(sorted(sys.modules)))
"""


def test_a_warm_start_imports_only_the_warm_path(tmp_path: Path, bedrock_endpoint: str) -> None:
    make(tmp_path).load()
    src = Path(__file__).resolve().parent.parent / "src"
    # -S: no site hooks, so every module listed was imported by the package itself.
    out = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            _WARM_IMPORTS,
            str(src),
            str(tmp_path / "cache"),
            ",".join(REGIONS),
            HAIKU,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    loaded = set(out.stdout.split())
    assert "bestehorn_llmmanager.bedrock.catalog._facade" in loaded
    assert sorted(m for m in WARM_PATH_FORBIDDEN if m in loaded) == []


# -- issue 11.2: ``timeout`` bounds the whole API step, processing included ------------------------


@pytest.mark.parametrize("timeout", [60.0, 10.0, 1.0])
def test_timeout_bounds_the_fetch_and_the_transform_after_it_together(
    tmp_path: Path, bedrock_endpoint: str, monkeypatch: pytest.MonkeyPatch, timeout: float
) -> None:
    from bestehorn_llmmanager.bedrock.catalog._facade import TRANSFORM_RESERVE_SECONDS

    given: list[float] = []
    real = fetch.fetch_regions

    def recording(*args: Any, **kwargs: Any) -> Any:
        given.append(kwargs["timeout"])
        return real(*args, **kwargs)

    monkeypatch.setattr(fetch, "fetch_regions", recording)
    catalog = make(tmp_path, timeout=timeout)
    assert catalog.metadata.source is CatalogSource.API
    assert len(given) == 1
    # The fetch returns by its own deadline; the rest of ``timeout`` is the transform's: its
    # measured worst case at the caps, or half of a timeout too short to keep that whole.
    kept = timeout - given[0]
    assert kept == min(TRANSFORM_RESERVE_SECONDS, timeout / 2)
    assert kept >= 2.0 or kept == timeout / 2
