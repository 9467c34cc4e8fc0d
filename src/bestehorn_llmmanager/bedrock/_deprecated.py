"""The managers of bestehorn-llmmanager 0.x, kept as thin deprecated shims over BedrockModelCatalog.

They answer from the catalog only: no HTML download, no scraping, no files of their own. Each
construction emits exactly one DeprecationWarning; see docs/migration.md for the new calls.

The constructors and methods take the arguments of release 0.9.0 in the same order, and return
the same container shapes (dicts keyed by model name, sorted name lists, ``Optional[str]``).
The values are the catalog's own: a :class:`ModelInfo` answers 0.9's ``UnifiedModelInfo``,
``BedrockModelInfo`` and ``CRISModelInfo`` names (``region_access``, ``regions_supported``,
``get_destinations_for_source()``...), and ``ModelAccessInfo`` is 0.9's access view (see
``catalog._v09``). Unlike 0.9.0, no method needs a ``refresh_*`` call first: the catalog loads
itself on first use. The methods that lost their meaning (fuzzy matching, correlation
statistics) answer what is true now; docs/migration.md lists each.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from .._errors import CatalogError, ModelNotFoundError
from .catalog._catalog import Catalog
from .catalog._facade import MAX_CACHE_AGE_HOURS, BedrockModelCatalog
from .catalog._metadata import CatalogMetadata
from .catalog._model import ModelAccess, ModelInfo
from .catalog._v09 import AccessRecommendation, ModelAccessInfo, recommend

MIGRATION_GUIDE = "docs/migration.md"

logger = logging.getLogger(__name__)

V = TypeVar("V")


class _Unset:
    """The default of every old constructor argument: tells "not passed" from a passed default."""

    def __repr__(self) -> str:
        return "<unset>"


_UNSET: Any = _Unset()


# -- the 0.9.0 data classes: the catalog's own types carry their names ----------------------------

#: 0.9.0's UnifiedModelManager value: ``ModelInfo`` (``model_name``, ``region_access``, ...).
UnifiedModelInfo = ModelInfo
#: 0.9.0's ModelManager value: ``ModelInfo`` (``regions_supported``, ...).
BedrockModelInfo = ModelInfo

#: 0.9.0's UnifiedModelManager range for ``max_cache_age_hours`` (it raised outside it).
MIN_CACHE_AGE_HOURS = 0.1
MAX_LEGACY_CACHE_AGE_HOURS = 168.0


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
        return model  # type: ignore[return-value]  # every shim's value is the ModelInfo

    def _models(self, current: Catalog | None = None) -> dict[str, V]:
        """Name -> value of every model callable from some region, sorted by name.

        Built once per loaded catalog (``current``: another one, e.g. the cache file's). Models
        callable from nowhere (provisioned-only variants such as ``...:0:300k``, which share the
        name of the on-demand model) are left out, as 0.9.0 had no entry without a region.
        """
        if current is None:
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

    def load_cached_data(self) -> LegacyCatalog[V] | None:
        """The catalog's cache file as 0.9.0's catalog, expired or not; None without one.

        Reads only the cache (no API call, no bundle), as 0.9.0 read only its JSON file.
        """
        settings = self.catalog.settings
        cached = self.catalog.store.load(
            settings.regions, max_age=settings.cache_max_age, allow_expired=True
        )
        if cached is None:
            return None
        return LegacyCatalog(self, cached.metadata, self._models(cached))


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
        if max_cache_age_hours is not _UNSET and (
            isinstance(max_cache_age_hours, bool)
            or not isinstance(max_cache_age_hours, (int, float))
            or not MIN_CACHE_AGE_HOURS <= max_cache_age_hours <= MAX_LEGACY_CACHE_AGE_HOURS
        ):
            # 0.9.0's check, raised before anything else happens, with its error class.
            raise UnifiedModelManagerError(
                f"max_cache_age_hours must be between {MIN_CACHE_AGE_HOURS} and "
                f"{MAX_LEGACY_CACHE_AGE_HOURS} hours, got {max_cache_age_hours!r}"
            )
        #: 0.9.0's attributes, as given (defaults: 24 h, not strict, age respected).
        self.max_cache_age_hours = (
            24.0 if max_cache_age_hours is _UNSET else float(max_cache_age_hours)
        )
        self.strict_cache_mode = strict_cache_mode is not _UNSET and bool(strict_cache_mode)
        self.ignore_cache_age = ignore_cache_age is not _UNSET and bool(ignore_cache_age)
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
        return None if model is None else model.get_access_info_for_region(region)

    def get_recommended_access(self, model_name: str, region: str) -> AccessRecommendation | None:
        """0.9.0's recommendation: direct access when offered there (the profiles as the
        alternative), else the profile access; None when unknown or not callable there."""
        info = self.get_model_access_info(model_name, region)
        return None if info is None else recommend(info)

    def is_model_available_in_region(self, model_name: str, region: str) -> bool:
        model = self._lookup(model_name)
        return model is not None and region in model.regions

    def get_cache_status(self) -> dict[str, Any]:
        """0.9.0's cache report: ``status`` (valid, missing, corrupted or expired), ``reason``,
        ``max_age_hours``, ``path``, ``exists`` and, when readable, ``age_hours``.

        It describes the catalog's cache (FILE mode: its file; MEMORY: this process's copy).
        """
        settings = self.catalog.settings
        info = self.catalog.store.info(max_age=settings.cache_max_age)
        if info.valid:
            status = "valid"
        elif not info.exists:
            status = "missing"
        elif info.retrieved_at is not None and info.model_count is not None:
            status = "expired"  # intact and readable, only too old (or partial) to serve
        else:
            status = "corrupted"
        result: dict[str, Any] = {
            "status": status,
            "reason": info.reason or "the cache is valid",
            "max_age_hours": settings.cache_max_age_hours,
            "path": None if info.path is None else str(info.path),
            "exists": info.exists,
        }
        if info.age is not None and status in ("valid", "expired"):
            result["age_hours"] = info.age.total_seconds() / 3600
        return result

    def get_correlation_stats(self) -> dict[str, int]:
        """0.9.0's counts of its model/profile correlation, from the catalog in use.

        The catalog links a profile to its models by the ARNs the API lists, so nothing is
        ever fuzzy matched or left unmatched: those counts are 0. ``matched_models`` have a
        profile and direct access somewhere, ``cris_only_models`` only profiles, and
        ``unmatched_regular_models`` only direct access.
        """
        stats = dict.fromkeys(
            (
                "matched_models",
                "unmatched_regular_models",
                "unmatched_cris_models",
                "cris_only_models",
                "fuzzy_matched_models",
                "corrected_cris_only_models",
            ),
            0,
        )
        for model in self._models().values():
            direct = bool(model.get_direct_access_regions())
            profiled = bool(model.get_cris_access_regions())
            if direct and profiled:
                stats["matched_models"] += 1
            elif profiled:
                stats["cris_only_models"] += 1
            else:
                stats["unmatched_regular_models"] += 1
        return stats

    def is_fuzzy_matching_enabled(self) -> bool:
        """Always False: the catalog never matches a model to a profile by a fuzzy name."""
        return False

    def set_fuzzy_matching_enabled(self, enabled: bool) -> None:
        """Accepted for 0.9.0 code; there is nothing to enable (see is_fuzzy_matching_enabled)."""
        if not isinstance(enabled, bool):
            raise ValueError(f"enabled: expected True or False, got {enabled!r}")
        if enabled:
            logger.info(
                "set_fuzzy_matching_enabled(True) has no effect: the catalog links profiles to "
                "models by the ARNs the API lists, never by a fuzzy name match"
            )

    def get_models_by_region(self, region: str) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: region in m.regions)

    def get_models_by_provider(self, provider: str) -> dict[str, UnifiedModelInfo]:
        wanted = provider.casefold()
        return self._select(lambda m: m.provider.casefold() == wanted)

    def get_direct_access_models_by_region(self, region: str) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: region in m.get_direct_access_regions())

    def get_cris_only_models_by_region(self, region: str) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: region in m.get_cris_only_regions())

    def get_streaming_models(self) -> dict[str, UnifiedModelInfo]:
        return self._select(lambda m: m.streaming_supported is True)

    def get_all_supported_regions(self) -> list[str]:
        return sorted({r for m in self._models().values() for r in m.regions})

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

    def refresh_model_data(self, force_download: bool = True) -> LegacyCatalog[BedrockModelInfo]:
        return self._refresh(force_download)

    def get_models_by_provider(self, provider: str) -> dict[str, BedrockModelInfo]:
        wanted = provider.casefold()
        return self._select(lambda m: m.provider.casefold() == wanted)

    def get_models_by_region(self, region: str) -> dict[str, BedrockModelInfo]:
        return self._select(lambda m: region in m.regions)

    def get_streaming_models(self) -> dict[str, BedrockModelInfo]:
        return self._select(lambda m: m.streaming_supported is True)


class CRISManager(_DeprecatedManager[ModelInfo]):
    """Deprecated: use :class:`BedrockModelCatalog` (``get_model_info`` and its profile ids).

    Knows the models callable through an inference profile from some region; the values are
    :class:`ModelInfo`, which answers 0.9.0's CRISModelInfo names (``get_source_regions()``,
    ``get_destinations_for_source()``, ``region_mappings``, ``inference_profile_id``...).
    """

    _replacement_hint = (
        "get_model_info(name, region).regional_cris_profile_id / global_cris_profile_id, and "
        "destination_regions(name, region)"
    )
    _catalog_attribute = "cris_models"
    _catalog_queries = frozenset(
        {
            "get_models_by_source_region",
            "get_models_by_destination_region",
            "get_inference_profile_for_model",
            "get_all_source_regions",
            "get_all_destination_regions",
        }
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

    def get_models_by_destination_region(self, destination_region: str) -> dict[str, ModelInfo]:
        """Model name -> model, for models with a profile that may route a request there."""
        return self._select(lambda m: m.can_route_to_destination(destination_region))

    def get_all_destination_regions(self) -> list[str]:
        """Every region some inference profile may route a request to."""
        return sorted({r for m in self._models().values() for r in m.get_destination_regions()})

    def get_destinations_for_source_and_model(
        self, model_name: str, source_region: str
    ) -> list[str]:
        """The regions a request for the model sent from ``source_region`` through one of its
        profiles may run in; [] for an unknown model or a region it has no profile in."""
        model = self._lookup(model_name)
        return [] if model is None else model.get_destinations_for_source(source_region)


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
