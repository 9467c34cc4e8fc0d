"""The managers of bestehorn-llmmanager 0.x, kept as thin deprecated shims over BedrockModelCatalog.

They answer from the catalog only: no HTML download, no scraping, no files of their own. Each
construction emits exactly one DeprecationWarning; see docs/migration.md for the new calls.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from .catalog.catalog import BedrockModelCatalog
from .catalog.errors import ModelNotFoundError
from .catalog.types import CatalogMetadata, ModelAccess, ModelInfo

MIGRATION_GUIDE = "docs/migration.md"

#: Old constructor keywords that meant something only for the HTML/JSON scraping pipeline.
_OBSOLETE_KWARGS = frozenset(
    {
        "html_output_path",
        "json_output_path",
        "documentation_url",
        "download_timeout",
        "force_download",
        "enable_fuzzy_matching",
        "strict_cache_mode",
        "ignore_cache_age",
        "cache_dir",
        "log_level",
    }
)


class _DeprecatedManager:
    """Shared construction: one warning, old keywords accepted, one catalog to delegate to."""

    _replacement_hint = "BedrockModelCatalog"

    def __init__(
        self,
        *args: Any,
        catalog: BedrockModelCatalog | None = None,
        max_cache_age_hours: float | None = None,
        **kwargs: Any,
    ) -> None:
        unknown = sorted(set(kwargs) - _OBSOLETE_KWARGS)
        if unknown:
            raise TypeError(
                f"{type(self).__name__}() got unexpected keyword arguments: {', '.join(unknown)}"
            )
        name = type(self).__name__
        message = (
            f"{name} is deprecated and will be removed in the next major version of "
            "bestehorn-llmmanager; use bestehorn_llmmanager.bedrock.catalog.BedrockModelCatalog "
            f"instead ({self._replacement_hint}). See the migration guide, {MIGRATION_GUIDE}."
        )
        ignored = sorted(kwargs) + (["positional arguments"] if args else [])
        if ignored:
            # Folded into the one warning: exactly one DeprecationWarning per construction.
            message += (
                f" Ignored arguments that no longer mean anything (the catalog downloads no "
                f"HTML and writes no JSON of its own): {', '.join(ignored)}."
            )
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        if catalog is None:
            options: dict[str, Any] = {}
            if max_cache_age_hours is not None:
                options["cache_max_age_hours"] = max_cache_age_hours
            catalog = BedrockModelCatalog(**options)
        self.catalog = catalog

    def __repr__(self) -> str:
        return f"{type(self).__name__}(deprecated, {self.catalog!r})"

    # helpers shared by the shims

    def _models(self, **filters: Any) -> dict[str, ModelInfo]:
        return {m.name: m for m in self.catalog.list_models(**filters)}

    def _has(self, name: str) -> bool:
        try:
            self.catalog.resolve(name)
        except ModelNotFoundError:
            return False
        return True


class UnifiedModelManager(_DeprecatedManager):
    """Deprecated: use :class:`BedrockModelCatalog`."""

    _replacement_hint = "get_model_info, is_model_available, list_models, regions_for"

    def refresh_unified_data(self, force_download: bool = True) -> CatalogMetadata:
        """Fetch now (``force_download``) or load the catalog; returns its metadata."""
        return self.catalog.refresh() if force_download else self.catalog.load()

    def ensure_data_available(self) -> CatalogMetadata:
        return self.catalog.load()

    def get_model_access_info(self, model_name: str, region: str) -> ModelAccess | None:
        """How to call the model from the region (None when it is not callable there)."""
        return self.catalog.get_model_info(model_name, region)

    def is_model_available_in_region(self, model_name: str, region: str) -> bool:
        try:
            return self.catalog.is_model_available(model_name, region)
        except ModelNotFoundError:
            return False

    def get_models_by_region(self, region: str) -> dict[str, ModelInfo]:
        return self._models(region=region)

    def get_models_by_provider(self, provider: str) -> dict[str, ModelInfo]:
        return self._models(provider=provider)

    def get_model_names(self) -> list[str]:
        return sorted(m.name for m in self.catalog.list_models())

    def get_streaming_models(self) -> dict[str, ModelInfo]:
        return self._models(streaming_only=True)

    def get_all_supported_regions(self) -> list[str]:
        return self.catalog.regions()

    def get_regions_for_model(self, model_name: str) -> list[str]:
        return self.catalog.regions_for(model_name)

    def has_model(self, model_name: str) -> bool:
        return self._has(model_name)

    def get_model_count(self) -> int:
        return len(self.catalog.list_models())


class ModelManager(_DeprecatedManager):
    """Deprecated: use :class:`BedrockModelCatalog` (``list_models``)."""

    _replacement_hint = "list_models"

    def refresh_model_data(self, force_download: bool = True) -> CatalogMetadata:
        return self.catalog.refresh() if force_download else self.catalog.load()

    def get_models_by_provider(self, provider: str) -> dict[str, ModelInfo]:
        return self._models(provider=provider)

    def get_models_by_region(self, region: str) -> dict[str, ModelInfo]:
        return self._models(region=region)

    def get_streaming_models(self) -> dict[str, ModelInfo]:
        return self._models(streaming_only=True)

    def get_model_count(self) -> int:
        return len(self.catalog.list_models())


class CRISManager(_DeprecatedManager):
    """Deprecated: use :class:`BedrockModelCatalog` (``get_model_info`` and its profile ids)."""

    _replacement_hint = "get_model_info(name, region).regional_profile_id / global_profile_id"

    def refresh_cris_data(self, force_download: bool = True) -> CatalogMetadata:
        return self.catalog.refresh() if force_download else self.catalog.load()

    def get_inference_profile_for_model(self, model_name: str, source_region: str) -> str | None:
        """The inference profile id to call from ``source_region`` (regional, else global)."""
        try:
            access = self.catalog.get_model_info(model_name, source_region)
        except ModelNotFoundError:
            return None
        if access is None:
            return None
        return access.regional_profile_id or access.global_profile_id

    def get_models_by_source_region(self, source_region: str) -> dict[str, ModelAccess]:
        """Model name -> access from ``source_region``, for models with a profile there."""
        result: dict[str, ModelAccess] = {}
        for model in self.catalog.list_models(region=source_region):
            access = model.regions[source_region]
            if _has_profile(access):
                result[model.name] = access
        return result

    def get_all_source_regions(self) -> list[str]:
        """Regions from which at least one inference profile is callable."""
        return sorted(
            {
                region
                for model in self.catalog.list_models()
                for region, access in model.regions.items()
                if _has_profile(access)
            }
        )

    def get_model_names(self) -> list[str]:
        """Names of the models reachable through an inference profile."""
        return sorted(m.name for m in self.catalog.list_models() if _profiled(m.regions))

    def has_model(self, model_name: str) -> bool:
        try:
            model = self.catalog.resolve(model_name)
        except ModelNotFoundError:
            return False
        return _profiled(model.regions)


def _has_profile(access: ModelAccess) -> bool:
    return access.regional_profile_id is not None or access.global_profile_id is not None


def _profiled(regions: Mapping[str, ModelAccess]) -> bool:
    return any(_has_profile(access) for access in regions.values())
