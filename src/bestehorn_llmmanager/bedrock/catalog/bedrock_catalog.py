"""0.9's import path of ``BedrockModelCatalog``; the real code is in ``_facade``."""

from ._facade import BedrockModelCatalog

__all__ = ["BedrockModelCatalog"]
