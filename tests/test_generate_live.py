"""The generator's --live path, end to end against the local Bedrock server (never AWS), through
``bedrock-catalog bundle generate --live``."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bestehorn_llmmanager import cli
from bestehorn_llmmanager.bedrock.catalog import _fetch as fetch
from bestehorn_llmmanager.bedrock.catalog import generate_live
from bestehorn_llmmanager.bedrock.catalog._fileformat import decode
from bestehorn_llmmanager.bedrock.catalog._types import RegionStatus
from tests.bedrock_server import BedrockServer

WORLD = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"]


def generate(output: Path, *extra: str) -> int:
    return cli.main(["bundle", "generate", "--live", "--output", str(output), *extra])


def test_live_writes_the_catalog_with_unavailable_regions_recorded(
    bedrock_endpoint: str, bedrock_server: BedrockServer, tmp_path: Path
) -> None:
    output = tmp_path / "bundle.json"
    before = datetime.now(timezone.utc)

    assert generate(output, "--regions", *WORLD, "me-south-1") == 0

    data = output.read_bytes()
    catalog = decode(data)
    assert "amazon.nova-pro-v1:0" in catalog.models
    assert catalog.get("amazon.nova-pro-v1:0", "us-east-1") is not None
    meta = catalog.metadata
    assert meta.region_outcomes["me-south-1"].status is RegionStatus.UNAVAILABLE
    assert set(meta.regions_ok) == set(WORLD)
    assert before - timedelta(seconds=1) <= meta.retrieved_at <= datetime.now(timezone.utc)
    assert b"111122223333" not in data  # account ids never stored
    assert bedrock_server.count() > 0


def test_live_refuses_to_write_when_a_region_failed_unless_forced(
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "bundle.json"
    # Not retried, so the CLI's own (real) backoff never sleeps here.
    bedrock_server.fail_with("eu-west-1", "ValidationException", "bad request", None, status=400)

    assert generate(output, "--regions", *WORLD) == 1
    assert not output.exists()
    error = capsys.readouterr().err
    assert "eu-west-1 failed" in error
    assert "ValidationException" in error
    assert "--force" in error

    assert generate(output, "--regions", *WORLD, "--force") == 0
    outcomes = decode(output.read_bytes()).metadata.region_outcomes
    assert outcomes["eu-west-1"].status is RegionStatus.FAILED


def test_live_retries_with_the_random_and_sleep_it_is_given_then_refuses_a_failed_region(
    bedrock_endpoint: str, bedrock_server: BedrockServer, tmp_path: Path
) -> None:
    output = tmp_path / "bundle.json"
    bedrock_server.server_error("eu-west-1", None, status=503, operation="ListFoundationModels")
    sleeps: list[float] = []

    with pytest.raises(ValueError, match="eu-west-1 failed") as refused:
        generate_live(output, regions=WORLD, sleep=sleeps.append, random=lambda: 0.5)

    assert "ServiceUnavailableException" in str(refused.value)
    assert not output.exists()
    base = fetch.BACKOFF_BASE_SECONDS
    assert sleeps == [0.5 * base * 2**n for n in range(fetch.MAX_ATTEMPTS - 1)]


def test_live_refuses_when_the_model_count_shrinks_by_more_than_a_fifth(
    bedrock_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "bundle.json"
    assert generate(output, "--regions", *WORLD) == 0
    full = output.read_bytes()

    assert generate(output, "--regions", "ap-northeast-1") == 1
    assert "shrink" in capsys.readouterr().err
    assert output.read_bytes() == full

    assert generate(output, "--regions", "ap-northeast-1", "--force") == 0
    assert len(decode(output.read_bytes())) < len(decode(full))


def test_live_without_credentials_fails_once_and_writes_nothing(
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    no_aws_credentials: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "bundle.json"

    assert generate(output, "--regions", *WORLD) == 1

    assert "no AWS credentials found" in capsys.readouterr().err
    assert not output.exists()
    assert bedrock_server.count() == 0


def test_profile_reaches_the_generator_without_touching_the_environment(
    bedrock_endpoint: str,
    bedrock_server: BedrockServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A named profile with its own keys, and no keys in the environment: only --profile works.
    config = tmp_path / "credentials"
    config.write_text("[gen]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    output = tmp_path / "bundle.json"

    assert generate(output, "--regions", "us-east-1", "--profile", "gen") == 0, capsys.readouterr()
    assert "AWS_PROFILE" not in os.environ
    assert bedrock_server.count() > 0
    assert generate(tmp_path / "other.json", "--regions", "us-east-1", "--profile", "nope") == 1
    assert "the AWS profile 'nope' was not found" in capsys.readouterr().err
