"""0.9's ``bedrock.exceptions`` package: the exceptions 0.9 exported here, from ``_errors``.

Shared by several modules' re-exports; keep it light (imports of ``_errors`` only) and only add.
"""

from ..._errors import (
    AuthenticationError,
    ConfigurationError,
    ContentError,
    LLMManagerError,
    ModelAccessError,
    ProfileRequirementError,
    RequestValidationError,
    RetryExhaustedError,
    StreamingError,
)

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ContentError",
    "LLMManagerError",
    "ModelAccessError",
    "ProfileRequirementError",
    "RequestValidationError",
    "RetryExhaustedError",
    "StreamingError",
]
