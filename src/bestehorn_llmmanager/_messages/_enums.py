"""The message builder's vocabularies, with 0.9's member names and the wire values Converse uses.

Data only: no I/O, no imports of the package. Every enum is a ``str`` enum, so a member compares
equal to its wire string and can be passed where Converse expects that string. ``str()`` of a
member is what it was in 0.9: the wire value for roles, tool statuses, TTLs and qualifiers, the
``Class.MEMBER`` form for the format and detection enums.
"""

from __future__ import annotations

from enum import Enum

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


class _WireEnum(str, Enum):
    """A ``str`` enum whose ``str()`` is its wire value."""

    def __str__(self) -> str:
        return str(self.value)


class RolesEnum(_WireEnum):
    """The role of a Converse message."""

    USER = "user"
    ASSISTANT = "assistant"


class ImageFormatEnum(str, Enum):
    """``ImageBlock.format`` values."""

    JPEG = "jpeg"
    PNG = "png"
    GIF = "gif"
    WEBP = "webp"


class DocumentFormatEnum(str, Enum):
    """``DocumentBlock.format`` values."""

    PDF = "pdf"
    CSV = "csv"
    DOC = "doc"
    DOCX = "docx"
    XLS = "xls"
    XLSX = "xlsx"
    HTML = "html"
    TXT = "txt"
    MD = "md"


class VideoFormatEnum(str, Enum):
    """``VideoBlock.format`` values, exactly Bedrock's set (no ``avi``: Bedrock rejects it)."""

    MP4 = "mp4"
    MOV = "mov"
    WEBM = "webm"
    MKV = "mkv"
    FLV = "flv"
    MPEG = "mpeg"
    MPG = "mpg"
    WMV = "wmv"
    THREE_GP = "three_gp"


class DetectionMethodEnum(str, Enum):
    """How the file type detector reached its answer."""

    EXTENSION = "extension"
    CONTENT = "content"
    COMBINED = "combined"
    MANUAL = "manual"


class ToolResultStatusEnum(_WireEnum):
    """``ToolResultBlock.status`` values: did the tool call succeed."""

    SUCCESS = "success"
    ERROR = "error"


class CachePointTTLEnum(_WireEnum):
    """``CachePointBlock.ttl`` values: five minutes or one hour."""

    FIVE_MINUTES = "5m"
    ONE_HOUR = "1h"


class GuardContentQualifierEnum(_WireEnum):
    """``GuardrailConverseTextBlock.qualifiers`` values."""

    GROUNDING_SOURCE = "grounding_source"
    QUERY = "query"
    GUARD_CONTENT = "guard_content"
