"""Builds the Converse request (without ``modelId``) from ``converse()``'s arguments, and the
variants failover needs: one target's additional fields, and a request without a feature.

Rules: an optional field given as ``None`` is left out, never sent; the caller's dicts are never
mutated; 0.9's message checks raise ``RequestValidationError`` before anything is sent. Never
imports boto3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._errors import RequestValidationError
from ._cache_points import place_cache_points
from ._config import CacheConfig, ModelSpecificConfig

__all__ = [
    "EXTENDED_CONTEXT_BETA",
    "FEATURES",
    "build_request",
    "camel",
    "feature_in_error",
    "validate_messages",
    "with_model_fields",
    "without_feature",
]

#: The ``anthropic_beta`` value that asks for the 1M-token context window.
EXTENDED_CONTEXT_BETA = "context-1m-2025-08-07"
#: Model ids (bare, without a profile's geography prefix) that accept EXTENDED_CONTEXT_BETA.
_EXTENDED_CONTEXT_PREFIXES = ("anthropic.claude-sonnet-4",)

#: Per-request content limits Bedrock enforces (0.9 checked them before sending).
MAX_IMAGES, MAX_DOCUMENTS, MAX_VIDEOS = 20, 5, 1

#: The features ``enable_feature_fallback`` may drop, and the lower-case fragments of a
#: ValidationException that name each (0.9's table). A feature is dropped only when the request
#: actually uses it, so a message that merely mentions "tool" cannot strip an unrelated field.
FEATURES: dict[str, tuple[str, ...]] = {
    "image_processing": (
        "image processing not supported",
        "image not supported",
        "doesn't support the image",
        "does not support image",
    ),
    "document_processing": (
        "document processing not supported",
        "document not supported",
        "doesn't support the document",
        "does not support document",
    ),
    "video_processing": (
        "video processing not supported",
        "video not supported",
        "doesn't support the video",
        "does not support video",
    ),
    "guardrails": ("guardrail", "content filter"),
    "tool_use": ("tool", "function"),
    "prompt_caching": ("cache", "caching"),
}
_BLOCK_OF_FEATURE = {
    "image_processing": "image",
    "document_processing": "document",
    "video_processing": "video",
    "prompt_caching": "cachePoint",
}

_CAMEL: dict[str, str] = {}


def camel(name: str) -> str:
    """``inference_config`` -> ``inferenceConfig``; names without an underscore are kept."""
    found = _CAMEL.get(name)
    if found is None:
        if "_" not in name.strip("_"):
            found = name
        else:
            head, *rest = name.split("_")
            found = head + "".join(part[:1].upper() + part[1:] for part in rest)
        _CAMEL[name] = found
    return found


def validate_messages(messages: object) -> None:
    """0.9's checks: a non-empty list of {role: user|assistant, content: [dict, ...]} messages
    within Bedrock's per-message image, document and video limits."""
    if not messages:
        raise RequestValidationError(
            "messages: the conversation is empty; pass at least one user message"
        )
    if not isinstance(messages, (list, tuple)):
        raise RequestValidationError(
            f"messages: expected a list of message dicts, got {type(messages).__name__}",
            invalid_fields=["messages"],
        )
    errors: list[str] = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping):
            errors.append(f"Message {i} must be a dictionary")
            continue
        role = message.get("role")
        if role is None:
            errors.append(f"Message {i} missing required 'role' field")
        elif role not in ("user", "assistant"):
            errors.append(f"Message {i} has invalid role: {role}")
        content = message.get("content")
        if content is None:
            errors.append(f"Message {i} missing required 'content' field")
            continue
        if not isinstance(content, list):
            errors.append(f"Message {i} content must be a list")
            continue
        counts = {"image": 0, "document": 0, "video": 0}
        for j, block in enumerate(content):
            if not isinstance(block, Mapping):
                errors.append(f"Message {i}, block {j} must be a dictionary")
                continue
            for kind in counts:
                if kind in block:
                    counts[kind] += 1
        for kind, limit in (
            ("image", MAX_IMAGES),
            ("document", MAX_DOCUMENTS),
            ("video", MAX_VIDEOS),
        ):
            if counts[kind] > limit:
                errors.append(f"Message {i} exceeds {kind} limit: {counts[kind]} > {limit}")
    if errors:
        raise RequestValidationError(
            "Request validation failed: " + "; ".join(errors), validation_errors=errors
        )


