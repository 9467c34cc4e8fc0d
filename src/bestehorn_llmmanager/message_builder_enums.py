"""0.9's path of the message builder enums; they live in ``bestehorn_llmmanager._messages``."""

from ._messages._enums import (
    CachePointTTLEnum,
    DetectionMethodEnum,
    DocumentFormatEnum,
    GuardContentQualifierEnum,
    ImageFormatEnum,
    RolesEnum,
    ToolResultStatusEnum,
    VideoFormatEnum,
)

__all__ = [
    "CachePointTTLEnum",
    "DetectionMethodEnum",
    "DocumentFormatEnum",
    "GuardContentQualifierEnum",
    "ImageFormatEnum",
    "RolesEnum",
    "ToolResultStatusEnum",
    "VideoFormatEnum",
]
