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
from ._bundle import load_bundled
from ._catalog import Catalog
from ._fileformat import decode, encode
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
)

if TYPE_CHECKING:
    from ._facade import BedrockModelCatalog
    from ._fetch import fetch_regions
    from ._store import CacheMode

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
    "BedrockModelCatalog": "._facade",
    "CacheMode": "._store",
    "fetch_regions": "._fetch",
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
