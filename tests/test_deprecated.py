"""The deprecated managers: one DeprecationWarning per construction, answers from the catalog."""

from __future__ import annotations

import inspect
import logging
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from bestehorn_llmmanager.bedrock import CRISManager, ModelManager, UnifiedModelManager
from bestehorn_llmmanager.bedrock._deprecated import (
    BedrockModelInfo,
    LegacyCatalog,
    ModelAccessInfo,
    UnifiedModelInfo,
)
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog, CatalogSource, ModelInfo
from tests.bedrock_runtime import Runtime
from tests.bedrock_server import BedrockServer

SHIMS = [ModelManager, CRISManager, UnifiedModelManager]
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"


def construct(cls: type, **kwargs: Any) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shim = cls(**kwargs)
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1, [str(w.message) for w in caught]
    return shim


@pytest.mark.parametrize("cls", SHIMS)
def test_each_construction_warns_once_naming_the_replacement_and_the_guide(
    cls: type, runtime_catalog: BedrockModelCatalog
) -> None:
    for _ in range(2):  # every construction, not only the first
        with pytest.warns(DeprecationWarning) as record:
            cls(catalog=runtime_catalog)
        assert len(record) == 1
        message = str(record[0].message)
        assert cls.__name__ in message
        assert "BedrockModelCatalog" in message
        assert "next major version" in message
        assert "docs/migration.md" in message
        assert record[0].filename == __file__  # points at the caller


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (
            ModelManager,
            {"html_output_path": "docs/FoundationalModels.htm", "download_timeout": 30},
        ),
        (CRISManager, {"json_output_path": "docs/CRIS.json", "documentation_url": "https://x"}),
        (
            UnifiedModelManager,
            {"json_output_path": "src/docs/UnifiedModels.json", "enable_fuzzy_matching": False},
        ),
    ],
)
def test_old_keywords_are_accepted_and_named_in_the_one_warning(
    cls: type, kwargs: dict[str, Any], runtime_catalog: BedrockModelCatalog
) -> None:
    with pytest.warns(DeprecationWarning) as record:
        cls(catalog=runtime_catalog, **kwargs)
    assert len(record) == 1
    for name in kwargs:
        assert name in str(record[0].message)


def test_unknown_keywords_still_fail() -> None:
    with pytest.raises(TypeError, match="no_such_option"):
        ModelManager(no_such_option=1)


def test_max_cache_age_hours_still_configures_the_catalog() -> None:
    shim = construct(UnifiedModelManager, max_cache_age_hours=2.0)
    assert isinstance(shim.catalog, BedrockModelCatalog)


