"""LLMManager and everything it answers with: the manager and its failover engine (``_manager``),
the responses (``_response``, ``_stream``), the settings (``_config``), the request builder
(``_request``, ``_cache_points``) and the per-request deadline (``_deadline``).

This door re-exports the names other parts of the package and the 0.9 paths use. Importing it
does not import boto3.
"""

from __future__ import annotations

from .._errors import AllTargetsFailedError, RequestError, StreamInterruptedError
from ._config import (
    AccessMethodPreferenceNames,
    AuthConfig,
    AuthenticationType,
    Boto3Config,
    CacheConfig,
    CacheErrorHandling,
    CacheMetrics,
    CacheStrategy,
    ModelSpecificConfig,
    ModelSpecificFields,
    RegionOrder,
    ResponseValidationConfig,
    ResponseValidationFunction,
    RetryConfig,
    RetryStrategy,
    ValidationResult,
)
from ._manager import (
    DEFAULT_ACCESS_PREFERENCE,
    DEFAULT_TIMEOUT_SECONDS,
    FAILOVER_MODES,
    LLMManager,
    Target,
)
from ._request import build_request
from ._response import BedrockResponse, RequestAttempt, ValidationAttempt, failed_response
from ._stream import StreamingResponse

__all__ = [
    "DEFAULT_ACCESS_PREFERENCE",
    "DEFAULT_TIMEOUT_SECONDS",
    "FAILOVER_MODES",
    "AccessMethodPreferenceNames",
    "AllTargetsFailedError",
    "AuthConfig",
    "AuthenticationType",
    "BedrockResponse",
    "Boto3Config",
    "CacheConfig",
    "CacheErrorHandling",
    "CacheMetrics",
    "CacheStrategy",
    "LLMManager",
    "ModelSpecificConfig",
    "ModelSpecificFields",
    "RegionOrder",
    "RequestAttempt",
    "RequestError",
    "ResponseValidationConfig",
    "ResponseValidationFunction",
    "RetryConfig",
    "RetryStrategy",
    "StreamInterruptedError",
    "StreamingResponse",
    "Target",
    "ValidationAttempt",
    "ValidationResult",
    "build_request",
    "failed_response",
]
