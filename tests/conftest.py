"""Shared fixtures: an AWS environment that can never reach AWS, and the local Bedrock server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.bedrock_server import BedrockServer

if TYPE_CHECKING:
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
    from tests.bedrock_runtime import Runtime

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


RUNTIME_WORLD = FIXTURES / "runtime_world"
RUNTIME_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")


@pytest.fixture
def runtime_server(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[BedrockServer, Runtime]]:
    """The local server with the runtime routes, serving tests/fixtures/runtime_world.

    Every boto3 ``bedrock`` and ``bedrock-runtime`` client points at it (through
    AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL_BEDROCK_RUNTIME), so a catalog built from
    the server and the runtime agree unless a test makes them disagree.
    """
    from tests.bedrock_runtime import install

    server = BedrockServer.from_directory(RUNTIME_WORLD)
    with server:
        runtime = install(server)
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.url)
        yield server, runtime


@pytest.fixture
def runtime(runtime_server: tuple[BedrockServer, Runtime]) -> Runtime:
    """The runtime half of ``runtime_server``: its knobs and call records."""
    return runtime_server[1]


@pytest.fixture
def server(runtime_server: tuple[BedrockServer, Runtime]) -> BedrockServer:
    """The HTTP half of ``runtime_server``: its fault injection and request records."""
    return runtime_server[0]


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff sleeps a manager asked for (pass ``sleep=sleeps.append``): nothing really sleeps."""
    return []


@pytest.fixture
def runtime_catalog(runtime_server: tuple[BedrockServer, Runtime]) -> BedrockModelCatalog:
    """A loaded, cache-less catalog of runtime_world, fetched from the runtime server."""
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    server, _ = runtime_server
    catalog = BedrockModelCatalog(
        cache_mode="none", regions=RUNTIME_REGIONS, endpoint_url=server.url
    )
    catalog.load()
    return catalog
