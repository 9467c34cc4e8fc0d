"""fetch_regions through the real boto3 client, over HTTP, against the local Bedrock server."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timezone
from typing import Any

import boto3
import pytest

from bestehorn_llmmanager._errors import FetchError, NoCredentialsError
from bestehorn_llmmanager.bedrock.catalog import _fetch as fetch
from bestehorn_llmmanager.bedrock.catalog._fetch import FetchEvent, FetchLimits, fetch_regions
from bestehorn_llmmanager.bedrock.catalog._types import FetchResult, RegionOutcome, RegionStatus
from tests.bedrock_server import (
    LIST_FOUNDATION_MODELS,
    LIST_INFERENCE_PROFILES,
    BedrockServer,
    MetadataServer,
    Response,
    SilentEndpoint,
    refused_endpoint,
)
from tests.conftest import WORLD_SMALL

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")
MODELS, PROFILES = LIST_FOUNDATION_MODELS, LIST_INFERENCE_PROFILES
PAGES = {"us-east-1": 5, "us-west-2": 2, "eu-west-1": 1, "ap-northeast-1": 1}


@pytest.fixture
def backoff_sleeps() -> list[float]:
    """The backoff sleeps of every fetch that ``run`` makes (recorded, never slept)."""
    return []


@pytest.fixture(autouse=True)
def _inject(backoff_sleeps: list[float]) -> Iterator[None]:
    """``run`` records backoff sleeps instead of sleeping, with a fixed jitter of 0.5."""
    INJECTED.update(sleep=backoff_sleeps.append, random=lambda: 0.5)
    yield
    INJECTED.clear()


INJECTED: dict[str, Any] = {}


@pytest.fixture
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.name.startswith("bedrock")]
    for thread in leaked:
        thread.join(timeout=5)
    assert not [t for t in leaked if t.is_alive()]


def run(server: BedrockServer, regions: Any = REGIONS, **kwargs: Any) -> FetchResult:
    kwargs.setdefault("endpoint_url", server.url)
    kwargs.setdefault("timeout", 10.0)
    for name, value in INJECTED.items():
        kwargs.setdefault(name, value)
    return fetch_regions(regions, **kwargs)


def expected(region: str) -> tuple[list[Any], list[Any]]:
    models = json.loads((WORLD_SMALL / region / "list-foundation-models.json").read_text())
    profiles = json.loads((WORLD_SMALL / region / "list-inference-profiles.json").read_text())
    return models["modelSummaries"], profiles["inferenceProfileSummaries"]


def statuses(result: FetchResult) -> dict[str, RegionStatus]:
    return {region: outcome.status for region, outcome in result.outcomes.items()}


def test_clean_fetch_returns_every_answer_exactly_with_one_request_per_page(
    bedrock_server: BedrockServer,
) -> None:
    result = run(bedrock_server)

    assert statuses(result) == dict.fromkeys(REGIONS, RegionStatus.OK)
    for region in REGIONS:
        models, profiles = expected(region)
        assert list(result.answers[region].model_summaries) == models
        assert list(result.answers[region].profile_summaries) == profiles
    assert bedrock_server.count() == sum(1 + PAGES[r] for r in REGIONS)
    assert result.requested_regions == REGIONS
    assert result.retrieved_at.tzinfo is not None
    assert result.retrieved_at.utcoffset() == timezone.utc.utcoffset(None)


@pytest.mark.parametrize(
    ("region", "pages"),
    [("ap-northeast-1", 1), ("eu-west-1", 1), ("us-west-2", 2), ("us-east-1", 5)],
)
def test_profiles_are_read_across_every_page(
    bedrock_server: BedrockServer, region: str, pages: int
) -> None:
    result = run(bedrock_server, [region])

    assert list(result.answers[region].profile_summaries) == expected(region)[1]
    records = bedrock_server.records(region, PROFILES)
    assert [r.page for r in records] == list(range(1, pages + 1))
    assert all(r.query.get("type") == "SYSTEM_DEFINED" for r in records)
    assert "nextToken" not in records[0].query
    assert bedrock_server.count(region, MODELS) == 1


def test_a_throttle_on_page_3_resumes_at_page_3(
    bedrock_server: BedrockServer, backoff_sleeps: list[float]
) -> None:
    bedrock_server.throttle("us-east-1", 1, operation=PROFILES, page=3)

    result = run(bedrock_server, ["us-east-1"])

    assert statuses(result) == {"us-east-1": RegionStatus.OK}
    assert list(result.answers["us-east-1"].profile_summaries) == expected("us-east-1")[1]
    records = bedrock_server.records("us-east-1", PROFILES)
    assert [(r.page, r.status) for r in records] == [
        (1, 200),
        (2, 200),
        (3, 429),
        (3, 200),
        (4, 200),
        (5, 200),
    ]
    assert records[2].query["nextToken"] == records[3].query["nextToken"]
    assert backoff_sleeps == [0.5 * fetch.BACKOFF_BASE_SECONDS]


def test_throttling_that_recovers_backs_off_exponentially_and_succeeds(
    bedrock_server: BedrockServer, backoff_sleeps: list[float]
) -> None:
    bedrock_server.throttle("us-west-2", 3, operation=MODELS)

    result = run(bedrock_server)

    assert statuses(result) == dict.fromkeys(REGIONS, RegionStatus.OK)
    assert bedrock_server.count("us-west-2", MODELS) == 4
    base = fetch.BACKOFF_BASE_SECONDS
    assert backoff_sleeps == [0.5 * base, 0.5 * base * 2, 0.5 * base * 4]


def test_throttling_beyond_the_budget_fails_only_that_region(
    bedrock_server: BedrockServer,
) -> None:
    bedrock_server.throttle("us-west-2", None)

    result = run(bedrock_server)

    outcome = result.outcomes["us-west-2"]
    assert outcome.status is RegionStatus.FAILED
    assert outcome.error_code == "ThrottlingException"
    assert result.answers["us-west-2"].model_summaries == ()
    assert {r: s for r, s in statuses(result).items() if r != "us-west-2"} == dict.fromkeys(
        ("us-east-1", "eu-west-1", "ap-northeast-1"), RegionStatus.OK
    )
    # One budget per request: neither operation is sent more than MAX_ATTEMPTS times.
    assert bedrock_server.count("us-west-2", MODELS) <= fetch.MAX_ATTEMPTS
    assert bedrock_server.count("us-west-2", PROFILES) <= fetch.MAX_ATTEMPTS
    assert bedrock_server.count("us-west-2") >= fetch.MAX_ATTEMPTS


@pytest.mark.parametrize(
    ("inject", "code"),
    [
        (BedrockServer.deny_access, "AccessDeniedException"),
        (BedrockServer.unrecognized_client, "UnrecognizedClientException"),
        (
            lambda server, region: server.fail_with(
                region, "InvalidClientTokenId", "invalid", None, status=403
            ),
            "InvalidClientTokenId",
        ),
    ],
)
def test_denied_and_unrecognized_regions_are_unavailable_without_retry(
    bedrock_server: BedrockServer, backoff_sleeps: list[float], inject: Any, code: str
) -> None:
    inject(bedrock_server, "eu-west-1")

    result = run(bedrock_server)

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.UNAVAILABLE, code)
    assert outcome.message
    assert bedrock_server.count("eu-west-1", MODELS) <= 1
    assert bedrock_server.count("eu-west-1", PROFILES) <= 1
    assert bedrock_server.count("eu-west-1") >= 1
    assert backoff_sleeps == []
    assert statuses(result)["us-east-1"] is RegionStatus.OK


def test_a_region_not_enabled_for_the_account_is_unavailable(
    bedrock_server: BedrockServer,
) -> None:
    result = run(bedrock_server, ["us-east-1", "me-south-1"])

    outcome = result.outcomes["me-south-1"]
    assert outcome.status is RegionStatus.UNAVAILABLE
    assert "security token included in the request is invalid" in (outcome.message or "")
    assert bedrock_server.count("me-south-1", MODELS) <= 1
    assert bedrock_server.count("me-south-1", PROFILES) <= 1


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_that_recovers_gives_ok(bedrock_server: BedrockServer, status: int) -> None:
    bedrock_server.server_error("us-east-1", 2, status=status, operation=PROFILES, page=2)

    result = run(bedrock_server, ["us-east-1"])

    assert statuses(result) == {"us-east-1": RegionStatus.OK}
    assert list(result.answers["us-east-1"].profile_summaries) == expected("us-east-1")[1]
    assert bedrock_server.count("us-east-1", PROFILES) == PAGES["us-east-1"] + 2


def test_a_server_error_that_persists_fails_with_its_code(bedrock_server: BedrockServer) -> None:
    bedrock_server.server_error("us-east-1", None, status=503, operation=MODELS)

    result = run(bedrock_server, ["us-east-1"])

    outcome = result.outcomes["us-east-1"]
    assert (outcome.status, outcome.error_code) == (
        RegionStatus.FAILED,
        "ServiceUnavailableException",
    )
    assert bedrock_server.count("us-east-1", MODELS) == fetch.MAX_ATTEMPTS


def test_a_hanging_region_is_cut_off_by_the_deadline_and_the_others_are_kept(
    no_leaked_threads: None, bedrock_server: BedrockServer
) -> None:
    release = bedrock_server.hang("eu-west-1")
    try:
        started = time.monotonic()
        result = run(bedrock_server, timeout=1.5)
        elapsed = time.monotonic() - started
    finally:
        release.set()

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "deadline")
    assert outcome.message == "not finished within 1.5 s"
    assert 1.4 <= elapsed < 3.5  # cut at the deadline (the hang itself never ends)
    for region in ("us-east-1", "us-west-2", "ap-northeast-1"):
        assert result.outcomes[region].status is RegionStatus.OK
        assert list(result.answers[region].model_summaries) == expected(region)[0]


def test_hanging_regions_that_hold_every_worker_do_not_starve_the_healthy_ones(
    no_leaked_threads: None, bedrock_server: BedrockServer
) -> None:
    # Both workers hang on eu-west-1's two requests; each attempt ends at the read timeout.
    # A timed-out request must then wait behind the fresh ones instead of hanging again at
    # once, or no other region would ever get a worker before the deadline.
    # (Retried in place, 10 attempts of 0.25 s would outlast the 2 s deadline.)
    limits = FetchLimits(read_timeout=0.25, max_attempts=10, backoff_base=0.001)
    release = bedrock_server.hang("eu-west-1")
    try:
        result = run(
            bedrock_server, ["eu-west-1", *PAGES], max_workers=2, timeout=2.0, limits=limits
        )
    finally:
        release.set()

    assert result.outcomes["eu-west-1"].status is RegionStatus.FAILED
    for region in ("us-east-1", "us-west-2", "ap-northeast-1"):
        assert result.outcomes[region].status is RegionStatus.OK
        assert list(result.answers[region].profile_summaries) == expected(region)[1]
    # The retries keep the one budget: at most MAX_ATTEMPTS sends per request.
    assert bedrock_server.count("eu-west-1", MODELS) <= limits.max_attempts
    assert bedrock_server.count("eu-west-1", PROFILES) <= limits.max_attempts


def test_no_credentials_fail_fast_once_without_any_request(
    bedrock_server: BedrockServer, no_aws_credentials: None
) -> None:
    started = time.monotonic()
    with pytest.raises(NoCredentialsError, match="no AWS credentials found"):
        run(bedrock_server)
    assert time.monotonic() - started < 1.0
    assert bedrock_server.count() == 0


def test_expired_credentials_fail_the_whole_fetch_once(bedrock_server: BedrockServer) -> None:
    for region in REGIONS:
        bedrock_server.fail_with(
            region, "ExpiredTokenException", "The security token is expired", None
        )

    with pytest.raises(NoCredentialsError, match="expired"):
        run(bedrock_server, max_workers=1)
    # The first rejection stops the fetch: no per-region repetition.
    assert bedrock_server.count() <= 2


def test_a_malformed_json_body_fails_that_region_only(bedrock_server: BedrockServer) -> None:
    bedrock_server.malformed_json("us-west-2", operation=MODELS)

    result = run(bedrock_server)

    outcome = result.outcomes["us-west-2"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert bedrock_server.count("us-west-2", MODELS) == 1
    assert result.answers["us-west-2"].model_summaries == ()
    assert {r: s for r, s in statuses(result).items() if r != "us-west-2"} == dict.fromkeys(
        ("us-east-1", "eu-west-1", "ap-northeast-1"), RegionStatus.OK
    )


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        (MODELS, {"modelSummaries": "not a list"}),
        (MODELS, [1, 2]),
        (MODELS, b""),
        (PROFILES, b""),
        (PROFILES, {"inferenceProfileSummaries": [], "nextToken": 7}),
        # A 200 that is not a real answer fails the region instead of emptying it (issue 11.4).
        (MODELS, {}),
        (MODELS, {"message": "Internal error", "__type": "InternalServerException"}),
        (MODELS, b'{"modelSummaries": [null, NaN, {}]}'),
        (MODELS, {"modelSummaries": [{"modelId": "a.b", "inputModalities": "TEXT"}]}),
        (MODELS, {"modelSummaries": [{"modelId": "a.b", "inferenceTypesSupported": "ON_DEMAND"}]}),
        (PROFILES, {}),
        (PROFILES, {"inferenceProfileSummaries": [{}, None]}),
        (PROFILES, {"inferenceProfileSummaries": [{"inferenceProfileId": "p", "models": "m"}]}),
    ],
)
def test_a_body_of_the_wrong_shape_fails_that_region_only(
    bedrock_server: BedrockServer, operation: str, body: Any
) -> None:
    bedrock_server.answer_with("eu-west-1", body, operation=operation)

    result = run(bedrock_server)

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert statuses(result)["us-east-1"] is RegionStatus.OK


def test_a_paging_loop_fails_that_region_instead_of_paging_until_the_deadline(
    bedrock_server: BedrockServer,
) -> None:
    # Every page of eu-west-1 hands back the same token: a server bug that must not spin.
    bedrock_server.answer_with(
        "eu-west-1", {"inferenceProfileSummaries": [], "nextToken": "again"}, operation=PROFILES
    )

    result = run(bedrock_server)

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert "loop" in (outcome.message or "")
    assert bedrock_server.count("eu-west-1", PROFILES) == 2
    assert statuses(result)["us-east-1"] is RegionStatus.OK


@pytest.mark.parametrize("operation", [MODELS, PROFILES])
def test_an_entry_that_is_not_an_object_is_skipped_and_the_region_kept(
    bedrock_server: BedrockServer, operation: str, caplog: pytest.LogCaptureFixture
) -> None:
    models, profiles = expected("eu-west-1")
    if operation == MODELS:
        body: dict[str, Any] = {"modelSummaries": [7, *models, None]}
    else:
        body = {"inferenceProfileSummaries": ["x", *profiles]}
    bedrock_server.answer_with("eu-west-1", body, operation=operation)

    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        result = run(bedrock_server)

    assert statuses(result) == dict.fromkeys(REGIONS, RegionStatus.OK)
    answer = result.answers["eu-west-1"]
    assert list(answer.model_summaries) == models
    assert list(answer.profile_summaries) == profiles
    assert "not summaries" in caplog.text


def test_progress_reports_each_region_once_from_the_calling_thread(
    bedrock_server: BedrockServer,
) -> None:
    calls: list[tuple[RegionOutcome, int, int, threading.Thread]] = []

    run(
        bedrock_server, progress=lambda o, d, t: calls.append((o, d, t, threading.current_thread()))
    )

    assert sorted(c[0].region for c in calls) == sorted(REGIONS)
    assert [c[1] for c in calls] == [1, 2, 3, 4]
    assert {c[2] for c in calls} == {4}
    assert {c[3] for c in calls} == {threading.current_thread()}


class CountingSession(boto3.Session):  # type: ignore[misc]
    """A boto3 Session that counts the clients created from it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clients: list[str] = []

    def client(self, *args: Any, **kwargs: Any) -> Any:
        self.clients.append(kwargs.get("region_name", ""))
        return super().client(*args, **kwargs)


