"""0.9's path of ``ReasoningContent``; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import ReasoningContent

__all__ = ["ReasoningContent"]
