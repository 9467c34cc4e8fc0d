"""0.9's ``bedrock.exceptions`` package: the exceptions 0.9 exported here, from ``_errors``.

Shared by several modules' re-exports; keep it light (imports of ``_errors`` only) and only add.
"""

from ..._errors import (
    AuthenticationError,
    CatalogUnavailableError,
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
    "CatalogUnavailableError",  # not here in 0.9; 0.9's documentation imported it from here
    "ConfigurationError",
    "ContentError",
    "LLMManagerError",
    "ModelAccessError",
    "ProfileRequirementError",
    "RequestValidationError",
    "RetryExhaustedError",
    "StreamingError",
]
