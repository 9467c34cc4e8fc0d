"""The managers of bestehorn-llmmanager 0.x, kept as thin deprecated shims over BedrockModelCatalog.

They answer from the catalog only: no HTML download, no scraping, no files of their own. Each
construction emits exactly one DeprecationWarning; see docs/migration.md for the new calls.

The constructors and methods take the arguments of release 0.9.0 in the same order, and return
the same container shapes (dicts keyed by model name, sorted name lists, ``Optional[str]``).
``UnifiedModelInfo``, ``ModelAccessInfo`` and ``BedrockModelInfo`` are rebuilt from the catalog
with their 0.9.0 fields; CRIS models are returned as :class:`ModelInfo`, because the catalog does
not know the destination regions that the old ``CRISModelInfo`` held. Unlike 0.9.0, no method
needs a ``refresh_*`` call first: the catalog loads itself on first use.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from .._errors import CatalogError, ModelNotFoundError
from .catalog._catalog import Catalog
from .catalog._facade import MAX_CACHE_AGE_HOURS, BedrockModelCatalog
from .catalog._types import CatalogMetadata, ModelAccess, ModelInfo

MIGRATION_GUIDE = "docs/migration.md"

logger = logging.getLogger(__name__)

V = TypeVar("V")


class _Unset:
    """The default of every old constructor argument: tells "not passed" from a passed default."""

    def __repr__(self) -> str:
        return "<unset>"


_UNSET: Any = _Unset()


# -- the 0.9.0 data classes that can be rebuilt from the catalog ---------------------------------


@dataclass(frozen=True)
class ModelAccessInfo:
    """0.9.0's access information of one model in one region (orthogonal access flags).

    ``model_id`` is set only with direct access, as in 0.9.0 (``ModelAccess.model_id`` is
    always the base id).
    """

    region: str
    has_direct_access: bool = False
    has_regional_cris: bool = False
    has_global_cris: bool = False
    model_id: str | None = None
    regional_cris_profile_id: str | None = None
    global_cris_profile_id: str | None = None

    @classmethod
    def from_access(cls, access: ModelAccess) -> ModelAccessInfo:
        return cls(
            region=access.region,
            has_direct_access=access.direct_model_id is not None,
            has_regional_cris=access.regional_profile_id is not None,
            has_global_cris=access.global_profile_id is not None,
            model_id=access.direct_model_id,
            regional_cris_profile_id=access.regional_profile_id,
            global_cris_profile_id=access.global_profile_id,
        )

    @property
    def inference_profile_id(self) -> str | None:
        """The regional profile id, else the global one (0.9.0's deprecated property)."""
        return self.regional_cris_profile_id or self.global_cris_profile_id

    def has_any_cris_access(self) -> bool:
        return self.has_regional_cris or self.has_global_cris

    def get_cris_profile_ids(self) -> list[str]:
        return [p for p in (self.regional_cris_profile_id, self.global_cris_profile_id) if p]

    def get_access_summary(self) -> str:
        flags = (
            (self.has_direct_access, "DIRECT"),
            (self.has_regional_cris, "REGIONAL_CRIS"),
            (self.has_global_cris, "GLOBAL_CRIS"),
        )
        return " + ".join(name for on, name in flags if on)


@dataclass(frozen=True)
class UnifiedModelInfo:
    """0.9.0's model across regions; ``region_access`` holds only regions it is callable from."""

    model_name: str
    provider: str
    model_id: str | None
    input_modalities: list[str]
    output_modalities: list[str]
    streaming_supported: bool
    region_access: dict[str, ModelAccessInfo]
    inference_parameters_link: str | None = None
    hyperparameters_link: str | None = None

    @classmethod
    def from_model(cls, model: ModelInfo) -> UnifiedModelInfo:
        return cls(
            model_name=model.name,
            provider=model.provider,
            model_id=model.model_id,
            input_modalities=list(model.input_modalities),
            output_modalities=list(model.output_modalities),
            streaming_supported=model.streaming_supported is True,
            region_access={r: ModelAccessInfo.from_access(a) for r, a in model.regions.items()},
        )

    def get_supported_regions(self) -> list[str]:
        return sorted(self.region_access)

    def get_direct_access_regions(self) -> list[str]:
        return sorted(r for r, a in self.region_access.items() if a.has_direct_access)

    def get_cris_only_regions(self) -> list[str]:
        return sorted(
            r
            for r, a in self.region_access.items()
            if a.has_any_cris_access() and not a.has_direct_access
        )

    def get_cris_access_regions(self) -> list[str]:
        return sorted(r for r, a in self.region_access.items() if a.has_any_cris_access())

    def get_access_info_for_region(self, region: str) -> ModelAccessInfo | None:
        return self.region_access.get(region)

    def is_available_in_region(self, region: str) -> bool:
        return region in self.region_access

    def get_inference_profiles(self) -> list[str]:
        return sorted({p for a in self.region_access.values() for p in a.get_cris_profile_ids()})


@dataclass(frozen=True)
class BedrockModelInfo:
    """0.9.0's ModelManager record; ``regions_supported`` lists every region it is callable from."""

    provider: str
    model_id: str
    regions_supported: list[str]
    input_modalities: list[str]
    output_modalities: list[str]
    streaming_supported: bool
    inference_parameters_link: str | None = None
    hyperparameters_link: str | None = None
    inference_types_supported: list[str] | None = None

    @classmethod
    def from_model(cls, model: ModelInfo) -> BedrockModelInfo:
        return cls(
            provider=model.provider,
            model_id=model.model_id,
            regions_supported=sorted(model.regions),
            input_modalities=list(model.input_modalities),
            output_modalities=list(model.output_modalities),
            streaming_supported=model.streaming_supported is True,
            inference_types_supported=list(model.inference_types) or None,
        )


class LegacyCatalog(Generic[V]):
    """What ``refresh_*`` and ``ensure_data_available`` return: 0.9.0's catalog shape.

    ``retrieval_timestamp``, ``model_count``, ``get_model_names()``, ``has_model()`` and the
    name -> model dict under its 0.9.0 attribute (``models``, ``cris_models`` or
    ``unified_models``); the old catalog's query methods call the manager's methods of the same
    name. Every :class:`CatalogMetadata` attribute (``source``, ``retrieved_at``, ...) and the
    metadata itself (``metadata``) are available too.
    """

    def __init__(
        self,
        manager: _DeprecatedManager[V],
        metadata: CatalogMetadata,
        models: dict[str, V],
    ) -> None:
        self._manager = manager
        self.metadata = metadata
        self._models = models

    @property
    def retrieval_timestamp(self) -> datetime:
        """When AWS answered (timezone-aware UTC; 0.9.0's was naive local time)."""
        return self.metadata.retrieved_at

    @property
    def model_count(self) -> int:
        return len(self._models)

    def get_model_names(self) -> list[str]:
        return sorted(self._models)

    def has_model(self, model_name: str) -> bool:
        return self._manager.has_model(model_name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        manager = self._manager
        if name == manager._catalog_attribute:
            return self._models
        if name in manager._catalog_queries:
            return getattr(manager, name)
        return getattr(self.metadata, name)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self._manager._catalog_attribute}: {len(self._models)} "
            f"models, source={self.metadata.source.value}, retrieved_at="
            f"{self.metadata.retrieved_at.isoformat()})"
        )


