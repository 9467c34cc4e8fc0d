"""Live tests against the real AWS APIs: opt-in, never part of `.ci/run`.

Run them with credentials that may call Bedrock (see docs/releasing.md for the minimal policy):

    BEDROCK_LIVE_TESTS=1 python -m pytest -q -m aws tests/test_live_aws.py

They are deselected by default (`addopts = -m 'not aws'`), and skipped, saying why, unless
BEDROCK_LIVE_TESTS=1 is set and credentials are found. Each Converse call asks for a few tokens of
a cheap model (BEDROCK_LIVE_MODEL, default "Nova Micro", from BEDROCK_LIVE_REGION, default
us-east-1).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.aws

LIVE_REGIONS = ("us-east-1", "us-west-2")
MODEL = os.environ.get("BEDROCK_LIVE_MODEL", "Nova Micro")
REGION = os.environ.get("BEDROCK_LIVE_REGION", "us-east-1")


def _skip_reason() -> str | None:
    if os.environ.get("BEDROCK_LIVE_TESTS") != "1":
        return "live AWS tests: set BEDROCK_LIVE_TESTS=1 (and AWS credentials) to run them"
    import boto3

    if boto3.Session().get_credentials() is None:
        return "live AWS tests: BEDROCK_LIVE_TESTS=1 but no AWS credentials were found"
    return None


@pytest.fixture(autouse=True)
def live_only() -> None:
    reason = _skip_reason()
    if reason is not None:
        pytest.skip(reason)


def test_fetch_two_regions_answers_ok() -> None:
    from bestehorn_llmmanager.bedrock.catalog import RegionStatus, fetch_regions

    result = fetch_regions(list(LIVE_REGIONS), timeout=60)
    for region in LIVE_REGIONS:
        answer = result.answers[region]
        assert answer.outcome.status is RegionStatus.OK, answer.outcome.reason
        assert answer.model_summaries
    assert any(a.profile_summaries for a in result.answers.values())


def test_catalog_refresh_builds_and_caches_a_catalog(tmp_path: Path) -> None:
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog, CatalogSource

    catalog = BedrockModelCatalog(cache_directory=tmp_path, regions=LIVE_REGIONS)
    meta = catalog.refresh()
    assert meta.source is CatalogSource.API
    assert set(meta.regions_ok) == set(LIVE_REGIONS)
    assert meta.cache_path is not None and meta.cache_path.is_file()
    assert catalog.get_model_info(MODEL, REGION) is not None


def test_one_converse_call_to_a_cheap_model() -> None:
    from bestehorn_llmmanager import LLMManager

    manager = LLMManager(models=[MODEL], regions=[REGION])
    response = manager.converse("Reply with the word: ok", inference_config={"maxTokens": 10})
    assert response.text.strip()
    assert response.attempts[-1].succeeded


def test_one_converse_stream_call_to_a_cheap_model() -> None:
    from bestehorn_llmmanager import LLMManager

    manager = LLMManager(models=[MODEL], regions=[REGION])
    stream = manager.converse_stream("Count to three.", inference_config={"maxTokens": 20})
    events = list(stream)
    assert events and stream.text.strip()
