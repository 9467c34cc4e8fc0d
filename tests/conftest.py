"""Shared fixtures: an AWS environment that can never reach AWS, and the local Bedrock server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bedrock_server import BedrockServer

FIXTURES = Path(__file__).parent / "fixtures"
WORLD_SMALL = FIXTURES / "world_small"

# Everything through which boto3 could find real credentials, a profile or a real endpoint.
_AWS_VARIABLES_TO_CLEAR = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_BEDROCK",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "AWS_ENDPOINT_URL_STS",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    # The library's own switches: each test opts in explicitly.
    "BEDROCK_CATALOG_CACHE_DIR",
    "BEDROCK_CATALOG_OFFLINE",
)


@pytest.fixture(autouse=True)
def aws_env(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Dummy credentials, no profile/config files, no instance metadata: boto3 cannot reach AWS.

    Autouse, so no test can sign a request with real credentials by accident; tests marked
    ``aws`` (real AWS, opt-in) keep the real environment. Tests still choose the endpoint.
    """
    if request.node.get_closest_marker("aws") is not None:
        return
    nowhere = tmp_path_factory.mktemp("aws-nowhere")
    for name in _AWS_VARIABLES_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nowhere / "config-does-not-exist"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere / "credentials-do-not-exist"))


@pytest.fixture
def no_aws_credentials(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials anywhere boto3 looks (environment, files, IMDS disabled)."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)


@pytest.fixture
def bedrock_server(aws_env: None) -> Iterator[BedrockServer]:
    """The local Bedrock server serving tests/fixtures/world_small at page size 2.

    Stopped at teardown: every hang is released and every handler thread joined.
    """
    server = BedrockServer.from_directory(WORLD_SMALL, page_size=2)
    with server:
        yield server


@pytest.fixture
def bedrock_endpoint(bedrock_server: BedrockServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point every boto3 ``bedrock`` client at the local server via AWS_ENDPOINT_URL_BEDROCK."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", bedrock_server.url)
    return bedrock_server.url
