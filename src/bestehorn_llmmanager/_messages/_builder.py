"""The fluent message builder: one Converse message, block by block, checked as it is built.

``MessageBuilder`` (0.9's ``ConverseMessageBuilder``) turns text, bytes, local files, S3 objects,
cache points, guard content, tool calls, tool results and reasoning into the exact dict the
Converse API accepts. It validates what Bedrock would reject (sizes, formats, names, values) with
an error that names the limit and the fix, and detects file formats with ``FileTypeDetector``.
It reads local files when asked to; it never calls AWS and never imports boto3.
"""

from __future__ import annotations

import copy
import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .._content import build_cache_point
from .._errors import RequestValidationError
from ._detect import DetectionResult, FileTypeDetector, content_format, same_format
from ._enums import (
    DocumentFormatEnum,
    GuardContentQualifierEnum,
    ImageFormatEnum,
    RolesEnum,
    ToolResultStatusEnum,
    VideoFormatEnum,
)
from ._limits import MessageBuilderConfig, MessageBuilderErrorMessages, MessageBuilderLogMessages

__all__ = [
    "ConverseMessageBuilder",
    "MessageBuilder",
    "create_assistant_message",
    "create_message",
    "create_user_message",
]

logger = logging.getLogger(__name__)

_FormatT = TypeVar("_FormatT", ImageFormatEnum, DocumentFormatEnum, VideoFormatEnum)

#: What Bedrock allows in ``DocumentBlock.name``: letters, digits, single spaces, hyphens,
#: parentheses and square brackets, 1 to 200 characters.
_DOCUMENT_NAME = re.compile(r"^(?!.*\s\s)[A-Za-z0-9\s\-()\[\]]{1,200}$")
_NOT_IN_DOCUMENT_NAME = re.compile(r"[^A-Za-z0-9\s\-()\[\]]+")
_S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]/.+")

_MIB = 1024 * 1024


def _invalid(message: str, field: str) -> RequestValidationError:
    return RequestValidationError(message, validation_errors=[message], invalid_fields=[field])


def _require_text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid(MessageBuilderErrorMessages.EMPTY_CONTENT.format(content_type=what), what)
    return value


def _document_name_from(filename: str) -> str:
    """A ``DocumentBlock.name`` Bedrock accepts, from a file name (``"Q3 report.v2.pdf"`` ->
    ``"Q3 report-v2"``): the stem, with each run of other characters turned into one hyphen."""
    stem = Path(filename).stem if Path(filename).suffix else filename
    name = _NOT_IN_DOCUMENT_NAME.sub("-", stem)
    name = re.sub(r"\s+", " ", name).strip(" -")[:200].strip()
    return name or "document"