# -- the shims -----------------------------------------------------------------------------------


class _DeprecatedManager(Generic[V]):
    """Shared construction: one warning, old arguments accepted, one catalog to delegate to."""

    _replacement_hint: ClassVar[str] = "BedrockModelCatalog"
    #: The 0.9.0 catalog attribute holding the name -> model dict.
    _catalog_attribute: ClassVar[str] = "models"
    #: The 0.9.0 catalog methods that LegacyCatalog answers through the manager.
    _catalog_queries: ClassVar[frozenset[str]] = frozenset()

    catalog: BedrockModelCatalog

    def _setup(
        self,
        catalog: BedrockModelCatalog | None,
        ignored: Mapping[str, Any],
        options: Mapping[str, Any],
        option_sources: tuple[str, ...] = (),
    ) -> None:
        name = type(self).__name__
        message = (
            f"{name} is deprecated and will be removed in the next major version of "
            "bestehorn-llmmanager; use bestehorn_llmmanager.bedrock.catalog.BedrockModelCatalog "
            f"instead ({self._replacement_hint}). See the migration guide, {MIGRATION_GUIDE}."
        )
        passed = [key for key, value in ignored.items() if value is not _UNSET]
        if catalog is not None:
            passed += option_sources  # a catalog passed in is used as it is
        if passed:
            # Folded into the one warning: exactly one DeprecationWarning per construction.
            message += (
                f" Ignored arguments that no longer mean anything (the catalog downloads no "
                f"HTML and writes no JSON of its own): {', '.join(passed)}."
            )
        warnings.warn(message, DeprecationWarning, stacklevel=3)
        if catalog is None:
            catalog = BedrockModelCatalog(**options)
        self.catalog = catalog
        self._view: tuple[Catalog, dict[str, V]] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(deprecated, {self.catalog!r})"

    # The models this shim knows, by name, as 0.9.0 values.

    def _include(self, model: ModelInfo) -> bool:
        return True

    def _convert(self, model: ModelInfo) -> V:
        raise NotImplementedError

    def _models(self) -> dict[str, V]:
        """Name -> value of every model callable from some region, sorted by name.

        Built once per loaded catalog. Models callable from nowhere (provisioned-only variants
        such as ``...:0:300k``, which share the name of the on-demand model) are left out, as
        0.9.0 had no entry without a region.
        """
        current = self.catalog.catalog
        view = self._view
        if view is not None and view[0] is current:
            return view[1]
        named: dict[str, ModelInfo] = {}
        for model in current.list_models():
            if model.regions and model.name not in named and self._include(model):
                named[model.name] = model
        result = {name: self._convert(named[name]) for name in sorted(named)}
        self._view = (current, result)
        return result

    def _lookup(self, model_name: str) -> V | None:
        """The value for a name as 0.9.0 keyed it, or for any name, id or ARN that resolves."""
        models = self._models()
        found = models.get(model_name)
        if found is not None:
            return found
        try:
            model = self.catalog.resolve(model_name)
        except ModelNotFoundError:
            return None
        return models.get(model.name)

    def _select(self, keep: Callable[[V], bool]) -> dict[str, V]:
        return {name: value for name, value in self._models().items() if keep(value)}

    def _refresh(self, force_download: bool) -> LegacyCatalog[V]:
        """0.9.0 fetched on every refresh; here ``force_download`` fetches, else the catalog loads.

        When the fetch fails (offline, no credentials, no region answered), the catalog's own
        fallback answers and a warning is logged, so callers that refresh first keep working.
        """
        if force_download:
            try:
                metadata = self.catalog.refresh()
            except Exception as exc:
                logger.warning(
                    "%s: fetching the Bedrock catalog failed (%s); answering from the catalog "
                    "in use or its fallback (cache or bundled data)",
                    type(self).__name__,
                    exc,
                )
                metadata = self.catalog.load()
        else:
            metadata = self.catalog.load()
        return LegacyCatalog(self, metadata, self._models())

    def has_model(self, model_name: str) -> bool:
        return self._lookup(model_name) is not None

    def get_model_names(self) -> list[str]:
        return list(self._models())

    def get_model_count(self) -> int:
        return len(self._models())


