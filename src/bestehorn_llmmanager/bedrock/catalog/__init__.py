"""The Bedrock model catalog: which foundation model is callable from which region, and how.

Everything a user needs is re-exported here; every other module is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .bundled import load_bundled
from .errors import (
    AmbiguousModelError,
    CatalogError,
    CatalogFormatError,
    CatalogUnavailableError,
    ConfigurationError,
    FetchError,
    ModelNotFoundError,
    NoCredentialsError,
)
from .fileformat import decode, encode
from .index import Catalog
from .transform import build_catalog
from .types import (
    AccessMethod,
    CatalogMetadata,
    CatalogSource,
    FetchResult,
    ModelAccess,
    ModelInfo,
    RegionAnswer,
    RegionOutcome,
    RegionStatus,
)

if TYPE_CHECKING:
    from .catalog import BedrockModelCatalog
    from .fetch import fetch_regions
    from .store import CacheMode

__all__ = [
    "AccessMethod",
    "AmbiguousModelError",
    "BedrockModelCatalog",
    "CacheMode",
    "Catalog",
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
    "build_catalog",
    "decode",
    "encode",
    "fetch_regions",
    "load_bundled",
]

_LAZY = {
    "BedrockModelCatalog": ".catalog",
    "CacheMode": ".store",
    "fetch_regions": ".fetch",
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