def test_importing_the_package_does_not_import_the_shims() -> None:
    code = (
        "import sys, bestehorn_llmmanager, bestehorn_llmmanager.bedrock; "
        "assert 'bestehorn_llmmanager.bedrock._deprecated' not in sys.modules; "
        "assert 'boto3' not in sys.modules; "
        "from bestehorn_llmmanager.bedrock import ModelManager; "
        "assert 'boto3' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- 0.9.0 compatibility: the old signatures, called the way 0.9.0 callers called them ---------

#: The parameters of 0.9.0 (bestehorn_llmmanager/bedrock/{ModelManager,CRISManager,
#: UnifiedModelManager}.py): name and default, in order. Constructor defaults are not compared
#: (the shims use a marker to tell a passed argument from an omitted one).
OLD_CONSTRUCTORS: dict[type, list[str]] = {
    ModelManager: ["html_output_path", "json_output_path", "documentation_url", "download_timeout"],
    CRISManager: [
        "html_output_path",
        "json_output_path",
        "documentation_url",
        "download_timeout",
        "use_api",
        "auth_manager",
    ],
    UnifiedModelManager: [
        "json_output_path",
        "force_download",
        "download_timeout",
        "enable_fuzzy_matching",
        "max_cache_age_hours",
        "strict_cache_mode",
        "ignore_cache_age",
    ],
}
NO_DEFAULT = inspect.Parameter.empty
OLD_METHODS: dict[type, dict[str, list[tuple[str, Any]]]] = {
    UnifiedModelManager: {
        "refresh_unified_data": [("force_download", None)],
        "ensure_data_available": [],
        "get_model_access_info": [("model_name", NO_DEFAULT), ("region", NO_DEFAULT)],
        "is_model_available_in_region": [("model_name", NO_DEFAULT), ("region", NO_DEFAULT)],
        "get_models_by_region": [("region", NO_DEFAULT)],
        "get_models_by_provider": [("provider", NO_DEFAULT)],
        "get_model_names": [],
        "get_streaming_models": [],
        "get_all_supported_regions": [],
        "get_regions_for_model": [("model_name", NO_DEFAULT)],
        "has_model": [("model_name", NO_DEFAULT)],
        "get_model_count": [],
        "get_recommended_access": [("model_name", NO_DEFAULT), ("region", NO_DEFAULT)],
        "get_cache_status": [],
        "load_cached_data": [],
        "get_correlation_stats": [],
        "is_fuzzy_matching_enabled": [],
        "set_fuzzy_matching_enabled": [("enabled", NO_DEFAULT)],
        "get_direct_access_models_by_region": [("region", NO_DEFAULT)],
        "get_cris_only_models_by_region": [("region", NO_DEFAULT)],
    },
    ModelManager: {
        "refresh_model_data": [("force_download", True)],
        "get_models_by_provider": [("provider", NO_DEFAULT)],
        "get_models_by_region": [("region", NO_DEFAULT)],
        "get_streaming_models": [],
        "get_model_count": [],
        "load_cached_data": [],
    },
    CRISManager: {
        "refresh_cris_data": [("force_download", True)],
        # 0.9.0 took only model_name; source_region is an optional addition.
        "get_inference_profile_for_model": [("model_name", NO_DEFAULT)],
        "get_models_by_source_region": [("source_region", NO_DEFAULT)],
        "get_all_source_regions": [],
        "get_model_names": [],
        "has_model": [("model_name", NO_DEFAULT)],
        "get_model_count": [],
        "load_cached_data": [],
        "get_models_by_destination_region": [("destination_region", NO_DEFAULT)],
        "get_all_destination_regions": [],
        "get_destinations_for_source_and_model": [
            ("model_name", NO_DEFAULT),
            ("source_region", NO_DEFAULT),
        ],
    },
}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No fetch and no user cache: a catalog built by a shim answers from the bundled data."""
    monkeypatch.setenv("BEDROCK_CATALOG_OFFLINE", "1")
    monkeypatch.setenv("BEDROCK_CATALOG_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("cls", SHIMS)
def test_constructor_takes_the_090_parameters_in_the_090_order(cls: type) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == OLD_CONSTRUCTORS[cls]
    assert all(p.default is not NO_DEFAULT for p in parameters)  # all optional, as in 0.9.0


@pytest.mark.parametrize(
    ("cls", "method"), [(cls, name) for cls, methods in OLD_METHODS.items() for name in methods]
)
def test_method_takes_the_090_parameters_in_the_090_order(cls: type, method: str) -> None:
    parameters = list(inspect.signature(getattr(cls, method)).parameters.values())[1:]
    old = OLD_METHODS[cls][method]
    assert [(p.name, p.default) for p in parameters[: len(old)]] == old
    assert all(p.default is not NO_DEFAULT for p in parameters[len(old) :])  # additions optional


@pytest.mark.parametrize(
    ("cls", "args", "kwargs", "named"),
    [
        (ModelManager, (Path("docs/FoundationalModels.htm"),), {}, ["html_output_path"]),
        (
            ModelManager,
            (Path("a.htm"), Path("a.json"), "https://docs.aws.amazon.com/x", 60),
            {},
            ["html_output_path", "json_output_path", "documentation_url", "download_timeout"],
        ),
        (CRISManager, (), {"use_api": True}, ["use_api"]),
        (CRISManager, (), {"auth_manager": None}, ["auth_manager"]),
        (CRISManager, (), {"use_api": False, "auth_manager": object()}, ["use_api"]),
        (
            CRISManager,
            (Path("docs/CRIS.htm"), Path("docs/CRIS.json"), None, 30, True, None),
            {},
            ["html_output_path", "download_timeout", "use_api", "auth_manager"],
        ),
        (
            UnifiedModelManager,
            (Path("src/docs/UnifiedModels.json"), False, 30, True),
            {"strict_cache_mode": True},
            ["json_output_path", "download_timeout", "enable_fuzzy_matching", "strict_cache_mode"],
        ),
    ],
)
def test_090_constructor_calls_work_and_warn_once(
    cls: type, args: tuple[Any, ...], kwargs: dict[str, Any], named: list[str], offline: None
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shim = cls(*args, **kwargs)
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1, [str(w.message) for w in caught]
    for name in named:
        assert name in str(deprecations[0].message)
    assert isinstance(shim.catalog, BedrockModelCatalog)


def test_unified_cache_age_arguments_configure_the_catalog(offline: None) -> None:
    positional = construct_positional(UnifiedModelManager, None, False, 30, None, 2.0)
    assert positional.catalog.settings.cache_max_age.total_seconds() == 2 * 3600
    ignoring = construct(UnifiedModelManager, max_cache_age_hours=2.0, ignore_cache_age=True)
    # 0.9.0 skipped the age check: a year now.
    assert ignoring.catalog.settings.cache_max_age.days > 360


def construct_positional(cls: type, *args: Any) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shim = cls(*args)
    assert len([w for w in caught if issubclass(w.category, DeprecationWarning)]) == 1
    return shim


def test_unified_model_manager_090_calls(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    server, _ = runtime_server
    shim = construct(UnifiedModelManager, catalog=runtime_catalog)
    before = server.count()
    catalog = shim.ensure_data_available()  # 0.9.0: returns the UnifiedModelCatalog
    assert isinstance(catalog, LegacyCatalog)
    assert catalog.model_count == 4
    assert catalog.source is CatalogSource.API  # the new metadata shows through
    assert catalog.retrieval_timestamp == runtime_catalog.metadata.retrieved_at
    assert sorted(catalog.unified_models) == catalog.get_model_names()
    assert catalog.has_model("Nova Pro")
    assert sorted(catalog.get_models_by_provider("Anthropic")) == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
    ]
    # refresh_unified_data(force_download=None) follows the constructor's force_download=False
    assert shim.refresh_unified_data().model_count == 4
    assert shim.refresh_unified_data(None).model_count == 4
    assert server.count() == before  # loaded, nothing fetched

    access = shim.get_model_access_info("Claude Haiku 4.5", "us-east-1")
    assert isinstance(access, ModelAccessInfo)
    assert access.region == "us-east-1"
    assert not access.has_direct_access and access.model_id is None  # model_id: direct only
    assert access.has_regional_cris and access.regional_cris_profile_id == "us." + HAIKU
    assert access.has_global_cris and access.global_cris_profile_id == "global." + HAIKU
    with pytest.warns(DeprecationWarning, match="inference_profile_id is deprecated"):
        assert access.inference_profile_id == "us." + HAIKU  # 0.9 warned here too
    assert access.get_cris_profile_ids() == ["us." + HAIKU, "global." + HAIKU]
    assert access.get_access_summary() == "REGIONAL_CRIS + GLOBAL_CRIS"
    opus = shim.get_model_access_info(model_name="Claude 3 Opus", region="us-west-2")
    assert opus is not None and opus.has_direct_access and not opus.has_any_cris_access()
    assert opus.model_id == "anthropic.claude-3-opus-20240229-v1:0"
    assert shim.get_model_access_info("Claude 3 Opus", "eu-west-1") is None
    assert shim.get_model_access_info("No Such Model", "us-east-1") is None  # 0.9.0: None
    assert shim.get_model_access_info("Nova Pro", "not-a-region") is None

    assert shim.is_model_available_in_region("Nova Pro", "us-west-2") is True
    assert shim.is_model_available_in_region(model_name="Nova Pro", region="eu-west-1") is True
    assert shim.is_model_available_in_region("Claude 3 Opus", "eu-west-1") is False
    assert shim.is_model_available_in_region("No Such Model", "us-east-1") is False

    by_region = shim.get_models_by_region("eu-west-1")
    assert isinstance(by_region, dict) and sorted(by_region) == ["Claude Haiku 4.5", "Nova Pro"]
    nova = by_region["Nova Pro"]
    assert isinstance(nova, UnifiedModelInfo)
    assert nova.model_name == "Nova Pro" and nova.provider == "Amazon"
    assert nova.model_id == "amazon.nova-pro-v1:0"
    assert nova.get_supported_regions() == ["eu-west-1", "us-east-1", "us-west-2"]
    assert nova.get_direct_access_regions() == ["us-east-1", "us-west-2"]
    assert nova.get_cris_only_regions() == ["eu-west-1"]
    assert nova.is_available_in_region("eu-west-1") and not nova.is_available_in_region("x")
    assert shim.get_models_by_region(region="ap-northeast-1").keys() == {"Llama 3 8B Instruct"}
    assert shim.get_models_by_region("sa-east-1") == {}
    assert sorted(shim.get_direct_access_models_by_region("eu-west-1")) == []
    assert sorted(shim.get_cris_only_models_by_region("eu-west-1")) == [
        "Claude Haiku 4.5",
        "Nova Pro",
    ]

    by_provider = shim.get_models_by_provider(provider="Anthropic")
    assert sorted(by_provider) == ["Claude 3 Opus", "Claude Haiku 4.5"]
    assert all(isinstance(v, UnifiedModelInfo) for v in by_provider.values())
    assert shim.get_models_by_provider("No Such Provider") == {}

    assert shim.get_model_names() == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
        "Llama 3 8B Instruct",
        "Nova Pro",
    ]
    streaming = shim.get_streaming_models()
    assert "Llama 3 8B Instruct" in streaming
    assert all(v.streaming_supported is True for v in streaming.values())
    assert shim.get_all_supported_regions() == [
        "ap-northeast-1",
        "eu-west-1",
        "us-east-1",
        "us-west-2",
    ]
    assert shim.get_regions_for_model("Claude 3 Opus") == ["us-east-1", "us-west-2"]
    assert shim.get_regions_for_model(model_name="No Such Model") == []  # 0.9.0: []
    assert shim.has_model("Nova Pro") is True
    assert shim.has_model(model_name="amazon.nova-pro-v1:0") is True  # ids resolve too
    assert shim.has_model("No Such Model") is False
    assert shim.get_model_count() == 4


def test_unified_refresh_fetches_when_asked(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    server, _ = runtime_server
    shim = construct(UnifiedModelManager, catalog=runtime_catalog)
    before = server.count()
    assert shim.refresh_unified_data(force_download=True).source is CatalogSource.API
    assert server.count() > before
    forcing = construct(UnifiedModelManager, force_download=True, catalog=runtime_catalog)
    before = server.count()
    assert forcing.refresh_unified_data().model_count == 4  # the constructor's default: fetch
    assert server.count() > before


def test_model_manager_090_calls(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    server, _ = runtime_server
    shim = construct(ModelManager, catalog=runtime_catalog)
    before = server.count()
    catalog = shim.refresh_model_data()  # 0.9.0 default force_download=True: fetches
    assert server.count() > before
    assert isinstance(catalog, LegacyCatalog) and catalog.model_count == 4
    assert sorted(catalog.models) == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
        "Llama 3 8B Instruct",
        "Nova Pro",
    ]
    assert catalog.get_models_by_provider("Meta").keys() == {"Llama 3 8B Instruct"}
    before = server.count()
    assert shim.refresh_model_data(False).model_count == 4
    assert shim.refresh_model_data(force_download=False).model_count == 4
    assert server.count() == before

    meta = shim.get_models_by_provider("Meta")
    assert list(meta) == ["Llama 3 8B Instruct"]
    llama = meta["Llama 3 8B Instruct"]
    assert isinstance(llama, BedrockModelInfo)
    assert llama.provider == "Meta" and llama.model_id == "meta.llama3-8b-instruct-v1:0"
    assert llama.regions_supported == ["ap-northeast-1", "us-east-1", "us-west-2"]
    # Sequences are tuples now (immutable values); 0.9.0's were lists with the same items.
    assert list(llama.input_modalities) == ["TEXT"] and isinstance(llama.streaming_supported, bool)
    assert sorted(shim.get_models_by_provider(provider="Anthropic")) == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
    ]
    assert sorted(shim.get_models_by_region("us-west-2")) == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
        "Llama 3 8B Instruct",
        "Nova Pro",
    ]
    assert list(shim.get_models_by_region(region="ap-northeast-1")) == ["Llama 3 8B Instruct"]
    assert shim.get_models_by_region("sa-east-1") == {}
    streaming = shim.get_streaming_models()
    assert len(streaming) == 4
    assert all(isinstance(v, BedrockModelInfo) for v in streaming.values())
    assert shim.get_model_count() == 4


def test_cris_manager_090_calls(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    server, _ = runtime_server
    shim = construct(CRISManager, catalog=runtime_catalog)
    before = server.count()
    catalog = shim.refresh_cris_data()  # 0.9.0 default force_download=True: fetches
    assert server.count() > before
    assert isinstance(catalog, LegacyCatalog) and catalog.model_count == 2
    assert sorted(catalog.cris_models) == ["Claude Haiku 4.5", "Nova Pro"]
    assert catalog.get_inference_profile_for_model("Nova Pro") == "us.amazon.nova-pro-v1:0"
    assert catalog.get_all_source_regions() == ["eu-west-1", "us-east-1", "us-west-2"]
    assert shim.refresh_cris_data(force_download=False).model_count == 2

    # 0.9.0: one argument, the model's primary profile (us. before eu. before apac.)
    assert shim.get_inference_profile_for_model("Claude Haiku 4.5") == "us." + HAIKU
    assert shim.get_inference_profile_for_model(model_name="Nova Pro") == "us.amazon.nova-pro-v1:0"
    assert shim.get_inference_profile_for_model("Claude 3 Opus") is None  # direct only
    assert shim.get_inference_profile_for_model("No Such Model") is None
    # the optional source region: the profile callable from there
    assert shim.get_inference_profile_for_model("Claude Haiku 4.5", "eu-west-1") == "eu." + HAIKU
    assert (
        shim.get_inference_profile_for_model("Nova Pro", source_region="eu-west-1")
        == "eu.amazon.nova-pro-v1:0"
    )
    assert shim.get_inference_profile_for_model("Claude Haiku 4.5", "ap-northeast-1") is None

    by_source = shim.get_models_by_source_region("eu-west-1")
    assert isinstance(by_source, dict) and sorted(by_source) == ["Claude Haiku 4.5", "Nova Pro"]
    assert all(isinstance(v, ModelInfo) for v in by_source.values())
    assert by_source["Nova Pro"].regions["eu-west-1"].regional_profile_id == (
        "eu.amazon.nova-pro-v1:0"
    )
    assert shim.get_models_by_source_region(source_region="ap-northeast-1") == {}
    assert shim.get_all_source_regions() == ["eu-west-1", "us-east-1", "us-west-2"]
    assert shim.get_model_names() == ["Claude Haiku 4.5", "Nova Pro"]
    assert shim.get_model_count() == 2
    assert shim.has_model("Claude Haiku 4.5") is True
    assert shim.has_model(model_name="Claude 3 Opus") is False  # callable only directly
    assert shim.has_model("No Such Model") is False


@pytest.mark.parametrize(
    ("cls", "query"),
    [
        (UnifiedModelManager, "get_model_names"),
        (ModelManager, "get_model_count"),
        (CRISManager, "get_model_names"),
    ],
)
def test_queries_work_before_any_refresh(cls: type, query: str, offline: None) -> None:
    # 0.9.0 raised "no data available" until refresh_*(); the catalog loads on first use.
    shim = construct(cls)
    assert getattr(shim, query)()
    assert shim.catalog.metadata.source is CatalogSource.BUNDLED


@pytest.mark.parametrize(
    ("cls", "refresh"),
    [
        (UnifiedModelManager, "refresh_unified_data"),
        (ModelManager, "refresh_model_data"),
        (CRISManager, "refresh_cris_data"),
    ],
)
def test_a_refresh_that_cannot_fetch_falls_back_and_logs(
    cls: type, refresh: str, offline: None, caplog: pytest.LogCaptureFixture
) -> None:
    shim = construct(cls)
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager.bedrock._deprecated"):
        catalog = getattr(shim, refresh)(force_download=True)
    assert catalog.source is CatalogSource.BUNDLED
    assert catalog.model_count > 0
    assert any("fetching the Bedrock catalog failed" in r.getMessage() for r in caplog.records)


def test_provisioned_only_variants_do_not_replace_the_on_demand_model(offline: None) -> None:
    # The bundled data has "Nova Pro" twice: amazon.nova-pro-v1:0 and the provisioned-only
    # amazon.nova-pro-v1:0:300k, which is callable from no region.
    shim = construct(ModelManager)
    nova = shim.get_models_by_provider("Amazon")["Nova Pro"]
    assert nova.model_id == "amazon.nova-pro-v1:0" and nova.regions_supported
    names = construct(UnifiedModelManager).get_model_names()
    assert len(names) == len(set(names)) == shim.get_model_count()


_OLD_PATHS = """
import sys
import bestehorn_llmmanager.bedrock as bedrock
from bestehorn_llmmanager.bedrock.CRISManager import CRISManager, CRISManagerError
from bestehorn_llmmanager.bedrock.ModelManager import ModelManager, ModelManagerError
from bestehorn_llmmanager.bedrock.UnifiedModelManager import (
    UnifiedModelManager,
    UnifiedModelManagerError,
)
from bestehorn_llmmanager.bedrock import CRISManager as C, ModelManager as M
from bestehorn_llmmanager.bedrock import UnifiedModelManager as U
from bestehorn_llmmanager.bedrock.catalog import CatalogError
assert (C, M, U) == (CRISManager, ModelManager, UnifiedModelManager)
assert bedrock.ModelManager is ModelManager  # the class, not the 0.9.0-path module
for error in (CRISManagerError, ModelManagerError, UnifiedModelManagerError):
    assert issubclass(error, CatalogError)
print("boto3" in sys.modules)
"""


def test_the_0_9_0_module_paths_still_import_the_shims_and_their_errors() -> None:
    # 0.9.0 exported CRISManager and UnifiedModelManager only from their own modules, so old
    # code imports them from there; importing those modules must not shadow the lazy classes.
    out = subprocess.run(
        [sys.executable, "-c", _OLD_PATHS], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False"]  # and still no boto3 on import


# -- issue 13.7: the old managers' remaining 0.9.0 methods ----------------------------------------

LIFECYCLE_WORLD = Path(__file__).parent / "fixtures" / "lifecycle_world"
SONNET = "anthropic.claude-sonnet-4-6"
OLD_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture
def routed(aws_env: None, tmp_path: Path) -> Any:
    """A file-cached catalog of lifecycle_world (profiles with destinations), fetched."""
    with BedrockServer.from_directory(LIFECYCLE_WORLD) as server:
        catalog = BedrockModelCatalog(
            cache_directory=tmp_path / "cache",
            regions=["us-east-1", "us-west-2"],
            endpoint_url=server.url,
        )
        catalog.load()
        yield catalog


def test_recommended_access_prefers_direct_and_offers_the_profiles(routed: Any) -> None:
    from bestehorn_llmmanager.bedrock.models.access_method import AccessRecommendation

    shim = construct(UnifiedModelManager, catalog=routed)
    profile_only = shim.get_recommended_access("Claude Sonnet 4.6", "us-east-1")
    assert isinstance(profile_only, AccessRecommendation)
    assert profile_only.recommended_access.regional_cris_profile_id == f"us.{SONNET}"
    assert profile_only.recommended_access.global_cris_profile_id == f"global.{SONNET}"
    assert profile_only.alternatives == []
    direct = shim.get_recommended_access("Claude 3 Haiku", "us-east-1")
    assert direct is not None and direct.recommended_access.model_id == OLD_HAIKU
    assert "direct" in direct.rationale
    assert shim.get_recommended_access("Claude 3 Haiku", "eu-west-1") is None
    assert shim.get_recommended_access("No Such Model", "us-east-1") is None


def test_cache_status_and_load_cached_data_describe_the_catalogs_cache(
    routed: Any, tmp_path: Path
) -> None:
    shim = construct(UnifiedModelManager, catalog=routed, max_cache_age_hours=2.0)
    status = shim.get_cache_status()
    assert status["status"] == "valid" and status["exists"] is True
    assert status["path"] == str(tmp_path / "cache" / "bedrock_catalog.json")
    assert status["max_age_hours"] == 24.0  # the catalog passed in keeps its own setting
    assert 0 <= status["age_hours"] < 1
    cached = shim.load_cached_data()
    assert cached is not None and cached.model_count == 3
    assert cached.metadata.source is CatalogSource.CACHE
    routed.clear_cache()
    assert shim.get_cache_status()["status"] == "missing"
    assert shim.load_cached_data() is None
    assert construct(CRISManager, catalog=routed).load_cached_data() is None


def test_cache_status_reports_a_corrupted_file(routed: Any, tmp_path: Path) -> None:
    (tmp_path / "cache" / "bedrock_catalog.json").write_bytes(b"{not json")
    shim = construct(UnifiedModelManager, catalog=routed)
    status = shim.get_cache_status()
    assert status["status"] == "corrupted" and status["exists"] is True
    assert "age_hours" not in status


@pytest.mark.parametrize("hours", [0.01, 169, -1, "24", True])
def test_max_cache_age_hours_outside_0_9s_range_raises_its_error(hours: Any) -> None:
    from bestehorn_llmmanager.bedrock.UnifiedModelManager import UnifiedModelManagerError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(UnifiedModelManagerError, match=r"between 0\.1 and 168"):
            UnifiedModelManager(max_cache_age_hours=hours)


def test_fuzzy_matching_and_correlation_report_what_is_true_now(
    routed: Any, caplog: pytest.LogCaptureFixture
) -> None:
    shim = construct(UnifiedModelManager, catalog=routed)
    assert shim.is_fuzzy_matching_enabled() is False
    with caplog.at_level(logging.INFO):
        shim.set_fuzzy_matching_enabled(True)
    assert "no effect" in caplog.text and shim.is_fuzzy_matching_enabled() is False
    with pytest.raises(ValueError, match="enabled"):
        shim.set_fuzzy_matching_enabled("yes")
    stats = shim.get_correlation_stats()
    # Claude 3.5 Sonnet and Claude 3 Haiku: direct only; Claude Sonnet 4.6: profiles only.
    assert stats["unmatched_regular_models"] == 2 and stats["cris_only_models"] == 1
    assert stats["matched_models"] == 0 and stats["fuzzy_matched_models"] == 0


def test_cris_destination_methods_answer_from_the_profiles_arns(routed: Any) -> None:
    shim = construct(CRISManager, catalog=routed)
    everywhere = ["ap-northeast-1", "eu-west-1", "us-east-1", "us-east-2", "us-west-2"]
    assert shim.get_destinations_for_source_and_model("Claude Sonnet 4.6", "us-west-2") == (
        everywhere
    )
    assert shim.get_destinations_for_source_and_model("Claude Sonnet 4.6", "eu-west-1") == []
    assert shim.get_destinations_for_source_and_model("No Such Model", "us-east-1") == []
    assert shim.get_all_destination_regions() == everywhere
    assert list(shim.get_models_by_destination_region("eu-west-1")) == ["Claude Sonnet 4.6"]
    assert shim.get_models_by_destination_region("sa-east-1") == {}
    sonnet = shim.get_models_by_source_region("us-east-1")["Claude Sonnet 4.6"]
    assert sonnet.get_source_regions() == ["us-east-1", "us-west-2"]
    assert sonnet.region_mappings["us-east-1"] == everywhere
    assert sonnet.can_route_to_destination("ap-northeast-1")
    assert sonnet.inference_profile_id == f"us.{SONNET}"
    assert shim.refresh_cris_data(False).get_all_destination_regions() == everywhere
