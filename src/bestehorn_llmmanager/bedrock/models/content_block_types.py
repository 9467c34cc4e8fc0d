"""0.9's path of ``ResponseContentType``; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import ResponseContentType, get_block_type

__all__ = ["ResponseContentType", "get_block_type"]
