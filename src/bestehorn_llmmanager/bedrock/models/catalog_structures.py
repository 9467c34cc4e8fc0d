"""0.9's import path of the catalog structures, served by the catalog's own types.

``CatalogMetadata`` answers 0.9's fields (``retrieval_timestamp``, ``api_regions_queried``,
``bundled_data_version``, ``cache_file_path``); ``UnifiedCatalog`` is the ``Catalog``, whose
``models`` is keyed by model id (0.9 keyed it by name: ``get_model(name)`` looks up by name).
``CatalogSource`` adds ``STALE_CACHE`` to 0.9's three values. See docs/migration.md.
"""

from ..catalog._catalog import Catalog as UnifiedCatalog
from ..catalog._metadata import CatalogMetadata, CatalogSource
from ..catalog._model import ModelInfo as UnifiedModelInfo
from ..catalog._store import CacheMode

__all__ = ["CacheMode", "CatalogMetadata", "CatalogSource", "UnifiedCatalog", "UnifiedModelInfo"]