class UnifiedModelManager(_DeprecatedManager[UnifiedModelInfo]):
    """Deprecated: use :class:`BedrockModelCatalog`."""

    _replacement_hint = "get_model_info, is_model_available, list_models, regions_for"
    _catalog_attribute = "unified_models"
    _catalog_queries = frozenset(
        {
            "get_models_by_provider",
            "get_models_by_region",
            "get_direct_access_models_by_region",
            "get_cris_only_models_by_region",
            "get_streaming_models",
            "get_all_supported_regions",
        }
    )

    def __init__(
        self,
        json_output_path: Path | None = _UNSET,
        force_download: bool = False,
        download_timeout: int = _UNSET,
        enable_fuzzy_matching: bool | None = _UNSET,
        max_cache_age_hours: float = _UNSET,
        strict_cache_mode: bool = _UNSET,
        ignore_cache_age: bool = _UNSET,
        *,
        catalog: BedrockModelCatalog | None = None,
    ) -> None:
        options: dict[str, Any] = {}
        sources: tuple[str, ...] = ()
        unused_age = max_cache_age_hours
        if ignore_cache_age is not _UNSET and ignore_cache_age:
            # 0.9.0 bypassed the age check; the nearest: the longest age the catalog accepts.
            options["cache_max_age_hours"] = MAX_CACHE_AGE_HOURS
            sources = ("ignore_cache_age",)
        elif max_cache_age_hours is not _UNSET:
            options["cache_max_age_hours"] = max_cache_age_hours
            sources = ("max_cache_age_hours",)
            unused_age = _UNSET
        self._setup(
            catalog,
            {
                "json_output_path": json_output_path,
                "download_timeout": download_timeout,
                "enable_fuzzy_matching": enable_fuzzy_matching,
                "max_cache_age_hours": unused_age,
                "strict_cache_mode": strict_cache_mode,
            },
            options,
            sources,
        )
        #: The default of refresh_unified_data(force_download=None), as in 0.9.0.
        self.force_download = bool(force_download)

    def _convert(self, model: ModelInfo) -> UnifiedModelInfo:
        return UnifiedModelInfo.from_model(model)

    def refresh_unified_data(
        self, force_download: bool | None = None
    ) -> LegacyCatalog[UnifiedModelInfo]:
        """Fetch now when ``force_download`` (default: the constructor's), else load."""
        return self._refresh(self.force_download if force_download is None else force_download)

    def ensure_data_available(self) -> LegacyCatalog[UnifiedModelInfo]:
        """A valid cache, else the API, else the catalog's fallback (no fetch when cached)."""
        return LegacyCatalog(self, self.catalog.load(), self._models())

    def get_model_access_info(self, model_name: str, region: str) -> ModelAccessInfo | None:
        """How to call the model from the region (None when unknown or not callable there)."""
        model = self._lookup(model_name)
        return None if model is None else model.region_access.get(region)

    def is_model_available_in_region(self, model_name: str, region: str) -> bool:
        return self.get_model_access_info(model_name, region) is not None

    def get_models_by_region(self, region: str) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: region in m.region_access)

    def get_models_by_provider(self, provider: str) -> dict[str, UnifiedModelInfo]:
        wanted = provider.casefold()
        return self._select(lambda m: m.provider.casefold() == wanted)

    def get_direct_access_models_by_region(self, region: str) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: region in m.get_direct_access_regions())

    def get_cris_only_models_by_region(self, region: str) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: region in m.get_cris_only_regions())

    def get_streaming_models(self) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: m.streaming_supported)

    def get_all_supported_regions(self) -> list[str]:
        return sorted({r for m in self._models().values() for r in m.region_access})

    def get_regions_for_model(self, model_name: str) -> list[str]:
        model = self._lookup(model_name)
        return [] if model is None else model.get_supported_regions()


