"""fetch_regions through the real boto3 client, over HTTP, against the local Bedrock server."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timezone
from typing import Any

import boto3
import pytest

from bestehorn_llmmanager._errors import NoCredentialsError
from bestehorn_llmmanager.bedrock.catalog import _fetch as fetch
from bestehorn_llmmanager.bedrock.catalog._fetch import FetchLimits, fetch_regions
from bestehorn_llmmanager.bedrock.catalog._types import FetchResult, RegionOutcome, RegionStatus
from tests.bedrock_server import LIST_FOUNDATION_MODELS, LIST_INFERENCE_PROFILES, BedrockServer
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
