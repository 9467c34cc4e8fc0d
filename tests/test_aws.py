"""What fetch and LLMManager share about AWS (_aws) and the account-id mask (_redact)."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.credentials import InstanceMetadataProvider
from botocore.exceptions import ClientError, EndpointConnectionError

from bestehorn_llmmanager import _aws
from bestehorn_llmmanager._redact import find_account_ids, mask_account_ids


def test_the_client_config_makes_exactly_one_attempt() -> None:
    config = _aws.client_config(connect_timeout=1.5, read_timeout=7.0, max_pool_connections=3)
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert (config.connect_timeout, config.read_timeout) == (1.5, 7.0)
    assert config.max_pool_connections == 3
    assert _aws.USER_AGENT_EXTRA in config.user_agent_extra


@pytest.mark.parametrize(("floor", "random", "expected"), [(0.0, 0.5, 0.5), (0.5, 0.0, 0.5)])
def test_backoff_follows_its_documented_formula(
    floor: float, random: float, expected: float
) -> None:
    slept: list[float] = []
    backoff = _aws.Backoff(1.0, 8.0, floor=floor, random=lambda: random, sleep=slept.append)
    delays = [backoff.delay(i) for i in range(6)]
    assert delays == [expected * min(8.0, 2.0**i) for i in range(6)]
    backoff.sleep(delays[0])
    backoff.sleep(0.0)
    assert slept == [delays[0]]
    assert backoff.delay(10_000) == expected * 8.0  # no overflow on absurd retry counts


@pytest.mark.parametrize("bad", [{"base": -1.0}, {"cap": "8"}, {"floor": 2.0}, {"base": True}])
def test_backoff_refuses_bad_arguments(bad: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"base": 1.0, "cap": 8.0, **bad}
    with pytest.raises(ValueError):
        _aws.Backoff(**arguments)


def test_error_details_of_a_client_error_are_normalised_and_masked() -> None:
    error = ClientError(
        {
            "Error": {
                "Code": "throttlingException",
                "Message": "User: arn:aws:iam::123456789012:user/x is throttled",
            },
            "ResponseMetadata": {"HTTPStatusCode": 429, "RequestId": "r-1"},
        },
        "Converse",
    )
    details = _aws.error_details(error)
    assert details == _aws.ErrorDetails(
        "ThrottlingException", "User: arn:aws:iam::************:user/x is throttled", 429, "r-1"
    )
    assert details.is_transient and not details.is_unavailable
    assert _aws.error_code(error) == "ThrottlingException"


def test_error_details_of_a_transport_error_name_its_class() -> None:
    error = EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
    details = _aws.error_details(error)
    assert (details.code, details.status) == ("EndpointConnectionError", 0)
    assert isinstance(error, _aws.botocore_errors().connect_failures)


@pytest.mark.parametrize(
    ("code", "message", "unavailable"),
    [
        ("AccessDeniedException", "", True),
        ("OptInRequired", "", True),
        ("Whatever", "The security token included in the request is invalid.", True),
        ("ValidationException", "bad", False),
    ],
)
def test_unavailable_regions_are_told_by_code_or_message(
    code: str, message: str, unavailable: bool
) -> None:
    assert _aws.ErrorDetails(code, message, 403).is_unavailable is unavailable


def test_the_client_cache_makes_one_client_per_region_across_threads() -> None:
    made: list[str] = []

    class Session(boto3.Session):  # type: ignore[misc]
        def client(self, *args: Any, **kwargs: Any) -> Any:
            made.append(kwargs["region_name"])
            return super().client(*args, **kwargs)

    hooked: list[Any] = []
    cache = _aws.ClientCache(Session(), "bedrock", on_create=hooked.append)
    barrier = threading.Barrier(8)

    def use(region: str) -> None:
        barrier.wait()
        cache.get(region)

    threads = [
        threading.Thread(target=use, args=(("us-east-1", "eu-west-1")[n % 2],)) for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == ["eu-west-1", "us-east-1"]
    assert len(hooked) == len(cache) == 2
    assert cache.get("us-east-1") is cache("us-east-1")


def _imds_provider(session: Any) -> Any:
    resolver = session._session.get_component("credential_provider")
    return resolver.get_provider("iam-role")


def test_a_new_session_probes_the_metadata_address_before_botocore_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    assert not isinstance(_imds_provider(_aws.new_session()), InstanceMetadataProvider)


@pytest.mark.parametrize(
    "setting",
    [
        {"AWS_METADATA_SERVICE_TIMEOUT": "3"},
        {"AWS_EC2_METADATA_DISABLED": "true"},
        {"HTTP_PROXY": "http://proxy.invalid:3128", "NO_PROXY": ""},
    ],
)
def test_a_new_session_keeps_botocores_chain_where_the_user_chose_otherwise(
    monkeypatch: pytest.MonkeyPatch, setting: dict[str, str]
) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in setting.items():
        monkeypatch.setenv(name, value)
    assert isinstance(_imds_provider(_aws.new_session()), InstanceMetadataProvider)


def test_account_ids_are_masked_and_found_but_longer_numbers_are_not() -> None:
    text = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/x at 1700000000000 ms"
    assert mask_account_ids(text) == (
        "arn:aws:bedrock:us-east-1:************:inference-profile/x at 1700000000000 ms"
    )
    assert find_account_ids(text + " 444455556666 111122223333") == [
        "111122223333",
        "444455556666",
    ]
    assert mask_account_ids("no ids") == "no ids"
    # Other scripts' digits are not account ids (and never widen the pattern).
    assert mask_account_ids("\uff11" * 12) == "\uff11" * 12


def test_a_new_session_for_a_profile_uses_that_profiles_credentials(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = d\n"
        "[other]\naws_access_key_id = OTHERKEY\naws_secret_access_key = o\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")

    assert _aws.resolve_credentials(_aws.new_session(profile_name="other")).access_key == "OTHERKEY"
    assert _aws.resolve_credentials(_aws.new_session()).access_key == "DEFAULTKEY"
