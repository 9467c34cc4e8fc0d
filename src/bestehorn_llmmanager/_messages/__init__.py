"""Message building: the fluent builder, its enums and limits, and the file type detector.

The door of the package; names load on first use, so importing the enums does not load the
builder or the detector. Builds plain Converse dicts; never calls AWS.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._builder import (
        ConverseMessageBuilder,
        MessageBuilder,
        create_assistant_message,
        create_message,
        create_user_message,
    )
    from ._detect import BaseDetector, DetectionResult, FileTypeDetector
    from ._enums import (
        CachePointTTLEnum,
        DetectionMethodEnum,
        DocumentFormatEnum,
        GuardContentQualifierEnum,
        ImageFormatEnum,
        RolesEnum,
        ToolResultStatusEnum,
        VideoFormatEnum,
    )
    from ._limits import MessageBuilderConfig, SupportedFormats

__all__ = [
    "BaseDetector",
    "CachePointTTLEnum",
    "ConverseMessageBuilder",
    "DetectionMethodEnum",
    "DetectionResult",
    "DocumentFormatEnum",
    "FileTypeDetector",
    "GuardContentQualifierEnum",
    "ImageFormatEnum",
    "MessageBuilder",
    "MessageBuilderConfig",
    "RolesEnum",
    "SupportedFormats",
    "ToolResultStatusEnum",
    "VideoFormatEnum",
    "create_assistant_message",
    "create_message",
    "create_user_message",
]

_HOME = {
    **dict.fromkeys(
        [
            "ConverseMessageBuilder",
            "MessageBuilder",
            "create_assistant_message",
            "create_message",
            "create_user_message",
        ],
        "._builder",
    ),
    **dict.fromkeys(["BaseDetector", "DetectionResult", "FileTypeDetector"], "._detect"),
    **dict.fromkeys(
        [
            "CachePointTTLEnum",
            "DetectionMethodEnum",
            "DocumentFormatEnum",
            "GuardContentQualifierEnum",
            "ImageFormatEnum",
            "RolesEnum",
            "ToolResultStatusEnum",
            "VideoFormatEnum",
        ],
        "._enums",
    ),
    **dict.fromkeys(["MessageBuilderConfig", "SupportedFormats"], "._limits"),
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