class ModelManager(_DeprecatedManager[BedrockModelInfo]):
    """Deprecated: use :class:`BedrockModelCatalog` (``list_models``)."""

    _replacement_hint = "list_models"
    _catalog_attribute = "models"
    _catalog_queries = frozenset(
        {"get_models_by_provider", "get_models_by_region", "get_streaming_models"}
    )

    def __init__(
        self,
        html_output_path: Path | None = _UNSET,
        json_output_path: Path | None = _UNSET,
        documentation_url: str | None = _UNSET,
        download_timeout: int = _UNSET,
        *,
        catalog: BedrockModelCatalog | None = None,
    ) -> None:
        self._setup(
            catalog,
            {
                "html_output_path": html_output_path,
                "json_output_path": json_output_path,
                "documentation_url": documentation_url,
                "download_timeout": download_timeout,
            },
            {},
        )

    def _convert(self, model: ModelInfo) -> BedrockModelInfo:
        return BedrockModelInfo.from_model(model)

    def refresh_model_data(self, force_download: bool = True) -> LegacyCatalog[BedrockModelInfo]:
        return self._refresh(force_download)

    def get_models_by_provider(self, provider: str) -> dict[str, BedrockModelInfo]:
        wanted = provider.casefold()
        return self._select(lambda m: m.provider.casefold() == wanted)

    def get_models_by_region(self, region: str) -> dict[str, BedrockModelInfo]:
        return self._select(lambda m: region in m.regions_supported)

    def get_streaming_models(self) -> dict[str, BedrockModelInfo]:
        return self._select(lambda m: m.streaming_supported)


