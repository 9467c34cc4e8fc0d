"""Typed views of Converse content: what a response holds, and the small blocks a request needs.

This module is the one home for the shapes of ``toolUse``, ``reasoningContent``,
``citationsContent`` and ``usage.cacheDetails``, for the ``stopReason`` vocabulary and for the two
request helpers (``cachePoint`` and ``outputConfig``). It parses and builds plain Converse dicts;
it never calls AWS, never imports boto3 and never imports the message builder (the builder imports
this module, not the other way round).

References (AWS Bedrock Runtime API): ``ContentBlock``, ``ToolUseBlock``, ``ReasoningContentBlock``,
``Citation``, ``CacheDetail``, ``CachePointBlock``, ``OutputConfig``, ``StopReason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, cast

from ._errors import RequestValidationError

__all__ = [
    "CacheDetail",
    "Citation",
    "ReasoningContent",
    "ResponseContentType",
    "StopReason",
    "StopReasonCategory",
    "StopReasonClassifier",
    "StopReasonEnum",
    "ToolUse",
    "build_cache_point",
    "build_json_schema_output_config",
    "get_block_type",
    "stop_reason_category",
]

#: ``CachePointBlock.type`` accepts only this value today.
CACHE_POINT_TYPE_DEFAULT = "default"
#: ``CachePointBlock.ttl`` values (the ``CachePointTTLEnum`` values of the message builder).
CACHE_POINT_TTLS = ("5m", "1h")


class ResponseContentType(str, Enum):
    """The member kinds of the Converse ``ContentBlock`` union; each value is the block's key.

    ``UNKNOWN`` stands for a block whose key this library does not know yet (AWS adds members), so
    a new block kind is classified, not rejected.
    """

    TEXT = "text"
    TOOL_USE = "toolUse"
    TOOL_RESULT = "toolResult"
    REASONING_CONTENT = "reasoningContent"
    IMAGE = "image"
    DOCUMENT = "document"
    VIDEO = "video"
    CITATIONS_CONTENT = "citationsContent"
    GUARD_CONTENT = "guardContent"
    CACHE_POINT = "cachePoint"
    AUDIO = "audio"
    SEARCH_RESULT = "searchResult"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def from_block(cls, block: object) -> ResponseContentType:
        """Classify one content block by its union key; a non-dict or unknown block is ``UNKNOWN``.

        Keys are tried in declaration order, so a malformed block holding two keys is classified
        the same way every time.
        """
        if isinstance(block, Mapping):
            for kind in _KNOWN_KINDS:
                if kind.value in block:
                    return kind
        return cls.UNKNOWN


_KNOWN_KINDS = tuple(
    kind for kind in ResponseContentType if kind is not ResponseContentType.UNKNOWN
)


def get_block_type(block: Mapping[str, Any] | None) -> ResponseContentType:
    """Return the kind of ``block``; ``None`` is ``UNKNOWN`` (0.9's helper of the same name)."""
    return ResponseContentType.from_block(block)


def _payload(block: Mapping[str, Any], kind: ResponseContentType) -> Mapping[str, Any]:
    """The value under ``kind``'s key of a whole block, or a ``ValueError`` naming the key."""
    payload = block.get(kind.value) if isinstance(block, Mapping) else None
    if not isinstance(payload, Mapping):
        found = sorted(block) if isinstance(block, Mapping) else type(block).__name__
        raise ValueError(
            f"expected a content block with a {kind.value!r} object, got {found!r}; "
            f"pass one block of the response message's 'content' list"
        )
    return payload


@dataclass(frozen=True, slots=True)
class ToolUse:
    """One tool call the model asks for (a ``toolUse`` block).

    Args:
        tool_use_id: the request's id; echo it on the matching ``toolResult``.
        name: the tool's name.
        input: the tool's arguments, a JSON object.
    """

    tool_use_id: str
    name: str
    input: dict[str, Any]

    @classmethod
    def from_tool_use_block(cls, tool_use_block: Mapping[str, Any]) -> ToolUse:
        """Parse the payload under a block's ``toolUse`` key (0.9's constructor).

        Missing fields read as 0.9 read them: ``""`` for the id and name, ``{}`` for the input.
        An input that is not a JSON object (a ``malformed_tool_use`` answer may carry a string) is
        kept as it came, so nothing the model sent is lost.
        """
        raw = tool_use_block.get("input")
        arguments = dict(raw) if isinstance(raw, Mapping) else (raw if raw else {})
        return cls(
            tool_use_id=tool_use_block.get("toolUseId", ""),
            name=tool_use_block.get("name", ""),
            input=cast("dict[str, Any]", arguments),
        )

    @classmethod
    def from_block(cls, block: Mapping[str, Any]) -> ToolUse:
        """Parse a whole ``{"toolUse": {...}}`` block; ``ValueError`` for another kind."""
        return cls.from_tool_use_block(_payload(block, ResponseContentType.TOOL_USE))

    def to_block(self) -> dict[str, Any]:
        """The ``toolUse`` content block that replays this call in an assistant turn."""
        return {"toolUse": {"toolUseId": self.tool_use_id, "name": self.name, "input": self.input}}


@dataclass(frozen=True, slots=True)
class ReasoningContent:
    """A ``reasoningContent`` block: reasoning text with its signature, or redacted bytes.

    Echo it back unmodified in the next turn (``to_content_block()``): the signature proves the
    text came from the model, and a model with extended thinking rejects a turn that lost it.

    Args:
        text: ``reasoningText.text``; ``None`` for a redacted block.
        signature: ``reasoningText.signature``; ``None`` when the model sent none.
        redacted_content: the ``redactedContent`` bytes; ``None`` for a text block.
    """

    text: str | None = None
    signature: str | None = None
    redacted_content: Any | None = None

    @classmethod
    def from_reasoning_block(cls, reasoning_block: Mapping[str, Any]) -> ReasoningContent:
        """Parse the payload under a block's ``reasoningContent`` key (0.9's constructor)."""
        redacted = reasoning_block.get("redactedContent")
        reasoning_text = reasoning_block.get("reasoningText")
        if isinstance(reasoning_text, Mapping):
            return cls(
                text=reasoning_text.get("text"),
                signature=reasoning_text.get("signature"),
                redacted_content=redacted,
            )
        return cls(redacted_content=redacted)

    @classmethod
    def from_block(cls, block: Mapping[str, Any]) -> ReasoningContent:
        """Parse a whole ``{"reasoningContent": {...}}`` block; ``ValueError`` for another kind."""
        return cls.from_reasoning_block(_payload(block, ResponseContentType.REASONING_CONTENT))

    def to_content_block(self) -> dict[str, Any]:
        """The block to send back in the next turn, text and signature byte for byte.

        Raises:
            ValueError: the value holds neither text nor redacted content.
        """
        if self.text is not None:
            reasoning_text: dict[str, Any] = {"text": self.text}
            if self.signature is not None:
                reasoning_text["signature"] = self.signature
            return {"reasoningContent": {"reasoningText": reasoning_text}}
        if self.redacted_content is not None:
            return {"reasoningContent": {"redactedContent": self.redacted_content}}
        raise ValueError(
            "ReasoningContent has neither text nor redacted_content, so there is no block to "
            "send back; build it from a response block with ReasoningContent.from_block(...)"
        )

    #: The same block under the name the other typed values use.
    to_block = to_content_block


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation of a ``citationsContent`` block: which source, where in it, which spans.

    Args:
        title: the cited document's title, if given.
        source: the source that supplied the content (search results), if given.
        source_content: the cited spans, each a ``CitationSourceContent`` dict (``{"text": ...}``).
            A list, as in 0.9, so existing comparisons with lists keep working.
        location: the ``CitationLocation`` union (characters, pages or chunks), if given.
    """

    title: str | None = None
    source: str | None = None
    source_content: list[dict[str, Any]] = field(default_factory=list)
    location: dict[str, Any] | None = None

    @classmethod
    def from_citation(cls, citation: Mapping[str, Any]) -> Citation:
        """Parse one ``Citation`` object (0.9's constructor); missing fields read as empty."""
        return cls(
            title=citation.get("title"),
            source=citation.get("source"),
            source_content=list(citation.get("sourceContent") or ()),
            location=citation.get("location"),
        )

    @classmethod
    def from_block(cls, block: Mapping[str, Any]) -> list[Citation]:
        """Every citation of a whole ``{"citationsContent": {...}}`` block, in order."""
        payload = _payload(block, ResponseContentType.CITATIONS_CONTENT)
        return [
            cls.from_citation(c) for c in payload.get("citations") or () if isinstance(c, Mapping)
        ]


@dataclass(frozen=True, slots=True)
class CacheDetail:
    """Tokens written to the prompt cache with one TTL (one entry of ``usage.cacheDetails``).

    Args:
        input_tokens: cache-write tokens with this TTL; 0 when absent.
        ttl: ``"5m"`` or ``"1h"``; ``""`` when absent.
    """

    input_tokens: int = 0
    ttl: str = ""

    @classmethod
    def from_cache_detail(cls, cache_detail: Mapping[str, Any]) -> CacheDetail:
        """Parse one ``CacheDetail`` object (0.9's constructor)."""
        return cls(
            input_tokens=int(cache_detail.get("inputTokens", 0) or 0),
            ttl=str(cache_detail.get("ttl", "") or ""),
        )


def _validation_error(message: str, field_name: str) -> RequestValidationError:
    return RequestValidationError(message, validation_errors=[message], invalid_fields=[field_name])


def build_cache_point(
    cache_type: str = CACHE_POINT_TYPE_DEFAULT, ttl: str | None = None
) -> dict[str, Any]:
    """A validated ``{"cachePoint": {"type": ..., "ttl"?: ...}}`` block.

    The same shape is valid as a message content block, a ``system`` block and a ``toolConfig``
    tool, so the builder and the cache-point placement share this one function.

    Args:
        cache_type: only ``"default"`` is valid.
        ttl: ``"5m"`` or ``"1h"`` (or a ``CachePointTTLEnum``); ``None`` leaves the TTL to Bedrock.

    Raises:
        RequestValidationError: ``cache_type`` or ``ttl`` is not a value Bedrock accepts.
    """
    cache_type_value = getattr(cache_type, "value", cache_type)
    if cache_type_value != CACHE_POINT_TYPE_DEFAULT:
        raise _validation_error(
            f"invalid cache point type {cache_type!r}; the only valid type is "
            f"{CACHE_POINT_TYPE_DEFAULT!r} (omit cache_type to use it)",
            "cache_type",
        )
    cache_point: dict[str, Any] = {"type": cache_type_value}
    if ttl is not None:
        # A CachePointTTLEnum member is a str subclass; its value is the wire string.
        ttl_value = getattr(ttl, "value", ttl)
        if ttl_value not in CACHE_POINT_TTLS:
            raise _validation_error(
                f"invalid cache point ttl {ttl!r}; valid values are "
                f"{', '.join(repr(t) for t in CACHE_POINT_TTLS)} (CachePointTTLEnum), "
                "or omit ttl for Bedrock's default",
                "ttl",
            )
        cache_point["ttl"] = ttl_value
    return {"cachePoint": cache_point}


def build_json_schema_output_config(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The Converse ``outputConfig`` that constrains the answer to JSON matching ``schema``.

    Returns ``{"textFormat": {"type": "json_schema", "structure": schema}}`` for
    ``converse(output_config=...)``.

    Raises:
        RequestValidationError: ``schema`` is not a non-empty dict.
    """
    if not isinstance(schema, Mapping) or not schema:
        raise _validation_error(
            "output_config schema must be a non-empty JSON Schema dict (for example "
            f'{{"type": "object", "properties": {{...}}}}), got {type(schema).__name__}'
            + (" (empty)" if isinstance(schema, Mapping) else ""),
            "schema",
        )
    return {"textFormat": {"type": "json_schema", "structure": dict(schema)}}


class StopReason(str, Enum):
    """Every value of the Converse ``stopReason`` (``StopReasonEnum`` in 0.9)."""

    END_TURN = "end_turn"
    TOOL_USE = "tool_use"
    MAX_TOKENS = "max_tokens"
    STOP_SEQUENCE = "stop_sequence"
    GUARDRAIL_INTERVENED = "guardrail_intervened"
    CONTENT_FILTERED = "content_filtered"
    MALFORMED_MODEL_OUTPUT = "malformed_model_output"
    MALFORMED_TOOL_USE = "malformed_tool_use"
    MODEL_CONTEXT_WINDOW_EXCEEDED = "model_context_window_exceeded"

    @property
    def category(self) -> StopReasonCategory:
        """What this stop means for retry and failover."""
        return _CATEGORY_OF[self]


#: 0.9's name for :class:`StopReason`.
StopReasonEnum = StopReason


class StopReasonCategory(str, Enum):
    """What a stop reason means for retry and failover.

    - ``TERMINAL``: a normal end (end_turn, tool_use, stop_sequence, max_tokens); do not retry.
    - ``RETRY_DIFFERENT_TARGET``: the same target will answer the same way (the context window is
      too small, a guardrail or filter intervened); another model or region may not.
    - ``RETRYABLE``: a model glitch (malformed output or tool use); any retry may help.
    - ``UNKNOWN``: absent or a value this library does not know yet.
    """

    TERMINAL = "terminal"
    RETRY_DIFFERENT_TARGET = "retry_different_target"
    RETRYABLE = "retryable"
    UNKNOWN = "unknown"


_CATEGORY_OF: dict[StopReason, StopReasonCategory] = {
    StopReason.END_TURN: StopReasonCategory.TERMINAL,
    StopReason.TOOL_USE: StopReasonCategory.TERMINAL,
    StopReason.STOP_SEQUENCE: StopReasonCategory.TERMINAL,
    StopReason.MAX_TOKENS: StopReasonCategory.TERMINAL,
    StopReason.MODEL_CONTEXT_WINDOW_EXCEEDED: StopReasonCategory.RETRY_DIFFERENT_TARGET,
    StopReason.GUARDRAIL_INTERVENED: StopReasonCategory.RETRY_DIFFERENT_TARGET,
    StopReason.CONTENT_FILTERED: StopReasonCategory.RETRY_DIFFERENT_TARGET,
    StopReason.MALFORMED_MODEL_OUTPUT: StopReasonCategory.RETRYABLE,
    StopReason.MALFORMED_TOOL_USE: StopReasonCategory.RETRYABLE,
}


def stop_reason_category(reason: str | StopReason | None) -> StopReasonCategory:
    """The category of a raw ``stopReason`` string or member; unknown or ``None`` is ``UNKNOWN``."""
    if reason is None:
        return StopReasonCategory.UNKNOWN
    try:
        return _CATEGORY_OF[StopReason(reason)]
    except ValueError:
        return StopReasonCategory.UNKNOWN


class StopReasonClassifier:
    """0.9's classifier, kept for its callers: class methods over :func:`stop_reason_category`."""

    @staticmethod
    def categorize(reason: str | StopReason | None) -> StopReasonCategory:
        """The :class:`StopReasonCategory` of ``reason``."""
        return stop_reason_category(reason)

    @staticmethod
    def is_terminal(reason: str | StopReason | None) -> bool:
        """True for a normal completion (no retry warranted)."""
        return stop_reason_category(reason) is StopReasonCategory.TERMINAL

    @staticmethod
    def is_retryable(reason: str | StopReason | None) -> bool:
        """True when a retry may help: on another target, or on any target."""
        return stop_reason_category(reason) in (
            StopReasonCategory.RETRY_DIFFERENT_TARGET,
            StopReasonCategory.RETRYABLE,
        )
