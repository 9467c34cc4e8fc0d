"""bestehorn-llmmanager: the AWS Bedrock model catalog and an LLMManager with failover.

Importing this package is cheap: no network, no boto3; heavy parts load on first use.
"""

from __future__ import annotations

from ._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a warm start ~10 ms

__author__ = "LLMManager Development Team"
__description__ = "AWS Bedrock Converse API Management Library with MessageBuilder"
__license__ = "MIT"

if TYPE_CHECKING:
    from typing import Any

    from ._content import (
        CacheDetail,
        Citation,
        ReasoningContent,
        ResponseContentType,
        ToolUse,
        build_cache_point,
        build_json_schema_output_config,
    )
    from ._discovery import AWSRegions, BedrockRegionDiscovery, get_all_regions
    from ._llm import (
        AuthConfig,
        AuthenticationType,
        Boto3Config,
        CacheStrategy,
        ModelSpecificConfig,
    )
    from ._messages import (
        CachePointTTLEnum,
        DetectionMethodEnum,
        DocumentFormatEnum,
        GuardContentQualifierEnum,
        ImageFormatEnum,
        MessageBuilder,
        RolesEnum,
        ToolResultStatusEnum,
        VideoFormatEnum,
        create_assistant_message,
        create_message,
        create_user_message,
    )
    from ._parallel import BedrockConverseRequest, ParallelLLMManager, ParallelProcessingConfig
    from ._tracking import ParameterCompatibilityTracker
    from .bedrock.catalog import BedrockModelCatalog, CacheMode, CatalogSource, ModelNotFoundError
    from .llm_manager import AllTargetsFailedError, LLMManager, RequestError

__all__ = [
    "MessageBuilder",
    "create_message",
    "create_user_message",
    "create_assistant_message",
    "RolesEnum",
    "ImageFormatEnum",
    "DocumentFormatEnum",
    "VideoFormatEnum",
    "DetectionMethodEnum",
    "ToolResultStatusEnum",
    "GuardContentQualifierEnum",
    "CachePointTTLEnum",
    "ResponseContentType",
    "ToolUse",
    "ReasoningContent",
    "Citation",
    "CacheDetail",
    "build_cache_point",
    "build_json_schema_output_config",
    "AWSRegions",
    "BedrockRegionDiscovery",
    "ParallelLLMManager",
    "ParameterCompatibilityTracker",
    "get_all_regions",
    "AllTargetsFailedError",
    "Boto3Config",
    "ModelSpecificConfig",
    "BedrockModelCatalog",
    "CacheMode",
    "LLMManager",
    "ModelNotFoundError",
    "RequestError",
    "__version__",
    # Not in 0.9's __all__, but imported from here by 0.9's documentation (which failed in 0.9):
    "AuthConfig",
    "AuthenticationType",
    "BedrockConverseRequest",
    "CacheStrategy",
    "CatalogSource",
    "ParallelProcessingConfig",
]

_LAZY = {
    **dict.fromkeys(
        [
            "MessageBuilder",
            "create_message",
            "create_user_message",
            "create_assistant_message",
            "RolesEnum",
            "ImageFormatEnum",
            "DocumentFormatEnum",
            "VideoFormatEnum",
            "DetectionMethodEnum",
            "ToolResultStatusEnum",
            "GuardContentQualifierEnum",
            "CachePointTTLEnum",
        ],
        "._messages",
    ),
    **dict.fromkeys(
        [
            "ResponseContentType",
            "ToolUse",
            "ReasoningContent",
            "Citation",
            "CacheDetail",
            "build_cache_point",
            "build_json_schema_output_config",
        ],
        "._content",
    ),
    "ParallelLLMManager": "._parallel",
    "BedrockConverseRequest": "._parallel",
    "ParallelProcessingConfig": "._parallel",
    "AuthConfig": "._llm",
    "AuthenticationType": "._llm",
    "CacheStrategy": "._llm",
    "CatalogSource": ".bedrock.catalog",
    "AWSRegions": "._discovery",
    "BedrockRegionDiscovery": "._discovery",
    "get_all_regions": "._discovery",
    "ParameterCompatibilityTracker": "._tracking",
    "LLMManager": ".llm_manager",
    "Boto3Config": "._llm",
    "ModelSpecificConfig": "._llm",
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
