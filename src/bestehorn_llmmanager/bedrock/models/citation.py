"""0.9's path of ``Citation``; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import Citation

__all__ = ["Citation"]
