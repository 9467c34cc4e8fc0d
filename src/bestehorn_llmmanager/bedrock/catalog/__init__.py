"""The Bedrock model catalog: which foundation model is callable from which region, and how.

Everything a user needs is re-exported here; every other module is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._errors import (
    AmbiguousModelError,
    CatalogError,
    CatalogFormatError,
    CatalogUnavailableError,
    ConfigurationError,
    FetchError,
    ModelNotFoundError,
    NoCredentialsError,
)
from ._bundle import load_bundled, read_bundled_bytes
from ._catalog import Catalog
from ._constants import BUNDLE_FRESHNESS_WARNING_DAYS, ENV_CACHE_DIR, ENV_OFFLINE
from ._fileformat import decode, encode
from ._regions import validate_region
from ._transform import build_catalog
from ._types import (
    AccessMethod,
    CatalogMetadata,
    CatalogSource,
    FetchResult,
    ModelAccess,
    ModelInfo,
    RegionAnswer,
    RegionOutcome,
    RegionStatus,
    describe_age,
)

if TYPE_CHECKING:
    from ._diff import CatalogDiff, access_row, catalog_diff
    from ._facade import BedrockModelCatalog
    from ._fetch import fetch_regions
    from ._generate import generate_from_snapshot, generate_live, source_checkout_bundle
    from ._store import CacheInfo, CacheMode, fallback_cache_dir

__all__ = [
    "BUNDLE_FRESHNESS_WARNING_DAYS",
    "ENV_CACHE_DIR",
    "ENV_OFFLINE",
    "AccessMethod",
    "AmbiguousModelError",
    "BedrockModelCatalog",
    "CacheInfo",
    "CacheMode",
    "Catalog",
    "CatalogDiff",
    "CatalogError",
    "CatalogFormatError",
    "CatalogMetadata",
    "CatalogSource",
    "CatalogUnavailableError",
    "ConfigurationError",
    "FetchError",
    "FetchResult",
    "ModelAccess",
    "ModelInfo",
    "ModelNotFoundError",
    "NoCredentialsError",
    "RegionAnswer",
    "RegionOutcome",
    "RegionStatus",
    "access_row",
    "build_catalog",
    "catalog_diff",
    "decode",
    "describe_age",
    "encode",
    "fallback_cache_dir",
    "fetch_regions",
    "generate_from_snapshot",
    "generate_live",
    "load_bundled",
    "read_bundled_bytes",
    "source_checkout_bundle",
    "validate_region",
]

_LAZY = {
    "BedrockModelCatalog": "._facade",
    "CacheMode": "._store",
    "fetch_regions": "._fetch",
    "CacheInfo": "._store",
    "fallback_cache_dir": "._store",
    "CatalogDiff": "._diff",
    "catalog_diff": "._diff",
    "access_row": "._diff",
    "generate_from_snapshot": "._generate",
    "generate_live": "._generate",
    "source_checkout_bundle": "._generate",
}


def __getattr__(name: str) -> Any:
    # fetch pulls in nothing heavy itself, but keeping these lazy keeps the query path minimal.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
