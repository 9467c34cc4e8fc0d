"""The Bedrock model catalog: which foundation model is callable from which region, and how.

Everything a user needs is re-exported here; every other module is internal. Every name loads
its module on first use (``_LAZY``), the errors too (a warm start never raises one), so
``from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog`` imports the warm path
and nothing else (not the transform, the fetch, the bundle reader or the raw snapshot types).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..._errors import (
        AmbiguousModelError,
        APIFetchError,
        BundledDataError,
        CacheError,
        CatalogError,
        CatalogFormatError,
        CatalogUnavailableError,
        ConfigurationError,
        FetchError,
        ModelNotFoundError,
        NoCredentialsError,
    )
    from ..._redact import find_account_ids
    from ..models.catalog_structures import UnifiedCatalog
    from ._access import AccessMethod
    from ._bundle import load_bundled, read_bundled_bytes
    from ._catalog import Catalog
    from ._constants import BUNDLE_FRESHNESS_WARNING_DAYS, ENV_CACHE_DIR, ENV_OFFLINE
    from ._diff import CatalogDiff, access_row, catalog_diff
    from ._facade import BedrockModelCatalog
    from ._fetch import FetchEvent, FetchLimits, fetch_regions
    from ._fileformat import decode, encode
    from ._generate import generate_from_snapshot, generate_live, source_checkout_bundle
    from ._metadata import (
        CatalogMetadata,
        CatalogSource,
        RegionOutcome,
        RegionStatus,
        describe_age,
    )
    from ._model import ModelAccess, ModelInfo
    from ._regions import normalise_region, normalise_regions, validate_region
    from ._settings import CatalogSettings
    from ._store import CacheInfo, CacheMode, fallback_cache_dir
    from ._transform import build_catalog
    from ._types import FetchResult, RegionAnswer

__all__ = [
    "BUNDLE_FRESHNESS_WARNING_DAYS",
    "ENV_CACHE_DIR",
    "ENV_OFFLINE",
    "APIFetchError",
    "AccessMethod",
    "AmbiguousModelError",
    "BedrockModelCatalog",
    "BundledDataError",
    "CacheError",
    "CacheInfo",
    "CacheMode",
    "Catalog",
    "CatalogDiff",
    "CatalogError",
    "CatalogFormatError",
    "CatalogMetadata",
    "CatalogSettings",
    "CatalogSource",
    "CatalogUnavailableError",
    "ConfigurationError",
    "FallbackCause",
    "FallbackReason",
    "FetchError",
    "FetchEvent",
    "FetchLimits",
    "FetchResult",
    "ModelAccess",
    "ModelInfo",
    "ModelNotFoundError",
    "NoCredentialsError",
    "RegionAnswer",
    "RegionOutcome",
    "RegionStatus",
    "UnifiedCatalog",
    "access_row",
    "build_catalog",
    "catalog_diff",
    "decode",
    "describe_age",
    "encode",
    "fallback_cache_dir",
    "fetch_regions",
    "find_account_ids",
    "generate_from_snapshot",
    "generate_live",
    "load_bundled",
    "normalise_region",
    "normalise_regions",
    "read_bundled_bytes",
    "source_checkout_bundle",
    "validate_region",
]

_LAZY = {
    # 0.9's names at this path (its catalog __init__): the errors and UnifiedCatalog (Catalog).
    "APIFetchError": "..._errors",
    "BundledDataError": "..._errors",
    "CacheError": "..._errors",
    "UnifiedCatalog": "..models.catalog_structures",
    "AmbiguousModelError": "..._errors",
    "CatalogError": "..._errors",
    "CatalogFormatError": "..._errors",
    "CatalogUnavailableError": "..._errors",
    "ConfigurationError": "..._errors",
    "FetchError": "..._errors",
    "ModelNotFoundError": "..._errors",
    "NoCredentialsError": "..._errors",
    "AccessMethod": "._access",
    "BUNDLE_FRESHNESS_WARNING_DAYS": "._constants",
    "BedrockModelCatalog": "._facade",
    "CacheInfo": "._store",
    "CacheMode": "._store",
    "Catalog": "._catalog",
    "CatalogDiff": "._diff",
    "CatalogMetadata": "._metadata",
    "CatalogSettings": "._settings",
    "CatalogSource": "._metadata",
    "ENV_CACHE_DIR": "._constants",
    "ENV_OFFLINE": "._constants",
    "FallbackCause": "._fallback",
    "FallbackReason": "._fallback",
    "FetchEvent": "._fetch",
    "FetchLimits": "._fetch",
    "FetchResult": "._types",
    "ModelAccess": "._model",
    "ModelInfo": "._model",
    "RegionAnswer": "._types",
    "RegionOutcome": "._metadata",
    "RegionStatus": "._metadata",
    "access_row": "._diff",
    "build_catalog": "._transform",
    "catalog_diff": "._diff",
    "decode": "._fileformat",
    "describe_age": "._metadata",
    "encode": "._fileformat",
    "fallback_cache_dir": "._store",
    "fetch_regions": "._fetch",
    "generate_from_snapshot": "._generate",
    "generate_live": "._generate",
    "load_bundled": "._bundle",
    "normalise_region": "._regions",
    "normalise_regions": "._regions",
    "read_bundled_bytes": "._bundle",
    "source_checkout_bundle": "._generate",
    "validate_region": "._regions",
    "find_account_ids": "..._redact",
}


def __getattr__(name: str) -> Any:
    # PEP 562: each name is imported from its module on first use, then cached here.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
