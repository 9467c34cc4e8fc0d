"""The runtime side of the local Bedrock server: ``Converse`` and ``ConverseStream`` for real boto3
clients, with the catalog's callability rules, AWS error wording and per-region faults; never AWS.

``install(server)`` registers ``POST /model/{modelId}/converse`` and
``POST /model/{modelId}/converse-stream`` on a :class:`tests.bedrock_server.BedrockServer` and
returns a :class:`Runtime` with the runtime's knobs and its call records.

An id is callable from a region only by the catalog rules applied to the server's own world:

- a bare model id (or foundation-model ARN) works where that region's ListFoundationModels lists
  it with ``ON_DEMAND`` (or without ``inferenceTypesSupported``); listed without it, the answer is
  the on-demand ``ValidationException`` (with the U+2019 apostrophe AWS sends);
- a profile id (or inference-profile ARN) works where that region lists the profile;
- anything else is "The provided model identifier is invalid."

Streams are real ``application/vnd.amazon.eventstream`` frames (CRC32 of the prelude and of the
whole message), sent with chunked transfer encoding one frame per chunk. The server's own fault
injection (``server.throttle(region, operation="Converse")`` ...) applies to these routes too;
the :class:`Runtime` adds faults that match a model id, stale-catalog knobs, in-stream errors, and
records which id reached which region (the server's records do not see the model id).
"""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.bedrock_server import BedrockServer, Request, Response, error_response

CONVERSE = "Converse"
CONVERSE_STREAM = "ConverseStream"

#: The wording AWS uses, verbatim (note the U+2019 apostrophe).
ON_DEMAND_MESSAGE = (
    "Invocation of model ID {model_id} with on-demand throughput isn\u2019t supported. Retry your "
    "request with the ID or ARN of an inference profile that contains this model."
)
INVALID_ID_MESSAGE = "The provided model identifier is invalid."
FIRST_MESSAGE_USER = (
    "A conversation must start with a user message. Try again with a conversation that starts "
    "with a user message."
)

#: Runtime error code -> (HTTP status, AWS's usual message).
RUNTIME_ERRORS: dict[str, tuple[int, str]] = {
    "ThrottlingException": (429, "Too many requests, please wait before trying again."),
    "AccessDeniedException": (
        403,
        "You don't have access to the model with the specified model ID.",
    ),
    "ServiceUnavailableException": (503, "Bedrock is unable to process your request."),
    "InternalServerException": (
        500,
        "The system encountered an unexpected error during processing.",
    ),
    "ModelNotReadyException": (
        429,
        "Model is not ready to serve inference requests. The AWS SDK will automatically retry the "
        "operation up to 5 times.",
    ),
    "ModelTimeoutException": (
        408,
        "Model has timed out in processing the request. Try your request again.",
    ),
    "ModelErrorException": (424, "The model returned an error."),
    "ValidationException": (
        400,
        "Malformed input request, please reformat your input and try again.",
    ),
    "ResourceNotFoundException": (404, "The requested resource was not found."),
    # A request body the service cannot even deserialize (a malformed request).
    "SerializationException": (400, "Start of structure or map found where not expected."),
}


@dataclass(frozen=True)
class RuntimeCall:
    """One Converse/ConverseStream request that reached a region, and how it was answered."""

    region: str
    operation: str
    model_id: str  # URL-decoded, as the client sent it (may be an ARN)
    status: int
    error_code: str | None
    body: Mapping[str, Any]


@dataclass
class _RuntimeFault:
    region: str
    code: str
    message: str | None
    remaining: int | None
    model_id: str | None = None
    operation: str | None = None

    def matches(self, region: str, model_id: str, operation: str) -> bool:
        return (
            (self.remaining is None or self.remaining > 0)
            and self.region == region
            and (self.model_id is None or self.model_id == model_id)
            and (self.operation is None or self.operation == operation)
        )


@dataclass
class _StreamFault:
    region: str
    after_events: int
    exception_type: str
    message: str
    remaining: int | None
    model_id: str | None = None
    # "exception": an exception frame; "corrupt": a frame whose message CRC is wrong; "stall":
    # nothing for ``stall_seconds`` (past the client's read timeout), then the end of the body;
    # "cut": half a frame, then the end of the body.
    mode: str = "exception"
    stall_seconds: float = 0.0


@dataclass
class _Index:
    """One region's callable ids, derived from its world."""

    models: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    profiles: set[str] = field(default_factory=set)


