"""0.9's import path of the unified model types, served by the catalog's own types.

``UnifiedModelInfo`` is the catalog's ``ModelInfo``, which carries 0.9's attribute names
(``model_name``, ``region_access``, ``get_supported_regions()``...); ``UnifiedModelCatalog`` is
the ``Catalog``. See docs/migration.md.
"""

from ..catalog._catalog import Catalog as UnifiedModelCatalog
from ..catalog._model import ModelInfo as UnifiedModelInfo
from ..catalog._v09 import ModelAccessInfo

__all__ = ["ModelAccessInfo", "UnifiedModelCatalog", "UnifiedModelInfo"]