class MessageBuilder:
    """Builds one Converse message with a fluent interface (0.9's ``ConverseMessageBuilder``).

    Example::

        message = (
            create_user_message()
            .add_text("What is in this picture?")
            .add_local_image("photo.jpg")
            .build()
        )

    Every ``add_*`` method validates its block and returns the builder; :meth:`build` returns
    ``{"role": ..., "content": [...]}``, ready for ``LLMManager.converse(messages=[...])`` or
    boto3's ``converse``. Errors are :class:`RequestValidationError` (``FileNotFoundError`` for a
    missing local file).

    Args:
        role: ``RolesEnum.USER`` or ``RolesEnum.ASSISTANT`` (or their strings).
        cache_config: accepted as in 0.9 and kept; the manager's ``cache_config`` places cache
            points, this builder adds only the explicit ones (:meth:`add_cache_point`).
    """

    def __init__(self, role: RolesEnum | str, cache_config: Any | None = None) -> None:
        try:
            self._role = RolesEnum(role)
        except ValueError:
            raise _invalid(
                f"Invalid role {role!r}; use one of: "
                + ", ".join(f"RolesEnum.{r.name} ({r.value!r})" for r in RolesEnum),
                "role",
            ) from None
        self._cache_config = cache_config
        self._blocks: list[dict[str, Any]] = []
        self._detector = FileTypeDetector()

    # -- properties -------------------------------------------------------------------------

    @property
    def role(self) -> RolesEnum:
        """The message's role."""
        return self._role

    @property
    def content_block_count(self) -> int:
        """How many content blocks the message holds so far."""
        return len(self._blocks)

    def __str__(self) -> str:
        return f"{type(self).__name__}(role={self._role.value}, content_blocks={len(self._blocks)})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(role={self._role.value}, content_blocks={len(self._blocks)}, "
            f"detector={type(self._detector).__name__})"
        )

    # -- text and media ---------------------------------------------------------------------

    def add_text(self, text: str, cacheable: bool | None = None) -> MessageBuilder:
        """Add a ``text`` block, stripped of surrounding whitespace as 0.9 documented.

        The strip is kept on purpose: Claude models reject an assistant turn that ends in
        whitespace, and 0.9 callers rely on it. Whitespace inside the text is kept.

        Args:
            text: the text; must not be empty or only whitespace.
            cacheable: 0.9's caching hint; accepted, and has no effect on the block (as in 0.9).
        """
        stripped = _require_text(text, "text").strip()
        return self._append({"text": stripped}, "text", len(stripped.encode("utf-8")))

    def add_image_bytes(
        self,
        bytes: bytes,
        format: ImageFormatEnum | str | None = None,
        filename: str | None = None,
        cacheable: bool | None = None,
    ) -> MessageBuilder:
        """Add an ``image`` block from bytes (at most 3.75 MB); the format is detected if omitted.

        Raises:
            RequestValidationError: empty or oversized bytes, an unsupported or undetectable
                format, or content that is not an image.
        """
        data = self._media_bytes(bytes, "image", MessageBuilderConfig.MAX_IMAGE_SIZE_BYTES)
        fmt = self._format(format, ImageFormatEnum, data, filename, "image")
        return self._append(
            {"image": {"format": fmt.value, "source": {"bytes": data}}},
            f"image ({fmt.value})",
            len(data),
        )

    def add_document_bytes(
        self,
        bytes: bytes,
        format: DocumentFormatEnum | str | None = None,
        filename: str | None = None,
        name: str | None = None,
        citations_enabled: bool = False,
        context: str | None = None,
    ) -> MessageBuilder:
        """Add a ``document`` block from bytes (at most 4.5 MB); the format is detected if omitted.

        Bedrock requires a document name of letters, digits, single spaces, hyphens, parentheses
        and brackets. ``name`` must be such a name; without it the name comes from ``filename``
        (``"report.v2.pdf"`` -> ``"report-v2"``), or is ``"document-N"`` for the N-th document.

        Args:
            citations_enabled: ask the model for ``citationsContent`` citing this document.
            context: how the model should use the document when citing it.
        """
        data = self._media_bytes(bytes, "document", MessageBuilderConfig.MAX_DOCUMENT_SIZE_BYTES)
        fmt = self._format(format, DocumentFormatEnum, data, filename, "document")
        document: dict[str, Any] = {
            "format": fmt.value,
            "name": self._document_name(name, filename),
            "source": {"bytes": data},
        }
        self._document_options(document, citations_enabled, context)
        return self._append({"document": document}, f"document ({fmt.value})", len(data))

    def add_video_bytes(
        self,
        bytes: bytes,
        format: VideoFormatEnum | str | None = None,
        filename: str | None = None,
    ) -> MessageBuilder:
        """Add a ``video`` block from bytes (at most 100 MB); the format is detected if omitted."""
        data = self._media_bytes(bytes, "video", MessageBuilderConfig.MAX_VIDEO_SIZE_BYTES)
        fmt = self._format(format, VideoFormatEnum, data, filename, "video")
        return self._append(
            {"video": {"format": fmt.value, "source": {"bytes": data}}},
            f"video ({fmt.value})",
            len(data),
        )

    def add_local_image(
        self,
        path_to_local_file: str | os.PathLike[str],
        format: ImageFormatEnum | str | None = None,
        max_size_mb: float = 3.75,
    ) -> MessageBuilder:
        """Add an image from a local file (see :meth:`add_image_bytes`).

        Raises:
            FileNotFoundError: no such file.
            RequestValidationError: not a file, unreadable, larger than ``max_size_mb`` MiB, or
                rejected by :meth:`add_image_bytes`.
        """
        path, data = self._read_local(path_to_local_file, "image", max_size_mb)
        return self.add_image_bytes(data, format=format, filename=path.name)

    def add_local_document(
        self,
        path_to_local_file: str | os.PathLike[str],
        format: DocumentFormatEnum | str | None = None,
        name: str | None = None,
        max_size_mb: float = 4.5,
        citations_enabled: bool = False,
        context: str | None = None,
    ) -> MessageBuilder:
        """Add a document from a local file (see :meth:`add_document_bytes`)."""
        path, data = self._read_local(path_to_local_file, "document", max_size_mb)
        return self.add_document_bytes(
            data,
            format=format,
            filename=path.name,
            name=name,
            citations_enabled=citations_enabled,
            context=context,
        )

    def add_local_video(
        self,
        path_to_local_file: str | os.PathLike[str],
        format: VideoFormatEnum | str | None = None,
        max_size_mb: float = 100.0,
    ) -> MessageBuilder:
        """Add a video from a local file (see :meth:`add_video_bytes`)."""
        path, data = self._read_local(path_to_local_file, "video", max_size_mb)
        return self.add_video_bytes(data, format=format, filename=path.name)

    # -- S3 sources ---------------------------------------------------------------------------

    def add_image_s3(
        self,
        uri: str,
        format: ImageFormatEnum | str,
        bucket_owner: str | None = None,
    ) -> MessageBuilder:
        """Add an image Bedrock reads from S3; ``format`` is required (nothing is downloaded).

        Args:
            uri: ``s3://bucket/key``.
            bucket_owner: the 12-digit account id owning the bucket, for a bucket of another
                account (the caller's role needs ``s3:GetObject`` on the object).
        """
        fmt = self._explicit_format(format, ImageFormatEnum, "image")
        source = _s3_source(uri, bucket_owner, "image")
        return self._append({"image": {"format": fmt.value, "source": source}}, "image-s3", 0)

    def add_document_s3(
        self,
        uri: str,
        format: DocumentFormatEnum | str,
        name: str | None = None,
        bucket_owner: str | None = None,
        citations_enabled: bool = False,
        context: str | None = None,
    ) -> MessageBuilder:
        """Add a document Bedrock reads from S3 (see :meth:`add_image_s3`); ``name`` as in
        :meth:`add_document_bytes`, defaulting to the object key's file name."""
        fmt = self._explicit_format(format, DocumentFormatEnum, "document")
        source = _s3_source(uri, bucket_owner, "document")
        document: dict[str, Any] = {
            "format": fmt.value,
            "name": self._document_name(name, uri.rsplit("/", 1)[-1]),
            "source": source,
        }
        self._document_options(document, citations_enabled, context)
        return self._append({"document": document}, "document-s3", 0)

    def add_video_s3(
        self,
        uri: str,
        format: VideoFormatEnum | str,
        bucket_owner: str | None = None,
    ) -> MessageBuilder:
        """Add a video Bedrock reads from S3 (see :meth:`add_image_s3`)."""
        fmt = self._explicit_format(format, VideoFormatEnum, "video")
        source = _s3_source(uri, bucket_owner, "video")
        return self._append({"video": {"format": fmt.value, "source": source}}, "video-s3", 0)

    # -- control blocks -----------------------------------------------------------------------

    def add_cache_point(
        self, cache_type: str = "default", ttl: str | None = None
    ) -> MessageBuilder:
        """Mark the content so far as a cacheable prefix (a ``cachePoint`` block).

        Args:
            cache_type: only ``"default"``.
            ttl: ``"5m"`` or ``"1h"`` (``CachePointTTLEnum``); omitted, Bedrock's default applies.

        Raises:
            RequestValidationError: no block precedes it, or a bad type or ttl.
        """
        if not self._blocks:
            raise _invalid(
                "Cannot add cache point without any preceding content blocks; add the content "
                "to cache first, then add_cache_point()",
                "cachePoint",
            )
        return self._append(build_cache_point(cache_type=cache_type, ttl=ttl), "cache point", 0)

    def add_guard_content(
        self, text: str, qualifiers: Sequence[str] | None = None
    ) -> MessageBuilder:
        """Add a ``guardContent`` block: text the guardrail assesses, with optional qualifiers
        (``GuardContentQualifierEnum``: grounding_source, query, guard_content)."""
        _require_text(text, "guard_content")
        guard: dict[str, Any] = {"text": text}
        if qualifiers is not None:
            if isinstance(qualifiers, str):
                qualifiers = [qualifiers]
            valid = [q.value for q in GuardContentQualifierEnum]
            invalid = [q for q in qualifiers if getattr(q, "value", q) not in valid]
            if invalid:
                raise _invalid(
                    f"Invalid guard_content qualifier(s) {invalid}. Valid values are: "
                    f"{', '.join(valid)} (GuardContentQualifierEnum)",
                    "qualifiers",
                )
            guard["qualifiers"] = [str(getattr(q, "value", q)) for q in qualifiers]
        return self._append({"guardContent": {"text": guard}}, "guard_content", len(text))

    def add_tool_use(self, tool_use_id: str, name: str, input: Mapping[str, Any]) -> MessageBuilder:
        """Add a ``toolUse`` block: replay the model's tool call in an assistant turn.

        Raises:
            RequestValidationError: an empty id or name, or an ``input`` that is not a dict.
        """
        _require_text(tool_use_id, "tool_use_id")
        _require_text(name, "tool name")
        if not isinstance(input, Mapping):
            raise _invalid(
                "Invalid content type: tool input must be a JSON object (a dict), got "
                f"{type(input).__name__}; wrap the value, e.g. {{'value': ...}}",
                "input",
            )
        block = {"toolUse": {"toolUseId": tool_use_id, "name": name, "input": dict(input)}}
        return self._append(block, f"tool_use ({name})", 0)

    def add_tool_result(
        self,
        tool_use_id: str,
        content: str | Mapping[str, Any] | Sequence[Mapping[str, Any]],
        status: ToolResultStatusEnum | str | None = None,
    ) -> MessageBuilder:
        """Add a ``toolResult`` block answering the ``toolUse`` with ``tool_use_id``.

        Args:
            content: a ``str`` (one ``text`` block), a ``dict`` (one ``json`` block), or a list
                of ready ``ToolResultContentBlock`` dicts, passed through.
            status: ``"success"`` or ``"error"`` (``ToolResultStatusEnum``).
        """
        _require_text(tool_use_id, "tool_use_id")
        result: dict[str, Any] = {
            "toolUseId": tool_use_id,
            "content": _tool_result_content(content),
        }
        if status is not None:
            try:
                result["status"] = ToolResultStatusEnum(status).value
            except ValueError:
                valid = ", ".join(s.value for s in ToolResultStatusEnum)
                raise _invalid(
                    f"Invalid tool_result status {status!r}. Valid values are: {valid} "
                    "(ToolResultStatusEnum)",
                    "status",
                ) from None
        return self._append({"toolResult": result}, "tool_result", 0)

    def add_reasoning_content(
        self,
        text: str | None = None,
        signature: str | None = None,
        redacted_content: Any | None = None,
    ) -> MessageBuilder:
        """Add a ``reasoningContent`` block: the model's reasoning, echoed back unmodified.

        Pass ``text`` with the ``signature`` the model returned (both exactly as received), or
        ``redacted_content`` for an encrypted block. ``ReasoningContent.to_content_block()`` of
        a response gives the same block.
        """
        if text is None and redacted_content is None:
            raise _invalid(
                MessageBuilderErrorMessages.EMPTY_CONTENT.format(
                    content_type="reasoning_content (text or redacted_content required)"
                ),
                "reasoningContent",
            )
        if text is not None and redacted_content is not None:
            # One block holds one of the two (a union); 0.9 kept the text, and so do we.
            logger.warning(
                "add_reasoning_content got both text and redacted_content; a reasoningContent "
                "block holds one of them, so the text is sent and redacted_content is dropped. "
                "Add the redacted block with a second add_reasoning_content call."
            )
        elif text is None and signature is not None:
            logger.warning(
                "add_reasoning_content got a signature without text; only reasoning text carries "
                "a signature, so it is dropped and the redacted content is sent."
            )
        if text is not None:
            _require_text(text, "reasoning text")
            reasoning_text: dict[str, Any] = {"text": text}
            if signature is not None:
                reasoning_text["signature"] = signature
            inner: dict[str, Any] = {"reasoningText": reasoning_text}
        else:
            inner = {"redactedContent": redacted_content}
        return self._append({"reasoningContent": inner}, "reasoning_content", 0)

    # -- build --------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        """The message: ``{"role": "user" | "assistant", "content": [blocks...]}``.

        Each call returns a new dict whose blocks are copies, so changing one built message
        changes neither the builder nor another built message.

        Raises:
            RequestValidationError: the message has no content block.
        """
        if not self._blocks:
            raise _invalid(MessageBuilderErrorMessages.NO_CONTENT_BLOCKS, "content")
        logger.debug(
            MessageBuilderLogMessages.MESSAGE_BUILD_COMPLETED.format(block_count=len(self._blocks))
        )
        return {"role": self._role.value, "content": copy.deepcopy(self._blocks)}

    # -- internals ----------------------------------------------------------------------------

    def _append(self, block: dict[str, Any], what: str, size: int) -> MessageBuilder:
        limit = MessageBuilderConfig.MAX_CONTENT_BLOCKS_PER_MESSAGE
        if len(self._blocks) >= limit:
            raise _invalid(
                MessageBuilderErrorMessages.CONTENT_BLOCK_LIMIT_EXCEEDED.format(limit=limit),
                "content",
            )
        self._blocks.append(block)
        if len(self._blocks) == int(limit * MessageBuilderConfig.WARNING_RATIO):
            logger.warning(
                MessageBuilderLogMessages.CONTENT_BLOCK_LIMIT_WARNING.format(
                    count=len(self._blocks), limit=limit
                )
            )
        logger.debug(
            MessageBuilderLogMessages.CONTENT_BLOCK_ADDED.format(content_type=what, size=size)
        )
        return self

    @staticmethod
    def _media_bytes(data: object, kind: str, limit: int) -> bytes:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise _invalid(
                f"Invalid content type: {kind} content must be bytes, got {type(data).__name__}; "
                f"for a file on disk use add_local_{kind}(path)",
                "bytes",
            )
        if not data:
            raise _invalid(
                MessageBuilderErrorMessages.EMPTY_CONTENT.format(content_type=kind), "bytes"
            )
        size = len(data)
        if size > limit:
            raise _invalid(
                MessageBuilderErrorMessages.CONTENT_SIZE_EXCEEDED.format(
                    content_type=kind, size=size, limit=limit
                ),
                "bytes",
            )
        if size >= int(limit * MessageBuilderConfig.WARNING_RATIO):
            logger.warning(
                MessageBuilderLogMessages.CONTENT_SIZE_WARNING.format(
                    size=size, limit=limit, content_type=kind
                )
            )
        return bytes(data)

    @staticmethod
    def _explicit_format(value: object, enum: type[_FormatT], kind: str) -> _FormatT:
        try:
            return enum(value)
        except ValueError:
            supported = ", ".join(m.value for m in enum)
            raise _invalid(
                MessageBuilderErrorMessages.INVALID_FORMAT.format(
                    content_type=kind, format=value, supported_formats=supported
                )
                + f" (use {enum.__name__})",
                "format",
            ) from None

    def _format(
        self, value: object, enum: type[_FormatT], data: bytes, filename: str | None, kind: str
    ) -> _FormatT:
        if value is not None:
            explicit = self._explicit_format(value, enum, kind)
            found = content_format(data)
            if found is not None and not same_format(found[1], explicit.value):
                # The caller's format is sent as given; Bedrock decodes by it and may refuse.
                logger.warning(
                    "format=%s was given for '%s', but the content is %s %s (%s); "
                    "Bedrock decodes it as %s and may refuse it. Pass format=None to detect it.",
                    explicit.value,
                    filename or "unnamed_file",
                    found[0],
                    found[1],
                    found[2],
                    explicit.value,
                )
            return explicit
        detect = {
            "image": self._detector.detect_image_format,
            "document": self._detector.detect_document_format,
            "video": self._detector.detect_video_format,
        }[kind]
        result: DetectionResult = detect(data, filename)
        label = filename or "unnamed_file"
        if not result.is_successful:
            raise _invalid(
                MessageBuilderErrorMessages.DETECTION_FAILED.format(
                    filename=label, error=result.error_message
                ),
                "format",
            )
        logger.info(
            MessageBuilderLogMessages.AUTO_DETECTION_SUCCESS.format(
                filename=label,
                detected_type=result.detected_format,
                method=result.detection_method.value,
                confidence=result.confidence,
            )
        )
        return enum(result.detected_format)

    def _document_name(self, name: str | None, filename: str | None) -> str:
        if name:
            if not _DOCUMENT_NAME.match(name):
                raise _invalid(
                    f"Invalid document name {name!r}: Bedrock allows only letters, digits, single "
                    "spaces, hyphens, parentheses and square brackets (1-200 characters); for "
                    f"example {_document_name_from(name)!r}",
                    "name",
                )
            return name
        if filename:
            return _document_name_from(filename)
        count = sum(1 for b in self._blocks if "document" in b) + 1
        return f"document-{count}"

    @staticmethod
    def _document_options(
        document: dict[str, Any], citations_enabled: bool, context: str | None
    ) -> None:
        if citations_enabled:
            document["citations"] = {"enabled": True}
        if context is not None:
            document["context"] = context

    @staticmethod
    def _read_local(
        path_like: str | os.PathLike[str], kind: str, max_size_mb: float
    ) -> tuple[Path, bytes]:
        path = Path(path_like)
        if not path.exists():
            raise FileNotFoundError(f"{kind.capitalize()} file not found: {path}")
        if not path.is_file():
            raise _invalid(f"Path is not a file: {path}; pass the path of a {kind} file", "path")
        size = path.stat().st_size
        limit = int(max_size_mb * _MIB)
        if size > limit:
            raise _invalid(
                MessageBuilderErrorMessages.CONTENT_SIZE_EXCEEDED.format(
                    content_type=kind, size=size, limit=limit
                )
                + f" (max_size_mb={max_size_mb} for {path.name})",
                "path",
            )
        try:
            return path, path.read_bytes()
        except OSError as exc:
            raise _invalid(f"Failed to read {kind} file {path}: {exc}", "path") from exc


def _s3_source(uri: object, bucket_owner: str | None, kind: str) -> dict[str, Any]:
    if not isinstance(uri, str) or not _S3_URI.match(uri):
        raise _invalid(
            f"Invalid content type: {kind} S3 URI must look like 's3://bucket/key', got {uri!r}",
            "uri",
        )
    location: dict[str, Any] = {"uri": uri}
    if bucket_owner is not None:
        if not (
            isinstance(bucket_owner, str) and len(bucket_owner) == 12 and bucket_owner.isdigit()
        ):
            # The value is not echoed: it is meant to be an account id.
            raise _invalid(
                "Invalid content type: bucket_owner must be the 12-digit AWS account id of the "
                "bucket's owner (digits only, no dashes)",
                "bucket_owner",
            )
        location["bucketOwner"] = bucket_owner
    return {"s3Location": location}


def _tool_result_content(
    content: str | Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"text": _require_text(content, "tool_result")}]
    if isinstance(content, Mapping):
        return [{"json": dict(content)}]
    if isinstance(content, Sequence) and not isinstance(content, (bytes, bytearray)):
        if not content:
            raise _invalid(
                MessageBuilderErrorMessages.EMPTY_CONTENT.format(content_type="tool_result"),
                "content",
            )
        blocks: list[dict[str, Any]] = []
        for block in content:
            if not isinstance(block, Mapping) or len(block) != 1:
                raise _invalid(
                    "Invalid content type: each tool_result content block must be a dict with "
                    "one key (text, json, image, document, video), got "
                    f"{block!r:.80}",
                    "content",
                )
            blocks.append(dict(block))
        return blocks
    raise _invalid(
        "Invalid content type: tool_result content (expected str, dict, or list, got "
        f"{type(content).__name__})",
        "content",
    )


#: 0.9's class name.
ConverseMessageBuilder = MessageBuilder


def create_message(role: RolesEnum | str, cache_config: Any | None = None) -> MessageBuilder:
    """A new :class:`MessageBuilder` for ``role``."""
    return MessageBuilder(role=role, cache_config=cache_config)


def create_user_message(cache_config: Any | None = None) -> MessageBuilder:
    """A new :class:`MessageBuilder` for a user message."""
    return MessageBuilder(role=RolesEnum.USER, cache_config=cache_config)


def create_assistant_message(cache_config: Any | None = None) -> MessageBuilder:
    """A new :class:`MessageBuilder` for an assistant message."""
    return MessageBuilder(role=RolesEnum.ASSISTANT, cache_config=cache_config)
