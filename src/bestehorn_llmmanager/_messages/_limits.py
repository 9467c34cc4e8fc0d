"""The message builder's limits, supported formats and message texts: one home for each of them.

Data only, under 0.9's class names (``MessageBuilderConfig``, ``SupportedFormats``, ...), so code
that read these constants from ``bestehorn_llmmanager.message_builder_constants`` keeps working.
The error texts keep 0.9's placeholders and add the fix. No I/O, no logic beyond formatting.
"""

from __future__ import annotations

from typing import Final

from ._enums import DocumentFormatEnum, ImageFormatEnum, VideoFormatEnum

__all__ = [
    "MessageBuilderConfig",
    "MessageBuilderErrorMessages",
    "MessageBuilderFields",
    "MessageBuilderLogMessages",
    "SupportedFormats",
]


class MessageBuilderFields:
    """Names of the builder's detection facts, as 0.9 named them."""

    ROLE: Final[str] = "role"
    CONTENT_BLOCKS: Final[str] = "content_blocks"
    FILENAME: Final[str] = "filename"
    DETECTED_FORMAT: Final[str] = "detected_format"
    DETECTION_METHOD: Final[str] = "detection_method"
    CONFIDENCE: Final[str] = "confidence"


class MessageBuilderConfig:
    """The builder's limits (0.9's values).

    The byte limits are Bedrock's inline-bytes limits for one block;
    ``MAX_CONTENT_BLOCKS_PER_MESSAGE`` is the builder's own guard against runaway loops. A block or
    a message at 80 % of its limit logs a WARNING.
    """

    DEFAULT_DETECTION_CONFIDENCE: Final[float] = 0.95
    MIN_DETECTION_CONFIDENCE: Final[float] = 0.5
    MAX_CONTENT_BLOCKS_PER_MESSAGE: Final[int] = 100

    MAX_IMAGE_SIZE_BYTES: Final[int] = 3_750_000  # 3.75 MB
    MAX_DOCUMENT_SIZE_BYTES: Final[int] = 4_500_000  # 4.5 MB
    MAX_VIDEO_SIZE_BYTES: Final[int] = 100_000_000  # 100 MB

    MAGIC_BYTES_READ_SIZE: Final[int] = 32
    EXTENSION_DETECTION_ENABLED: Final[bool] = True
    CONTENT_DETECTION_ENABLED: Final[bool] = True

    #: Share of a limit at which the builder warns that a block or message is close to it.
    WARNING_RATIO: Final[float] = 0.8


class MessageBuilderLogMessages:
    """Log texts of the builder."""

    AUTO_DETECTION_SUCCESS: Final[str] = (
        "Auto-detected file type for '{filename}': {detected_type} "
        "(method: {method}, confidence: {confidence:.2f})"
    )
    AUTO_DETECTION_FALLBACK: Final[str] = (
        "Using fallback detection for '{filename}': {detected_type} (confidence: {confidence:.2f})"
    )
    DETECTION_MISMATCH: Final[str] = (
        "Format mismatch for '{filename}': extension suggests {ext_type}, content suggests "
        "{content_type}, using {final_type} (the content); rename the file or pass format= "
        "to silence this"
    )
    DETECTION_LOW_CONFIDENCE: Final[str] = (
        "Low confidence detection for '{filename}': {detected_type} (confidence: {confidence:.2f})"
    )
    MESSAGE_BUILD_STARTED: Final[str] = (
        "Building message with role '{role}' and {block_count} content blocks"
    )
    MESSAGE_BUILD_COMPLETED: Final[str] = (
        "Message built successfully with {block_count} content blocks"
    )
    CONTENT_BLOCK_ADDED: Final[str] = "Added {content_type} content block (size: {size} bytes)"
    CONTENT_SIZE_WARNING: Final[str] = (
        "Content size ({size} bytes) approaching limit ({limit} bytes) for {content_type}"
    )
    CONTENT_BLOCK_LIMIT_WARNING: Final[str] = (
        "Content block count ({count}) approaching limit ({limit})"
    )


class MessageBuilderErrorMessages:
    """Error texts of the builder; each names the problem and the fix."""

    INVALID_ROLE: Final[str] = "Invalid role specified: {role}. Must be one of: {valid_roles}"
    EMPTY_CONTENT: Final[str] = (
        "Content cannot be empty for {content_type}; pass non-empty, non-whitespace content"
    )
    INVALID_CONTENT_TYPE: Final[str] = "Invalid content type: {content_type}"
    INVALID_FORMAT: Final[str] = (
        "Invalid {content_type} format: {format}. Supported formats: {supported_formats}"
    )
    CONTENT_SIZE_EXCEEDED: Final[str] = (
        "{content_type} size limit exceeded: {size} bytes > {limit} bytes; shrink or compress "
        "the file, or upload it to S3 and use the add_*_s3 method"
    )
    CONTENT_BLOCK_LIMIT_EXCEEDED: Final[str] = (
        "Content block limit exceeded: cannot add more than {limit} blocks to one message; "
        "split the content across several messages"
    )
    DETECTION_FAILED: Final[str] = (
        "Detection failed for {filename}: {error}; pass format= explicitly"
    )
    UNSUPPORTED_FORMAT: Final[str] = (
        "Unsupported format detected: {format} for {content_type}; convert the file to a "
        "supported format or pass format= explicitly"
    )
    DETECTION_CONFIDENCE_LOW: Final[str] = (
        "Detection confidence too low ({confidence:.2f}) for {filename}. "
        "Minimum required: {min_confidence:.2f}"
    )
    BUILD_VALIDATION_FAILED: Final[str] = "Message build validation failed: {errors}"
    NO_CONTENT_BLOCKS: Final[str] = (
        "Cannot build message without content blocks; add at least one (e.g. add_text(...))"
    )


class SupportedFormats:
    """The formats Bedrock accepts per media kind (derived from the enums: one home)."""

    IMAGE_FORMATS: Final[list[str]] = [f.value for f in ImageFormatEnum]
    DOCUMENT_FORMATS: Final[list[str]] = [f.value for f in DocumentFormatEnum]
    VIDEO_FORMATS: Final[list[str]] = [f.value for f in VideoFormatEnum]

    @classmethod
    def get_all_supported_formats(cls) -> dict[str, list[str]]:
        """The supported formats keyed by ``"image"``, ``"document"`` and ``"video"``."""
        return {
            "image": list(cls.IMAGE_FORMATS),
            "document": list(cls.DOCUMENT_FORMATS),
            "video": list(cls.VIDEO_FORMATS),
        }
