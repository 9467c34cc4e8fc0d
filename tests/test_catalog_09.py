"""The catalog's 0.9 surface (issue 13) and the query-argument hardening (issue 11, 19 and 21).

Everything AWS answers comes from the local Bedrock server through the real boto3 client.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bestehorn_llmmanager.bedrock.catalog import (
    AccessMethod,
    BedrockModelCatalog,
    CatalogSource,
    ModelNotFoundError,
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
def lifecycle_server(aws_env: None) -> Iterator[BedrockServer]:
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


# -- 13.1-13.3: the 0.9 catalog surface on BedrockModelCatalog -----------------------------------


@pytest.fixture
def unknown_names_reset() -> Iterator[None]:
    from bestehorn_llmmanager.bedrock.catalog import _facade

    _facade._UNKNOWN_NAMES.reset()
    yield
    _facade._UNKNOWN_NAMES.reset()


def test_get_model_info_answers_0_9s_model_access_info(
    lifecycle_catalog: BedrockModelCatalog,
) -> None:
    from bestehorn_llmmanager.bedrock.models.access_method import ModelAccessInfo

    info = lifecycle_catalog.get_model_info(model_name="Claude Sonnet 4.6", region="us-east-1")
    assert isinstance(info, ModelAccessInfo)
    # 0.9's meaning: model_id is the direct id, None where only a profile reaches the model.
    assert info.model_id is None and not info.has_direct_access
    assert info.has_regional_cris and info.regional_cris_profile_id == f"us.{NEW}"
    assert info.has_global_cris and info.global_cris_profile_id == f"global.{NEW}"
    assert info.base_model_id == NEW
    assert info.invocation_id == f"us.{NEW}"  # today's names work on it too
    assert info.get_access_summary() == "REGIONAL_CRIS + GLOBAL_CRIS"
    direct = lifecycle_catalog.get_model_info("Claude 3 Haiku", "us-west-2")
    assert direct is not None and direct.model_id == PLAIN and direct.has_direct_access
    assert direct.supports_streaming is True


def test_get_model_info_without_a_region_answers_for_the_first_region(
    lifecycle_catalog: BedrockModelCatalog,
) -> None:
    info = lifecycle_catalog.get_model_info("Claude 3 Haiku")
    assert info is not None and info.region == "us-east-1"
    assert lifecycle_catalog.get_model_access_info("Claude 3 Haiku", "us-west-2") == (
        lifecycle_catalog.get_model_info("Claude 3 Haiku", "us-west-2")
    )


def test_an_unknown_name_is_none_or_false_with_one_warning_per_name(
    lifecycle_catalog: BedrockModelCatalog,
    caplog: pytest.LogCaptureFixture,
    unknown_names_reset: None,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager.bedrock.catalog._facade"):
        assert lifecycle_catalog.get_model_info("Claude 3 Hiaku", "us-east-1") is None
        assert lifecycle_catalog.get_model_info("Claude 3 Hiaku", "us-west-2") is None
        assert lifecycle_catalog.is_model_available("Claude 3 Hiaku", "us-east-1") is False
        assert lifecycle_catalog.is_model_available("claude", "us-east-1") is False  # vague
    warnings_ = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings_) == 2
    assert "'Claude 3 Haiku'" in warnings_[0]  # the suggestion
    assert "matches several" in warnings_[1] and PLAIN in warnings_[1]
    with pytest.raises(ModelNotFoundError):
        lifecycle_catalog.resolve("Claude 3 Hiaku")  # today's method keeps raising


def test_a_known_model_not_callable_from_a_region_is_none_without_a_warning(
    lifecycle_catalog: BedrockModelCatalog, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert lifecycle_catalog.get_model_info("Claude 3 Haiku", "eu-west-1") is None
        assert lifecycle_catalog.is_model_available("Claude 3 Haiku", "eu-west-1") is False
    assert not caplog.records
    with pytest.raises(ValueError, match="us-east"):
        lifecycle_catalog.is_model_available("Claude 3 Haiku", "us-east")


def test_list_models_answers_0_9s_unified_model_info(
    lifecycle_catalog: BedrockModelCatalog,
) -> None:
    from bestehorn_llmmanager.bedrock.models.unified_structures import UnifiedModelInfo

    models = lifecycle_catalog.list_models("us-east-1", "Anthropic", True)
    assert [m.model_name for m in models] == [
        "Claude 3 Haiku",
        "Claude 3.5 Sonnet",
        "Claude Sonnet 4.6",
    ]
    sonnet = models[2]
    assert isinstance(sonnet, UnifiedModelInfo)
    assert sonnet.get_supported_regions() == ["us-east-1", "us-west-2"]
    assert sonnet.get_cris_only_regions() == ["us-east-1", "us-west-2"]
    assert sonnet.get_direct_access_regions() == []
    assert sonnet.get_inference_profiles() == [f"global.{NEW}", f"us.{NEW}"]
    assert sonnet.region_access["us-west-2"].regional_cris_profile_id == f"us.{NEW}"
    assert sonnet.is_available_in_region("us-west-2") and not sonnet.is_available_in_region("x")
    assert sonnet.to_dict()["region_access"]["us-east-1"]["access_method"] == "cris_only"


def test_catalog_metadata_carries_0_9s_fields(
    lifecycle_catalog: BedrockModelCatalog, tmp_path: Path
) -> None:
    meta = lifecycle_catalog.get_catalog_metadata()
    assert meta.source is CatalogSource.API
    assert meta.retrieval_timestamp == meta.retrieved_at
    assert meta.retrieval_timestamp.tzinfo is not None
    assert meta.api_regions_queried == list(REGIONS)
    assert meta.bundled_data_version is None  # the bundle is not in use
    assert meta.cache_file_path == tmp_path / "cache" / "bedrock_catalog.json"
    assert meta.to_dict()["source"] == "api"
    offline = BedrockModelCatalog(cache_mode="none", offline=True)
    assert offline.get_catalog_metadata().bundled_data_version is not None


def test_the_0_9_state_methods(lifecycle_catalog: BedrockModelCatalog, tmp_path: Path) -> None:
    fresh = BedrockModelCatalog(
        cache_mode="file", cache_directory=tmp_path / "cache", regions=REGIONS, offline=True
    )
    assert fresh.is_catalog_loaded is False  # the constructor does no I/O
    assert fresh.cache_file_path == tmp_path / "cache" / "bedrock_catalog.json"
    unified = fresh.ensure_catalog_available()
    assert fresh.is_catalog_loaded is True
    assert unified.model_count == 3 and unified.get_model("Claude 3 Haiku") is not None
    assert unified.get_all_providers() == ["Anthropic"]
    fresh.clear_cache()
    assert fresh.is_catalog_loaded is False
    assert not (tmp_path / "cache" / "bedrock_catalog.json").exists()
    assert fresh.get_catalog_metadata().source is CatalogSource.BUNDLED  # offline, no cache
    assert BedrockModelCatalog(cache_mode="memory").cache_file_path is None


def test_refresh_catalog_fetches_and_keeps_the_catalog_when_the_fetch_fails(
    lifecycle_catalog: BedrockModelCatalog,
    lifecycle_server: BedrockServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = lifecycle_server.count()
    refreshed = lifecycle_catalog.refresh_catalog()
    assert lifecycle_server.count() > before
    assert refreshed.metadata.source is CatalogSource.API
    for region in REGIONS:
        lifecycle_server.deny_access(region)
    with caplog.at_level(logging.WARNING):
        kept = lifecycle_catalog.refresh_catalog()
    assert kept is refreshed  # 0.9 dropped it for the bundled data; the good data stays
    assert "refresh_catalog" in caplog.text


def test_0_9_constructor_options(lifecycle_server: BedrockServer) -> None:
    class AuthManager:  # 0.9's AuthManager as the catalog uses it: get_session()
        def __init__(self) -> None:
            self.calls = 0

        def get_session(self, region: str | None = None) -> object:
            import boto3

            self.calls += 1
            return boto3.Session(region_name="us-east-1")

    auth = AuthManager()
    catalog = BedrockModelCatalog(
        cache_mode="none",
        regions=REGIONS,
        endpoint_url=lifecycle_server.url,
        auth_manager=auth,
        max_retries=0,
        enable_fuzzy_matching=True,
    )
    assert auth.calls == 0  # asked only when the API step runs
    assert catalog.is_model_available("Claude 3 Haiku", "us-east-1")
    assert auth.calls == 1
    lifecycle_server.throttle("us-east-1", times=1)
    catalog.refresh()  # max_retries=0: one attempt, so the throttled region fails
    assert catalog.metadata.regions_failed.keys() == {"us-east-1"}
    for bad, match in (
        ({"auth_manager": object()}, "get_session"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"enable_fuzzy_matching": "yes"}, "enable_fuzzy_matching"),
        ({"auth_manager": auth, "session": object()}, "not both"),
    ):
        with pytest.raises(ValueError, match=match):
            BedrockModelCatalog(cache_mode="none", **bad)  # type: ignore[arg-type]


def test_the_0_9_import_paths_serve_the_catalogs_own_types() -> None:
    from bestehorn_llmmanager.bedrock.catalog import CatalogMetadata, ModelInfo
    from bestehorn_llmmanager.bedrock.catalog.bedrock_catalog import (
        BedrockModelCatalog as Old,
    )
    from bestehorn_llmmanager.bedrock.models import catalog_structures, unified_structures
    from bestehorn_llmmanager.bedrock.models.access_method import (
        ModelAccessInfo,
        ModelAccessMethod,
    )

    assert Old is BedrockModelCatalog
    assert unified_structures.UnifiedModelInfo is ModelInfo
    assert catalog_structures.CatalogMetadata is CatalogMetadata
    assert catalog_structures.UnifiedCatalog is Catalog
    info = ModelAccessInfo.from_legacy(ModelAccessMethod.DIRECT, "us-east-1", model_id=PLAIN)
    assert info.model_id == PLAIN and info.get_access_summary() == "DIRECT"
    with pytest.raises(ValueError, match="model_id"):
        ModelAccessInfo("us-east-1", has_direct_access=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert info.access_method is ModelAccessMethod.DIRECT
    assert caught and issubclass(caught[0].category, DeprecationWarning)


# -- done when: 0.9's catalog examples run unchanged against the local server -------------------


def _run_example(name: str, home: Path, server: BedrockServer) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BEDROCK_CATALOG_"))}
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(home / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-credentials"),
        AWS_ENDPOINT_URL_BEDROCK=server.url,
        PYTHONPATH=str(Path(__file__).parents[1] / "src"),
        PYTHONIOENCODING="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(REFERENCE_09 / name)],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Error running examples" not in done.stdout, done.stdout
    assert "All examples completed!" in done.stdout
    return done.stdout


@pytest.fixture
def reference_world(aws_env: None) -> Iterator[BedrockServer]:
    with BedrockServer.from_directory(REFERENCE_09 / "world") as server:
        yield server


def test_catalog_basic_usage_runs_as_a_script_with_0_9s_meanings(
    reference_world: BedrockServer, tmp_path: Path
) -> None:
    out = _run_example("catalog_basic_usage.py", tmp_path, reference_world)
    assert "Source: api" in out  # example 1: a fresh HOME, fetched from the local server
    for line in (
        "✓ Available: Claude Sonnet 4.5 in us-east-1",
        "✓ Available: Claude Haiku 4.5 in us-west-2",
        "✓ Available: Nova Pro in eu-west-1",
        "✓ Available: Llama 3.1 70B Instruct in us-east-1",
        "Supports Streaming: True",
        "Anthropic models: 3",
        "✓ Using cached data (fast)",  # example 5 reads the cache example 1 wrote
        "✓ Successfully fetched fresh data from AWS",  # force_refresh=True
        "Model not found (expected)",  # example 8: None for an unknown name, as in 0.9
    ):
        assert line in out, line
    assert "Model ID: None" in out  # Claude Haiku 4.5 is profile-only: no direct id (0.9)
    assert "Inference Profile ID: us.anthropic.claude-haiku-4-5" in out
    assert (tmp_path / "my_custom_cache" / "bedrock_catalog.json").exists()


def test_catalog_cache_modes_runs_as_a_script_with_0_9s_meanings(
    reference_world: BedrockServer, tmp_path: Path
) -> None:
    out = _run_example("catalog_cache_modes.py", tmp_path, reference_world)
    sections = out.split("Example ")
    file_mode = next(s for s in sections if s.startswith("1: FILE"))
    assert "1a. Cold start (no cache):" in file_mode and "Source: api" in file_mode
    assert file_mode.split("1b. Warm start")[1].count("Source: cache") == 1
    assert "Cache exists: True" in file_mode
    memory = next(s for s in sections if s.startswith("2: MEMORY"))
    assert "✓ Using in-memory cache" in memory
    none = next(s for s in sections if s.startswith("3: NONE"))
    assert none.count("Source: api") == 2  # NONE fetches every time
    assert "Bundled fallback: disabled" in out  # the API answers: no error to show
    assert "Cache file exists: demo_cache/bedrock_catalog.json" in out


def test_the_cli_shows_the_lifecycle_in_list_show_and_json(
    lifecycle_catalog: BedrockModelCatalog,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from bestehorn_llmmanager.cli import main

    monkeypatch.setenv("BEDROCK_CATALOG_CACHE_DIR", str(tmp_path / "cache"))  # the fetched cache
    common = ["--offline", "--regions", *REGIONS]
    assert main(["show", "Claude 3.5 Sonnet", *common]) == 0
    shown = capsys.readouterr().out
    assert "end of life:" in shown and "2026-03-01T00:00:00Z" in shown
    assert "legacy since:" in shown and "2025-08-25T00:00:00Z" in shown
    assert main(["list", *common]) == 0
    assert "Claude 3.5 Sonnet [LEGACY] [end of life 2026-03-01]" in capsys.readouterr().out
    assert main(["show", "Claude Sonnet 4.6", "--json", *common]) == 0
    model = json.loads(capsys.readouterr().out)["model"]
    assert model["lifecycle"] == {
        "status": "ACTIVE",
        "startOfLifeTime": "2026-02-17T00:00:00Z",
        "legacyTime": None,
        "publicExtendedAccessTime": None,
        "endOfLifeTime": None,
    }
