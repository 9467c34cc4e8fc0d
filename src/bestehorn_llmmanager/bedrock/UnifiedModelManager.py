"""The import path of release 0.9.0, kept for old code (deprecated).

It gives the shim and its error class from ``_deprecated``. New code uses
``bestehorn_llmmanager.bedrock.catalog.BedrockModelCatalog``; see docs/migration.md.
"""

from ._deprecated import UnifiedModelManager, UnifiedModelManagerError

__all__ = ["UnifiedModelManager", "UnifiedModelManagerError"]