class Runtime:
    """The runtime routes' state: knobs, faults and records. Thread-safe."""

    def __init__(self, server: BedrockServer) -> None:
        self.server = server
        self._lock = threading.Lock()
        self._calls: list[RuntimeCall] = []
        self._faults: list[_RuntimeFault] = []
        self._stream_faults: list[_StreamFault] = []
        self._needs_profile: set[tuple[str, str]] = set()
        self._gone: set[tuple[str, str]] = set()
        self._indexes: dict[str, _Index] = {}
        self.reply = "Hello from {model_id} in {region}."
        #: When set, Converse answers with ``answer(request_body)`` -> (assistant content blocks,
        #: stopReason) instead of ``reply``: toolUse and reasoningContent turns for builder tests.
        self.answer: Callable[[Mapping[str, Any]], tuple[list[dict[str, Any]], str]] | None = None
        #: Merged into every answer's ``usage`` (e.g. cacheReadInputTokens, cacheDetails).
        self.usage_extra: dict[str, Any] = {}

    # knobs ------------------------------------------------------------------------------------

    def fail(
        self,
        region: str,
        code: str,
        message: str | None = None,
        *,
        times: int | None = None,
        model_id: str | None = None,
        operation: str | None = None,
    ) -> None:
        """Answer ``code`` (AWS status and wording) to matching calls; ``times`` None: always."""
        if code not in RUNTIME_ERRORS:
            raise ValueError(f"unknown runtime error code {code!r}")
        with self._lock:
            self._faults.append(_RuntimeFault(region, code, message, times, model_id, operation))

    def require_profile(self, region: str, model_id: str) -> None:
        """Stale catalog: the bare ``model_id`` is no longer ON_DEMAND in ``region``."""
        with self._lock:
            self._needs_profile.add((region, model_id))

    def remove(self, region: str, model_id: str) -> None:
        """Stale catalog: ``model_id`` (bare or profile) is no longer known in ``region``."""
        with self._lock:
            self._gone.add((region, model_id))

    def stream_error(
        self,
        region: str,
        *,
        after_events: int = 2,
        exception_type: str = "throttlingException",
        message: str = "Too many requests, please wait before trying again.",
        times: int | None = 1,
        model_id: str | None = None,
    ) -> None:
        """Send an exception frame after ``after_events`` events of matching streams, then stop."""
        with self._lock:
            self._stream_faults.append(
                _StreamFault(region, after_events, exception_type, message, times, model_id)
            )

    def stream_break(
        self,
        region: str,
        mode: str,
        *,
        after_events: int = 0,
        stall_seconds: float = 1.0,
        times: int | None = 1,
    ) -> None:
        """Break matching streams at the transport level after ``after_events`` events:
        ``"corrupt"`` sends a frame with a bad CRC, ``"stall"`` sends nothing for
        ``stall_seconds`` and then ends the body, ``"cut"`` sends half a frame and ends it,
        ``"trickle"`` sends the rest of the stream one byte every ``stall_seconds``."""
        if mode not in ("corrupt", "stall", "cut", "trickle"):
            raise ValueError(f"unknown stream break {mode!r}")
        with self._lock:
            self._stream_faults.append(
                _StreamFault(region, after_events, "", "", times, None, mode, stall_seconds)
            )

    def reset(self) -> None:
        """Forget records, faults and stale-catalog knobs."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self._stream_faults.clear()
            self._needs_profile.clear()
            self._gone.clear()
        self.usage_extra = {}

    # records ----------------------------------------------------------------------------------

    def calls(self, region: str | None = None, operation: str | None = None) -> list[RuntimeCall]:
        """Runtime requests that reached a handler, in arrival order, optionally filtered."""
        with self._lock:
            return [
                c
                for c in self._calls
                if (region is None or c.region == region)
                and (operation is None or c.operation == operation)
            ]

    def targets(self) -> list[tuple[str, str]]:
        """(region, model id) of every runtime call, in arrival order."""
        return [(c.region, c.model_id) for c in self.calls()]

    # handlers ---------------------------------------------------------------------------------

    def _index(self, region: str) -> _Index:
        index = self._indexes.get(region)
        if index is None:
            world = self.server.world[region]
            index = _Index(
                models={str(m.get("modelId")): m for m in world.models},
                profiles={
                    str(p.get("inferenceProfileId"))
                    for p in world.profiles
                    if p.get("status", "ACTIVE") == "ACTIVE"
                },
            )
            self._indexes[region] = index
        return index

    def _refusal(self, region: str, model_id: str) -> tuple[str, str] | None:
        """(code, message) when ``model_id`` is not callable from ``region``, else None."""
        bare, is_profile = _parse_id(model_id)
        if bare is None:
            return "ValidationException", INVALID_ID_MESSAGE
        with self._lock:
            gone = (region, bare) in self._gone
            needs_profile = (region, bare) in self._needs_profile
        if gone:
            return "ValidationException", INVALID_ID_MESSAGE
        index = self._index(region)
        if is_profile or (is_profile is None and bare in index.profiles):
            return None if bare in index.profiles else ("ValidationException", INVALID_ID_MESSAGE)
        summary = index.models.get(bare)
        if summary is None:
            return "ValidationException", INVALID_ID_MESSAGE
        types = summary.get("inferenceTypesSupported")
        if needs_profile or (types is not None and "ON_DEMAND" not in types):
            return "ValidationException", ON_DEMAND_MESSAGE.format(model_id=model_id)
        return None

    def _fault(self, region: str, model_id: str, operation: str) -> tuple[str, str] | None:
        bare, _ = _parse_id(model_id)
        with self._lock:
            for fault in self._faults:
                if fault.matches(region, model_id, operation) or (
                    bare is not None and fault.matches(region, bare, operation)
                ):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault.code, fault.message or RUNTIME_ERRORS[fault.code][1]
        return None

    def _stream_fault(self, region: str, model_id: str) -> _StreamFault | None:
        with self._lock:
            for fault in self._stream_faults:
                if (
                    fault.region == region
                    and (fault.model_id is None or fault.model_id == model_id)
                    and (fault.remaining is None or fault.remaining > 0)
                ):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault
        return None

    def _record(
        self, request: Request, operation: str, model_id: str, status: int, code: str | None
    ) -> None:
        try:
            body = request.json()
        except ValueError:
            body = {}
        with self._lock:
            self._calls.append(RuntimeCall(request.region, operation, model_id, status, code, body))

    def _check(self, request: Request, operation: str) -> tuple[str, Response | None]:
        model_id = request.path_params["modelId"]
        refusal = self._fault(request.region, model_id, operation) or self._refusal(
            request.region, model_id
        )
        if refusal is None:
            refusal = _validate_body(request)
        if refusal is not None:
            code, message = refusal
            status = RUNTIME_ERRORS.get(code, (400, ""))[0]
            self._record(request, operation, model_id, status, code)
            return model_id, error_response(code, message, status)
        self._record(request, operation, model_id, 200, None)
        return model_id, None

    def _text(self, request: Request, model_id: str) -> str:
        return self.reply.format(model_id=model_id, region=request.region)

    def converse(self, request: Request) -> Response:
        model_id, refused = self._check(request, CONVERSE)
        if refused is not None:
            return refused
        text = self._text(request, model_id)
        content: list[dict[str, Any]] = [{"text": text}]
        stop_reason = "end_turn"
        if self.answer is not None:
            content, stop_reason = self.answer(request.json())
            text = " ".join(str(block.get("text", "")) for block in content)
        return Response(
            body={
                "output": {"message": {"role": "assistant", "content": content}},
                "stopReason": stop_reason,
                "usage": {**_usage(request, text), **self.usage_extra},
                "metrics": {"latencyMs": 1},
            }
        )

    def converse_stream(self, request: Request) -> Response:
        model_id, refused = self._check(request, CONVERSE_STREAM)
        if refused is not None:
            return refused
        text = self._text(request, model_id)
        fault = self._stream_fault(request.region, model_id)
        content: list[dict[str, Any]] | None = None
        stop_reason = "end_turn"
        if self.answer is not None:  # the same answer as Converse, streamed block by block
            content, stop_reason = self.answer(request.json())
            text = " ".join(str(block.get("text", "")) for block in content)
        usage = {**_usage(request, text), **self.usage_extra}
        return Response(
            headers={"Content-Type": "application/vnd.amazon.eventstream"},
            chunks=_stream_frames(text, usage, fault, content, stop_reason),
        )


def install(server: BedrockServer) -> Runtime:
    """Register the runtime routes on ``server`` and return their state."""
    runtime = Runtime(server)
    server.add_route("POST", r"/model/(?P<modelId>[^/]+)/converse", CONVERSE, runtime.converse)
    server.add_route(
        "POST",
        r"/model/(?P<modelId>[^/]+)/converse-stream",
        CONVERSE_STREAM,
        runtime.converse_stream,
    )
    return runtime


# ids --------------------------------------------------------------------------------------------


def _parse_id(model_id: str) -> tuple[str | None, bool | None]:
    """(bare id, is a profile) of an id or ARN: None for a bare id (the region's lists decide)."""
    if model_id.startswith("arn:"):
        parts = model_id.split(":", 5)
        if len(parts) < 6 or "/" not in parts[5]:
            return None, False
        kind, _, resource = parts[5].partition("/")
        if kind == "foundation-model":
            return resource, False
        if kind in ("inference-profile", "application-inference-profile"):
            return resource, True
        return None, False
    return model_id, None


def _validate_body(request: Request) -> tuple[str, str] | None:
    try:
        body = request.json()
    except ValueError:
        return "ValidationException", "Malformed input request: invalid JSON"
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or not messages:
        return "ValidationException", "The model returned the following errors: messages: empty"
    if not isinstance(messages[0], dict) or messages[0].get("role") != "user":
        return "ValidationException", FIRST_MESSAGE_USER
    return None


def _usage(request: Request, text: str) -> dict[str, Any]:
    prompt = json.dumps(request.json().get("messages", []))
    inputs, outputs = max(1, len(prompt.split())), len(text.split())
    return {"inputTokens": inputs, "outputTokens": outputs, "totalTokens": inputs + outputs}


# event stream -----------------------------------------------------------------------------------


def encode_frame(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One event-stream message: prelude + prelude CRC + string headers + payload + message CRC."""
    encoded = b"".join(
        struct.pack(">B", len(name.encode()))
        + name.encode()
        + b"\x07"  # header value type 7: string
        + struct.pack(">H", len(value.encode()))
        + value.encode()
        for name, value in headers.items()
    )
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack(">II", total, len(encoded))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + encoded + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event_frame(event_type: str, body: Mapping[str, Any]) -> bytes:
    headers = {
        ":event-type": event_type,
        ":content-type": "application/json",
        ":message-type": "event",
    }
    return encode_frame(headers, json.dumps(body).encode())


def exception_frame(exception_type: str, message: str) -> bytes:
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return encode_frame(headers, json.dumps({"message": message}).encode())


def _block_frames(index: int, block: Mapping[str, Any]) -> list[bytes]:
    """The ConverseStream events of one answer block (text, reasoning, tool use, citations)."""
    frames: list[bytes] = []

    def delta(body: Mapping[str, Any]) -> None:
        frames.append(event_frame("contentBlockDelta", {"contentBlockIndex": index, "delta": body}))

    if "text" in block:
        delta({"text": block["text"]})
    elif "reasoningContent" in block:
        reasoning = block["reasoningContent"].get("reasoningText", {})
        delta({"reasoningContent": {"text": reasoning.get("text", "")}})
        if reasoning.get("signature"):
            delta({"reasoningContent": {"signature": reasoning["signature"]}})
    elif "toolUse" in block:
        tool = block["toolUse"]
        start = {"toolUse": {"toolUseId": tool["toolUseId"], "name": tool["name"]}}
        frames.append(
            event_frame("contentBlockStart", {"contentBlockIndex": index, "start": start})
        )
        delta({"toolUse": {"input": json.dumps(tool.get("input", {}))}})
    elif "citationsContent" in block:
        for citation in block["citationsContent"].get("citations", ()):
            delta({"citation": citation})
    frames.append(event_frame("contentBlockStop", {"contentBlockIndex": index}))
    return frames


def _stream_frames(
    text: str,
    usage: Mapping[str, Any],
    fault: _StreamFault | None,
    content: list[dict[str, Any]] | None = None,
    stop_reason: str = "end_turn",
) -> Iterator[bytes]:
    frames = [event_frame("messageStart", {"role": "assistant"})]
    if content is None:  # the default reply: one text block in two deltas
        words = text.split(" ")
        pieces = [" ".join(words[: len(words) // 2]) + " ", " ".join(words[len(words) // 2 :])]
        frames += [
            event_frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}})
            for piece in pieces
        ]
        frames.append(event_frame("contentBlockStop", {"contentBlockIndex": 0}))
    else:
        for index, block in enumerate(content):
            frames += _block_frames(index, block)
    frames += [
        event_frame("messageStop", {"stopReason": stop_reason}),
        event_frame("metadata", {"usage": dict(usage), "metrics": {"latencyMs": 1}}),
    ]
    for position, frame in enumerate(frames):
        if fault is not None and position == fault.after_events:
            if fault.mode == "corrupt":
                yield frame[:-4] + struct.pack(">I", (zlib.crc32(frame[:-4]) + 1) & 0xFFFFFFFF)
            elif fault.mode == "stall":
                time.sleep(fault.stall_seconds)
            elif fault.mode == "cut":
                yield frame[: len(frame) // 2]
            elif fault.mode == "trickle":
                for byte_frame in frames[position:]:
                    for index in range(len(byte_frame)):
                        time.sleep(fault.stall_seconds)
                        yield byte_frame[index : index + 1]
            else:
                yield exception_frame(fault.exception_type, fault.message)
            return
        yield frame