def build_request(
    messages: Sequence[Mapping[str, Any]],
    *,
    system: Sequence[Mapping[str, Any]] | str | None = None,
    inference_config: Mapping[str, Any] | None = None,
    default_inference_config: Mapping[str, Any] | None = None,
    additional_model_request_fields: Mapping[str, Any] | None = None,
    additional_model_response_field_paths: Sequence[str] | None = None,
    guardrail_config: Mapping[str, Any] | None = None,
    tool_config: Mapping[str, Any] | None = None,
    request_metadata: Mapping[str, Any] | None = None,
    prompt_variables: Mapping[str, Any] | None = None,
    output_config: Mapping[str, Any] | None = None,
    performance_config: Mapping[str, Any] | None = None,
    service_tier: Mapping[str, Any] | None = None,
    stream_processing_mode: str | None = None,
    extra_request_fields: Mapping[str, Any] | None = None,
    cache_config: CacheConfig | None = None,
    fields: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The Converse arguments for one call. ``fields`` are further snake- or camel-case keywords
    (our pass-through), ``extra_request_fields`` 0.9's top-level escape hatch (merged last)."""
    validate_messages(messages)
    request: dict[str, Any] = {
        "messages": place_cache_points(messages, cache_config)
        if cache_config is not None and cache_config.enabled
        else list(messages)
    }
    if system is not None:
        request["system"] = [{"text": system}] if isinstance(system, str) else list(system)
    inference = {**(default_inference_config or {}), **(inference_config or {})}
    if inference:
        request["inferenceConfig"] = inference
    optional = (
        ("additionalModelRequestFields", additional_model_request_fields),
        ("additionalModelResponseFieldPaths", additional_model_response_field_paths),
        ("guardrailConfig", guardrail_config),
        ("toolConfig", tool_config),
        ("requestMetadata", request_metadata),
        ("promptVariables", prompt_variables),
        ("outputConfig", output_config),
        ("performanceConfig", performance_config),
        ("serviceTier", service_tier),
    )
    for name, value in optional:
        if value is not None:
            request[name] = value
    if stream_processing_mode is not None:
        request["guardrailConfig"] = {
            **(request.get("guardrailConfig") or {}),
            "streamProcessingMode": stream_processing_mode,
        }
    for name, value in (fields or {}).items():
        key = camel(name)
        if key == "modelId":
            raise TypeError("modelId is chosen by the manager; pass models= to LLMManager")
        if value is not None:
            request[key] = value
    for key, value in (extra_request_fields or {}).items():
        if key == "modelId":
            raise TypeError("modelId is chosen by the manager; pass models= to LLMManager")
        request[key] = value
    return request


def with_model_fields(
    request: dict[str, Any], model_id: str, config: ModelSpecificConfig | None
) -> tuple[dict[str, Any], str | None]:
    """The request for one model under ``config`` and a warning when it had to leave part out.

    ``custom_fields`` join ``additionalModelRequestFields``; extended context adds the
    ``anthropic_beta`` flag where the model accepts it (once, after any the caller gave).
    """
    if config is None or (not config.enable_extended_context and not config.custom_fields):
        return request, None
    fields = dict(request.get("additionalModelRequestFields") or {})
    fields.update(config.custom_fields or {})
    warning = None
    if config.enable_extended_context:
        bare = model_id.rsplit("/", maxsplit=1)[-1]
        bare = bare.split(".", 1)[1] if bare.split(".", 1)[0] in _GEOGRAPHIES else bare
        if bare.startswith(_EXTENDED_CONTEXT_PREFIXES):
            betas = list(fields.get("anthropic_beta") or ())
            if EXTENDED_CONTEXT_BETA not in betas:
                betas.append(EXTENDED_CONTEXT_BETA)
            fields["anthropic_beta"] = betas
        else:
            warning = f"extended context is not available for {model_id}; sent without it"
    result = dict(request)
    if fields:
        result["additionalModelRequestFields"] = fields
    return result, warning


_GEOGRAPHIES = frozenset({"us", "eu", "apac", "jp", "au", "ca", "us-gov", "global"})


def feature_in_error(message: str, request: Mapping[str, Any]) -> str | None:
    """The feature a ValidationException ``message`` rejects, if the request uses it."""
    lowered = message.lower()
    for feature, fragments in FEATURES.items():
        if any(f in lowered for f in fragments) and _uses(request, feature):
            return feature
    return None


def _uses(request: Mapping[str, Any], feature: str) -> bool:
    if feature == "guardrails":
        return "guardrailConfig" in request
    if feature == "tool_use":
        return "toolConfig" in request
    block = _BLOCK_OF_FEATURE[feature]
    return any(
        isinstance(b, Mapping) and block in b
        for m in request.get("messages", ())
        for b in (m.get("content") or ())
    ) or (feature == "prompt_caching" and any("cachePoint" in b for b in request.get("system", ())))


def without_feature(request: Mapping[str, Any], feature: str) -> dict[str, Any]:
    """A copy of ``request`` with ``feature`` removed (its field, or its content blocks)."""
    result = dict(request)
    if feature == "guardrails":
        result.pop("guardrailConfig", None)
        return result
    if feature == "tool_use":
        result.pop("toolConfig", None)
        return result
    block = _BLOCK_OF_FEATURE[feature]
    result["messages"] = [
        {**m, "content": [b for b in m.get("content", ()) if block not in b]}
        for m in request.get("messages", ())
    ]
    if "system" in result:
        result["system"] = [b for b in result["system"] if block not in b]
    return result
