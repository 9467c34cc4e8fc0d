"""0.9's path of the message builder; the code lives in ``bestehorn_llmmanager._messages``."""

from ._messages._builder import (
    ConverseMessageBuilder,
    MessageBuilder,
    create_assistant_message,
    create_message,
    create_user_message,
)
from ._messages._detect import FileTypeDetector
from ._messages._enums import (
    DocumentFormatEnum,
    GuardContentQualifierEnum,
    ImageFormatEnum,
    RolesEnum,
    ToolResultStatusEnum,
    VideoFormatEnum,
)

__all__ = [
    "ConverseMessageBuilder",
    "DocumentFormatEnum",
    "FileTypeDetector",
    "GuardContentQualifierEnum",
    "ImageFormatEnum",
    "MessageBuilder",
    "RolesEnum",
    "ToolResultStatusEnum",
    "VideoFormatEnum",
    "create_assistant_message",
    "create_message",
    "create_user_message",
]
