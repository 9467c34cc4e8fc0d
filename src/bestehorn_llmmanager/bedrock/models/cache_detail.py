"""0.9's path of ``CacheDetail``; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import CacheDetail

__all__ = ["CacheDetail"]
