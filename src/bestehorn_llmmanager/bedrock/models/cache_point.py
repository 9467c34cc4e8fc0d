"""0.9's path of ``build_cache_point``; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import build_cache_point

__all__ = ["build_cache_point"]
