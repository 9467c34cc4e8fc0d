"""bestehorn-llmmanager: the AWS Bedrock model catalog and an LLMManager with failover.

Importing this package is cheap: no network, no boto3; heavy parts load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .bedrock.catalog import BedrockModelCatalog, CacheMode, ModelNotFoundError
    from .llm_manager import AllTargetsFailedError, LLMManager, RequestError

__all__ = [
    "AllTargetsFailedError",
    "BedrockModelCatalog",
    "CacheMode",
    "LLMManager",
    "ModelNotFoundError",
    "RequestError",
    "__version__",
]

_LAZY = {
    "LLMManager": ".llm_manager",
    "AllTargetsFailedError": ".llm_manager",
    "RequestError": ".llm_manager",
    "BedrockModelCatalog": ".bedrock.catalog",
    "CacheMode": ".bedrock.catalog",
    "ModelNotFoundError": ".bedrock.catalog",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module, __name__), name)
