"""The catalog's 0.9 surface (issue 13) and the query-argument hardening (issue 11, 19 and 21).

Everything AWS answers comes from the local Bedrock server through the real boto3 client.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from bestehorn_llmmanager.bedrock.catalog import (
    AccessMethod,
    BedrockModelCatalog,
    CatalogSource,
    decode,
    encode,
    load_bundled,
)
from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from tests.bedrock_server import BedrockServer
from tests.conftest import FIXTURES

LIFECYCLE_WORLD = FIXTURES / "lifecycle_world"
REFERENCE_09 = FIXTURES / "reference_09"
OLD = "anthropic.claude-3-5-sonnet-20240620-v1:0"
NEW = "anthropic.claude-sonnet-4-6"
PLAIN = "anthropic.claude-3-haiku-20240307-v1:0"
REGIONS = ("us-east-1", "us-west-2")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.fixture
def lifecycle_server(aws_env: None) -> BedrockServer:
    server = BedrockServer.from_directory(LIFECYCLE_WORLD, page_size=1)
    with server:
        yield server


@pytest.fixture
def lifecycle_catalog(lifecycle_server: BedrockServer, tmp_path: Path) -> BedrockModelCatalog:
    catalog = BedrockModelCatalog(
        cache_mode="file",
        cache_directory=tmp_path / "cache",
        regions=REGIONS,
        endpoint_url=lifecycle_server.url,
    )
    catalog.load()
    assert catalog.metadata.source is CatalogSource.API
    return catalog


# -- 13.5: lifecycle, as the API says it ---------------------------------------------------------


def test_lifecycle_dates_come_from_list_foundation_models_through_boto3(
    lifecycle_catalog: BedrockModelCatalog,
) -> None:
    old = lifecycle_catalog.resolve(OLD)
    assert old.lifecycle_status == "LEGACY"
    assert old.start_of_life_time == _utc("2024-06-20T00:00:00")
    assert old.legacy_time == _utc("2025-08-25T00:00:00")
    assert old.public_extended_access_time == _utc("2026-01-01T00:00:00")
    assert old.end_of_life_time == _utc("2026-03-01T00:00:00")
    new = lifecycle_catalog.resolve(NEW)
    assert new.start_of_life_time == _utc("2026-02-17T00:00:00")
    assert (new.legacy_time, new.public_extended_access_time, new.end_of_life_time) == (None,) * 3
    plain = lifecycle_catalog.resolve(PLAIN)
    assert plain.lifecycle == {
        "status": "ACTIVE",
        "startOfLifeTime": None,
        "legacyTime": None,
        "publicExtendedAccessTime": None,
        "endOfLifeTime": None,
    }
    assert old.lifecycle["endOfLifeTime"] == "2026-03-01T00:00:00Z"


def test_lifecycle_dates_survive_the_cache_file(
    lifecycle_catalog: BedrockModelCatalog, tmp_path: Path
) -> None:
    again = BedrockModelCatalog(
        cache_mode="file", cache_directory=tmp_path / "cache", regions=REGIONS, offline=True
    )
    assert again.metadata.source is CatalogSource.CACHE
    assert again.resolve(OLD) == lifecycle_catalog.resolve(OLD)
    assert again.resolve(OLD).end_of_life_time == _utc("2026-03-01T00:00:00")
    assert again.resolve(PLAIN).start_of_life_time is None


def test_a_file_round_trip_keeps_lifecycle_dates_and_destinations(
    lifecycle_catalog: BedrockModelCatalog,
) -> None:
    catalog = lifecycle_catalog.catalog
    back = decode(encode(catalog))
    for model_id in (OLD, NEW, PLAIN):
        assert back.models[model_id] == catalog.models[model_id]
        assert back.models[model_id].lifecycle == catalog.models[model_id].lifecycle
    access = back.get(NEW, "us-west-2")
    assert access is not None
    assert access.destination_regions() == ("us-east-1", "us-east-2", "us-west-2")


def test_a_lifecycle_date_is_read_in_each_form_and_garbage_fails_the_entry() -> None:
    from bestehorn_llmmanager.bedrock.catalog._transform import _parse_model_summary

    with pytest.raises(TypeError, match="endOfLifeTime"):
        _parse_model_summary(
            {"modelId": OLD, "modelLifecycle": {"status": "LEGACY", "endOfLifeTime": [1]}}
        )
    _, fields, _ = _parse_model_summary(
        {"modelId": OLD, "modelLifecycle": {"status": "LEGACY", "endOfLifeTime": 1772323200}}
    )
    assert fields["end_of_life_time"] == "2026-03-01T00:00:00Z"  # epoch seconds, as botocore


# -- 13.6: where a profile routes ----------------------------------------------------------------


def test_a_profile_answers_which_regions_a_request_through_it_may_run_in(
    lifecycle_catalog: BedrockModelCatalog,
) -> None:
    access = lifecycle_catalog.catalog.get(NEW, "us-east-1")
    assert access is not None
    assert access.id_for(AccessMethod.REGIONAL_PROFILE) == f"us.{NEW}"
    assert access.destination_regions() == ("us-east-1", "us-east-2", "us-west-2")
    assert access.destination_regions("global_profile") == (
        "ap-northeast-1",
        "eu-west-1",
        "us-east-1",
    )
    assert access.destination_regions(AccessMethod.DIRECT) == ()  # not callable directly there
    direct = lifecycle_catalog.catalog.get(PLAIN, "us-east-1")
    assert direct is not None and direct.destination_regions() == ("us-east-1",)
    with pytest.raises(ValueError, match="access method"):
        access.destination_regions("bogus")


def test_the_bundle_knows_the_destinations_of_the_2026_10_profiles() -> None:
    access = load_bundled().get("Claude Sonnet 4.5", "us-east-1")
    assert access is not None
    assert access.destination_regions("regional_profile") == (
        "ca-central-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    )
    assert len(access.destination_regions("global_profile")) > 20


# -- 11.21: ModelAccess.id_for --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("direct", None),
        ("regional_profile", f"us.{NEW}"),
        ("global_profile", f"global.{NEW}"),
        (" Regional_Profile ", f"us.{NEW}"),
        ("regional_cris", f"us.{NEW}"),  # 0.9's ModelAccessMethod values
        ("global_cris", f"global.{NEW}"),
        (AccessMethod.GLOBAL_PROFILE, f"global.{NEW}"),
    ],
)
def test_id_for_accepts_access_methods_and_their_string_values(
    lifecycle_catalog: BedrockModelCatalog, method: object, expected: str | None
) -> None:
    access = lifecycle_catalog.catalog.get(NEW, "us-east-1")
    assert access is not None
    assert access.id_for(method) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["bogus", "", None, 3, "GLOBAL", "cris_only", "both"])
def test_id_for_refuses_anything_else_instead_of_answering_the_global_profile(
    lifecycle_catalog: BedrockModelCatalog, method: object
) -> None:
    access = lifecycle_catalog.catalog.get(NEW, "us-east-1")
    assert access is not None
    with pytest.raises(ValueError, match="regional_profile"):
        access.id_for(method)  # type: ignore[arg-type]


# -- 11.19: query arguments have types, and typos are caught -------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_bundled()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"provider": 5}, "provider: expected a string"),
        ({"input_modality": ["TEXT"]}, "input_modality: expected a string"),
        ({"streaming_only": "False"}, "streaming_only: expected True or False"),
        ({"include_legacy": 0}, "include_legacy: expected True or False"),
        ({"provider": "Antropic"}, "did you mean 'Anthropic'"),
        ({"input_modality": "TXT"}, "did you mean 'TEXT'"),
        ({"output_modality": "IMAGES"}, "did you mean 'IMAGE'"),
    ],
)
def test_a_bad_query_argument_raises_value_error_naming_it_and_the_fix(
    bundled: Catalog, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        bundled.list_models(**arguments)  # type: ignore[arg-type]


def test_known_filters_in_any_case_still_answer(bundled: Catalog) -> None:
    anthropic = bundled.list_models(provider="anthropic", input_modality="text")
    assert anthropic and all(m.provider == "Anthropic" for m in anthropic)
    # A provider with no model in one region is an honest empty answer, not a typo.
    assert bundled.list_models(region="us-east-1", provider="Anthropic") != []
    assert bundled.list_models(streaming_only=False) == bundled.list_models()