def test_one_client_per_region_is_created_and_reused(bedrock_server: BedrockServer) -> None:
    session = CountingSession()

    result = run(bedrock_server, session=session)

    assert statuses(result) == dict.fromkeys(REGIONS, RegionStatus.OK)
    assert sorted(session.clients) == sorted(REGIONS)


def test_default_regions_are_every_bedrock_region_of_the_partition(
    bedrock_server: BedrockServer,
) -> None:
    session = boto3.Session()

    result = run(bedrock_server, None, session=session, max_workers=10)

    assert result.requested_regions is None
    assert set(result.answers) == set(session.get_available_regions("bedrock"))
    for region, outcome in result.outcomes.items():
        wanted = RegionStatus.OK if region in REGIONS else RegionStatus.UNAVAILABLE
        assert outcome.status is wanted, region


def test_the_endpoint_can_come_from_aws_endpoint_url_bedrock(bedrock_endpoint: str) -> None:
    result = fetch_regions(["eu-west-1"], timeout=10.0)

    assert statuses(result) == {"eu-west-1": RegionStatus.OK}
    assert list(result.answers["eu-west-1"].model_summaries) == expected("eu-west-1")[0]


def test_debug_logs_never_contain_credentials(
    bedrock_server: BedrockServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIASECRETKEYID")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-access-key-value")
    bedrock_server.throttle("us-east-1", 1)
    with caplog.at_level(logging.DEBUG, logger=fetch.__name__):
        run(bedrock_server)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == fetch.__name__)
    assert "us-east-1" in text
    assert "AKIASECRETKEYID" not in text
    assert "secret-access-key-value" not in text
    assert "111122223333" not in text


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"regions": ["us-east-1", "not a region"]}, "'not a region'"),
        ({"regions": "us-east-1"}, "regions"),
        ({"regions": ["us-east-\uff11"]}, "non-ASCII"),
        ({"regions": ["us-east-1"], "max_workers": 0}, "max_workers"),
        ({"regions": ["us-east-1"], "timeout": 0}, "timeout"),
        ({"regions": ["us-east-1"], "timeout": -1.0}, "timeout"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(
    bedrock_server: BedrockServer, kwargs: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=named.replace("(", r"\(")):
        fetch_regions(endpoint_url=bedrock_server.url, **kwargs)
    assert bedrock_server.count() == 0


def test_importing_the_catalog_package_does_not_import_boto3() -> None:
    code = (
        "import sys\n"
        "import bestehorn_llmmanager.bedrock.catalog\n"
        "import bestehorn_llmmanager.bedrock.catalog._fetch\n"
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'boto3 imported'\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


# -- hardening (issue 11) ------------------------------------------------------------------------


def child_script(body: str) -> list[str]:
    """A Python subprocess that runs ``body`` (with fetch_regions imported) in a fresh process."""
    prelude = (
        "import sys, time\n"
        "from bestehorn_llmmanager.bedrock.catalog._fetch import FetchLimits, fetch_regions\n"
    )
    return [sys.executable, "-c", prelude + body]


def test_a_trickling_region_never_keeps_the_process_alive(bedrock_server: BedrockServer) -> None:
    # One byte every 0.2 s, always inside the read timeout: only a bound on the whole response
    # (and daemon workers) ends it. Before: the worker stuck on it was joined at exit, for as
    # long as the body took (here ~25 minutes).
    bedrock_server.trickle("eu-west-1", 0.2)
    body = (
        f"result = fetch_regions({list(REGIONS)!r}, endpoint_url={bedrock_server.url!r},\n"
        "                       timeout=2.0, limits=FetchLimits(read_timeout=30.0))\n"
        "outcomes = result.outcomes\n"
        "print(outcomes['eu-west-1'].error_code, outcomes['us-east-1'].status.value)\n"
    )
    child = subprocess.Popen(child_script(body), stdout=subprocess.PIPE, text=True)
    try:
        out, _ = child.communicate(timeout=2.0 + 8.0)
    finally:
        child.kill()
    assert child.returncode == 0
    assert out.split() == ["deadline", "ok"]


def test_a_trickling_region_does_not_hold_the_workers_the_healthy_regions_need(
    no_leaked_threads: None, bedrock_server: BedrockServer
) -> None:
    bedrock_server.trickle("eu-west-1", 0.05)
    limits = FetchLimits(read_timeout=0.3, max_attempts=2)

    result = run(bedrock_server, ["eu-west-1", *PAGES], max_workers=2, timeout=8.0, limits=limits)

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "ReadTimeoutError")
    assert "did not arrive within 0.3 s" in (outcome.message or "")
    for region in ("us-east-1", "us-west-2", "ap-northeast-1"):
        assert result.outcomes[region].status is RegionStatus.OK
        assert list(result.answers[region].profile_summaries) == expected(region)[1]


def test_more_entries_than_the_cap_fail_the_region_naming_the_cap(
    bedrock_server: BedrockServer,
) -> None:
    cap = fetch.MAX_ENTRIES_PER_OPERATION
    models = [
        {"modelId": f"vendor.m{n}", "modelArn": f"arn:aws:bedrock:eu-west-1::foundation-model/m{n}"}
        for n in range(cap + 1)
    ]
    bedrock_server.answer_with("eu-west-1", {"modelSummaries": models}, operation=MODELS)

    result = run(bedrock_server)

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert f"cap of {cap}" in (outcome.message or "")
    assert statuses(result)["us-east-1"] is RegionStatus.OK


def test_profile_pages_count_together_against_the_entry_cap(bedrock_server: BedrockServer) -> None:
    # us-east-1 pages its profiles two at a time over 5 pages; two models stay under the cap.
    models = expected("us-east-1")[0][:2]
    bedrock_server.answer_with("us-east-1", {"modelSummaries": models}, operation=MODELS)
    result = run(bedrock_server, ["us-east-1"], limits=FetchLimits(max_entries=3))

    outcome = result.outcomes["us-east-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert "more than 3 entries" in (outcome.message or "")
    assert bedrock_server.count("us-east-1", PROFILES) == 2


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_size_cap_fails_the_region_naming_the_cap(
    bedrock_server: BedrockServer, declared: bool
) -> None:
    padding = "x" * 5000
    if declared:  # Content-Length says it up front: refused before reading
        bedrock_server.answer_with("eu-west-1", {"modelSummaries": [], "pad": padding})
    else:  # chunked: counted while reading
        bedrock_server.add_route(
            "GET",
            r"/foundation-models",
            MODELS,
            lambda request: Response(
                chunks=[b'{"modelSummaries": [], "pad": "', padding.encode(), b'"}']
            ),
        )

    result = run(bedrock_server, ["eu-west-1"], limits=FetchLimits(max_body_bytes=4096))

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert "over the cap of 4096 bytes" in (outcome.message or "")


def test_a_region_that_answers_no_real_answer_keeps_its_previous_data_as_stale(
    bedrock_server: BedrockServer,
) -> None:
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    # No store: the previous data is the catalog in use (and no process-wide memory catalog is
    # left behind for other tests).
    catalog = BedrockModelCatalog(
        cache_mode="none", regions=list(REGIONS), endpoint_url=bedrock_server.url
    )
    before = {m.model_id for m in catalog.catalog.models.values() if "eu-west-1" in m.regions}
    assert before
    bedrock_server.answer_with("eu-west-1", {}, operation=MODELS)

    metadata = catalog.refresh()

    assert metadata.region_outcomes["eu-west-1"].error_code == "MalformedResponse"
    assert "eu-west-1" in metadata.stale_regions
    after = {m.model_id for m in catalog.catalog.models.values() if "eu-west-1" in m.regions}
    assert after == before


@pytest.mark.parametrize(
    ("operation", "field_name", "arn"),
    [
        (MODELS, "modelArn", "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-2-lite-v1:0"),
        (
            PROFILES,
            "inferenceProfileArn",
            "arn:aws:bedrock:us-west-2:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0",
        ),
    ],
)
def test_another_regions_data_is_not_accepted_as_this_regions(
    bedrock_server: BedrockServer, operation: str, field_name: str, arn: str
) -> None:
    models, profiles = expected("eu-west-1")
    key = "modelSummaries" if operation == MODELS else "inferenceProfileSummaries"
    entries = [dict(e) for e in (models if operation == MODELS else profiles)]
    entries[-1][field_name] = arn
    bedrock_server.answer_with("eu-west-1", {key: entries}, operation=operation)

    result = run(bedrock_server)

    outcome = result.outcomes["eu-west-1"]
    assert (outcome.status, outcome.error_code) == (RegionStatus.FAILED, "MalformedResponse")
    assert "'us-west-2'" in (outcome.message or "") and "'eu-west-1'" in (outcome.message or "")
    assert "111122223333" not in (outcome.message or "")
    assert result.answers["eu-west-1"].model_summaries == ()


def requests_sent(events: list[FetchEvent]) -> int:
    return max((e.requests_done for e in events), default=0)


def test_a_refused_endpoint_costs_one_request_and_one_summary_line() -> None:
    url = refused_endpoint()
    events: list[FetchEvent] = []

    with pytest.raises(FetchError) as caught:
        fetch_regions(
            REGIONS, endpoint_url=url, max_workers=1, timeout=10.0, on_event=events.append
        )

    message = str(caught.value)
    assert message.startswith(f"4 regions unreachable: EndpointConnectionError at {url}")
    assert "\n" not in message and len(message) < 200
    # The first refusal names the endpoint dead: the other seven requests are never sent.
    assert requests_sent(events) == 1


def test_a_silent_endpoint_is_cut_at_the_short_connect_timeout_once() -> None:
    events: list[FetchEvent] = []
    unreachable = r"^4 regions unreachable: ConnectTimeoutError at "
    with SilentEndpoint() as silent, pytest.raises(FetchError, match=unreachable):
        fetch_regions(
            REGIONS,
            endpoint_url=silent.url,
            max_workers=1,
            timeout=30.0,
            limits=FetchLimits(connect_timeout=0.2),
            on_event=events.append,
        )
    assert requests_sent(events) == 1
    assert fetch.CONNECT_TIMEOUT_SECONDS <= 2.0


def test_when_three_endpoints_fail_and_none_answered_the_rest_are_not_tried() -> None:
    # Every region on its own dead endpoint, like AWS's per-region hosts behind a dead network.
    ports = {region: refused_endpoint() for region in ("eu-north-1", *REGIONS)}

    class PerRegionEndpoints(boto3.Session):  # type: ignore[misc]
        def client(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["endpoint_url"] = ports[kwargs["region_name"]]
            return super().client(*args, **kwargs)

    events: list[FetchEvent] = []
    with pytest.raises(FetchError) as caught:
        fetch_regions(
            list(ports),
            session=PerRegionEndpoints(),
            max_workers=1,
            timeout=10.0,
            on_event=events.append,
        )

    assert requests_sent(events) == fetch.NETWORK_DOWN_AFTER_ENDPOINTS
    assert str(caught.value).startswith("5 regions unreachable: EndpointConnectionError at ")
    assert str(caught.value).endswith("(and 2 other endpoints)")


def test_an_endpoint_that_accepts_but_never_answers_stops_after_three_regions(
    bedrock_server: BedrockServer,
) -> None:
    for region in REGIONS:  # TCP and the request are accepted, no answer ever comes
        bedrock_server.hang(region)
    events: list[FetchEvent] = []

    with pytest.raises(FetchError) as caught:
        run(
            bedrock_server,
            max_workers=2,
            limits=FetchLimits(read_timeout=0.3),
            on_event=events.append,
        )

    assert str(caught.value).startswith(
        f"4 regions unreachable: ReadTimeoutError at {bedrock_server.url}/"
    )
    # Three regions' requests timed out with nothing answering: the rest are not sent (the
    # second worker's request was already on its way).
    assert requests_sent(events) <= fetch.NETWORK_DOWN_AFTER_ENDPOINTS + 1


def test_a_dead_proxy_fails_every_region_after_one_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every region has its own AWS host, but one proxy carries them all.
    proxy = refused_endpoint()
    for name in ("NO_PROXY", "no_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    events: list[FetchEvent] = []

    with pytest.raises(FetchError) as caught:
        fetch_regions(REGIONS, max_workers=1, timeout=10.0, on_event=events.append)

    assert str(caught.value) == f"4 regions unreachable: ProxyConnectionError at {proxy}"
    assert requests_sent(events) == 1


def test_an_unreachable_endpoint_is_remembered_briefly_by_the_next_fetch() -> None:
    url = refused_endpoint()
    now = [0.0]
    memory = fetch.UnreachableEndpoints(ttl=60.0, clock=lambda: now[0], include_loopback=True)
    with pytest.raises(FetchError):
        fetch_regions(REGIONS, endpoint_url=url, unreachable=memory)

    events: list[FetchEvent] = []
    now[0] = 30.0
    with pytest.raises(FetchError, match="remembered"):
        fetch_regions(REGIONS, endpoint_url=url, unreachable=memory, on_event=events.append)
    assert requests_sent(events) == 0

    now[0] = 91.0  # past the ttl: tried again
    events.clear()
    with pytest.raises(FetchError) as caught:
        fetch_regions(REGIONS, endpoint_url=url, unreachable=memory, on_event=events.append)
    assert "remembered" not in str(caught.value)
    assert requests_sent(events) >= 1


def test_the_next_process_remembers_a_dead_endpoint_through_the_shared_file(
    tmp_path: Any,
) -> None:
    url, memory_file = refused_endpoint(), tmp_path / fetch.UNREACHABLE_FILENAME
    first = fetch.UnreachableEndpoints(path=memory_file, include_loopback=True)
    with pytest.raises(FetchError):
        fetch_regions(REGIONS, endpoint_url=url, unreachable=first)
    assert memory_file.stat().st_mode & 0o777 == 0o600

    body = (
        "from bestehorn_llmmanager._errors import FetchError\n"
        "from bestehorn_llmmanager.bedrock.catalog._fetch import UnreachableEndpoints\n"
        "sent = []\n"
        f"memory = UnreachableEndpoints(path={str(memory_file)!r}, include_loopback=True)\n"
        "try:\n"
        f"    fetch_regions({list(REGIONS)!r}, endpoint_url={url!r}, unreachable=memory,\n"
        "                  on_event=lambda e: sent.append(e.requests_done))\n"
        "except FetchError as error:\n"
        "    print(max(sent), error)\n"
    )
    child = subprocess.run(child_script(body), capture_output=True, text=True, check=False)
    sent, message = child.stdout.split(" ", 1)
    assert sent == "0", child.stderr
    assert "remembered" in message


def test_the_shared_file_is_trusted_only_when_nobody_else_can_write_it(tmp_path: Any) -> None:
    memory_file = tmp_path / fetch.UNREACHABLE_FILENAME
    writer = fetch.UnreachableEndpoints(path=memory_file)
    secret = "User: arn:aws:iam::123456789012:user/x cannot"
    writer.remember("https://bedrock.us-east-1.amazonaws.com", "EndpointConnectionError", secret)
    assert "123456789012" not in memory_file.read_text()
    reader = fetch.UnreachableEndpoints(path=memory_file)
    assert reader.recall("https://bedrock.us-east-1.amazonaws.com") is not None

    memory_file.chmod(0o666)  # anyone could have written it: ignored
    assert (
        fetch.UnreachableEndpoints(path=memory_file).recall(
            "https://bedrock.us-east-1.amazonaws.com"
        )
        is None
    )


@pytest.mark.parametrize("offset", [-61.0, 3600.0])
def test_an_expired_or_future_dated_shared_entry_is_ignored(tmp_path: Any, offset: float) -> None:
    memory_file = tmp_path / fetch.UNREACHABLE_FILENAME
    now = 1_000_000.0
    fetch.UnreachableEndpoints(path=memory_file, wall=lambda: now + offset).remember(
        "https://bedrock.eu-west-1.amazonaws.com", "ConnectTimeoutError", "no handshake"
    )
    reader = fetch.UnreachableEndpoints(path=memory_file, wall=lambda: now)
    assert reader.recall("https://bedrock.eu-west-1.amazonaws.com") is None


def test_the_catalog_shares_a_dead_network_with_the_next_process_beside_its_cache(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real AWS host names through a refused (loopback) proxy: the endpoints themselves are not
    # loopback, so they are remembered, and nothing ever leaves the machine.
    for name in ("NO_PROXY", "no_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", refused_endpoint())
    body = (
        "from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog\n"
        f"catalog = BedrockModelCatalog(cache_directory={str(tmp_path / 'cache')!r},\n"
        f"                              regions={list(REGIONS)!r})\n"
        "print(catalog.metadata.source.value, '|', catalog.metadata.fallback_reason)\n"
    )
    first, second = (
        subprocess.run(child_script(body), capture_output=True, text=True, check=False)
        for _ in range(2)
    )

    assert first.stdout.startswith("bundled |"), first.stderr
    assert "ProxyConnectionError" in first.stdout and "remembered" not in first.stdout
    assert second.stdout.startswith("bundled |"), second.stderr
    assert "remembered" in second.stdout
    assert (tmp_path / "cache" / fetch.UNREACHABLE_FILENAME).exists()


def test_loopback_endpoints_are_not_remembered_by_default(bedrock_server: BedrockServer) -> None:
    url = refused_endpoint()
    with pytest.raises(FetchError):
        fetch_regions(["us-east-1"], endpoint_url=url)
    assert fetch.UNREACHABLE_ENDPOINTS.recall(url) is None


def test_a_region_botocore_cannot_build_a_client_for_fails_alone(
    bedrock_server: BedrockServer,
) -> None:
    class RefusingSession(boto3.Session):  # type: ignore[misc]
        def client(self, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("region_name") == "eu-west-1":
                raise ValueError("cannot build an endpoint for eu-west-1")
            return super().client(*args, **kwargs)

    result = run(bedrock_server, ["eu-west-1", "us-east-1"], session=RefusingSession())

    assert statuses(result) == {"eu-west-1": RegionStatus.FAILED, "us-east-1": RegionStatus.OK}
    assert "cannot build" in (result.outcomes["eu-west-1"].message or "")


def test_no_credentials_and_a_silent_metadata_address_fail_fast(
    bedrock_server: BedrockServer, no_aws_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where the metadata address drops packets, botocore alone spends two 1-second probes.
    with SilentEndpoint() as silent:
        monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent.url)
        started = time.monotonic()
        with pytest.raises(NoCredentialsError):
            run(bedrock_server)
        # botocore alone: at least 2 x 1 s; the probe gives up after 0.25 s.
        assert time.monotonic() - started < 1.5
    assert bedrock_server.count() == 0


def test_instance_metadata_credentials_still_work_when_the_address_answers(
    bedrock_server: BedrockServer, no_aws_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with MetadataServer() as imds:
        monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
        result = run(bedrock_server, ["eu-west-1"])
    assert statuses(result) == {"eu-west-1": RegionStatus.OK}
    assert ("PUT", "/latest/api/token") in imds.requests


# -- progress and interruption (issue 12) --------------------------------------------------------


def test_events_report_every_request_and_the_pending_regions_on_the_calling_thread(
    bedrock_server: BedrockServer,
) -> None:
    events: list[tuple[FetchEvent, threading.Thread]] = []

    run(
        bedrock_server,
        max_workers=2,
        on_event=lambda e: events.append((e, threading.current_thread())),
    )

    kinds = [e.kind for e, _ in events]
    assert kinds[0] == "started" and kinds[-1] == "finished"
    first = events[0][0]
    assert (first.regions_total, first.pending) == (4, tuple(sorted(REGIONS)))
    requests = [e for e, _ in events if e.kind == "request"]
    assert len(requests) == bedrock_server.count()
    assert [e.requests_done for e in requests] == list(range(1, len(requests) + 1))
    # The screen advances before any region is done: us-east-1 alone has five profile pages.
    assert kinds.index("request") < kinds.index("region")
    assert {e.page for e in requests if e.operation == PROFILES} >= {1, 2, 3, 4, 5}
    regions = [e for e, _ in events if e.kind == "region"]
    assert [len(e.pending) for e in regions] == [3, 2, 1, 0]
    assert all(e.region not in e.pending for e in regions)
    assert events[-1][0].fraction == 1.0
    assert {t for _, t in events} == {threading.current_thread()}


def test_ctrl_c_ends_the_fetch_and_the_process_at_once(bedrock_server: BedrockServer) -> None:
    bedrock_server.hang("eu-west-1")
    body = (
        "try:\n"
        f"    fetch_regions({list(REGIONS)!r}, endpoint_url={bedrock_server.url!r}, timeout=600)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n"
    )
    child = subprocess.Popen(child_script(body))
    try:
        assert bedrock_server.wait_for_count(2, "eu-west-1", timeout=30.0)
        child.send_signal(signal.SIGINT)
        child.wait(timeout=10.0)
    finally:
        child.kill()
    assert child.returncode == 130
