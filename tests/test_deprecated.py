"""The deprecated managers: one DeprecationWarning per construction, answers from the catalog."""

from __future__ import annotations

import subprocess
import sys
import warnings
from typing import Any

import pytest

from bestehorn_llmmanager.bedrock import CRISManager, ModelManager, UnifiedModelManager
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog, CatalogSource, ModelAccess
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
            {"json_output_path": "src/docs/UnifiedModels.json", "force_download": False},
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


def test_unified_model_manager_answers_from_the_catalog(
    runtime_catalog: BedrockModelCatalog, runtime_server: tuple[BedrockServer, Runtime]
) -> None:
    shim = construct(UnifiedModelManager, catalog=runtime_catalog)
    assert shim.ensure_data_available().source is CatalogSource.API
    access = shim.get_model_access_info("Claude Haiku 4.5", "us-east-1")
    assert isinstance(access, ModelAccess)
    assert access.regional_profile_id == "us." + HAIKU
    assert shim.get_model_access_info("Claude 3 Opus", "eu-west-1") is None
    assert shim.is_model_available_in_region("Nova Pro", "us-west-2")
    assert not shim.is_model_available_in_region("Claude 3 Opus", "eu-west-1")
    assert not shim.is_model_available_in_region("No Such Model", "us-east-1")
    assert sorted(shim.get_models_by_region("eu-west-1")) == ["Claude Haiku 4.5", "Nova Pro"]
    assert sorted(shim.get_models_by_provider("Anthropic")) == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
    ]
    assert shim.get_model_names() == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
        "Llama 3 8B Instruct",
        "Nova Pro",
    ]
    assert "Llama 3 8B Instruct" in shim.get_streaming_models()  # streams in the US regions
    assert shim.get_all_supported_regions() == [
        "ap-northeast-1",
        "eu-west-1",
        "us-east-1",
        "us-west-2",
    ]
    assert shim.get_regions_for_model("Claude 3 Opus") == ["us-east-1", "us-west-2"]
    assert shim.has_model("Nova Pro") and not shim.has_model("No Such Model")
    assert shim.get_model_count() == 4
    server, _ = runtime_server
    before = server.count()
    assert shim.refresh_unified_data().source is CatalogSource.API
    assert server.count() > before  # force_download=True fetches now


def test_model_manager_answers_from_the_catalog(runtime_catalog: BedrockModelCatalog) -> None:
    shim = construct(ModelManager, catalog=runtime_catalog)
    assert shim.refresh_model_data(force_download=False).source is CatalogSource.API
    assert list(shim.get_models_by_provider("Meta")) == ["Llama 3 8B Instruct"]
    assert sorted(shim.get_models_by_region("us-west-2")) == [
        "Claude 3 Opus",
        "Claude Haiku 4.5",
        "Llama 3 8B Instruct",
        "Nova Pro",
    ]
    assert len(shim.get_streaming_models()) == 4
    assert shim.get_model_count() == 4


def test_cris_manager_answers_from_the_catalog(runtime_catalog: BedrockModelCatalog) -> None:
    shim = construct(CRISManager, catalog=runtime_catalog)
    assert shim.refresh_cris_data(force_download=False).source is CatalogSource.API
    assert shim.get_inference_profile_for_model("Claude Haiku 4.5", "eu-west-1") == "eu." + HAIKU
    assert shim.get_inference_profile_for_model("Claude 3 Opus", "us-east-1") is None
    assert shim.get_inference_profile_for_model("No Such Model", "us-east-1") is None
    assert sorted(shim.get_models_by_source_region("eu-west-1")) == [
        "Claude Haiku 4.5",
        "Nova Pro",
    ]
    assert shim.get_all_source_regions() == ["eu-west-1", "us-east-1", "us-west-2"]
    assert shim.get_model_names() == ["Claude Haiku 4.5", "Nova Pro"]
    assert shim.has_model("Claude Haiku 4.5")
    assert not shim.has_model("Claude 3 Opus")  # callable only directly: no profile
    assert not shim.has_model("No Such Model")


def test_importing_the_package_does_not_import_the_shims() -> None:
    code = (
        "import sys, bestehorn_llmmanager, bestehorn_llmmanager.bedrock; "
        "assert 'bestehorn_llmmanager.bedrock.deprecated' not in sys.modules; "
        "assert 'boto3' not in sys.modules; "
        "from bestehorn_llmmanager.bedrock import ModelManager; "
        "assert 'boto3' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
