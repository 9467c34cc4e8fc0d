"""0.9's path of ``ToolUse``; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import ToolUse

__all__ = ["ToolUse"]
