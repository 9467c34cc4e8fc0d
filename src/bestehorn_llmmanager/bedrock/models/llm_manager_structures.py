"""0.9's path of the LLMManager settings and records; they live in ``bestehorn_llmmanager._llm``.

0.9 also kept a second copy of ``BedrockResponse`` and ``StreamingResponse`` here; this path now
names the one type each (the same classes as ``bedrock.models.bedrock_response``).
"""

from ..._llm import (
    AccessMethodPreferenceNames,
    AuthConfig,
    AuthenticationType,
    BedrockResponse,
    Boto3Config,
    RegionOrder,
    RequestAttempt,
    ResponseValidationConfig,
    ResponseValidationFunction,
    RetryConfig,
    RetryStrategy,
    StreamingResponse,
    ValidationAttempt,
    ValidationResult,
)

__all__ = [
    "AccessMethodPreferenceNames",
    "AuthConfig",
    "AuthenticationType",
    "BedrockResponse",
    "Boto3Config",
    "RegionOrder",
    "RequestAttempt",
    "ResponseValidationConfig",
    "ResponseValidationFunction",
    "RetryConfig",
    "RetryStrategy",
    "StreamingResponse",
    "ValidationAttempt",
    "ValidationResult",
]
