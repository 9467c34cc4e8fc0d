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
    from ._llm import Boto3Config, ModelSpecificConfig
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
    from ._parallel import ParallelLLMManager
    from ._tracking import ParameterCompatibilityTracker
    from .bedrock.catalog import BedrockModelCatalog, CacheMode, ModelNotFoundError
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