class CRISManager(_DeprecatedManager[ModelInfo]):
    """Deprecated: use :class:`BedrockModelCatalog` (``get_model_info`` and its profile ids).

    Knows the models callable through an inference profile from some region; the values are
    :class:`ModelInfo` (``regions[source_region]`` holds the profile ids callable from there).
    """

    _replacement_hint = "get_model_info(name, region).regional_profile_id / global_profile_id"
    _catalog_attribute = "cris_models"
    _catalog_queries = frozenset(
        {"get_models_by_source_region", "get_inference_profile_for_model", "get_all_source_regions"}
    )

    def __init__(
        self,
        html_output_path: Path | None = _UNSET,
        json_output_path: Path | None = _UNSET,
        documentation_url: str | None = _UNSET,
        download_timeout: int = _UNSET,
        use_api: bool = _UNSET,
        auth_manager: Any = _UNSET,
        *,
        catalog: BedrockModelCatalog | None = None,
    ) -> None:
        self._setup(
            catalog,
            {
                "html_output_path": html_output_path,
                "json_output_path": json_output_path,
                "documentation_url": documentation_url,
                "download_timeout": download_timeout,
                "use_api": use_api,
                "auth_manager": auth_manager,
            },
            {},
        )

    def _include(self, model: ModelInfo) -> bool:
        return _profiled(model.regions)

    def _convert(self, model: ModelInfo) -> ModelInfo:
        return model

    def refresh_cris_data(self, force_download: bool = True) -> LegacyCatalog[ModelInfo]:
        return self._refresh(force_download)

    def get_inference_profile_for_model(
        self, model_name: str, source_region: str | None = None
    ) -> str | None:
        """The model's inference profile id; None for unknown models or models without one.

        Without ``source_region`` (the 0.9.0 call): the primary profile as 0.9.0 chose it, the
        first ``us.`` profile, else ``eu.``, else ``apac.``/``ap.``, else any (e.g. ``global.``).
        With ``source_region``: the profile callable from there, regional before global.
        """
        model = self._lookup(model_name)
        if model is None:
            return None
        if source_region is not None:
            access = model.regions.get(source_region)
            if access is None:
                return None
            return access.regional_profile_id or access.global_profile_id
        profiles: list[str] = []
        for access in model.regions.values():
            for profile_id in (*access.regional_profile_ids, access.global_profile_id):
                if profile_id is not None and profile_id not in profiles:
                    profiles.append(profile_id)
        for prefixes in (("us.",), ("eu.",), ("apac.", "ap.")):
            for profile_id in profiles:
                if profile_id.startswith(prefixes):
                    return profile_id
        return profiles[0] if profiles else None

    def get_models_by_source_region(self, source_region: str) -> dict[str, ModelInfo]:
        """Model name -> model, for models with an inference profile callable from there."""
        return self._select(
            lambda m: source_region in m.regions and _has_profile(m.regions[source_region])
        )

    def get_all_source_regions(self) -> list[str]:
        """Regions from which at least one inference profile is callable."""
        return sorted(
            {
                region
                for model in self._models().values()
                for region, access in model.regions.items()
                if _has_profile(access)
            }
        )


class ModelManagerError(CatalogError):
    """0.9.0's ModelManager error, kept so old ``except`` clauses still import."""


class CRISManagerError(CatalogError):
    """0.9.0's CRISManager error, kept so old ``except`` clauses still import."""


class UnifiedModelManagerError(CatalogError):
    """0.9.0's UnifiedModelManager error, kept so old ``except`` clauses still import."""


def _has_profile(access: ModelAccess) -> bool:
    return access.regional_profile_id is not None or access.global_profile_id is not None


def _profiled(regions: Mapping[str, ModelAccess]) -> bool:
    return any(_has_profile(access) for access in regions.values())


__all__ = [
    "MIGRATION_GUIDE",
    "BedrockModelInfo",
    "CRISManager",
    "CRISManagerError",
    "LegacyCatalog",
    "ModelAccessInfo",
    "ModelManager",
    "ModelManagerError",
    "UnifiedModelInfo",
    "UnifiedModelManager",
    "UnifiedModelManagerError",
]
